"""Writing the events of an .ics import: posts through the one post writer, external
events as rows of an external calendar. Nothing here commits (``import_events`` does, all
or nothing).

An event becomes a :class:`~planner.domain.posts.values.PostData` (its moved and
cancelled occurrences :class:`~planner.domain.posts.values.ExceptionData`) for
:func:`~planner.services.posts.writer.write_post`. A file from a planner (it carries
X-ARSHJUL-* properties) brings its service area, channels and audiences along, created
when new (channels and audiences through the catalog writer); other files link only to
channels and audiences the municipality has, by their CATEGORIES.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from planner.domain.catalog.values import AudienceData, ChannelData, name_key
from planner.domain.dates import format_date
from planner.domain.imports.ics import ImportedEvent
from planner.domain.posts.values import ExceptionData, PostData
from planner.extensions import db
from planner.models import (
    CHANNEL_TYPES,
    Audience,
    Channel,
    ExternalCalendar,
    ExternalEvent,
    Post,
    ServiceArea,
    Wheel,
)
from planner.services.catalog.names import CatalogError
from planner.services.catalog.writer import write_audience, write_channel
from planner.services.posts.seeding import wheel_name
from planner.services.posts.writer import data_of, post_errors, write_post


def scoped_uid(org_id: int, uid: str) -> str:
    """The organisation's own variant of a UID another municipality's post already has."""
    digest = hashlib.sha256(f"{org_id}:{uid}".encode()).hexdigest()[:10]
    return f"{digest}-{uid}"[:255]


class IcsCatalog:
    """Channels, audiences, service areas and wheels of the organisation, by name; rows
    an event needs are created here (and flushed, so the post writer finds them by id)."""

    def __init__(self, org_id: int):
        self.org_id = org_id
        self.channels: dict[str, Channel] = self._load(Channel)
        self.audiences: dict[str, Audience] = self._load(Audience)
        self.areas: dict[str, ServiceArea] = self._load(ServiceArea)
        self.wheels = list(
            db.session.execute(select(Wheel).where(Wheel.organisation_id == org_id)).scalars()
        )
        self.created = False

    def _load(self, model: Any) -> dict[str, Any]:
        rows = db.session.execute(select(model).where(model.organisation_id == self.org_id))
        return {name_key(row.name): row for row in rows.scalars()}

    def channel(self, name: str, ctype: str | None) -> Channel | None:
        """The channel called ``name``; created when new and ``ctype`` is a channel type."""
        found = self.channels.get(name_key(name))
        if found is None and ctype in CHANNEL_TYPES:
            found = write_channel(self.org_id, ChannelData(name=name[:120], type=str(ctype)))
            self.channels[name_key(name)] = found
            self.created = True
        return found

    def audience(self, name: str, create: bool, priority: str = "") -> Audience | None:
        """The audience called ``name``; created when new and ``create`` is true."""
        found = self.audiences.get(name_key(name))
        if found is None and create:
            rank = int(priority) if priority.isdigit() and 0 < int(priority) < 10_000 else 1
            found = write_audience(self.org_id, AudienceData(name=name[:160], priority=rank))
            self.audiences[name_key(name)] = found
            self.created = True
        return found

    def area(self, name: str) -> ServiceArea | None:
        """The service area called ``name`` (created when new); None for no name."""
        if not name:
            return None
        found = self.areas.get(name_key(name))
        if found is None:
            found = ServiceArea(organisation_id=self.org_id, name=name[:120])
            db.session.add(found)
            self.areas[name_key(name)] = found
            self.created = True
        return found

    def wheel(self, name: str, year: int) -> Wheel:
        """The wheel called ``name`` of ``year`` (a post belongs to its start's year), else
        the year's default wheel (created when none)."""
        for wheel in self.wheels:
            if name and wheel.name == name and wheel.year == year:
                return wheel
        if any(w.name == name for w in self.wheels):
            name = ""  # that wheel is another year's: the post goes to this year's wheel
        default = wheel_name(year)
        candidates = [w for w in self.wheels if w.year == year]
        for wheel in candidates:
            if wheel.name == default:
                return wheel
        if candidates and not name:
            return sorted(candidates, key=lambda w: w.name)[0]
        wheel = Wheel(organisation_id=self.org_id, year=year, name=(name or default)[:200])
        db.session.add(wheel)
        self.wheels.append(wheel)
        self.created = True
        return wheel

    def link(self, data: PostData, event: ImportedEvent, new: bool) -> PostData:
        """``data`` with the wheel (a new post), service area, channels and audiences of
        ``event`` set by id. Raises ``CatalogError`` when a new row is refused."""
        changes: dict[str, Any] = {}
        wheel = self.wheel(event.meta_value("WHEEL"), event.start.year) if new else None
        if event.meta:
            area = self.area(event.meta_value("SERVICE-AREA"))
            channels = [self.channel(n, p.get("X-TYPE")) for n, p in event.meta_values("CHANNEL")]
            audiences = [
                self.audience(n, True, p.get("X-PRIORITY", ""))
                for n, p in event.meta_values("AUDIENCE")
            ]
        else:
            channels = [self.channels.get(name_key(c)) for c in event.categories]
            audiences = [self.audience(c, False) for c in event.categories]
        if self.created:
            db.session.flush()  # ids for the rows just created
            self.created = False
        if wheel is not None:
            changes["wheel_id"] = wheel.id
        if event.meta:
            changes["service_area_id"] = area.id if area else None
        changes["channel_ids"] = tuple(c.id for c in channels if c is not None)
        changes["audience_ids"] = tuple(a.id for a in audiences if a is not None)
        return replace(data, **changes)


def _post_data(event: ImportedEvent, post: Post | None) -> PostData:
    """The plain values of the post for ``event``: the post's own values where the file
    says nothing (a new post's wheel is set by :meth:`IcsCatalog.link`)."""
    from_planner = bool(event.meta)
    description = event.meta_value("TEXT") if from_planner else event.description
    if event.location and not from_planner:
        description = (description + "\n\n" if description else "") + _(
            "Sted: %(place)s", place=event.location
        )
    changes: dict[str, Any] = {
        "title": event.summary,
        "description": description,
        "start": event.start,
        "end": event.end,
        "all_day": event.all_day,
        "rrule": event.rrule,
        "status": event.status,
        "kind": event.meta_value("KIND", "proaktiv"),
        "exceptions": tuple(
            ExceptionData(e.recurrence_id, e.cancelled, e.start, e.end) for e in event.exceptions
        ),
    }
    if from_planner:
        changes["link"] = event.meta_value("LINK")[:500]
        changes["responsible"] = event.meta_value("RESPONSIBLE")[:200]
        changes["archive_worthy"] = event.meta_value("ARCHIVE") == "TRUE"
    if post is not None:
        return replace(data_of(post), **changes)
    return PostData(wheel_id=0, **changes)


def write_event_post(
    org_id: int,
    event: ImportedEvent,
    post: Post | None,
    catalog: IcsCatalog,
    problems: list[str],
) -> bool | None:
    """Create or update the post for ``event``: True if new, False if updated, None if
    it has problems (added to ``problems``)."""
    where = f"«{event.summary[:60]}» ({format_date(event.start)})"
    data = _post_data(event, post)
    errors = post_errors(data)
    if not 2000 <= event.start.year <= 2100:
        errors["start"] = _("Innlegg kan bare planlegges for årene 2000–2100.")
    if not errors:
        try:
            data = catalog.link(data, event, post is None)
        except CatalogError as exc:
            errors["catalog"] = exc.message
    for message in errors.values():
        problems.append(f"{where}: {message}")
    if errors:
        return None
    uid = None
    if post is None:
        taken = db.session.execute(select(Post.id).where(Post.uid == event.uid)).first()
        uid = scoped_uid(org_id, event.uid) if taken else event.uid
    write_post(org_id, data, post, uid=uid)
    return post is None


def write_external(
    org_id: int,
    event: ImportedEvent,
    calendar_row: ExternalCalendar,
    existing: Mapping[str, ExternalEvent],
) -> bool:
    """Create or update the external event (and its moved occurrences); True if new."""
    row = existing.get("")
    created = row is None
    if row is None:
        row = ExternalEvent(organisation_id=org_id, uid=event.uid, recurrence_key="")
        db.session.add(row)
    row.calendar = calendar_row
    row.summary = event.summary
    row.description = event.meta_value("TEXT") if event.meta else event.description
    row.location = event.location
    row.start, row.end, row.all_day = event.start, event.end, event.all_day
    row.rrule = event.rrule
    row.cancelled = event.status == "avlyst"
    row.exdates = [e.recurrence_id.isoformat() for e in event.exceptions if e.cancelled]
    keep = {""}
    for exc in event.exceptions:
        if exc.cancelled or exc.start is None or not event.rrule:
            continue
        key = exc.recurrence_id.isoformat()
        keep.add(key)
        moved = existing.get(key) or ExternalEvent(
            organisation_id=org_id, uid=event.uid, recurrence_key=key
        )
        moved.calendar = calendar_row
        moved.summary, moved.description = row.summary, row.description
        moved.location, moved.all_day = row.location, row.all_day
        moved.start = exc.start
        moved.end = exc.end or exc.start + (event.end - event.start)
        moved.rrule, moved.exdates, moved.cancelled = None, [], False
        db.session.add(moved)
    for key, old in existing.items():
        if key not in keep:
            db.session.delete(old)
    return created
