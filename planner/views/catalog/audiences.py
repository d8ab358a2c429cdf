"""The audiences page (målgrupper): the list in priority order, adding, inline editing,
moving up and down, and deleting."""

from __future__ import annotations

from typing import Any

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _

from planner.models import Audience, Role
from planner.services.catalog import catalog, reads
from planner.services.scope import current_org_id, get_scoped_or_404
from planner.views.access import role_required
from planner.views.catalog import (
    DeletePage,
    add_or_list,
    bp,
    delete_or_confirm,
    done,
    row_or_list,
    save_or_show,
)
from planner.views.catalog.forms import NO_SERVICE_AREA, AudienceForm


def _audience_form(org_id: int, audience: Audience | None = None) -> AudienceForm:
    data = (
        {
            "name": audience.name,
            "description": audience.description,
            "service_area": audience.service_area_id or NO_SERVICE_AREA,
        }
        if audience
        else None
    )
    form = AudienceForm(data=data, prefix=f"audience-{audience.id}" if audience else "")
    form.set_service_areas([(s.id, s.name) for s in reads.service_areas(org_id)])
    return form


def _audience_values(form: AudienceForm) -> tuple[str, str, int | None]:
    """The name, description and service area id (None for none) the form holds."""
    return form.name.data or "", form.description.data or "", form.service_area.data or None


def _audience_rows(org_id: int) -> list[tuple[Audience, int, int]]:
    counts = reads.audience_post_counts(org_id)
    return [(a, pos, counts.get(a.id, 0)) for pos, a in enumerate(reads.audiences(org_id), start=1)]


def _audience_row_html(audience: Audience, focus_edit: bool = False) -> str:
    rows = _audience_rows(audience.organisation_id)
    a, pos, count = next(row for row in rows if row[0].id == audience.id)
    return render_template(
        "catalog/_audience_row.html",
        a=a,
        pos=pos,
        count=count,
        total=len(rows),
        focus_edit=focus_edit,
    )


def _at_row(audience: Audience) -> str:
    """The audience list, scrolled to the audience's row."""
    return url_for(".audiences", _anchor=f"audience-{audience.id}")


@bp.route("/malgrupper", methods=["GET", "POST"])
def audiences() -> Any:
    """The audiences (målgrupper) in priority order, and a form to add one."""
    org_id = current_org_id()
    form = _audience_form(org_id)

    def page() -> str:
        rows = _audience_rows(org_id)
        return render_template("catalog/audiences.html", form=form, rows=rows, total=len(rows))

    return add_or_list(
        form,
        lambda: catalog.create_audience(org_id, *_audience_values(form)),
        lambda audience: done(
            _("Målgruppen «%(name)s» er lagt til.", name=audience.name), _at_row(audience)
        ),
        page,
    )


@bp.get("/malgrupper/<int:audience_id>")
def audience_row(audience_id: int) -> Any:
    """One audience's row (htmx, e.g. after "Avbryt"); without htmx, the list at the row."""
    audience = get_scoped_or_404(Audience, audience_id)
    return row_or_list(_at_row(audience), lambda: _audience_row_html(audience, focus_edit=True))


@bp.route("/malgrupper/<int:audience_id>/endre", methods=["GET", "POST"])
@role_required(Role.EDITOR)
def audience_edit(audience_id: int) -> Any:
    """Edit an audience: inline in its row with htmx, or on a page of its own."""
    audience = get_scoped_or_404(Audience, audience_id)
    form = _audience_form(audience.organisation_id, audience)
    return save_or_show(
        form,
        lambda: catalog.update_audience(audience, *_audience_values(form)),
        lambda: done(
            _("Målgruppen «%(name)s» er lagret.", name=audience.name),
            _at_row(audience),
            _audience_row_html(audience, focus_edit=True),
        ),
        ("catalog/_audience_edit_row.html", "catalog/audience_edit.html"),
        {"a": audience},
    )


@bp.post("/malgrupper/<int:audience_id>/flytt")
@role_required(Role.EDITOR)
def audience_move(audience_id: int) -> Any:
    """Move an audience one place up or down in the priority order."""
    audience = get_scoped_or_404(Audience, audience_id)
    offset = {"opp": -1, "ned": 1}.get(request.form.get("direction", ""))
    if offset is None:
        abort(400)
    position = catalog.move_audience(audience, offset)
    if position is None:
        message = (
            _("«%(name)s» har allerede høyest prioritet.", name=audience.name)
            if offset < 0
            else _("«%(name)s» har allerede lavest prioritet.", name=audience.name)
        )
    else:
        message = _("«%(name)s» har nå prioritet %(n)s.", name=audience.name, n=position)
    rows = _audience_rows(audience.organisation_id)
    table = render_template("catalog/_audience_table.html", rows=rows, total=len(rows))
    return done(message, _at_row(audience), table)


@bp.route("/malgrupper/<int:audience_id>/slett", methods=["GET", "POST"])
@role_required(Role.EDITOR)
def audience_delete(audience_id: int) -> Any:
    """Delete an audience; when posts use it, a confirmation page says how many first."""
    audience = get_scoped_or_404(Audience, audience_id)
    used = reads.audience_post_counts(audience.organisation_id).get(audience.id, 0)
    name = audience.name
    page = DeletePage(
        heading=_("Slette målgruppen «%(name)s»?", name=name),
        lines=[
            _(
                "Målgruppen «%(name)s» brukes av %(n)s innlegg. Sletter du den, fjernes den "
                "fra innleggene. Innleggene blir stående.",
                name=name,
                n=used,
            )
            if used
            else _("Målgruppen «%(name)s» brukes ikke av noen innlegg.", name=name),
            _("Rekkevidden til målgruppen slettes også. Dette kan ikke angres."),
        ],
        button=_("Ja, slett målgruppen"),
        deleted=_("Målgruppen «%(name)s» er slettet.", name=name),
        action=url_for(".audience_delete", audience_id=audience.id),
        list_url=url_for(".audiences"),
        cancel=_at_row(audience),
    )
    return delete_or_confirm(bool(used), lambda: catalog.delete_audience(audience), page)
