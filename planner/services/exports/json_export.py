"""The JSON export: the lossless backup format of CONTRACTS.md.

Everything is ordered deterministically so that export → import → export gives the
same document apart from ``exported_at``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from planner.domain.dates import OSLO
from planner.extensions import db
from planner.models import (
    Audience,
    Channel,
    DutyAssignment,
    Organisation,
    PeakPeriod,
    Post,
    Reach,
    ServiceArea,
    StaffMember,
    Wheel,
    utcnow,
)

FORMAT_VERSION = 1


def format_moment(value: datetime, all_day: bool) -> str:
    """ISO 8601: a date for all-day values, else a date-time with the Oslo offset."""
    if all_day:
        return value.date().isoformat()
    return value.replace(tzinfo=OSLO).isoformat()


def iso_week_text(day: date) -> str:
    """``2026-W09`` for the ISO week containing ``day``."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _post_dict(post: Post) -> dict[str, Any]:
    return {
        "uid": post.uid,
        "wheel": post.wheel.name,
        "title": post.title,
        "description": post.description,
        "start": format_moment(post.start, post.all_day),
        "end": format_moment(post.end, post.all_day),
        "all_day": post.all_day,
        "status": post.status,
        "kind": post.kind,
        "channels": [c.name for c in post.channels],
        "audiences": [a.name for a in post.audiences],
        "service_area": post.service_area.name if post.service_area else None,
        "rrule": post.rrule,
        "exceptions": [
            {
                "recurrence_id": format_moment(e.recurrence_id, post.all_day),
                "cancelled": e.cancelled,
                "start": format_moment(e.start, post.all_day) if e.start else None,
                "end": format_moment(e.end, post.all_day) if e.end else None,
            }
            for e in post.exceptions
        ],
        "responsible": post.responsible,
        "link": post.link,
        "archive_worthy": post.archive_worthy,
        "notes": post.notes,
        "seed_key": post.seed_key,
        "version": post.version,
    }


def export_json(organisation: Organisation, year: int) -> dict[str, Any]:
    """Export an organisation's plan for ``year`` (its wheels of that year, the peak periods
    and duty weeks touching it, and the organisation-wide catalogues)."""
    org_id = organisation.id

    def rows(stmt: Any) -> list[Any]:
        return list(db.session.execute(stmt).scalars())

    areas = rows(
        select(ServiceArea).where(ServiceArea.organisation_id == org_id).order_by(ServiceArea.name)
    )
    audiences = rows(
        select(Audience)
        .where(Audience.organisation_id == org_id)
        .options(selectinload(Audience.service_area))
        .order_by(Audience.priority, Audience.name)
    )
    channels = rows(select(Channel).where(Channel.organisation_id == org_id).order_by(Channel.name))
    reach = rows(
        select(Reach)
        .where(Reach.organisation_id == org_id)
        .options(selectinload(Reach.channel), selectinload(Reach.audience))
    )
    wheels = rows(
        select(Wheel)
        .where(Wheel.organisation_id == org_id, Wheel.year == year)
        .order_by(Wheel.name)
    )
    posts = rows(
        select(Post)
        .where(Post.wheel_id.in_([w.id for w in wheels]), Post.deleted_at.is_(None))
        .options(
            selectinload(Post.channels),
            selectinload(Post.audiences),
            selectinload(Post.exceptions),
            selectinload(Post.service_area),
            selectinload(Post.wheel),
        )
        .order_by(Post.start, Post.uid)
    )
    peaks = rows(
        select(PeakPeriod)
        .where(
            PeakPeriod.organisation_id == org_id,
            PeakPeriod.start <= date(year, 12, 31),
            PeakPeriod.end >= date(year, 1, 1),
        )
        .options(selectinload(PeakPeriod.posts))
        .order_by(PeakPeriod.start, PeakPeriod.name)
    )
    staff = rows(
        select(StaffMember)
        .where(StaffMember.organisation_id == org_id)
        .options(selectinload(StaffMember.absences))
        .order_by(StaffMember.name)
    )
    duty = [
        d
        for d in rows(
            select(DutyAssignment)
            .where(DutyAssignment.organisation_id == org_id)
            .options(selectinload(DutyAssignment.staff_member))
            .order_by(DutyAssignment.week_start, DutyAssignment.day, DutyAssignment.role)
        )
        if d.week_start.isocalendar()[0] == year
    ]

    return {
        "format_version": FORMAT_VERSION,
        "exported_at": utcnow().replace(microsecond=0).isoformat() + "Z",
        "year": year,
        "organisation": {"name": organisation.name, "settings": organisation.settings or {}},
        "service_areas": [{"name": a.name} for a in areas],
        "audiences": [
            {
                "name": a.name,
                "description": a.description,
                "service_area": a.service_area.name if a.service_area else None,
                "priority": a.priority,
            }
            for a in audiences
        ],
        "channels": [
            {
                "name": c.name,
                "type": c.type,
                "response_hours": c.response_hours,
                "profile_text": c.profile_text,
                "colour": c.colour,
            }
            for c in channels
        ],
        "reach": sorted(
            (
                {"channel": r.channel.name, "audience": r.audience.name, "level": r.level}
                for r in reach
            ),
            key=lambda r: (r["channel"], r["audience"]),
        ),
        "wheels": [{"name": w.name, "year": w.year} for w in wheels],
        "posts": [_post_dict(p) for p in posts],
        "peak_periods": [
            {
                "name": p.name,
                "start": p.start.isoformat(),
                "end": p.end.isoformat(),
                "required_staff": p.required_staff,
                "reason": p.reason,
                "posts": sorted(post.uid for post in p.posts),
                "seed_key": p.seed_key,
            }
            for p in peaks
        ],
        "staff": [
            {
                "name": s.name,
                "email": s.email,
                "working_days": s.working_day_list,
                "active": s.active,
                "absences": [
                    {"start": a.start.isoformat(), "end": a.end.isoformat(), "reason": a.reason}
                    for a in s.absences
                ],
            }
            for s in staff
        ],
        "duty": [
            {
                "person": d.staff_member.name,
                "week": iso_week_text(d.week_start),
                "day": d.day.isoformat() if d.day else None,
                "role": d.role,
            }
            for d in duty
        ],
        **_extras(org_id, year),
    }


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


