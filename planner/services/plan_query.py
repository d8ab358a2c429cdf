"""Read queries for the plan views: the posts of a year and their occurrences."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import selectinload

from ..domain.filters import PlanFilter
from ..domain.occurrences import ExceptionValues, Occurrence, occurrences
from ..extensions import db
from ..models import Post, Wheel, post_audience, post_channel


@dataclass(frozen=True)
class PlannedItem:
    """An occurrence together with the post it belongs to (for listing)."""

    post: Post
    occurrence: Occurrence


def wheels_for_year(org_id: int, year: int) -> list[Wheel]:
    """The organisation's wheels of a year, by name."""
    return list(
        db.session.execute(
            select(Wheel)
            .where(Wheel.organisation_id == org_id, Wheel.year == year)
            .order_by(Wheel.name)
        ).scalars()
    )


def plan_years(org_id: int) -> list[int]:
    """The years the organisation has wheels for."""
    return list(
        db.session.execute(
            select(Wheel.year)
            .where(Wheel.organisation_id == org_id)
            .distinct()
            .order_by(Wheel.year)
        ).scalars()
    )


def apply_filter(stmt: Select[Any], plan_filter: PlanFilter | None) -> Select[Any]:
    """Narrow a ``select(Post)`` by the shared plan filter (in SQL, one statement)."""
    if plan_filter is None or plan_filter.is_empty:
        return stmt
    if plan_filter.channels:
        stmt = stmt.where(
            exists().where(
                post_channel.c.post_id == Post.id,
                post_channel.c.channel_id.in_(plan_filter.channels),
            )
        )
    if plan_filter.audiences:
        stmt = stmt.where(
            exists().where(
                post_audience.c.post_id == Post.id,
                post_audience.c.audience_id.in_(plan_filter.audiences),
            )
        )
    if plan_filter.service_areas:
        stmt = stmt.where(Post.service_area_id.in_(plan_filter.service_areas))
    if plan_filter.statuses:
        stmt = stmt.where(Post.status.in_(plan_filter.statuses))
    if plan_filter.kinds:
        stmt = stmt.where(Post.kind.in_(plan_filter.kinds))
    if plan_filter.q:
        pattern = (
            "%"
            + plan_filter.q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            + "%"
        )
        stmt = stmt.where(
            or_(
                func.lower(Post.title).like(pattern, escape="\\"),
                func.lower(Post.description).like(pattern, escape="\\"),
            )
        )
    return stmt


def items_for_year(
    org_id: int,
    year: int,
    wheel_id: int | None = None,
    plan_filter: PlanFilter | None = None,
) -> list[PlannedItem]:
    """Every occurrence in ``year`` of the organisation's posts in that year's wheels.

    A constant number of queries whatever the size of the plan (relations are loaded
    with ``selectinload``).
    """
    window_start = datetime.combine(date(year, 1, 1), time())
    window_end = datetime.combine(date(year, 12, 31), time(23, 59, 59))
    stmt = (
        select(Post)
        .join(Wheel, Post.wheel_id == Wheel.id)
        .where(
            Post.organisation_id == org_id,
            Post.deleted_at.is_(None),
            Wheel.year == year,
            Post.start <= window_end,
            or_(Post.end >= window_start, Post.rrule.is_not(None)),
        )
        .options(
            selectinload(Post.channels),
            selectinload(Post.audiences),
            selectinload(Post.service_area),
            selectinload(Post.exceptions),
        )
        .order_by(Post.start, Post.title)
    )
    if wheel_id is not None:
        stmt = stmt.where(Post.wheel_id == wheel_id)
    stmt = apply_filter(stmt, plan_filter)
    items: list[PlannedItem] = []
    for post in db.session.execute(stmt).scalars():
        exceptions = [
            ExceptionValues(e.recurrence_id, e.cancelled, e.start, e.end) for e in post.exceptions
        ]
        for occ in occurrences(
            post.start, post.end, post.rrule, exceptions, window_start, window_end
        ):
            items.append(PlannedItem(post, occ))
    items.sort(key=lambda i: (i.occurrence.start, i.post.title))
    return items
