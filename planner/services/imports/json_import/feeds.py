"""Calendar feeds and external calendars in the JSON import, matched on a feed's token and
a calendar's name. (Left as it was when the import was split; it is to be wired to the
feeds area's writer.)"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from planner.domain.backup_format import parse_datetime, parse_moment
from planner.extensions import db
from planner.models import (
    EXTERNAL_KINDS,
    FEED_KINDS,
    ExternalCalendar,
    ExternalEvent,
    Feed,
    StaffMember,
)
from planner.services.imports.json_import.catalog import Catalog
from planner.services.imports.json_import.check import Checker

# A feed, its filter as the file has it (names) and the catalog rows the names stand for.
FeedFilter = tuple[Feed, dict[str, Any], dict[str, list[Any]]]


def import_feeds(
    data: dict[str, Any],
    org_id: int,
    check: Checker,
    staff: dict[str, StaffMember],
    catalog: Catalog,
) -> list[FeedFilter]:
    """Set the file's calendar feeds; returns their filters, to set by id once the catalog
    rows have ids (:func:`resolve_feed_filters`)."""
    feeds = {
        f.token: f
        for f in db.session.execute(select(Feed).where(Feed.organisation_id == org_id)).scalars()
    }
    feed_filters: list[FeedFilter] = []
    for i, item in enumerate(data.get("feeds", []), 1):
        where = f"Kalenderfeed {i} («{str(item.get('name', ''))[:60]}»)"
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
        feed = feeds.get(token) or Feed(organisation_id=org_id, kind=kind)
        if feed.token != token:
            feed.set_token(token)
        feed.name, feed.kind = name, kind
        feed.staff_member = staff[person] if person else None
        feed.include_drafts = bool(item.get("include_drafts", False))
        feed.reminder_days = reminder if isinstance(reminder, int) else None
        feed.public = bool(item.get("public", False))
        feed.revoked_at = revoked
        feeds[token] = feed
        db.session.add(feed)
        feed_filters.append((feed, stored, chosen))
    return feed_filters


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
    calendars = {
        c.name: c
        for c in db.session.execute(
            select(ExternalCalendar).where(ExternalCalendar.organisation_id == org_id)
        ).scalars()
    }
    for i, item in enumerate(data.get("external_calendars", []), 1):
        where = f"Ekstern kalender {i} («{str(item.get('name', ''))[:60]}»)"
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


def resolve_feed_filters(feed_filters: list[FeedFilter], check: Checker) -> None:
    """Set the feeds' filters by id (flushing first, so new channels and audiences have
    theirs); only when nothing is wrong, since nothing is written then."""
    if not feed_filters or check.problems:
        return
    db.session.flush()
    for feed, stored, chosen in feed_filters:
        resolved = {
            "channels": sorted(c.id for c in chosen["channels"]),
            "audiences": sorted(a.id for a in chosen["audiences"]),
            "service_areas": sorted(a.id for a in chosen["service_areas"]),
            "statuses": list(stored.get("statuses") or []),
            "kinds": list(stored.get("kinds") or []),
            "q": str(stored.get("q") or ""),
        }
        if feed.filter != resolved:
            feed.filter = resolved