def _extras(org_id: int, year: int) -> dict[str, Any]:
    """What the areas added after the foundation keep (holiday periods, calendar feeds,
    external calendars, dismissed peak proposals, the change history), so a backup
    restores a municipality completely. Written only for models that are installed."""
    from planner.models import HolidayPeriod

    extras: dict[str, Any] = {
        "holiday_periods": [
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
    }
    try:
        from planner.models.feeds import ExternalCalendar, Feed
    except ImportError:  # pragma: no cover - the feeds area is not installed
        pass
    else:
        feeds = db.session.execute(
            select(Feed)
            .where(Feed.organisation_id == org_id)
            .options(selectinload(Feed.staff_member))
            .order_by(Feed.name, Feed.token)
        ).scalars()
        extras["feeds"] = [
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
        calendars = db.session.execute(
            select(ExternalCalendar)
            .where(ExternalCalendar.organisation_id == org_id)
            .options(selectinload(ExternalCalendar.events))
            .order_by(ExternalCalendar.name)
        ).scalars()
        extras["external_calendars"] = [
            {
                "name": c.name,
                "kind": c.kind,
                "events": [
                    {
                        "uid": e.uid,
                        "recurrence_key": e.recurrence_key,
                        "summary": e.summary,
                        "description": e.description,
                        "location": e.location,
                        "start": format_moment(e.start, e.all_day),
                        "end": format_moment(e.end, e.all_day),
                        "all_day": e.all_day,
                        "rrule": e.rrule,
                        "exdates": list(e.exdates or []),
                        "cancelled": e.cancelled,
                    }
                    for e in sorted(c.events, key=lambda e: (e.uid, e.recurrence_key))
                ],
            }
            for c in calendars
        ]
    try:
        from planner.models.staffing import PeakProposalDismissal
    except ImportError:  # pragma: no cover - the staffing area has not added it
        pass
    else:
        extras["peak_dismissals"] = [
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
    try:
        from planner.models.history import HistoryEntry
    except ImportError:  # pragma: no cover - the history area is not installed
        pass
    else:
        extras["history"] = [
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
    return extras
