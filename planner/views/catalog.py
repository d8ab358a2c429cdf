"""The catalogue pages: audiences (målgrupper), channels (kanaler), the reach matrix
(rekkevidde) and service areas (virksomhetsområder), each on its own page.

Everyone reads; editors change. Every form is a plain POST that works without
JavaScript (full page, 302 after success, 422 with field errors). With htmx, rows are
edited inline, audiences are moved and reach cells saved in place: a successful htmx
POST answers with the new fragment, an ``HX-Trigger: catalogChanged`` event and an
out-of-band status message instead of a redirect; invalid input answers 422 with the
form fragment (``static/js/htmx-config.js`` lets htmx swap it).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_htmx import make_response as htmx_response
from flask_login import current_user
from wtforms import Field

from planner.catalog_forms import (
    CHANNEL_TYPE_LABELS,
    NO_SERVICE_AREA,
    REACH_LEVEL_LABELS,
    AudienceForm,
    ChannelForm,
    ServiceAreaForm,
)
from planner.domain.catalog.reach import best_level
from planner.extensions import htmx
from planner.models import Audience, Channel, Role, ServiceArea
from planner.services.catalog import catalog
from planner.services.catalog.catalog import CatalogError, MatrixError
from planner.services.conflicts import parse, snapshot, three_way
from planner.services.scope import current_org_id, get_scoped_or_404
from planner.views.access import role_required

bp = Blueprint("catalog", __name__)


@bp.context_processor
def _helpers() -> dict[str, Any]:
    return {
        "channel_type_labels": CHANNEL_TYPE_LABELS,
        "level_labels": REACH_LEVEL_LABELS,
        "response_time_label": catalog.response_time_label,
        "effective_profile_text": catalog.effective_profile_text,
        "cell_name": catalog.cell_name,
        "cell_label": catalog.cell_label,
        "can_edit": current_user.is_authenticated and current_user.has_role(Role.EDITOR),
    }


# --------------------------------------------------------------------------- helpers


def _require_editor() -> None:
    if not current_user.has_role(Role.EDITOR):
        abort(403)


def _field_error(form: Any, exc: CatalogError) -> None:
    field = getattr(form, exc.field, None) or form.name
    field.errors = [*field.errors, exc.message]


def _autofocus(form: Any) -> None:
    """Focus the first invalid field (or the first field) when htmx swaps the form in."""
    fields: list[Field] = [f for f in form if f.type not in ("CSRFTokenField", "HiddenField")]
    target = next((f for f in fields if f.errors), fields[0])
    target.render_kw = {**(target.render_kw or {}), "autofocus": True}


def _fragment(html: str, message: str | None = None, status: int = 200) -> Any:
    """An htmx answer: the fragment, an out-of-band status message, the change event."""
    if message:
        category = "success" if status < 400 else "error"
        html += render_template("catalog/_message.html", message=message, category=category)
    trigger = {"catalogChanged": {"page": request.endpoint}} if status < 400 else None
    return htmx_response(html, status, trigger=trigger)


def _done(message: str, target: str, fragment: str | None = None) -> Any:
    """After a successful change: the fragment for htmx, else flash and redirect."""
    if htmx and fragment is not None:
        return _fragment(fragment, message)
    flash(message, "success")
    return redirect(target)


def _row_or_list(list_url: str) -> Any:
    """A row fragment has no page of its own: without htmx, go to the row in the list."""
    return redirect(list_url)


# --------------------------------------------------------------------------- audiences


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
    form.set_service_areas([(s.id, s.name) for s in catalog.service_areas(org_id)])
    return form


def _audience_rows(org_id: int) -> list[tuple[Audience, int, int]]:
    counts = catalog.audience_post_counts(org_id)
    return [
        (a, pos, counts.get(a.id, 0)) for pos, a in enumerate(catalog.audiences(org_id), start=1)
    ]


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


@bp.route("/malgrupper", methods=["GET", "POST"])
def audiences() -> Any:
    """The audiences (målgrupper) in priority order, and a form to add one."""
    org_id = current_org_id()
    form = _audience_form(org_id)
    if request.method == "POST":
        _require_editor()
        if form.validate_on_submit():
            try:
                audience = catalog.create_audience(
                    org_id,
                    form.name.data or "",
                    form.description.data or "",
                    form.service_area.data or None,
                )
            except CatalogError as exc:
                _field_error(form, exc)
            else:
                flash(_("Målgruppen «%(name)s» er lagt til.", name=audience.name), "success")
                return redirect(url_for(".audiences", _anchor=f"audience-{audience.id}"))
    rows = _audience_rows(org_id)
    html = render_template("catalog/audiences.html", form=form, rows=rows, total=len(rows))
    return html, 422 if form.errors else 200


@bp.get("/malgrupper/<int:audience_id>")
def audience_row(audience_id: int) -> Any:
    """One audience's row (htmx, e.g. after "Avbryt"); without htmx, the list at the row."""
    audience = get_scoped_or_404(Audience, audience_id)
    if not htmx:
        return _row_or_list(url_for(".audiences", _anchor=f"audience-{audience.id}"))
    return _audience_row_html(audience, focus_edit=True)


