"""An audience (målgruppe) and a channel (kanal) as plain values: what every path that
writes one hands to the catalog writer.

The catalog pages and the spreadsheet and .ics imports turn their input into an
:class:`AudienceData` or a :class:`ChannelData` and give it to
:mod:`planner.services.catalog.writer`, the one place that creates or changes an
``Audience`` or ``Channel`` row. The fields mirror the models in ``planner.models.plan``;
links to other rows are by id, within the organisation.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_CHANNEL_COLOUR = "#1b4f9c"
"""The colour of a channel nobody chose one for (the model's default too)."""


def name_key(name: str) -> str:
    """How the imports compare catalog names: case and extra spaces do not matter (the
    writer stores names with single spaces, and refuses one taken in another case)."""
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class AudienceData:
    """Everything an audience (målgruppe) is: its name, what it is, its priority (1 first)
    and the service area (virksomhetsområde) it belongs to, if any."""

    name: str
    description: str = ""
    priority: int = 1
    service_area_id: int | None = None


@dataclass(frozen=True)
class ChannelData:
    """Everything a channel (kanal) is: its name and type, the response time it promises
    (svartid, hours; 0 for no dialogue), the text of its profile page and its colour."""

    name: str
    type: str
    response_hours: int = 0
    profile_text: str = ""
    colour: str = DEFAULT_CHANNEL_COLOUR
