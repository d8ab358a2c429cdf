"""The last step of the JSON import: the change history (historikk) of the backup."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from planner.domain.backup_format import parse_datetime
from planner.extensions import db
from planner.models import Organisation
from planner.models.history import HistoryEntry


def restore_history(data: dict[str, Any], organisation: Organisation, created: bool) -> None:
    """Bring back the change history (historikk) of the backup.

    Into a new organisation the history becomes exactly the backup's (the entries the
    restore itself caused are replaced by it); into an existing one the backup's entries
    that are missing are added, and the record of what the restore changed is kept.
    """
    entries = data.get("history")
    if not isinstance(entries, list):
        return
    db.session.flush()
    org_id = organisation.id
    table = HistoryEntry.__table__
    if created:
        db.session.execute(table.delete().where(table.c.organisation_id == org_id))
        present: set[tuple[Any, ...]] = set()
    else:
        present = {
            (row.at, row.action, row.entity, row.label)
            for row in db.session.execute(
                select(table.c.at, table.c.action, table.c.entity, table.c.label).where(
                    table.c.organisation_id == org_id
                )
            )
        }
    rows = [_row(item, org_id, present) for item in entries]
    if any(rows):
        db.session.execute(table.insert(), [row for row in rows if row])


def _row(item: Any, org_id: int, present: set[tuple[Any, ...]]) -> dict[str, Any] | None:
    """The history row of one entry of the backup (None when unreadable or already there)."""
    if not isinstance(item, dict):
        return None
    try:
        at = parse_datetime(item.get("at"))
    except ValueError:
        return None
    key = (at, str(item.get("action", ""))[:10], str(item.get("entity", ""))[:40])
    label = str(item.get("label", ""))[:255]
    if (*key, label) in present:
        return None
    present.add((*key, label))
    return {
        "organisation_id": org_id,
        "at": at,
        "user_id": None,
        "user_label": str(item.get("user", ""))[:254],
        "action": key[1],
        "entity": key[2],
        "entity_id": 0,
        "label": label,
        "changes": item.get("changes") if isinstance(item.get("changes"), dict) else {},
    }
