"""The catalog step of the JSON import: the organisation the file goes into, and its
service areas, audiences (målgrupper), channels (kanaler), reach and wheels (årshjul),
matched on their names and set while they are read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from planner.domain.catalog.values import DEFAULT_CHANNEL_COLOUR, AudienceData, ChannelData
from planner.extensions import db
from planner.models import (
    CHANNEL_TYPES,
    REACH_LEVELS,
    Audience,
    Channel,
    Organisation,
    Reach,
    ServiceArea,
    Wheel,
)
from planner.services.catalog.names import CatalogError
from planner.services.catalog.writer import write_audience, write_channel
from planner.services.imports.json_import.check import Checker, ImportProblems, existing_by


@dataclass
class Catalog:
    """The organisation's catalog rows by name, the file's included (new ones have no id
    until the session is flushed)."""

    org_id: int
    areas: dict[str, ServiceArea]
    audiences: dict[str, Audience]
    channels: dict[str, Channel]
    wheels: dict[tuple[int, str], Wheel]
    wheels_by_name: dict[str, Wheel]

    def area_for(self, item: dict[str, Any]) -> ServiceArea | None:
        """The service area ``item`` names (added when the file did not list it)."""
        name = item.get("service_area")
        if not name:
            return None
        if name not in self.areas:
            self.areas[name] = ServiceArea(organisation_id=self.org_id, name=str(name)[:120])
            db.session.add(self.areas[name])
        return self.areas[name]

    def wheel_for(self, name: Any, year: int) -> Wheel:
        """The wheel called ``name`` of ``year`` (a post belongs to its start's year), else
        the default wheel of ``year`` («Årshjul 2026»), added when missing."""
        named = self.wheels.get((year, name)) if isinstance(name, str) else None
        if named is None:
            by_name = self.wheels_by_name.get(name)
            named = by_name if by_name is not None and by_name.year == year else None
        wheel = named or self.wheels.get((year, f"Årshjul {year}"))
        if wheel is None:
            wheel = Wheel(organisation_id=self.org_id, year=year, name=f"Årshjul {year}")
            self.wheels[(year, wheel.name)] = self.wheels_by_name[wheel.name] = wheel
            db.session.add(wheel)
        return wheel


def target_organisation(data: dict[str, Any], organisation: Organisation | None) -> Organisation:
    """``organisation`` if given, else the one the file names (created if it does not exist)."""
    if organisation is not None:
        return organisation
    org_name = str((data.get("organisation") or {}).get("name") or "").strip()
    if not org_name:
        raise ImportProblems(["Filen mangler navnet på kommunen (organisation.name)."])
    found = db.session.execute(select(Organisation).where(Organisation.name == org_name)).scalar()
    if found is None:
        found = Organisation(name=org_name)
        db.session.add(found)
        db.session.flush()
    return found


def import_catalog(data: dict[str, Any], org_id: int, check: Checker) -> Catalog:
    """Set the file's service areas, audiences, channels, reach and wheels."""
    catalog = Catalog(
        org_id=org_id,
        areas=existing_by(ServiceArea, org_id),
        audiences=existing_by(Audience, org_id),
        channels=existing_by(Channel, org_id),
        wheels=existing_by(Wheel, org_id, lambda w: (w.year, w.name)),
        wheels_by_name={},
    )
    _import_areas(data, catalog, check)
    _import_audiences(data, catalog, check)
    _import_channels(data, catalog, check)
    _import_reach(data, catalog, check)
    _import_wheels(data, catalog, check)
    catalog.wheels_by_name = {name: w for (_, name), w in catalog.wheels.items()}
    return catalog


def _import_areas(data: dict[str, Any], catalog: Catalog, check: Checker) -> None:
    for i, item in enumerate(data.get("service_areas", []), 1):
        name = check.text(item, "name", f"Virksomhetsområde {i}", 120, required=True).strip()
        if name and name not in catalog.areas:
            catalog.areas[name] = ServiceArea(organisation_id=catalog.org_id, name=name)
            db.session.add(catalog.areas[name])


def _import_audiences(data: dict[str, Any], catalog: Catalog, check: Checker) -> None:
    """The file's audiences, through the catalog's writer (matched on their names)."""
    for i, item in enumerate(data["audiences"], 1):
        where = f"Målgruppe {i}"
        name = check.text(item, "name", where, 160, required=True).strip()
        message = "prioritet må være et helt tall fra 1 og oppover."
        priority = check.whole_number(item, "priority", where, 1, 1, message) or 1
        area = catalog.area_for(item)
        if area is not None and area.id is None:
            db.session.flush()  # the writer links rows by id
        values = AudienceData(
            name=name,
            description=check.text(item, "description", where, 10_000),
            priority=priority,
            service_area_id=area.id if area is not None else None,
        )
        if not name:
            continue
        try:
            audience = write_audience(catalog.org_id, values, catalog.audiences.get(name))
        except CatalogError as exc:
            check.fail(where, f"{exc.message}")
            continue
        catalog.audiences[name] = audience


def _import_channels(data: dict[str, Any], catalog: Catalog, check: Checker) -> None:
    """The file's channels, through the catalog's writer (matched on their names). A
    restore keeps a colour as it was saved, even one with too little contrast."""
    for i, item in enumerate(data["channels"], 1):
        where = f"Kanal {i}"
        name = check.text(item, "name", where, 120, required=True).strip()
        ctype = item.get("type")
        if ctype not in CHANNEL_TYPES:
            check.fail(where, f"ukjent kanaltype «{ctype}».")
            continue
        hours = check.whole_number(
            item,
            "response_hours",
            where,
            0,
            0,
            "svartid må være et helt antall timer (0 eller mer).",
        )
        if hours is None:
            continue
        values = ChannelData(
            name=name,
            type=ctype,
            response_hours=hours,
            profile_text=check.text(item, "profile_text", where, 10_000),
            colour=check.text(item, "colour", where, 7) or DEFAULT_CHANNEL_COLOUR,
        )
        if not name:
            continue
        try:
            channel = write_channel(
                catalog.org_id, values, catalog.channels.get(name), restoring=True
            )
        except CatalogError as exc:
            check.fail(where, f"{exc.message}")
            continue
        catalog.channels[name] = channel


def _import_reach(data: dict[str, Any], catalog: Catalog, check: Checker) -> None:
    reach_rows = {
        (r.channel.name, r.audience.name): r
        for r in db.session.execute(
            select(Reach).where(Reach.organisation_id == catalog.org_id)
        ).scalars()
    }
    for i, item in enumerate(data.get("reach", []), 1):
        where = f"Rekkevidde {i}"
        channel = catalog.channels.get(item.get("channel"))
        audience = catalog.audiences.get(item.get("audience"))
        if channel is None or audience is None:
            check.fail(
                where,
                f"ukjent kanal «{item.get('channel')}» eller målgruppe «{item.get('audience')}».",
            )
            continue
        level = item.get("level", 2)
        if level not in REACH_LEVELS:
            check.fail(where, "nivå må være 1, 2 eller 3.")
            continue
        row = reach_rows.get((channel.name, audience.name))
        if row is None:
            row = Reach(organisation_id=catalog.org_id, channel=channel, audience=audience)
            reach_rows[(channel.name, audience.name)] = row
            db.session.add(row)
        row.level = level


def _import_wheels(data: dict[str, Any], catalog: Catalog, check: Checker) -> None:
    for i, item in enumerate(data.get("wheels", []), 1):
        year = item.get("year")
        name = check.text(item, "name", f"Årshjul {i}", 200, required=True)
        if not isinstance(year, int) or not 2000 <= year <= 2100:
            check.fail(f"Årshjul {i}", "år må være mellom 2000 og 2100.")
            continue
        if (year, name) not in catalog.wheels:
            catalog.wheels[(year, name)] = Wheel(
                organisation_id=catalog.org_id, year=year, name=name
            )
            db.session.add(catalog.wheels[(year, name)])
