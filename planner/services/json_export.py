"""The JSON export: the lossless backup format of CONTRACTS.md.

Everything is ordered deterministically so that export → import → export gives the
same document apart from ``exported_at``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..domain.dates import OSLO
from ..extensions import db
from ..models import (
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
        "organisation": {"name": organisation.name},
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
    }
