"""Session hooks that run for every flush, so no service can forget them:

- change tracking: every flush that touches an organisation's rows bumps its
  ``data_version`` and ``changed_at`` (feed and export caches key on ``data_version``;
  feeds use ``changed_at`` as a Last-Modified that never moves backwards, deletions too);
- history: every create, change and delete of an organisation-scoped row is recorded
  field by field (``HistoryEntry``), attributed to the logged-in user.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import event, insert, inspect, update
from sqlalchemy.orm import ColumnProperty, RelationshipProperty, Session

from planner.models import security  # noqa: F401  (LoginFailure table)
from planner.models.base import utcnow
from planner.models.history import HistoryEntry
from planner.models.org import Organisation, User

# Bookkeeping columns that change on every save and tell a reader nothing.
IGNORED_FIELDS = {
    "id",
    "organisation_id",
    "created_at",
    "updated_at",
    "version",
    "data_version",
    "changed_at",
}
SECRET_FIELDS = {"password_hash", "token"}


def _tracked(obj: Any) -> bool:
    return getattr(obj, "organisation_id", None) is not None and not isinstance(obj, HistoryEntry)


def _touched_orgs(session: Session) -> set[int]:
    orgs: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Organisation) or not _tracked(obj):
            continue
        if obj in session.new or obj in session.deleted or session.is_modified(obj):
            orgs.add(obj.organisation_id)
    return orgs


def _plain(value: Any) -> Any:
    """A JSON-able rendering of a column value or a related row."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, dict | list):
        return value
    return _label(value)


def _label(obj: Any) -> str:
    """How a row is named to people: its title, name or email."""
    for attr in ("title", "name", "email", "label"):
        value = getattr(obj, attr, None)
        if isinstance(value, str) and value:
            return value[:255]
    if hasattr(obj, "staff_member") and getattr(obj, "staff_member", None) is not None:
        return _label(obj.staff_member)
    return f"#{getattr(obj, 'id', '')}"


def _changes(obj: Any, mode: str) -> dict[str, Any]:
    """``{field: [before, after]}`` for the attributes that changed (or all, on create)."""
    state = inspect(obj)
    changes: dict[str, Any] = {}
    for attr in state.mapper.attrs:
        key = attr.key
        if key in IGNORED_FIELDS or key.endswith("_id"):
            continue
        if isinstance(attr, RelationshipProperty) and not attr.uselist:
            continue  # many-to-one: its *_id column is skipped, its label is in the row
        if not isinstance(attr, ColumnProperty | RelationshipProperty):
            continue
        history = state.attrs[key].history
        if mode == "create":
            value = state.attrs[key].value
            if isinstance(attr, RelationshipProperty):
                if attr.secondary is None:
                    continue  # one-to-many children are recorded as rows of their own
                value = sorted(_label(v) for v in value or [])
                if not value:
                    continue
            elif value in (None, "", [], {}):
                continue
            changes[key] = [None, "***" if key in SECRET_FIELDS else _plain(value)]
            continue
        if not history.has_changes():
            continue
        if isinstance(attr, RelationshipProperty):
            if attr.secondary is None:
                continue
            names_before = sorted(_label(v) for v in (*history.unchanged, *history.deleted))
            names_after = sorted(_label(v) for v in (*history.unchanged, *history.added))
            if names_before != names_after:
                changes[key] = [names_before, names_after]
            continue
        before: Any = history.deleted[0] if history.deleted else None
        after: Any = history.added[0] if history.added else None
        if key in SECRET_FIELDS:
            changes[key] = ["***", "***"]
        elif _plain(before) != _plain(after):
            changes[key] = [_plain(before), _plain(after)]
    return changes


def _current_user() -> tuple[int | None, str]:
    if has_request_context() and getattr(current_user, "is_authenticated", False):
        return current_user.id, current_user.email
    return None, "system"


def _touch_on_link_changes(session: Session) -> None:
    """A row whose only change is to its links (a post's channels or audiences, a peak's
    posts) is still changed: give it a new ``updated_at``, so its row is updated and its
    version (posts) rises — feeds bump SEQUENCE/LAST-MODIFIED and the lost-update check
    sees the edit."""
    # Once per transaction: a save that flushes twice (fields, then links) bumps once.
    updated: set[int] = session.info.setdefault("rows_updated", set())
    for obj in session.dirty:
        if not _tracked(obj) or not hasattr(obj, "updated_at"):
            continue
        if session.is_modified(obj, include_collections=False):
            updated.add(id(obj))  # its row is updated anyway
            continue
        if id(obj) in updated:
            continue
        state = inspect(obj)
        if any(
            state.attrs[rel.key].history.has_changes()
            for rel in state.mapper.relationships
            if rel.secondary is not None
        ):
            obj.updated_at = utcnow()
            updated.add(id(obj))


@event.listens_for(Session, "after_transaction_end")
def _forget_updated_rows(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop("rows_updated", None)


@event.listens_for(Session, "before_flush")
def _remember_touched(session: Session, _ctx: Any, _instances: Any) -> None:
    _touch_on_link_changes(session)
    session.info.setdefault("touched_orgs", set()).update(_touched_orgs(session))


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _ctx: Any) -> None:
    orgs = session.info.pop("touched_orgs", set())
    if orgs:
        session.connection().execute(
            update(Organisation)
            .where(Organisation.id.in_(sorted(orgs)))
            .values(data_version=Organisation.data_version + 1, changed_at=utcnow())
            .execution_options(synchronize_session=False)
        )
    rows: list[dict[str, Any]] = []
    user_id: int | None = None
    user_label = ""
    for mode, objects in (
        ("create", session.new),
        ("update", session.dirty),
        ("delete", session.deleted),
    ):
        for obj in objects:
            if not _tracked(obj):
                continue
            if mode == "update" and not session.is_modified(obj):
                continue
            changes = {} if mode == "delete" else _changes(obj, mode)
            if mode == "update" and not changes:
                continue
            if not rows:
                user_id, user_label = _current_user()
            rows.append(
                {
                    "organisation_id": obj.organisation_id,
                    "at": utcnow(),
                    "user_id": user_id if not isinstance(obj, User) or mode != "delete" else None,
                    "user_label": user_label,
                    "action": mode,
                    "entity": obj.__tablename__,
                    "entity_id": getattr(obj, "id", None) or 0,
                    "label": _label(obj),
                    "changes": changes,
                }
            )
    if rows:
        session.connection().execute(insert(HistoryEntry.__table__), rows)
