"""Changing the catalog's audiences (målgrupper) and channels (kanaler): validation
and commits. Reads, texts, service areas and the reach matrix are in the modules beside
this one.

Every mutation validates, changes and commits in one go and raises ``CatalogError`` (a
Norwegian message tied to a form field) without changing anything when the input is
wrong. Audiences and channels are written by the catalog's one writer
(``planner.services.catalog.writer``), which holds the checks. Names are unique per organisation, compared without regard to case.

Removing a channel or audience from posts goes through the ORM (not only the database's
cascade), so the posts' version and ``updated_at`` move and an open edit form of such a
post gets a conflict instead of silently putting the deleted row back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from sqlalchemy import func, select

from planner.domain.catalog.values import AudienceData, ChannelData
from planner.extensions import db
from planner.models import (
    Audience,
    Channel,
    Post,
    post_audience,
    post_channel,
    utcnow,
)
from planner.services.catalog.names import commit_named
from planner.services.catalog.reads import audiences
from planner.services.catalog.writer import (
    audience_data_of,
    write_audience,
    write_channel,
)


def _posts_linked(link_table: Any, column: Any, object_id: int) -> list[Post]:
    """All posts (also those in the bin) linked to a channel or audience."""
    return list(
        db.session.execute(
            select(Post)
            .join(link_table, link_table.c.post_id == Post.id)
            .where(column == object_id)
        ).scalars()
    )


# --------------------------------------------------------------------------- audiences


def create_audience(
    org_id: int, name: str, description: str = "", service_area_id: int | None = None
) -> Audience:
    """Add an audience at the lowest priority (last) and commit."""
    lowest = db.session.execute(
        select(func.max(Audience.priority)).where(Audience.organisation_id == org_id)
    ).scalar()
    data = AudienceData(name, description, (lowest or 0) + 1, service_area_id)
    audience = write_audience(org_id, data)
    commit_named(Audience, audience.name)
    return audience


def update_audience(
    audience: Audience, name: str, description: str = "", service_area_id: int | None = None
) -> None:
    """Change an audience's name, description and service area, and commit."""
    data = replace(
        audience_data_of(audience),
        name=name,
        description=description,
        service_area_id=service_area_id,
    )
    write_audience(audience.organisation_id, data, audience)
    commit_named(Audience, audience.name)


def _renumber(ordered: list[Audience]) -> None:
    for position, audience in enumerate(ordered, start=1):
        if audience.priority != position:
            audience.priority = position


def move_audience(audience: Audience, offset: int) -> int | None:
    """Move the audience ``offset`` places in the priority order (-1 up, +1 down), renumber
    the priorities 1…n and commit. Returns the new position, or None at the top/bottom."""
    ordered = audiences(audience.organisation_id)
    index = ordered.index(audience)
    target = index + offset
    if offset == 0 or not 0 <= target < len(ordered):
        return None
    ordered.insert(target, ordered.pop(index))
    _renumber(ordered)
    db.session.commit()
    return target + 1


def delete_audience(audience: Audience) -> None:
    """Delete an audience: take it off its posts, drop its reach row, renumber, commit."""
    for post in _posts_linked(post_audience, post_audience.c.audience_id, audience.id):
        post.audiences.remove(audience)
        post.updated_at = utcnow()  # a changed collection alone does not move the version
    remaining = [a for a in audiences(audience.organisation_id) if a.id != audience.id]
    db.session.delete(audience)
    db.session.flush()
    _renumber(remaining)
    db.session.commit()


# --------------------------------------------------------------------------- channels


def _channel_data(values: Mapping[str, Any]) -> ChannelData:
    """A channel form's values (name, type, response_hours, colour, profile_text) as a
    :class:`ChannelData`; the writer checks them."""
    return ChannelData(
        name=str(values.get("name") or ""),
        type=str(values.get("type") or ""),
        response_hours=values.get("response_hours"),  # type: ignore[arg-type]
        profile_text=str(values.get("profile_text") or ""),
        colour=str(values.get("colour") or ""),
    )


def create_channel(org_id: int, values: Mapping[str, Any]) -> Channel:
    """Add a channel from ``values`` (name, type, response_hours, colour, profile_text)."""
    channel = write_channel(org_id, _channel_data(values))
    commit_named(Channel, channel.name)
    return channel


def update_channel(channel: Channel, values: Mapping[str, Any]) -> None:
    """Change a channel from ``values`` (as ``create_channel``) and commit."""
    write_channel(channel.organisation_id, _channel_data(values), channel)
    commit_named(Channel, channel.name)


def delete_channel(channel: Channel) -> None:
    """Delete a channel: take it off its posts, drop its reach rows, commit."""
    for post in _posts_linked(post_channel, post_channel.c.channel_id, channel.id):
        post.channels.remove(channel)
        post.updated_at = utcnow()  # a changed collection alone does not move the version
    db.session.delete(channel)
    db.session.commit()
