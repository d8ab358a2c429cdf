"""The organisation's history page (historikk) with filters, and its export for archiving."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, render_template, request

from planner.services.accounts import organisation_users
from planner.services.history import (
    ACTION_LABELS,
    ENTITY_LABELS,
    FIELD_LABELS,
    PAGE_SIZE,
    HistoryFilter,
    export_csv,
    export_json,
    history_page,
)
from planner.services.scope import current_org_id

bp = Blueprint("history", __name__)


def _date_arg(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def _filter() -> HistoryFilter:
    entity = request.args.get("type", "")
    return HistoryFilter(
        entity=entity if entity in ENTITY_LABELS else "",
        entity_id=request.args.get("id", type=int),
        user_id=request.args.get("bruker", type=int),
        start=_date_arg("fra"),
        end=_date_arg("til"),
    )


@bp.get("/historikk")
def index() -> Any:
    """Every change to the plan, newest first, filterable by type, person and dates."""
    org_id = current_org_id()
    f = _filter()
    page = max(request.args.get("side", 1, type=int), 1)
    entries, total = history_page(org_id, f, page)
    args = {k: v for k, v in request.args.items() if k != "side"}
    return render_template(
        "history/index.html",
        entries=entries,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        f=f,
        users=organisation_users(org_id),
        args=args,
        ACTION_LABELS=ACTION_LABELS,
        ENTITY_LABELS=ENTITY_LABELS,
        FIELD_LABELS=FIELD_LABELS,
    )


@bp.get("/historikk.csv")
def export_history_csv() -> Response:
    """The filtered history as CSV, for archiving."""
    return Response(
        export_csv(current_org_id(), _filter()),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="historikk.csv"'},
    )


@bp.get("/historikk.json")
def export_history_json() -> Response:
    """The filtered history as JSON, for archiving."""
    return Response(
        export_json(current_org_id(), _filter()),
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="historikk.json"'},
    )
