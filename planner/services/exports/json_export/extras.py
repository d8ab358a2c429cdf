"""The later sections of the JSON export: what the areas added after the foundation keep
(holiday periods, calendar feeds, external calendars, dismissed peak proposals, the change
history), so a backup restores a municipality completely."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from planner.domain.backup_format import format_moment
from planner.extensions import db
from planner.models import (
    Audience,
    Channel,
    ExternalCalendar,
    ExternalEvent,
    Feed,
    HolidayPeriod,
    ServiceArea,
)
from planner.models.history import HistoryEntry
from planner.models.staffing import PeakProposalDismissal


def extras(org_id: int, year: int) -> dict[str, Any]:
    """``holiday_periods`` (touching ``year``), ``feeds``, ``external_calendars``,
    ``peak_dismissals`` and ``history``, in a stable order."""
    return {
        "holiday_periods": _holiday_periods(org_id, year),
        "feeds": _feeds(org_id),
        "external_calendars": _external_calendars(org_id),
        "peak_dismissals": _dismissals(org_id),
        "history": _history(org_id),
    }


def _holiday_periods(org_id: int, year: int) -> list[dict[str, Any]]:
    return [
        {"name": h.name, "start": h.start.isoformat(), "end": h.end.isoformat(), "kind": h.kind}
        for h in db.session.execute(
            select(HolidayPeriod)
            .where(
                HolidayPeriod.organisation_id == org_id,
                HolidayPeriod.start <= date(year, 12, 31),
                HolidayPeriod.end >= date(year, 1, 1),
            )
            .order_by(HolidayPeriod.start, HolidayPeriod.name)
        ).scalars()
    ]


def _names_for(model: Any, org_id: int, ids: Any) -> list[str]:
    wanted = [int(i) for i in ids or [] if isinstance(i, int) or str(i).isdigit()]
    if not wanted:
        return []
    return sorted(
        db.session.execute(
            select(model.name).where(model.organisation_id == org_id, model.id.in_(wanted))
        ).scalars()
    )


def feed_filter_by_name(org_id: int, stored: dict[str, Any] | None) -> dict[str, Any]:
    """A feed's stored filter (ids) with names instead of ids, so it survives a restore."""
    stored = stored or {}
    return {
        "channels": _names_for(Channel, org_id, stored.get("channels")),
        "audiences": _names_for(Audience, org_id, stored.get("audiences")),
        "service_areas": _names_for(ServiceArea, org_id, stored.get("service_areas")),
        "statuses": list(stored.get("statuses") or []),
        "kinds": list(stored.get("kinds") or []),
        "q": str(stored.get("q") or ""),
    }


def _feeds(org_id: int) -> list[dict[str, Any]]:
    feeds = db.session.execute(
        select(Feed)
        .where(Feed.organisation_id == org_id)
        .options(selectinload(Feed.staff_member))
        .order_by(Feed.name, Feed.token)
    ).scalars()
    return [
        {
            "name": f.name,
            "token": f.token,
            "kind": f.kind,
            "filter": feed_filter_by_name(org_id, f.filter),
            "staff_member": f.staff_member.name if f.staff_member else None,
            "include_drafts": f.include_drafts,
            "reminder_days": f.reminder_days,
            "public": f.public,
            "revoked_at": f.revoked_at.isoformat() if f.revoked_at else None,
        }
        for f in feeds
    ]


def _external_calendars(org_id: int) -> list[dict[str, Any]]:
    calendars = db.session.execute(
        select(ExternalCalendar)
        .where(ExternalCalendar.organisation_id == org_id)
        .options(selectinload(ExternalCalendar.events))
        .order_by(ExternalCalendar.name)
    ).scalars()
    return [
        {
            "name": c.name,
            "kind": c.kind,
            "events": [
                _event_dict(e) for e in sorted(c.events, key=lambda e: (e.uid, e.recurrence_key))
            ],
        }
        for c in calendars
    ]


def _event_dict(event: ExternalEvent) -> dict[str, Any]:
    return {
        "uid": event.uid,
        "recurrence_key": event.recurrence_key,
        "summary": event.summary,
        "description": event.description,
        "location": event.location,
        "start": format_moment(event.start, event.all_day),
        "end": format_moment(event.end, event.all_day),
        "all_day": event.all_day,
        "rrule": event.rrule,
        "exdates": list(event.exdates or []),
        "cancelled": event.cancelled,
    }


def _dismissals(org_id: int) -> list[dict[str, Any]]:
    return [
        {
            "key": d.key,
            "label": d.label,
            "dismissed_at": d.dismissed_at.isoformat(),
            "dismissed_by": d.dismissed_by,
        }
        for d in db.session.execute(
            select(PeakProposalDismissal)
            .where(PeakProposalDismissal.organisation_id == org_id)
            .order_by(PeakProposalDismissal.key)
        ).scalars()
    ]


def _history(org_id: int) -> list[dict[str, Any]]:
    return [
        {
            "at": h.at.isoformat(),
            "user": h.user_label,
            "action": h.action,
            "entity": h.entity,
            "label": h.label,
            "changes": h.changes,
        }
        for h in db.session.execute(
            select(HistoryEntry)
            .where(HistoryEntry.organisation_id == org_id)
            .order_by(HistoryEntry.at, HistoryEntry.id)
        ).scalars()
    ]
