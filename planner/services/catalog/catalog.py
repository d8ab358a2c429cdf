"""Changing the catalogue's audiences (målgrupper) and channels (kanaler): validation
and commits. Reads, texts, service areas and the reach matrix are in the modules beside
this one.

Every mutation validates, changes and commits in one go and raises ``CatalogError`` (a
Norwegian message tied to a form field) without changing anything when the input is
wrong. Names are unique per organisation, compared without regard to case.

Removing a channel or audience from posts goes through the ORM (not only the database's
cascade), so the posts' version and ``updated_at`` move and an open edit form of such a
post gets a conflict instead of silently putting the deleted row back.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from planner.domain.colour import MIN_CONTRAST, normalise_hex_colour
from planner.extensions import db
from planner.models import (
    CHANNEL_TYPES,
    Audience,
    Channel,
    Post,
    ServiceArea,
    post_audience,
    post_channel,
    utcnow,
)
from planner.services.catalog.names import CatalogError, clean_name, commit_named
from planner.services.catalog.reads import audiences
from planner.services.catalog.texts import colour_contrast, format_ratio


def _service_area(org_id: int, service_area_id: int | None) -> ServiceArea | None:
    if not service_area_id:
        return None
    area = db.session.get(ServiceArea, service_area_id)
    if area is None or area.organisation_id != org_id:
        raise CatalogError(_("Velg et virksomhetsområde fra listen."), "service_area")
    return area


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
    clean = clean_name(Audience, org_id, name)
    lowest = db.session.execute(
        select(func.max(Audience.priority)).where(Audience.organisation_id == org_id)
    ).scalar()
    audience = Audience(
        organisation_id=org_id,
        name=clean,
        description=(description or "").strip(),
        priority=(lowest or 0) + 1,
        service_area=_service_area(org_id, service_area_id),
    )
    db.session.add(audience)
    commit_named(Audience, clean)
    return audience


def update_audience(
    audience: Audience, name: str, description: str = "", service_area_id: int | None = None
) -> None:
    """Change an audience's name, description and service area, and commit."""
    org_id = audience.organisation_id
    clean = clean_name(Audience, org_id, name, audience.id)
    area = _service_area(org_id, service_area_id)
    audience.name = clean
    audience.description = (description or "").strip()
    audience.service_area = area
    commit_named(Audience, clean)


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


def _channel_values(
    org_id: int, values: Mapping[str, Any], exclude_id: int | None
) -> dict[str, Any]:
    name = clean_name(Channel, org_id, str(values.get("name") or ""), exclude_id)
    kind = values.get("type")
    if kind not in CHANNEL_TYPES:
        raise CatalogError(_("Velg en type kanal fra listen."), "type")
    hours = values.get("response_hours")
    if not isinstance(hours, int) or hours < 0:
        raise CatalogError(
            _("Svartiden må være et helt antall timer, 0 eller mer."), "response_hours"
        )
    try:
        colour = normalise_hex_colour(str(values.get("colour") or ""))
    except ValueError as exc:
        raise CatalogError(
            _("Fargen må skrives som #rrggbb, for eksempel #1b4f9c."), "colour"
        ) from exc
    ratio = colour_contrast(colour)
    if ratio < MIN_CONTRAST:
        raise CatalogError(
            _(
                "Fargen %(colour)s har for lav kontrast mot hvit bakgrunn (%(ratio)s). "
                "Fargen brukes til tekst og merker og må ha minst 4,5:1 – velg en mørkere "
                "farge.",
                colour=colour,
                ratio=format_ratio(ratio),
            ),
            "colour",
        )
    return {
        "name": name,
        "type": kind,
        "response_hours": hours,
        "colour": colour,
        "profile_text": str(values.get("profile_text") or "").strip(),
    }


def create_channel(org_id: int, values: Mapping[str, Any]) -> Channel:
    """Add a channel from ``values`` (name, type, response_hours, colour, profile_text)."""
    clean = _channel_values(org_id, values, None)
    channel = Channel(organisation_id=org_id, **clean)
    db.session.add(channel)
    commit_named(Channel, clean["name"])
    return channel


def update_channel(channel: Channel, values: Mapping[str, Any]) -> None:
    """Change a channel from ``values`` (as ``create_channel``) and commit."""
    clean = _channel_values(channel.organisation_id, values, channel.id)
    for key, value in clean.items():
        setattr(channel, key, value)
    commit_named(Channel, clean["name"])


def delete_channel(channel: Channel) -> None:
    """Delete a channel: take it off its posts, drop its reach rows, commit."""
    for post in _posts_linked(post_channel, post_channel.c.channel_id, channel.id):
        post.channels.remove(channel)
        post.updated_at = utcnow()  # a changed collection alone does not move the version
    db.session.delete(channel)
    db.session.commit()
