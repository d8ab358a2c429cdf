"""Organisation scoping: every query for tenant data goes through these helpers, so no
query can leak rows across organisations."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import abort
from flask_login import current_user
from sqlalchemy import Select, select

from planner.extensions import db

M = TypeVar("M")


def current_org_id() -> int:
    """The organisation of the logged-in user (views only; login is enforced before)."""
    org_id = getattr(current_user, "organisation_id", None)
    if org_id is None:
        abort(404)
    return int(org_id)


def scoped(model: type[M], org_id: int | None = None) -> Select[Any]:
    """``select(model)`` limited to one organisation (the current user's by default)."""
    oid = current_org_id() if org_id is None else org_id
    return select(model).where(model.organisation_id == oid)  # type: ignore[attr-defined]


def get_scoped_or_404(model: type[M], object_id: Any, org_id: int | None = None) -> M:
    """Fetch one row of the organisation by primary key; 404 (never 403) if it belongs to
    another organisation or does not exist, so ids reveal nothing."""
    obj = db.session.get(model, object_id)
    oid = current_org_id() if org_id is None else org_id
    if obj is None or obj.organisation_id != oid:  # type: ignore[attr-defined]
        abort(404)
    return obj