@bp.route("/malgrupper/<int:audience_id>/endre", methods=["GET", "POST"])
@role_required(Role.EDITOR)
def audience_edit(audience_id: int) -> Any:
    """Edit an audience: inline in its row with htmx, or on a page of its own."""
    audience = get_scoped_or_404(Audience, audience_id)
    form = _audience_form(audience.organisation_id, audience)
    if form.validate_on_submit():
        try:
            catalog.update_audience(
                audience,
                form.name.data or "",
                form.description.data or "",
                form.service_area.data or None,
            )
        except CatalogError as exc:
            _field_error(form, exc)
        else:
            return _done(
                _("Målgruppen «%(name)s» er lagret.", name=audience.name),
                url_for(".audiences", _anchor=f"audience-{audience.id}"),
                _audience_row_html(audience, focus_edit=True),
            )
    status = 422 if form.errors else 200
    if htmx:
        _autofocus(form)
        html = render_template("catalog/_audience_edit_row.html", a=audience, form=form)
        return _fragment(html, status=status)
    return render_template("catalog/audience_edit.html", a=audience, form=form), status


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
    return _done(message, url_for(".audiences", _anchor=f"audience-{audience.id}"), table)


@bp.route("/malgrupper/<int:audience_id>/slett", methods=["GET", "POST"])
@role_required(Role.EDITOR)
def audience_delete(audience_id: int) -> Any:
    """Delete an audience; when posts use it, a confirmation page says how many first."""
    audience = get_scoped_or_404(Audience, audience_id)
    used = catalog.audience_post_counts(audience.organisation_id).get(audience.id, 0)
    if request.method == "POST" and (request.form.get("confirm") == "1" or not used):
        name = audience.name
        catalog.delete_audience(audience)
        flash(_("Målgruppen «%(name)s» er slettet.", name=name), "success")
        return redirect(url_for(".audiences"))
    lines = [
        _(
            "Målgruppen «%(name)s» brukes av %(n)s innlegg. Sletter du den, fjernes den fra "
            "innleggene. Innleggene blir stående.",
            name=audience.name,
            n=used,
        )
        if used
        else _("Målgruppen «%(name)s» brukes ikke av noen innlegg.", name=audience.name),
        _("Rekkevidden til målgruppen slettes også. Dette kan ikke angres."),
    ]
    return render_template(
        "catalog/confirm_delete.html",
        heading=_("Slette målgruppen «%(name)s»?", name=audience.name),
        lines=lines,
        action=url_for(".audience_delete", audience_id=audience.id),
        button=_("Ja, slett målgruppen"),
        cancel=url_for(".audiences", _anchor=f"audience-{audience.id}"),
    )


# --------------------------------------------------------------------------- channels


def _channel_form(channel: Channel | None = None) -> ChannelForm:
    data = (
        {
            "name": channel.name,
            "type": channel.type,
            "response_hours": channel.response_hours,
            "colour": channel.colour,
            "profile_text": channel.profile_text,
        }
        if channel
        else None
    )
    return ChannelForm(data=data, prefix=f"channel-{channel.id}" if channel else "")


def _channel_values(form: ChannelForm) -> dict[str, Any]:
    return {
        "name": form.name.data,
        "type": form.type.data,
        "response_hours": form.response_hours.data,
        "colour": form.colour.data,
        "profile_text": form.profile_text.data,
    }


def _suggest(form: ChannelForm) -> str:
    """Fill in the default profile text from the response time entered (nothing is saved)."""
    hours = form.response_hours.data
    if isinstance(hours, int) and hours > 0:
        form.profile_text.data = catalog.default_profile_text(hours)
        form.profile_text.render_kw = {"autofocus": True}
        return _("Standardteksten er fylt inn. Se over den og lagre.")
    return _("Skriv inn en svartid over 0 først. Kanaler uten dialog trenger ingen profiltekst.")


