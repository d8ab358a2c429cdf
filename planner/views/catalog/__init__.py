"""The catalog pages: audiences (målgrupper), channels (kanaler), the reach matrix
(rekkevidde) and service areas (virksomhetsområder), each on its own page and in its own
module of this package; this module holds the blueprint and what the pages share.

Everyone reads; editors change. Every form is a plain POST that works without
JavaScript (full page, 302 after success, 422 with field errors). With htmx, rows are
edited inline, audiences are moved and reach cells saved in place: a successful htmx
POST answers with the new fragment, an ``HX-Trigger: catalogChanged`` event and an
out-of-band status message instead of a redirect; invalid input answers 422 with the
form fragment (the ``htmx-config`` meta tag in ``templates/base.html`` lets htmx swap a 422).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Blueprint, abort, flash, redirect, render_template, request
from flask_htmx import make_response as htmx_response
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import Field

from planner.extensions import htmx
from planner.models import Role
from planner.services.catalog.names import CatalogError
from planner.services.catalog.reach import cell_label, cell_name
from planner.services.catalog.texts import effective_profile_text, response_time_label
from planner.views.catalog.forms import CHANNEL_TYPE_LABELS, REACH_LEVEL_LABELS

bp = Blueprint("catalog", __name__)

T = TypeVar("T")


@bp.context_processor
def _helpers() -> dict[str, Any]:
    return {
        "channel_type_labels": CHANNEL_TYPE_LABELS,
        "level_labels": REACH_LEVEL_LABELS,
        "response_time_label": response_time_label,
        "effective_profile_text": effective_profile_text,
        "cell_name": cell_name,
        "cell_label": cell_label,
        "can_edit": current_user.is_authenticated and current_user.has_role(Role.EDITOR),
    }


def require_editor() -> None:
    """Refuse (403) a change by someone who is not an editor."""
    if not current_user.has_role(Role.EDITOR):
        abort(403)


def field_error(form: Any, exc: CatalogError) -> None:
    """Show a refused change as an error on the form field it concerns."""
    field = getattr(form, exc.field, None) or form.name
    field.errors = [*field.errors, exc.message]


def autofocus(form: Any) -> None:
    """Focus the first invalid field (or the first field) when htmx swaps the form in."""
    fields: list[Field] = [f for f in form if f.type not in ("CSRFTokenField", "HiddenField")]
    target = next((f for f in fields if f.errors), fields[0])
    target.render_kw = {**(target.render_kw or {}), "autofocus": True}


def fragment(html: str, message: str | None = None, status: int = 200) -> Any:
    """An htmx answer: the fragment, an out-of-band status message, the change event."""
    if message:
        category = "success" if status < 400 else "error"
        html += render_template("catalog/_message.html", message=message, category=category)
    trigger = {"catalogChanged": {"page": request.endpoint}} if status < 400 else None
    return htmx_response(html, status, trigger=trigger)


def done(message: str, target: str, fragment_html: str | None = None) -> Any:
    """After a successful change: the fragment for htmx, else flash and redirect."""
    if htmx and fragment_html is not None:
        return fragment(fragment_html, message)
    flash(message, "success")
    return redirect(target)


def row_or_list(list_url: str, row_html: Callable[[], str]) -> Any:
    """One row's fragment for htmx (e.g. after "Avbryt"); a row has no page of its own:
    without htmx, go to the row in the list (``list_url``)."""
    return row_html() if htmx else redirect(list_url)


def _save(form: FlaskForm, save: Callable[[], T], saved: Callable[[T], Any]) -> Any | None:
    """A valid posted form saved with ``save``: the answer ``saved(result)``. None when the
    form is invalid or the catalog refused the change (its message then stands on the
    field it concerns)."""
    if form.validate_on_submit():
        try:
            result = save()
        except CatalogError as exc:
            field_error(form, exc)
        else:
            return saved(result)
    return None


def add_or_list(
    form: FlaskForm,
    create: Callable[[], T],
    added: Callable[[T], Any],
    page: Callable[[], str],
    *,
    skip_save: bool = False,
) -> Any:
    """The answer of a list page with its add form (audiences, channels, service areas).

    A POST (editors only, else 403) of a valid form is saved with ``create``, and success
    answers with ``added(row)``; a refusal (``CatalogError``) becomes the error of its
    field. Otherwise the page (``page()``) is shown, with 422 when the form has errors.
    ``skip_save`` shows the page without saving (a suggestion was filled in)."""
    if request.method == "POST":
        require_editor()
        if not skip_save and (answer := _save(form, create, added)) is not None:
            return answer
    return page(), 422 if form.errors else 200


def save_or_show(
    form: FlaskForm,
    save: Callable[[], object],
    saved: Callable[[], Any],
    templates: tuple[str, str],
    context: dict[str, Any],
    *,
    skip_save: bool = False,
) -> Any:
    """The answer of an edit route (audience, channel, service area).

    A valid form is saved with ``save``; a refusal (``CatalogError``) becomes the error of
    its field, success answers with ``saved()``. Otherwise the form is shown: inline (the
    first of ``templates``) for htmx, else on a page of its own (the second), with 422
    when it has errors. ``skip_save`` shows the form without saving (a suggestion was
    filled in)."""
    if not skip_save and (answer := _save(form, save, lambda _result: saved())) is not None:
        return answer
    status = 422 if form.errors else 200
    inline, page = templates
    if htmx:
        if context.get("suggestion_note") is None:
            autofocus(form)
        return fragment(render_template(inline, form=form, **context), status=status)
    return render_template(page, form=form, **context), status


@dataclass(frozen=True)
class DeletePage:
    """What a delete confirmation says and where its buttons lead (texts in Norwegian)."""

    heading: str
    lines: list[str]
    button: str
    deleted: str  # the message after deleting
    action: str  # the confirmation form's URL
    list_url: str  # where to go after deleting
    cancel: str  # where "Avbryt" leads


def delete_or_confirm(in_use: bool, delete: Callable[[], None], page: DeletePage) -> Any:
    """Delete at once when nothing uses the row (or the user has confirmed), then go to the
    list; else a confirmation page that says what deleting does."""
    if request.method == "POST" and (request.form.get("confirm") == "1" or not in_use):
        delete()
        flash(page.deleted, "success")
        return redirect(page.list_url)
    return render_template(
        "catalog/confirm_delete.html",
        heading=page.heading,
        lines=page.lines,
        action=page.action,
        button=page.button,
        cancel=page.cancel,
    )


from planner.views.catalog import (  # noqa: E402,F401  (routes on this blueprint)
    audiences,
    channels,
    reach,
    service_areas,
)
