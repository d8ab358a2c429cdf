"""The one writer of audiences (målgrupper) and channels (kanaler).

Every path that creates or changes one builds an
:class:`~planner.domain.catalog.values.AudienceData` or
:class:`~planner.domain.catalog.values.ChannelData` and calls :func:`write_audience` or
:func:`write_channel`. The checks live here: a
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

from flask_babel import gettext as _

from planner.domain.catalog.values import AudienceData, ChannelData
from planner.domain.colour import MIN_CONTRAST, normalise_hex_colour
from planner.extensions import db
from planner.models import CHANNEL_TYPES, Audience, Channel, ServiceArea
from planner.services.catalog.names import CatalogError, clean_name
from planner.services.catalog.texts import colour_contrast, format_ratio


def write_audience(org_id: int, data: AudienceData, audience: Audience | None = None) -> Audience:
    """Create an audience from ``data`` (``audience`` is None) or change ``audience`` to it.

    Raises ``CatalogError`` when the values are refused (nothing is changed then) and
    ``LookupError`` when ``audience`` belongs to another organisation. A new audience is
    added to the session. The name's extra spaces and the description's ends are trimmed.
    """
    _check_owner(audience, org_id)
    name = clean_name(Audience, org_id, data.name, _id(audience))
    area = _service_area(org_id, data.service_area_id)
    if not isinstance(data.priority, int) or data.priority < 1:
        raise CatalogError(_("Prioriteten må være et helt tall, 1 eller mer."), "priority")
    if audience is None:
        audience = Audience(organisation_id=org_id)
        db.session.add(audience)
    audience.name = name
    audience.description = (data.description or "").strip()
    audience.priority = data.priority
    audience.service_area = area
    return audience


def write_channel(
    org_id: int, data: ChannelData, channel: Channel | None = None, *, restoring: bool = False
) -> Channel:
    """Create a channel from ``data`` (``channel`` is None) or change ``channel`` to it.

    ``restoring`` (a JSON backup being restored) keeps a colour as it was saved even when it
    has too little contrast (it may predate the check): a backup must come back whole.

    Raises ``CatalogError`` when the values are refused (nothing is changed then) and
    ``LookupError`` when ``channel`` belongs to another organisation. A new channel is
    added to the session. The colour is stored as ``#rrggbb`` in lower case.
    """
    _check_owner(channel, org_id)
    name = clean_name(Channel, org_id, data.name, _id(channel))
    if data.type not in CHANNEL_TYPES:
        raise CatalogError(_("Velg en type kanal fra listen."), "type")
    hours = data.response_hours
    if not isinstance(hours, int) or isinstance(hours, bool) or hours < 0:
        raise CatalogError(
            _("Svartiden må være et helt antall timer, 0 eller mer."), "response_hours"
        )
    colour = _channel_colour(data.colour, check_contrast=not restoring)
    if channel is None:
        channel = Channel(organisation_id=org_id)
        db.session.add(channel)
    channel.name, channel.type, channel.response_hours = name, data.type, hours
    channel.colour = colour
    channel.profile_text = (data.profile_text or "").strip()
    return channel


def _service_area(org_id: int, service_area_id: int | None) -> ServiceArea | None:
    """The organisation's service area with that id (None for none)."""
    if not service_area_id:
        return None
    area = db.session.get(ServiceArea, service_area_id)
    if area is None or area.organisation_id != org_id:
        raise CatalogError(_("Velg et virksomhetsområde fra listen."), "service_area")
    return area


def _channel_colour(value: str, check_contrast: bool = True) -> str:
    """``#rrggbb`` in lower case, with at least 4.5:1 against white: the colour is used for
    text and marks on the wheel."""
    try:
        colour = normalise_hex_colour(str(value or ""))
    except ValueError as exc:
        raise CatalogError(
            _("Fargen må skrives som #rrggbb, for eksempel #1b4f9c."), "colour"
        ) from exc
    ratio = colour_contrast(colour)
    if check_contrast and ratio < MIN_CONTRAST:
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
    return colour


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
