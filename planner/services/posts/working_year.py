"""The year being worked on (arbeidsåret) for an organisation: the pure rule in
``domain/posts/working_year.py`` over the years that have a plan (a wheel with live posts)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from planner.domain.dates import now_oslo
from planner.domain.posts import working_year as rule
from planner.extensions import db
from planner.models import Post, Wheel


def years_with_posts(org_id: int) -> list[int]:
    """The years the organisation has a wheel with at least one live post in."""
    return list(
        db.session.execute(
            select(Wheel.year)
            .join(Post, Post.wheel_id == Wheel.id)
            .where(Wheel.organisation_id == org_id, Post.deleted_at.is_(None))
            .distinct()
            .order_by(Wheel.year)
        ).scalars()
    )


def working_year(org_id: int, last_viewed: int | None = None, today: date | None = None) -> int:
    """The year the menu opens for the organisation: ``last_viewed`` (the year the user last
    looked at) when given, else the nearest year with a plan (see the domain rule)."""
    if rule.is_plan_year(last_viewed):
        return last_viewed  # type: ignore[return-value]
    return rule.working_year(today or now_oslo().date(), years_with_posts(org_id))
