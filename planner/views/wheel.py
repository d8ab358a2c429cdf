"""The årshjul (wheel of the year): the wheel page, its list equivalent and the SVG file.

Every page shares the URL arguments: the plan filter (``kanal``, ``malgruppe``, ``omrade``,
``status``, ``type``, ``q``), the ring type (``ring=kanal|malgruppe|omrade``), the rings
and their order (``vis=3,1,7``) and the zoom (``zoom=k1``–``k4`` or ``m1``–``m12``). With
``HX-Request`` the page answers with its fragment (the wheel area), otherwise a full page.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from planner.domain.dates import now_oslo
from planner.domain.filters import PlanFilter
from planner.domain.wheel.layout import parse_zoom
from planner.extensions import htmx
from planner.models import Role
from planner.services.scope import current_org_id
from planner.services.version_cache import data_version
from planner.services.wheel.data import paused_gc
from planner.services.wheel.listing import wheel_list_context
from planner.services.wheel.render import (
    WheelQuery,
    parse_vis,
    render_wheel_svg,
    ring_type,
    wheel_context,
)
from planner.views.nav import current_working_year

bp = Blueprint("wheel", __name__)


def _check_year(year: int) -> None:
    """Years outside 2000–2100 are not pages (404)."""
    if not 2000 <= year <= 2100:
        abort(404)


def _query(year: int) -> WheelQuery:
    """The wheel's arguments from the URL (malformed values are ignored, never an error)."""
    _check_year(year)
    return WheelQuery(
        year,
        PlanFilter.from_args(request.args),
        ring_type(request.args.get("ring")),
        parse_zoom(request.args.get("zoom")),
        tuple(parse_vis(request.args.getlist("vis"))),
    )


def _today() -> date:
    """Today in Oslo."""
    return now_oslo().date()


@bp.get("/arshjul")
def wheel_index() -> Any:
    """The wheel of the year being worked on (the arguments are kept)."""
    args: dict[str, Any] = request.args.to_dict(flat=False)
    return redirect(url_for("wheel.wheel_year", year=current_working_year(), **args))


@bp.get("/arshjul/<int:year>")
@paused_gc
def wheel_year(year: int) -> Any:
    """The wheel of a year (or a quarter/month of it) with filter, ring chooser and legend.

    htmx requests (filtering, zooming, the ``planChanged`` refresh) get the wheel area only.
    """
    query = _query(year)
    context = wheel_context(current_org_id(), query, _today())
    context["can_add_post"] = (
        current_user.has_role(Role.EDITOR) and "plan.post_new" in current_app.view_functions
    )
    template = "wheel/_wheel.html" if htmx else "wheel/page.html"
    return render_template(template, **context), 200, {"Vary": "HX-Request"}


@bp.get("/arshjul/<int:year>/liste")
@paused_gc
def wheel_list(year: int) -> Any:
    """The wheel as a list, month by month and week by week: the same posts, rings, peak
    periods and holidays, for screen readers and anyone who prefers text."""
    query = _query(year)
    context = wheel_list_context(
        current_org_id(),
        query,
        week=request.args.get("uke", ""),
        only_ring=request.args.get("kun", ""),
        today=_today(),
    )
    return render_template("wheel/list.html", **context), 200, {"Vary": "HX-Request"}


@bp.get("/arshjul/<int:year>.svg")
@paused_gc
def wheel_svg(year: int) -> Any:
    """The wheel as a standalone SVG file with its legend (prints and imports anywhere).

    Cached by the browser until the plan changes (ETag on the organisation's data version,
    the arguments and today's date, which moves the "today" line).
    """
    query = _query(year)
    org_id = current_org_id()
    version = data_version(org_id)
    today = _today()
    tag = hashlib.sha256(
        f"{org_id}:{version}:{today}:{request.query_string.decode()}".encode()
    ).hexdigest()[:32]
    response = current_app.response_class(mimetype="image/svg+xml")
    response.set_etag(tag)
    response.headers["Content-Disposition"] = f'inline; filename="arshjul-{year}.svg"'
    response.headers["Cache-Control"] = "private, no-cache"
    if request.if_none_match.contains(tag):
        response.status_code = 304
        return response
    response.set_data(render_wheel_svg(org_id, query, today))
    return response
