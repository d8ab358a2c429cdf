"""The reach matrix page (rekkevidde): audiences as rows, channels as columns, a level in
every cell – saved whole (all or nothing, merged three ways) or one cell at a time."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from planner.domain.catalog.reach import best_level
from planner.extensions import htmx
from planner.models import Audience, Channel, Role
from planner.services.catalog import reads
from planner.services.catalog.reach import (
    CELL_NAME,
    MatrixError,
    cell_label,
    cell_name,
    reach_gaps,
    reach_matrix,
    save_reach_matrix,
)
from planner.services.conflicts import parse, snapshot, three_way
from planner.services.scope import current_org_id, get_scoped_or_404
from planner.views.access import role_required
from planner.views.catalog import bp, fragment, require_editor
from planner.views.catalog.forms import REACH_LEVEL_LABELS


def _reach_context(org_id: int, values: dict[str, int] | None = None) -> dict[str, Any]:
    audience_list = reads.audiences(org_id)
    channel_list = reads.channels(org_id)
    matrix = reach_matrix(org_id)
    current = {cell_name(aid, cid): level for (cid, aid), level in matrix.items()}
    return {
        "audiences": audience_list,
        "channels": channel_list,
        "original": snapshot(current),
        "values": {**current, **(values or {})},
        "best_levels": {a.id: best_level(a.id, matrix) for a in audience_list},
        "gaps": reach_gaps(audience_list, matrix),
        "positions": {a.id: pos for pos, a in enumerate(audience_list, start=1)},
    }


def _posted_levels() -> dict[str, int]:
    """The valid levels of a refused matrix post, so the page shows what was chosen."""
    return {
        name: int(value)
        for name, value in request.form.items()
        if CELL_NAME.match(name) and value in ("0", "1", "2", "3")
    }


def _reach_merge(org_id: int) -> tuple[dict[str, str] | None, list[str]]:
    """Three-way merge of a whole-matrix save (no lost updates): the cells this user
    changed since the form was opened, and what others changed in those same cells.
    ``None`` cells means the form carried no original state (save everything posted)."""
    original = parse(request.form.get("original"))
    invalid = any(
        CELL_NAME.match(name) and value not in ("0", "1", "2", "3")
        for name, value in request.form.items()
    )
    if original is None or invalid:
        return None, []  # validate everything posted (a bad cell refuses the whole save)
    current = {cell_name(aid, cid): level for (cid, aid), level in reach_matrix(org_id).items()}
    mine, clashes = three_way(original, current, _posted_levels(), default=0)
    names = {
        cell_name(a.id, c.id): cell_label(c, a)
        for a in reads.audiences(org_id)
        for c in reads.channels(org_id)
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
        require_editor()
        cells, conflict = _reach_merge(org_id)
        if conflict:
            context = _reach_context(org_id, _posted_levels())
            return render_template(
                "catalog/reach.html", errors={}, conflict=conflict, **context
            ), 409
        try:
            changed = save_reach_matrix(org_id, request.form if cells is None else cells)
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
    name = cell_name(audience.id, channel.id)
    value = request.form.get(name, "")
    error = None
    try:
        save_reach_matrix(audience.organisation_id, {name: value})
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
        label=cell_label(channel, audience),
        level=REACH_LEVEL_LABELS[level or 0],
    )
    return fragment(html, message, 422 if error else 200)
