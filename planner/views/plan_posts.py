"""Posts (innlegg): view, create, edit, duplicate, move, delete and change one occurrence.

Forms open in a dialog with htmx and work as ordinary pages without JavaScript. A
successful htmx save answers 204 with ``HX-Trigger`` (``planChanged`` refreshes the views,
``postSaved`` closes the dialog and announces the message); invalid input answers 422
with the form and errors next to the fields; a stale version answers 409.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from planner.domain.dates import now_oslo
from planner.domain.posts.occurrences import ExceptionValues, occurrences
from planner.domain.posts.working_year import default_post_day, is_plan_year
from planner.extensions import htmx
from planner.models import Post, Role
from planner.services.history import (
    ACTION_LABELS,
    ENTITY_LABELS,
    FIELD_LABELS,
    HistoryFilter,
    history_page,
)
from planner.services.posts.operations import (
    Catalog,
    VersionConflict,
    change_occurrence,
    duplicate_post,
    load_catalog,
    move_post,
    move_to_bin,
    occurrence_start,
    save_post,
)
from planner.services.posts.reach_check import reach_warnings_for
from planner.services.scope import current_org_id, get_scoped_or_404
from planner.services.staffing.periods import post_periods
from planner.views.access import role_required
from planner.views.nav import current_working_year, last_viewed_year, shown_year
from planner.views.plan import bp
from planner.views.post_forms import (
    MoveForm,
    OccurrenceForm,
    PostForm,
    fill_choices,
    fill_from_post,
    form_errors,
    post_data,
)


def _live_post(post_id: int) -> Post:
    post = get_scoped_or_404(Post, post_id)
    if post.deleted_at is not None:
        abort(404)
    return post


def _elsewhere(message: str, post: Post) -> tuple[str, dict[str, str] | None]:
    """``message`` and a link to the post's year when the page the save came from shows
    another year (``?aar=``, else the year last looked at): the post is not on screen."""
    shown = shown_year() or last_viewed_year()
    year = post.wheel.year
    if shown is None or shown == year:
        return message, None
    text = _(
        "%(message)s Det ligger i årshjulet «%(wheel)s» for %(year)s, ikke i %(shown)s.",
        message=message,
        wheel=post.wheel.name,
        year=year,
        shown=shown,
    )
    link = {
        "href": url_for("wheel.wheel_year", year=year),
        "text": _("Gå til årshjulet for %(year)s", year=year),
    }
    return text, link


def _saved(
    message: str,
    post: Post,
    fallback: str,
    leave_page: bool = False,
    link: dict[str, str] | None = None,
) -> Any:
    """After a successful change: 204 + HX-Trigger for htmx, a redirect otherwise.

    ``leave_page`` (after a delete): htmx is sent to ``fallback`` with HX-Location.
    ``link`` (``href``, ``text``) follows the message, e.g. to the year the post went to.
    """
    if htmx and leave_page:
        flash(message, "success")
        response = current_response(status=204)
        response.headers["HX-Location"] = json.dumps({"path": fallback, "target": "body"})
        return response
    if htmx:
        response = current_response(status=204)
        saved: dict[str, Any] = {"message": message}
        if link:
            saved["link"] = link
        response.headers["HX-Trigger"] = json.dumps(
            {"planChanged": {"post": post.id}, "postSaved": saved}
        )
        return response
    if link:
        flash(
            Markup('{} <a href="{}">{}</a>').format(message, link["href"], link["text"]), "success"
        )
    else:
        flash(message, "success")
    target = request.args.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else fallback)


def current_response(status: int) -> Any:
    """An empty response with ``status``."""
    return current_app.response_class(status=status)


def _form_page(status: int, **context: Any) -> Any:
    """Render the form as a dialog fragment (htmx) or a full page."""
    context.setdefault("in_dialog", bool(htmx))
    template = "plan/_post_form.html" if htmx else "plan/post_form.html"
    return render_template(template, **context), status


def _new_form(catalog: Catalog) -> PostForm:
    form = PostForm()
    fill_choices(
        form,
        list(catalog.wheels.values()),
        list(catalog.areas.values()),
        list(catalog.channels.values()),
        list(catalog.audiences.values()),
    )
    return form


def _show_errors(form: PostForm, errors: dict[str, str], catalog: Catalog) -> None:
    """Put every problem next to its field at once: the form's own checks and the domain's."""
    if form.is_submitted() and form.errors and not errors:
        errors = form_errors(form, catalog)
    for name, message in errors.items():
        field = getattr(form, name)
        if not field.errors:
            field.errors = [message]


def _reach(form: PostForm, catalog: Catalog) -> list[str]:
    return reach_warnings_for(
        current_org_id(), form.channels.data or [], form.audiences.data or [], form.link.data or ""
    )


@bp.get("/posts/<int:post_id>")
def post_detail(post_id: int) -> Any:
    """One post with all its fields; for recurring posts, its occurrences this year."""
    post = _live_post(post_id)
    year = post.wheel.year
    window = (datetime(year, 1, 1), datetime(year, 12, 31, 23, 59))
    exceptions = [
        ExceptionValues(e.recurrence_id, e.cancelled, e.start, e.end) for e in post.exceptions
    ]
    occ = occurrences(post.start, post.end, post.rrule, exceptions, *window) if post.rrule else []
    cancelled = [e for e in post.exceptions if e.cancelled]
    spans = [(o.start.date(), o.end.date()) for o in occ] if post.rrule else []
    periods = post_periods(
        post.organisation_id, post.id, year, spans or [(post.start_date, post.end_date)]
    )
    entries, _total = history_page(
        post.organisation_id, HistoryFilter(entity="post", entity_id=post.id)
    )
    return render_template(
        "plan/post.html",
        entries=entries[:20],
        ACTION_LABELS=ACTION_LABELS,
        ENTITY_LABELS=ENTITY_LABELS,
        FIELD_LABELS=FIELD_LABELS,
        post=post,
        occurrences=occ,
        cancelled=cancelled,
        periods=periods,
        move_form=MoveForm(formdata=None, new_date=post.start.date(), version=post.version),
        reach=reach_warnings_for(
            post.organisation_id,
            [c.id for c in post.channels],
            [a.id for a in post.audiences],
            post.link,
        ),
    )


def _default_day(catalog: Catalog) -> date:
    """The new post's date, inside what is on screen: ``?dato=`` (the day clicked), else
    today when today is in the year shown (``?aar=``, the year of ``?arshjul=``, else the
    year being worked on), else that year's first working day."""
    try:
        chosen: date | None = date.fromisoformat(request.args.get("dato", ""))
    except ValueError:
        chosen = None
    year = request.args.get("aar", type=int)
    wheel = catalog.wheels.get(request.args.get("arshjul", type=int) or 0)
    if not is_plan_year(year):
        year = wheel.year if wheel is not None else current_working_year()
    return default_post_day(now_oslo().date(), year, chosen)


