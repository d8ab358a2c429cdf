"""Reading the catalog: audiences (målgrupper), channels (kanaler) and service areas
(virksomhetsområder) in the order the pages show them, and how many posts use each."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from planner.extensions import db
from planner.models import Audience, Channel, Post, ServiceArea, post_audience, post_channel


def audiences(org_id: int) -> list[Audience]:
    """The organisation's audiences in priority order (1 first)."""
    return list(
        db.session.execute(
            select(Audience)
            .where(Audience.organisation_id == org_id)
            .order_by(Audience.priority, Audience.name, Audience.id)
        ).scalars()
    )


def channels(org_id: int) -> list[Channel]:
    """The organisation's channels by name."""
    return list(
        db.session.execute(
            select(Channel).where(Channel.organisation_id == org_id).order_by(Channel.name)
        ).scalars()
    )


def service_areas(org_id: int) -> list[ServiceArea]:
    """The organisation's service areas by name."""
    return list(
        db.session.execute(
            select(ServiceArea)
            .where(ServiceArea.organisation_id == org_id)
            .order_by(ServiceArea.name)
        ).scalars()
    )


def _live_post_counts(link_column: Any, post_column: Any, org_id: int) -> dict[int, int]:
    rows = db.session.execute(
        select(link_column, func.count())
        .join(Post, Post.id == post_column)
        .where(Post.organisation_id == org_id, Post.deleted_at.is_(None))
        .group_by(link_column)
    )
    return {row[0]: row[1] for row in rows}


def channel_post_counts(org_id: int) -> dict[int, int]:
    """``{channel_id: number of posts (not in the bin) on the channel}``."""
    return _live_post_counts(post_channel.c.channel_id, post_channel.c.post_id, org_id)


def audience_post_counts(org_id: int) -> dict[int, int]:
    """``{audience_id: number of posts (not in the bin) for the audience}``."""
    return _live_post_counts(post_audience.c.audience_id, post_audience.c.post_id, org_id)


def service_area_counts(org_id: int) -> dict[int, tuple[int, int]]:
    """``{service_area_id: (posts not in the bin, audiences)}``."""
    post_rows = db.session.execute(
        select(Post.service_area_id, func.count())
        .where(Post.organisation_id == org_id, Post.deleted_at.is_(None))
        .group_by(Post.service_area_id)
    ).all()
    audience_rows = db.session.execute(
        select(Audience.service_area_id, func.count())
        .where(Audience.organisation_id == org_id)
        .group_by(Audience.service_area_id)
    ).all()
    posts = {area_id: n for area_id, n in post_rows if area_id is not None}
    groups = {area_id: n for area_id, n in audience_rows if area_id is not None}
    return {aid: (posts.get(aid, 0), groups.get(aid, 0)) for aid in {*posts, *groups}}