def _channel_row_html(channel: Channel, focus_edit: bool = False) -> str:
    count = catalog.channel_post_counts(channel.organisation_id).get(channel.id, 0)
    return render_template(
        "catalog/_channel_row.html", c=channel, count=count, focus_edit=focus_edit
    )


@bp.route("/kanaler", methods=["GET", "POST"])
def channels() -> Any:
    """The channels (kanaler), social and traditional, and a form to add one."""
    org_id = current_org_id()
    form = _channel_form()
    note = None
    if request.method == "POST":
        _require_editor()
        if request.form.get("suggest"):
            note = _suggest(form)
        elif form.validate_on_submit():
            try:
                channel = catalog.create_channel(org_id, _channel_values(form))
            except CatalogError as exc:
                _field_error(form, exc)
            else:
                flash(_("Kanalen «%(name)s» er lagt til.", name=channel.name), "success")
                return redirect(url_for(".channels", _anchor=f"channel-{channel.id}"))
    counts = catalog.channel_post_counts(org_id)
    rows = [(c, counts.get(c.id, 0)) for c in catalog.channels(org_id)]
    html = render_template("catalog/channels.html", form=form, rows=rows, suggestion_note=note)
    return html, 422 if form.errors else 200


@bp.get("/kanaler/<int:channel_id>")
def channel_row(channel_id: int) -> Any:
    """One channel's row (htmx); without htmx, the list at the row."""
    channel = get_scoped_or_404(Channel, channel_id)
    if not htmx:
        return _row_or_list(url_for(".channels", _anchor=f"channel-{channel.id}"))
    return _channel_row_html(channel, focus_edit=True)


@bp.route("/kanaler/<int:channel_id>/endre", methods=["GET", "POST"])
@role_required(Role.EDITOR)
def channel_edit(channel_id: int) -> Any:
    """Edit a channel: inline in its row with htmx, or on a page of its own."""
    channel = get_scoped_or_404(Channel, channel_id)
    form = _channel_form(channel)
    note = None
    if request.method == "POST" and request.form.get("suggest"):
        note = _suggest(form)
    elif form.validate_on_submit():
        try:
            catalog.update_channel(channel, _channel_values(form))
        except CatalogError as exc:
            _field_error(form, exc)
        else:
            return _done(
                _("Kanalen «%(name)s» er lagret.", name=channel.name),
                url_for(".channels", _anchor=f"channel-{channel.id}"),
                _channel_row_html(channel, focus_edit=True),
            )
    status = 422 if form.errors else 200
    if htmx:
        if note is None:
            _autofocus(form)
        html = render_template(
            "catalog/_channel_edit_row.html", c=channel, form=form, suggestion_note=note
        )
        return _fragment(html, status=status)
    html = render_template("catalog/channel_edit.html", c=channel, form=form, suggestion_note=note)
    return html, status


@bp.route("/kanaler/<int:channel_id>/slett", methods=["GET", "POST"])
@role_required(Role.EDITOR)
def channel_delete(channel_id: int) -> Any:
    """Delete a channel; when posts use it, a confirmation page says how many first."""
    channel = get_scoped_or_404(Channel, channel_id)
    used = catalog.channel_post_counts(channel.organisation_id).get(channel.id, 0)
    if request.method == "POST" and (request.form.get("confirm") == "1" or not used):
        name = channel.name
        catalog.delete_channel(channel)
        flash(_("Kanalen «%(name)s» er slettet.", name=name), "success")
        return redirect(url_for(".channels"))
    lines = [
        _(
            "Kanalen «%(name)s» brukes av %(n)s innlegg. Sletter du den, fjernes den fra "
            "innleggene. Innleggene blir stående.",
            name=channel.name,
            n=used,
        )
        if used
        else _("Kanalen «%(name)s» brukes ikke av noen innlegg.", name=channel.name),
        _("Rekkevidden til kanalen slettes også. Dette kan ikke angres."),
    ]
    return render_template(
        "catalog/confirm_delete.html",
        heading=_("Slette kanalen «%(name)s»?", name=channel.name),
        lines=lines,
        action=url_for(".channel_delete", channel_id=channel.id),
        button=_("Ja, slett kanalen"),
        cancel=url_for(".channels", _anchor=f"channel-{channel.id}"),
    )


# --------------------------------------------------------------------------- reach matrix


