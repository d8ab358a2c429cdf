"""The service areas page (virksomhetsområder): adding, renaming inline and deleting."""

from __future__ import annotations

from typing import Any

from flask import render_template, url_for
from flask_babel import gettext as _

from planner.models import Role, ServiceArea
from planner.services.catalog import reads
from planner.services.catalog.service_areas import (
    create_service_area,
    delete_service_area,
    rename_service_area,
)
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
from planner.views.catalog.forms import ServiceAreaForm


def _service_area_row_html(area: ServiceArea, focus_edit: bool = False) -> str:
    posts, groups = reads.service_area_counts(area.organisation_id).get(area.id, (0, 0))
    return render_template(
        "catalog/_service_area_row.html", s=area, posts=posts, groups=groups, focus_edit=focus_edit
    )


def _at_row(area: ServiceArea) -> str:
    """The service area list, scrolled to the area's row."""
    return url_for(".service_areas", _anchor=f"service-area-{area.id}")


@bp.route("/virksomhetsomrader", methods=["GET", "POST"])
def service_areas() -> Any:
    """The service areas (virksomhetsområder), and a form to add one."""
    org_id = current_org_id()
    form = ServiceAreaForm()

    def page() -> str:
        counts = reads.service_area_counts(org_id)
        rows = [(s, *counts.get(s.id, (0, 0))) for s in reads.service_areas(org_id)]
        return render_template("catalog/service_areas.html", form=form, rows=rows)

    return add_or_list(
        form,
        lambda: create_service_area(org_id, form.name.data or ""),
        lambda area: done(
            _("Virksomhetsområdet «%(name)s» er lagt til.", name=area.name), _at_row(area)
        ),
        page,
    )


@bp.get("/virksomhetsomrader/<int:area_id>")
def service_area_row(area_id: int) -> Any:
    """One service area's row (htmx); without htmx, the list at the row."""
    area = get_scoped_or_404(ServiceArea, area_id)
    return row_or_list(_at_row(area), lambda: _service_area_row_html(area, focus_edit=True))


@bp.route("/virksomhetsomrader/<int:area_id>/endre", methods=["GET", "POST"])
@role_required(Role.EDITOR)
def service_area_edit(area_id: int) -> Any:
    """Rename a service area: inline with htmx, or on a page of its own."""
    area = get_scoped_or_404(ServiceArea, area_id)
    form = ServiceAreaForm(data={"name": area.name}, prefix=f"service-area-{area.id}")
    return save_or_show(
        form,
        lambda: rename_service_area(area, form.name.data or ""),
        lambda: done(
            _("Virksomhetsområdet heter nå «%(name)s».", name=area.name),
            _at_row(area),
            _service_area_row_html(area, focus_edit=True),
        ),
        ("catalog/_service_area_edit_row.html", "catalog/service_area_edit.html"),
        {"s": area},
    )


@bp.route("/virksomhetsomrader/<int:area_id>/slett", methods=["GET", "POST"])
@role_required(Role.EDITOR)
def service_area_delete(area_id: int) -> Any:
    """Delete a service area; when posts or audiences use it, confirm first (with counts)."""
    area = get_scoped_or_404(ServiceArea, area_id)
    posts, groups = reads.service_area_counts(area.organisation_id).get(area.id, (0, 0))
    name = area.name
    if posts or groups:
        lines = [
            _(
                "«%(name)s» brukes av %(posts)s innlegg og %(groups)s målgrupper.",
                name=name,
                posts=posts,
                groups=groups,
            ),
            _(
                "Sletter du virksomhetsområdet, blir innleggene og målgruppene stående uten "
                "virksomhetsområde."
            ),
        ]
    else:
        lines = [_("«%(name)s» brukes ikke av noen innlegg eller målgrupper.", name=name)]
    page = DeletePage(
        heading=_("Slette virksomhetsområdet «%(name)s»?", name=name),
        lines=lines,
        button=_("Ja, slett virksomhetsområdet"),
        deleted=_("Virksomhetsområdet «%(name)s» er slettet.", name=name),
        action=url_for(".service_area_delete", area_id=area.id),
        list_url=url_for(".service_areas"),
        cancel=_at_row(area),
    )
    return delete_or_confirm(bool(posts or groups), lambda: delete_service_area(area), page)
