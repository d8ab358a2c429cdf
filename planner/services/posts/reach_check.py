"""Reach check for a post: loads the organisation's matrix and asks the domain."""

from __future__ import annotations

from collections.abc import Collection

from flask_babel import gettext
from sqlalchemy import select

from planner.domain.catalog.reach import reach_warnings
from planner.extensions import db
from planner.models import Audience, Channel, Reach


def reach_warnings_for(
    org_id: int, channel_ids: Collection[int], audience_ids: Collection[int], link: str
) -> list[str]:
    """Norwegian warnings when the chosen channels do not reach the chosen audiences, or the
    post goes only to social media with no web page (3 small queries)."""
    if not channel_ids and not audience_ids:
        return []
    matrix = {
        (row.channel_id, row.audience_id): row.level
        for row in db.session.execute(
            select(Reach.channel_id, Reach.audience_id, Reach.level).where(
                Reach.organisation_id == org_id,
                Reach.channel_id.in_(list(channel_ids) or [-1]),
                Reach.audience_id.in_(list(audience_ids) or [-1]),
            )
        )
    }
    types = dict(
        db.session.execute(
            select(Channel.id, Channel.type).where(
                Channel.organisation_id == org_id, Channel.id.in_(list(channel_ids) or [-1])
            )
        ).all()
    )
    names = dict(
        db.session.execute(
            select(Audience.id, Audience.name).where(
                Audience.organisation_id == org_id, Audience.id.in_(list(audience_ids) or [-1])
            )
        ).all()
    )
    chosen_channels = [c for c in channel_ids if c in types]  # ignore other organisations' ids
    chosen_audiences = [a for a in audience_ids if a in names]
    return [
        w.message
        for w in reach_warnings(
            chosen_channels,
            chosen_audiences,
            matrix,
            types,
            has_link=bool(link.strip()),
            audience_names=names,
            translate=gettext,
        )
    ]