def _reach_context(org_id: int, values: dict[str, int] | None = None) -> dict[str, Any]:
    audience_list = catalog.audiences(org_id)
    channel_list = catalog.channels(org_id)
    matrix = catalog.reach_matrix(org_id)
    current = {catalog.cell_name(aid, cid): level for (cid, aid), level in matrix.items()}
    return {
        "audiences": audience_list,
        "channels": channel_list,
        "original": snapshot(current),
        "values": {**current, **(values or {})},
        "best_levels": {a.id: best_level(a.id, matrix) for a in audience_list},
        "gaps": catalog.reach_gaps(audience_list, matrix),
        "positions": {a.id: pos for pos, a in enumerate(audience_list, start=1)},
    }


def _posted_levels() -> dict[str, int]:
    """The valid levels of a refused matrix post, so the page shows what was chosen."""
    return {
        name: int(value)
        for name, value in request.form.items()
        if catalog.CELL_NAME.match(name) and value in ("0", "1", "2", "3")
    }


def _reach_merge(org_id: int) -> tuple[dict[str, str] | None, list[str]]:
    """Three-way merge of a whole-matrix save (no lost updates): the cells this user
    changed since the form was opened, and what others changed in those same cells.
    ``None`` cells means the form carried no original state (save everything posted)."""
    original = parse(request.form.get("original"))
    invalid = any(
        catalog.CELL_NAME.match(name) and value not in ("0", "1", "2", "3")
        for name, value in request.form.items()
    )
    if original is None or invalid:
        return None, []  # validate everything posted (a bad cell refuses the whole save)
    current = {
        catalog.cell_name(aid, cid): level
        for (cid, aid), level in catalog.reach_matrix(org_id).items()
    }
    mine, clashes = three_way(original, current, _posted_levels(), default=0)
    names = {
        catalog.cell_name(a.id, c.id): catalog.cell_label(c, a)
        for a in catalog.audiences(org_id)
        for c in catalog.channels(org_id)
    }
    described = [
        _(
            "%(cell)s: %(before)s → %(after)s",
            cell=names.get(key, key),
            before=REACH_LEVEL_LABELS[original.get(key, 0)],
            after=REACH_LEVEL_LABELS[current.get(key, 0)],
        )
        for key in clashes
    ]
    return {k: str(v) for k, v in mine.items()}, described


@bp.route("/rekkevidde", methods=["GET", "POST"])
def reach() -> Any:
    """The reach matrix: audiences as rows, channels as columns, a level in every cell.
    Saving the whole matrix is one all-or-nothing transaction."""
    org_id = current_org_id()
    errors: dict[str, str] = {}
    conflict: list[str] = []
    if request.method == "POST":
        _require_editor()
        cells, conflict = _reach_merge(org_id)
        if conflict:
            context = _reach_context(org_id, _posted_levels())
            return render_template(
                "catalog/reach.html", errors={}, conflict=conflict, **context
            ), 409
        try:
            changed = catalog.save_reach_matrix(org_id, request.form if cells is None else cells)
        except MatrixError as exc:
            errors = exc.errors
        else:
            flash(
                _("Rekkevidden er lagret (%(n)s endringer).", n=changed)
                if changed
                else _("Rekkevidden er lagret. Ingenting var endret."),
                "success",
            )
            return redirect(url_for(".reach"))
    context = _reach_context(org_id, _posted_levels() if errors else None)
    return render_template("catalog/reach.html", errors=errors, **context), (422 if errors else 200)


@bp.post("/rekkevidde/<int:audience_id>/<int:channel_id>")
@role_required(Role.EDITOR)
def reach_cell(audience_id: int, channel_id: int) -> Any:
    """Save one cell of the matrix (htmx, on change); answers with the audience's status
    cell and the refreshed summary of poorly reached audiences."""
    audience = get_scoped_or_404(Audience, audience_id)
    channel = get_scoped_or_404(Channel, channel_id)
    name = catalog.cell_name(audience.id, channel.id)
    value = request.form.get(name, "")
    error = None
    try:
        catalog.save_reach_matrix(audience.organisation_id, {name: value})
    except MatrixError as exc:
        error = exc.errors.get(name) or next(iter(exc.errors.values()))
    level = int(value) if error is None else None
    if not htmx:
        if error:
            flash(error, "error")
        else:
            flash(_("Rekkevidden er lagret."), "success")
        return redirect(url_for(".reach", _anchor=f"reach-row-{audience.id}"))
    context = _reach_context(audience.organisation_id)
    html = render_template("catalog/_reach_status.html", a=audience, cell_error=error, **context)
    html += render_template("catalog/_reach_summary.html", oob=True, **context)
    message = error or _(
        "Lagret: %(label)s – %(level)s.",
        label=catalog.cell_label(channel, audience),
        level=REACH_LEVEL_LABELS[level or 0],
    )
    return _fragment(html, message, 422 if error else 200)


