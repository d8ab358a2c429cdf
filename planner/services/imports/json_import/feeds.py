"""Calendar feeds and external calendars in the JSON import, matched on a feed's token and
a calendar's name. Feeds are written by the feeds' one writer
(``planner.services.feeds.management.write_feed``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from planner.domain.backup_format import parse_datetime, parse_moment
from planner.domain.feeds.values import FeedData
from planner.domain.filters import PlanFilter
from planner.extensions import db
from planner.models import (
    EXTERNAL_KINDS,
    FEED_KINDS,
    ExternalCalendar,
    ExternalEvent,
    Feed,
    StaffMember,
)
from planner.services.feeds.management import FeedError, write_feed
from planner.services.imports.json_import.catalog import Catalog
from planner.services.imports.json_import.check import Checker, existing_by, where_named


@dataclass
class PendingFeed:
    """A feed of the file, checked, waiting for its catalog rows and person to have ids."""

    where: str
    token: str
    existing: Feed | None
    name: str
    kind: str
    stored_filter: dict[str, Any]
    chosen: dict[str, list[Any]]
    person: StaffMember | None
    include_drafts: bool
    reminder_days: int | None
    public: bool
    revoked_at: datetime | None


def import_feeds(
    data: dict[str, Any],
    org_id: int,
    check: Checker,
    staff: dict[str, StaffMember],
    catalog: Catalog,
) -> list[PendingFeed]:
    """Check the file's calendar feeds; they are written by the feeds' writer once the
    catalog rows have ids (:func:`write_feeds`)."""
    feeds = existing_by(Feed, org_id, lambda f: f.token)
    pending: list[PendingFeed] = []
    for i, item in enumerate(data.get("feeds", []), 1):
        where = where_named("Kalenderfeed", i, item.get("name", ""))
        name = check.text(item, "name", where, 200, required=True)
        token = check.text(item, "token", where, 100, required=True)
        kind = item.get("kind", "plan")
        if kind not in FEED_KINDS:
            check.fail(where, f"ukjent type «{kind}».")
            continue
        if (
            token not in feeds
            and db.session.execute(select(Feed.id).where(Feed.token == token)).first()
        ):
            check.fail(where, "nøkkelen (token) brukes allerede av en annen kommune.")
            continue
        stored = item.get("filter") or {}
        chosen = _filter_rows(stored, catalog, where, check)
        person = item.get("staff_member")
        if person and person not in staff:
            check.fail(where, f"ukjent person «{person}».")
            continue
        try:
            revoked = parse_datetime(item["revoked_at"]) if item.get("revoked_at") else None
        except ValueError as exc:
            check.fail(where, f"{exc}.")
            continue
        reminder = item.get("reminder_days")
        pending.append(
            PendingFeed(
                where=where,
                token=token,
                existing=feeds.get(token),
                name=name,
                kind=kind,
                stored_filter=stored,
                chosen=chosen,
                person=staff[person] if person else None,
                include_drafts=bool(item.get("include_drafts", False)),
                reminder_days=reminder if isinstance(reminder, int) else None,
                public=bool(item.get("public", False)),
                revoked_at=revoked,
            )
        )
    return pending


def _filter_rows(
    stored: dict[str, Any], catalog: Catalog, where: str, check: Checker
) -> dict[str, list[Any]]:
    """The catalog rows a feed's filter names; unknown names are problems."""
    chosen: dict[str, list[Any]] = {}
    for field_name, known in (
        ("channels", catalog.channels),
        ("audiences", catalog.audiences),
        ("service_areas", catalog.areas),
    ):
        chosen[field_name] = []
        for value in stored.get(field_name, []) or []:
            if value not in known:
                check.fail(where, f"filteret viser til ukjent navn «{value}».")
            else:
                chosen[field_name].append(known[value])
    return chosen


def import_external_calendars(data: dict[str, Any], org_id: int, check: Checker) -> None:
    """Set the file's external calendars with their events (rows reused by UID and
    recurrence key)."""
    calendars = existing_by(ExternalCalendar, org_id)
    for i, item in enumerate(data.get("external_calendars", []), 1):
        where = where_named("Ekstern kalender", i, item.get("name", ""))
        name = check.text(item, "name", where, 200, required=True)
        kind = item.get("kind", "annet")
        if kind not in EXTERNAL_KINDS:
            check.fail(where, f"ukjent type «{kind}».")
            continue
        calendar = calendars.get(name) or ExternalCalendar(organisation_id=org_id, name=name)
        calendar.kind = kind
        calendar.events = _events(calendar, item, org_id, where, check)
        calendars[name] = calendar
        db.session.add(calendar)


def _events(
    calendar: ExternalCalendar, item: dict[str, Any], org_id: int, where: str, check: Checker
) -> list[ExternalEvent]:
    old_events: dict[tuple[str, str], Any] = {(e.uid, e.recurrence_key): e for e in calendar.events}
    events = []
    for j, event in enumerate(item.get("events", []) or [], 1):
        try:
            start, _ = parse_moment(event.get("start"))
            end, _ = parse_moment(event.get("end"))
        except ValueError as exc:
            check.fail(f"{where}, hendelse {j}", f"{exc}.")
            continue
        event_key = (str(event.get("uid", ""))[:255], str(event.get("recurrence_key", ""))[:32])
        row = old_events.get(event_key) or ExternalEvent(
            organisation_id=org_id, uid=event_key[0], recurrence_key=event_key[1]
        )
        row.summary = str(event.get("summary", ""))[:200]
        row.description = str(event.get("description", ""))
        row.location = str(event.get("location", ""))[:500]
        row.start, row.end = start, end
        row.all_day = bool(event.get("all_day", True))
        row.rrule = event.get("rrule") or None
        row.exdates = [str(x) for x in event.get("exdates", []) or []]
        row.cancelled = bool(event.get("cancelled", False))
        events.append(row)
    return events


def write_feeds(pending: list[PendingFeed], org_id: int, check: Checker) -> None:
    """Write the checked feeds through the feeds' writer (flushing first, so new channels,
    audiences and people have ids); only when nothing is wrong, since nothing is written
    then. The writer's refusals become problems of the import."""
    if not pending or check.problems:
        return
    db.session.flush()
    for item in pending:
        plan_filter = PlanFilter(
            channels=tuple(sorted(c.id for c in item.chosen["channels"])),
            audiences=tuple(sorted(a.id for a in item.chosen["audiences"])),
            service_areas=tuple(sorted(a.id for a in item.chosen["service_areas"])),
            statuses=tuple(item.stored_filter.get("statuses") or ()),
            kinds=tuple(item.stored_filter.get("kinds") or ()),
            q=str(item.stored_filter.get("q") or ""),
        )
        data = FeedData(
            name=item.name,
            kind=item.kind,
            plan_filter=plan_filter,
            staff_member_id=item.person.id if item.person is not None else None,
            include_drafts=item.include_drafts,
            reminder_days=item.reminder_days,
            public=item.public,
        )
        try:
            feed = write_feed(org_id, data, item.existing, token=item.token)
        except FeedError as exc:
            for message in exc.errors.values():
                check.fail(item.where, message)
            continue
        feed.revoked_at = item.revoked_at
