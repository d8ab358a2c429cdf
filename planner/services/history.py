"""Reading the history (historikk): filters, Norwegian labels, and export for archiving."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select

from planner.extensions import db
from planner.models.history import HistoryEntry

ACTION_LABELS = {"create": _l("opprettet"), "update": _l("endret"), "delete": _l("slettet")}
ENTITY_LABELS = {
    "post": _l("Innlegg"),
    "audience": _l("Målgruppe"),
    "channel": _l("Kanal"),
    "reach": _l("Rekkevidde"),
    "service_area": _l("Virksomhetsområde"),
    "wheel": _l("Årshjul"),
    "peak_period": _l("Toppbelastning"),
    "holiday_period": _l("Ferie"),
    "staff_member": _l("Medarbeider"),
    "absence": _l("Fravær"),
    "duty_assignment": _l("Vakt"),
    "feed": _l("Kalenderfeed"),
    "user_account": _l("Bruker"),
    "post_exception": _l("Forekomst"),
}
FIELD_LABELS = {
    "title": _l("Tittel"),
    "description": _l("Beskrivelse"),
    "start": _l("Start"),
    "end": _l("Slutt"),
    "all_day": _l("Hele dagen"),
    "rrule": _l("Gjentakelse"),
    "status": _l("Status"),
    "kind": _l("Type"),
    "channels": _l("Kanaler"),
    "audiences": _l("Målgrupper"),
    "responsible": _l("Ansvarlig"),
    "link": _l("Lenke"),
    "archive_worthy": _l("Arkivverdig"),
    "notes": _l("Notater"),
    "deleted_at": _l("I papirkurven"),
    "name": _l("Navn"),
    "priority": _l("Prioritet"),
    "type": _l("Kanaltype"),
    "response_hours": _l("Svartid (timer)"),
    "profile_text": _l("Profiltekst"),
    "colour": _l("Farge"),
    "level": _l("Nivå"),
    "role": _l("Rolle"),
    "active": _l("Aktiv"),
    "email": _l("E-post"),
    "required_staff": _l("Bemanningsbehov"),
    "reason": _l("Begrunnelse"),
    "password_hash": _l("Passord"),
}
PAGE_SIZE = 50


@dataclass(frozen=True)
class HistoryFilter:
    """What to show: entity type, one object, one user, a date range."""

    entity: str = ""
    entity_id: int | None = None
    user_id: int | None = None
    start: date | None = None
    end: date | None = None


def _statement(org_id: int, f: HistoryFilter) -> Select[Any]:
    stmt = select(HistoryEntry).where(HistoryEntry.organisation_id == org_id)
    if f.entity:
        stmt = stmt.where(HistoryEntry.entity == f.entity)
    if f.entity_id is not None:
        stmt = stmt.where(HistoryEntry.entity_id == f.entity_id)
    if f.user_id is not None:
        stmt = stmt.where(HistoryEntry.user_id == f.user_id)
    if f.start:
        stmt = stmt.where(HistoryEntry.at >= datetime.combine(f.start, time()))
    if f.end:
        stmt = stmt.where(HistoryEntry.at < datetime.combine(f.end + timedelta(days=1), time()))
    return stmt


def history_page(org_id: int, f: HistoryFilter, page: int = 1) -> tuple[list[HistoryEntry], int]:
    """One page of entries, newest first, and the total count."""
    stmt = _statement(org_id, f)
    total = db.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    rows = db.session.execute(
        stmt.order_by(HistoryEntry.at.desc(), HistoryEntry.id.desc())
        .limit(PAGE_SIZE)
        .offset((max(page, 1) - 1) * PAGE_SIZE)
    ).scalars()
    return list(rows), total


def _all(org_id: int, f: HistoryFilter) -> list[HistoryEntry]:
    stmt = _statement(org_id, f).order_by(HistoryEntry.at, HistoryEntry.id)
    return list(db.session.execute(stmt).scalars())


def export_json(org_id: int, f: HistoryFilter) -> bytes:
    """The history as JSON (for archiving): one object per change."""
    rows = [
        {
            "at": e.at.isoformat() + "Z",
            "user": e.user_label,
            "action": e.action,
            "entity": e.entity,
            "entity_id": e.entity_id,
            "label": e.label,
            "changes": e.changes,
        }
        for e in _all(org_id, f)
    ]
    return json.dumps(rows, ensure_ascii=False, indent=2).encode("utf-8")


def export_csv(org_id: int, f: HistoryFilter) -> bytes:
    """The history as CSV (semicolon-separated, UTF-8 with BOM so Excel reads æøå)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        ["Tidspunkt (UTC)", "Bruker", "Handling", "Type", "Id", "Navn", "Felt", "Før", "Etter"]
    )
    for e in _all(org_id, f):
        base = [
            e.at.isoformat(timespec="seconds"),
            e.user_label,
            str(ACTION_LABELS.get(e.action, e.action)),
            str(ENTITY_LABELS.get(e.entity, e.entity)),
            e.entity_id,
            e.label,
        ]
        if not e.changes:
            writer.writerow([*base, "", "", ""])
        for key, (before, after) in sorted(e.changes.items()):
            writer.writerow([*base, str(FIELD_LABELS.get(key, key)), _cell(before), _cell(after)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _cell(value: Any) -> str:
    text = (
        ", ".join(map(str, value))
        if isinstance(value, list)
        else ("" if value is None else str(value))
    )
    # Never let a spreadsheet run a cell as a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