@bp.route("/posts/ny", methods=["GET", "POST"])
@role_required(Role.EDITOR)
def post_new() -> Any:
    """Create a post; ``?dato=åååå-mm-dd``, ``?aar=åååå`` (the year on screen) and
    ``?arshjul=id`` preset the form (see :func:`_default_day`)."""
    org_id = current_org_id()
    catalog = load_catalog(org_id)
    if not catalog.wheels:
        flash(
            _("Lag et årshjul først: start fra det anbefalte årshjulet eller rull fram et år."),
            "error",
        )
        return redirect(url_for("plan.index"))
    form = _new_form(catalog)
    if not form.is_submitted():
        day = _default_day(catalog)
        form.start_date.data = day  # an empty end date means the same day
        wheel_id = request.args.get("arshjul", type=int)
        same_year = [w for w in catalog.wheels.values() if w.year == day.year]
        form.wheel.data = (
            wheel_id
            if wheel_id in catalog.wheels and catalog.wheels[wheel_id].year == day.year
            else (same_year or list(catalog.wheels.values()))[0].id
        )
    errors: dict[str, str] = {}
    if form.validate_on_submit():
        errors = form_errors(form, catalog)
        if not errors:
            post = save_post(org_id, post_data(form, catalog))
            message, link = _elsewhere(
                _("Innlegget «%(title)s» er lagret.", title=post.title), post
            )
            return _saved(message, post, url_for("plan.post_detail", post_id=post.id), link=link)
    _show_errors(form, errors, catalog)
    status = 422 if any(f.errors for f in form) else 200
    return _form_page(
        status,
        form=form,
        post=None,
        action=request.full_path.rstrip("?"),
        reach=_reach(form, catalog),
    )


@bp.route("/posts/<int:post_id>/rediger", methods=["GET", "POST"])
@role_required(Role.EDITOR)
def post_edit(post_id: int) -> Any:
    """Edit a post (the whole series for a recurring post)."""
    post = _live_post(post_id)
    catalog = load_catalog(post.organisation_id)
    form = _new_form(catalog)
    if not form.is_submitted():
        fill_from_post(form, post)
    errors: dict[str, str] = {}
    conflict = None
    if form.validate_on_submit():
        try:
            errors = form_errors(form, catalog)
            if not errors:
                save_post(
                    post.organisation_id,
                    post_data(form, catalog, post),
                    post,
                    form.version.data,
                )
        except VersionConflict:
            conflict = post
            form.version.data = str(post.version)  # sending again overwrites knowingly
        else:
            if not errors:
                message, link = _elsewhere(
                    _("Endringene i «%(title)s» er lagret.", title=post.title), post
                )
                return _saved(
                    message, post, url_for("plan.post_detail", post_id=post.id), link=link
                )
    _show_errors(form, errors, catalog)
    status = 409 if conflict else (422 if any(f.errors for f in form) else 200)
    return _form_page(
        status,
        form=form,
        post=post,
        conflict=conflict,
        action=request.full_path.rstrip("?"),
        reach=_reach(form, catalog),
    )