# --------------------------------------------------------------------------- service areas


def _service_area_row_html(area: ServiceArea, focus_edit: bool = False) -> str:
    posts, groups = catalog.service_area_counts(area.organisation_id).get(area.id, (0, 0))
    return render_template(
        "catalog/_service_area_row.html", s=area, posts=posts, groups=groups, focus_edit=focus_edit
    )


@bp.route("/virksomhetsomrader", methods=["GET", "POST"])
def service_areas() -> Any:
    """The service areas (virksomhetsområder), and a form to add one."""
    org_id = current_org_id()
    form = ServiceAreaForm()
    if request.method == "POST":
        _require_editor()
        if form.validate_on_submit():
            try:
                area = catalog.create_service_area(org_id, form.name.data or "")
            except CatalogError as exc:
                _field_error(form, exc)
            else:
                flash(_("Virksomhetsområdet «%(name)s» er lagt til.", name=area.name), "success")
                return redirect(url_for(".service_areas", _anchor=f"service-area-{area.id}"))
    counts = catalog.service_area_counts(org_id)
    rows = [(s, *counts.get(s.id, (0, 0))) for s in catalog.service_areas(org_id)]
    html = render_template("catalog/service_areas.html", form=form, rows=rows)
    return html, 422 if form.errors else 200


@bp.get("/virksomhetsomrader/<int:area_id>")
def service_area_row(area_id: int) -> Any:
    """One service area's row (htmx); without htmx, the list at the row."""
    area = get_scoped_or_404(ServiceArea, area_id)
    if not htmx:
        return _row_or_list(url_for(".service_areas", _anchor=f"service-area-{area.id}"))
    return _service_area_row_html(area, focus_edit=True)


@bp.route("/virksomhetsomrader/<int:area_id>/endre", methods=["GET", "POST"])
@role_required(Role.EDITOR)
def service_area_edit(area_id: int) -> Any:
    """Rename a service area: inline with htmx, or on a page of its own."""
    area = get_scoped_or_404(ServiceArea, area_id)
    form = ServiceAreaForm(data={"name": area.name}, prefix=f"service-area-{area.id}")
    if form.validate_on_submit():
        try:
            catalog.rename_service_area(area, form.name.data or "")
        except CatalogError as exc:
            _field_error(form, exc)
        else:
            return _done(
                _("Virksomhetsområdet heter nå «%(name)s».", name=area.name),
                url_for(".service_areas", _anchor=f"service-area-{area.id}"),
                _service_area_row_html(area, focus_edit=True),
            )
    status = 422 if form.errors else 200
    if htmx:
        _autofocus(form)
        html = render_template("catalog/_service_area_edit_row.html", s=area, form=form)
        return _fragment(html, status=status)
    return render_template("catalog/service_area_edit.html", s=area, form=form), status


@bp.route("/virksomhetsomrader/<int:area_id>/slett", methods=["GET", "POST"])
@role_required(Role.EDITOR)
def service_area_delete(area_id: int) -> Any:
    """Delete a service area; when posts or audiences use it, confirm first (with counts)."""
    area = get_scoped_or_404(ServiceArea, area_id)
    posts, groups = catalog.service_area_counts(area.organisation_id).get(area.id, (0, 0))
    if request.method == "POST" and (request.form.get("confirm") == "1" or not (posts or groups)):
        name = area.name
        catalog.delete_service_area(area)
        flash(_("Virksomhetsområdet «%(name)s» er slettet.", name=name), "success")
        return redirect(url_for(".service_areas"))
    if posts or groups:
        lines = [
            _(
                "«%(name)s» brukes av %(posts)s innlegg og %(groups)s målgrupper.",
                name=area.name,
                posts=posts,
                groups=groups,
            ),
            _(
                "Sletter du virksomhetsområdet, blir innleggene og målgruppene stående uten "
                "virksomhetsområde."
            ),
        ]
    else:
        lines = [_("«%(name)s» brukes ikke av noen innlegg eller målgrupper.", name=area.name)]
    return render_template(
        "catalog/confirm_delete.html",
        heading=_("Slette virksomhetsområdet «%(name)s»?", name=area.name),
        lines=lines,
        action=url_for(".service_area_delete", area_id=area.id),
        button=_("Ja, slett virksomhetsområdet"),
        cancel=url_for(".service_areas", _anchor=f"service-area-{area.id}"),
    )
