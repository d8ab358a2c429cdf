"""The one writer of audiences (målgrupper) and channels (kanaler).

Every path that creates or changes one builds an
:class:`~planner.domain.catalog.values.AudienceData` or
:class:`~planner.domain.catalog.values.ChannelData` and calls :func:`write_audience` or
:func:`write_channel`. The checks are those of the catalogue pages (``catalog.py``): a
name, unique in the organisation without regard to case; a service area of the
organisation; a known channel type, a response time of 0 hours or more and a colour with
enough contrast against white. A refusal is a ``CatalogError`` with a Norwegian message
tied to a form field, and nothing is changed then.

The writer does not commit: the caller's transaction decides (one form save, or a whole
import all or nothing). What happens on flush is in ``planner.models.events``: the
organisation's ``data_version`` rises (every cache of the plan is rebuilt from it) and a
history row records what changed.
"""

from __future__ import annotations

from dataclasses import asdict

from flask_babel import gettext as _

from planner.domain.catalog.values import AudienceData, ChannelData
from planner.extensions import db
from planner.models import Audience, Channel

# The module, not its names: the checks stay with the catalogue pages' functions, and
# catalog.py may in turn call this writer without a circular "from" import.
from planner.services.catalog import catalog as checks


def write_audience(org_id: int, data: AudienceData, audience: Audience | None = None) -> Audience:
    """Create an audience from ``data`` (``audience`` is None) or change ``audience`` to it.

    Raises ``CatalogError`` when the values are refused (nothing is changed then) and
    ``LookupError`` when ``audience`` belongs to another organisation. A new audience is
    added to the session. The name's extra spaces and the description's ends are trimmed.
    """
    _check_owner(audience, org_id)
    name = checks._clean_name(Audience, org_id, data.name, _id(audience))
    area = checks._service_area(org_id, data.service_area_id)
    if data.priority < 1:
        raise checks.CatalogError(_("Prioriteten må være et helt tall, 1 eller mer."), "priority")
    if audience is None:
        audience = Audience(organisation_id=org_id)
        db.session.add(audience)
    audience.name = name
    audience.description = (data.description or "").strip()
    audience.priority = data.priority
    audience.service_area = area
    return audience


def write_channel(org_id: int, data: ChannelData, channel: Channel | None = None) -> Channel:
    """Create a channel from ``data`` (``channel`` is None) or change ``channel`` to it.

    Raises ``CatalogError`` when the values are refused (nothing is changed then) and
    ``LookupError`` when ``channel`` belongs to another organisation. A new channel is
    added to the session. The colour is stored as ``#rrggbb`` in lower case.
    """
    _check_owner(channel, org_id)
    clean = checks._channel_values(org_id, asdict(data), _id(channel))
    if channel is None:
        channel = Channel(organisation_id=org_id)
        db.session.add(channel)
    for key, value in clean.items():
        setattr(channel, key, value)
    return channel


def audience_data_of(audience: Audience) -> AudienceData:
    """An audience's current values, e.g. to change a few with ``dataclasses.replace``."""
    return AudienceData(
        name=audience.name,
        description=audience.description,
        priority=audience.priority,
        service_area_id=audience.service_area.id if audience.service_area else None,
    )


def channel_data_of(channel: Channel) -> ChannelData:
    """A channel's current values, e.g. to change a few with ``dataclasses.replace``."""
    return ChannelData(
        name=channel.name,
        type=channel.type,
        response_hours=channel.response_hours,
        profile_text=channel.profile_text,
        colour=channel.colour,
    )


def _id(row: Audience | Channel | None) -> int | None:
    return row.id if row is not None else None


def _check_owner(row: Audience | Channel | None, org_id: int) -> None:
    if row is not None and row.organisation_id != org_id:
        raise LookupError(f"{type(row).__name__} {row.id} is not in organisation {org_id}")