@bp.post("/posts/rekkevidde")
@role_required(Role.EDITOR)
def reach_check() -> Any:
    """Live check from the form: do the chosen channels reach the chosen audiences?"""
    channels = [int(v) for v in request.form.getlist("channels") if v.isdigit()]
    audiences = [int(v) for v in request.form.getlist("audiences") if v.isdigit()]
    warnings = reach_warnings_for(
        current_org_id(), channels, audiences, request.form.get("link", "")
    )
    return render_template("plan/_reach.html", reach=warnings)


@bp.post("/posts/<int:post_id>/dupliser")
@role_required(Role.EDITOR)
def post_duplicate(post_id: int) -> Any:
    """Copy a post and open the copy for editing."""
    copy = duplicate_post(_live_post(post_id))
    flash(_("Kopien er laget. Endre det som skal være annerledes."), "success")
    return redirect(url_for("plan.post_edit", post_id=copy.id))


@bp.post("/posts/<int:post_id>/flytt")
@role_required(Role.EDITOR)
def post_move(post_id: int) -> Any:
    """Move a post to another date, keeping its length and time of day."""
    post = _live_post(post_id)
    form = MoveForm()
    if form.validate_on_submit():
        try:
            move_post(post, form.new_date.data, form.version.data)  # type: ignore[arg-type]
        except VersionConflict:
            flash(
                _("Innlegget er endret av noen andre i mellomtiden. Se over og prøv igjen."),
                "error",
            )
            return redirect(url_for("plan.post_detail", post_id=post.id))
        except ValueError as exc:
            form.new_date.errors = [str(exc)]
        else:
            return _saved(
                _(
                    "«%(title)s» er flyttet til %(date)s.",
                    title=post.title,
                    date=post.start.strftime("%d.%m.%Y"),
                ),
                post,
                url_for("plan.post_detail", post_id=post.id),
            )
    flash(" ".join(str(e) for errs in form.errors.values() for e in errs), "error")
    return redirect(url_for("plan.post_detail", post_id=post.id))


@bp.route("/posts/<int:post_id>/slett", methods=["GET", "POST"])
@role_required(Role.EDITOR)
def post_delete(post_id: int) -> Any:
    """Confirm, then move the post to the bin (it can be restored from there)."""
    post = _live_post(post_id)
    if request.method == "POST":
        year = post.wheel.year
        move_to_bin(post)
        return _saved(
            _("«%(title)s» er flyttet til papirkurven.", title=post.title),
            post,
            url_for("plan.year_list", year=year),
            leave_page=True,
        )
    template = "plan/_delete.html" if htmx else "plan/delete.html"
    return render_template(template, post=post, in_dialog=bool(htmx))


@bp.route("/posts/<int:post_id>/forekomst", methods=["GET", "POST"])
@role_required(Role.EDITOR)
def occurrence_edit(post_id: int) -> Any:
    """Move, cancel or restore one occurrence of a recurring post."""
    post = _live_post(post_id)
    if not post.rrule:
        abort(404)
    form = OccurrenceForm()
    if not form.is_submitted():
        form.recurrence_id.data = request.args.get("id", "")
    try:
        recurrence_id = datetime.fromisoformat(form.recurrence_id.data or "")
    except ValueError:
        abort(404)
    if not form.is_submitted():
        form.new_date.data = recurrence_id.date()
    if form.validate_on_submit():
        new_start = None
        if form.action.data == "move":
            if form.new_date.data is None:
                form.new_date.errors = [_("Velg en ny dato for forekomsten.")]
            else:
                new_start = occurrence_start(
                    post, form.new_date.data, None if post.all_day else form.new_time.data
                )
        if not form.errors:
            change_occurrence(post, recurrence_id, form.action.data or "cancel", new_start)
            messages = {
                "move": _("Forekomsten er flyttet."),
                "cancel": _("Forekomsten er avlyst."),
                "restore": _("Forekomsten følger regelen igjen."),
            }
            return _saved(
                messages[form.action.data or "cancel"],
                post,
                url_for("plan.post_detail", post_id=post.id),
            )
    status = 422 if form.errors else 200
    template = "plan/_occurrence.html" if htmx else "plan/occurrence.html"
    return (
        render_template(
            template, post=post, form=form, recurrence_id=recurrence_id, in_dialog=bool(htmx)
        ),
        status,
    )


@bp.app_context_processor
def _can_edit() -> dict[str, Any]:
    """Templates ask ``can_edit`` to show editing controls."""
    return {"can_edit": bool(current_user.is_authenticated and current_user.has_role(Role.EDITOR))}
