"""The JSON export: the lossless backup format of CONTRACTS.md.

Everything is ordered deterministically so that export → import → export gives the
same document apart from ``exported_at``. The format's version and how moments and weeks
are written live in ``planner.domain.backup_format`` (shared with the import); the
sections are built in steps: the catalog and the year's plan here, the team and rota in
``staffing``, what the later areas keep in ``extras``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from planner.domain.backup_format import FORMAT_VERSION, format_moment
from planner.extensions import db
from planner.models import (
    Audience,
    Channel,
    Organisation,
    PeakPeriod,
    Post,
    Reach,
    ServiceArea,
    Wheel,
    utcnow,
)
from planner.services.exports.json_export.extras import extras
from planner.services.exports.json_export.staffing import staffing_sections
from planner.services.staffing import peaks_query_for

__all__ = ["export_json"]


def export_json(organisation: Organisation, year: int) -> dict[str, Any]:
    """Export an organisation's plan for ``year`` (its wheels of that year, the peak periods
    and duty weeks touching it, and the organisation-wide catalogs)."""
    org_id = organisation.id
    return {
        "format_version": FORMAT_VERSION,
        "exported_at": utcnow().replace(microsecond=0).isoformat() + "Z",
        "year": year,
        "organisation": {"name": organisation.name, "settings": organisation.settings or {}},
        **_catalog(org_id),
        **_plan(org_id, year),
        **staffing_sections(org_id, year),
        **extras(org_id, year),
    }


def _rows(stmt: Any) -> list[Any]:
    return list(db.session.execute(stmt).scalars())


def _catalog(org_id: int) -> dict[str, Any]:
    """Service areas, audiences (målgrupper), channels (kanaler) and reach, by name."""
    areas = _rows(
        select(ServiceArea).where(ServiceArea.organisation_id == org_id).order_by(ServiceArea.name)
    )
    audiences = _rows(
        select(Audience)
        .where(Audience.organisation_id == org_id)
        .options(selectinload(Audience.service_area))
        .order_by(Audience.priority, Audience.name)
    )
    channels = _rows(
        select(Channel).where(Channel.organisation_id == org_id).order_by(Channel.name)
    )
    reach = _rows(
        select(Reach)
        .where(Reach.organisation_id == org_id)
        .options(selectinload(Reach.channel), selectinload(Reach.audience))
    )
    return {
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
    }


def _plan(org_id: int, year: int) -> dict[str, Any]:
    """The year's wheels and their live posts, and the peak periods touching the year."""
    wheels = _rows(
        select(Wheel)
        .where(Wheel.organisation_id == org_id, Wheel.year == year)
        .order_by(Wheel.name)
    )
    posts = _rows(
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
    peaks = peaks_query_for(org_id, year)
    return {
        "wheels": [{"name": w.name, "year": w.year} for w in wheels],
        "posts": [_post_dict(p) for p in posts],
        "peak_periods": [_peak_dict(p) for p in peaks],
    }


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


def _peak_dict(peak: PeakPeriod) -> dict[str, Any]:
    return {
        "name": peak.name,
        "start": peak.start.isoformat(),
        "end": peak.end.isoformat(),
        "required_staff": peak.required_staff,
        "reason": peak.reason,
        "posts": sorted(post.uid for post in peak.posts),
        "seed_key": peak.seed_key,
    }
