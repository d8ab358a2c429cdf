"""Build iCalendar (RFC 5545) bytes from plain data: the feeds and the .ics export.

Pure (no Flask, no database), in the style of indico's ``events_to_ical(...) -> bytes``:
the service gathers plain :class:`~planner.domain.feeds.values.EventData` and this package
does everything iCal. The details real clients need are collected in ``/work/shared/ICAL.md``;
in short:

* one VTIMEZONE for Europe/Oslo in the compact RRULE form (Outlook misreads RDATE lists);
* stable UIDs, DTSTAMP in UTC, LAST-MODIFIED, SEQUENCE; all-day events as ``VALUE=DATE``
  with an exclusive DTEND; times with ``TZID=Europe/Oslo`` (:mod:`.components`);
* a recurring post becomes one VEVENT with RRULE (UNTIL in UTC), EXDATE for cancelled
  occurrences and a RECURRENCE-ID VEVENT for each moved one — when the rule fits the
  patterns Outlook understands (MS-OXCICAL 2.1.3.2.2, :mod:`.rrules`) and the moves keep
  the order of the series. Otherwise the series is *expanded*: one VEVENT per occurrence,
  with a UID derived from the post's UID and the original start, so it is stable too
  (:mod:`.series`);
* the occurrences a client expands are exactly the planner's own
  (:func:`planner.domain.posts.occurrences.occurrences` within the post's window): a rewritten
  rule is checked against them and the series is expanded if they differ;
* text goes through the ``icalendar`` library (escaping, folding at 75 octets), never
  string concatenation, and the output is deterministic so that unchanged data gives
  identical bytes (and a stable ETag).

This module puts the calendar together and writes the DESCRIPTION and STATUS of posts.
"""

from __future__ import annotations

from collections.abc import Iterable, MutableMapping, Sequence
from datetime import date, datetime, time
from operator import itemgetter

from icalendar import Calendar, Event, vDuration, vText

from planner.domain.feeds.components import TZID, oslo_vtimezone, vevent
from planner.domain.feeds.series import series_events
from planner.domain.feeds.values import CalendarInfo, EventData

PRODID = "-//Arshjul//Arshjul kommunikasjonsplan//NB"
#: The iCal STATUS of each post status.
_STATUS = {
    "idé": "TENTATIVE",
    "planlagt": "CONFIRMED",
    "godkjent": "CONFIRMED",
    "publisert": "CONFIRMED",
    "avlyst": "CANCELLED",
}


def ical_status(post_status: str) -> str:
    """The iCal STATUS for a post status (idé → TENTATIVE, avlyst → CANCELLED)."""
    return _STATUS.get(post_status, "CONFIRMED")


def post_description(
    text: str,
    *,
    status: str = "",
    kind: str = "",
    channels: Sequence[str] = (),
    audiences: Sequence[str] = (),
    service_area: str = "",
    responsible: str = "",
    link: str = "",
    url: str = "",
) -> str:
    """The DESCRIPTION of a post: its own text, then what subscribers need to know.

    Channels, audiences, responsible and the link back to the planner are listed on
    their own lines (Norwegian labels), empty ones left out.
    """
    lines: list[str] = []
    if status or kind:
        lines.append(
            " · ".join(
                p
                for p in (f"Status: {status}" if status else "", f"Type: {kind}" if kind else "")
                if p
            )
        )
    if channels:
        lines.append("Kanaler: " + ", ".join(channels))
    if audiences:
        lines.append("Målgrupper: " + ", ".join(audiences))
    if service_area:
        lines.append(f"Virksomhetsområde: {service_area}")
    if responsible:
        lines.append(f"Ansvarlig: {responsible}")
    if link:
        lines.append(f"Lenke: {link}")
    if url:
        lines.append(f"Åpne i årshjulet: {url}")
    parts = [text.strip()] if text.strip() else []
    if lines:
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


#: What a cache of serialised events holds: each VEVENT of one EventData (a series may
#: give several) as its sort key and its bytes.
SerialisedEvents = tuple[tuple[tuple[str, str, str], bytes], ...]
_END = b"END:VCALENDAR\r\n"


def events_to_ical(
    info: CalendarInfo,
    events: Iterable[EventData],
    reminder_days: int | None = None,
    cache: MutableMapping[tuple[EventData, int | None], SerialisedEvents] | None = None,
) -> bytes:
    """The calendar as iCalendar bytes (UTF-8, CRLF, folded), deterministic for equal input.

    ``reminder_days`` adds a DISPLAY alarm at 09:00 that many working days before each
    event that is not cancelled (for a recurring series: reckoned from its first
    occurrence, as clients repeat the same offset for every occurrence).

    ``cache`` (optional) keeps each event's serialised VEVENTs by its data: rebuilding a
    big feed after one change then serialises only what changed. The bytes are the same
    as without it (the calendar is its own lines, then its components' in order).
    """
    serialised: list[tuple[tuple[str, str, str], bytes]] = []
    for data in events:
        key = (data, reminder_days)
        found = cache.get(key) if cache is not None else None
        if found is None:
            built = (
                series_events(data, reminder_days)
                if data.rrule
                else [vevent(data, data.uid, data.start, data.end, reminder_days)]
            )
            found = tuple((_sort_key(event), event.to_ical()) for event in built)
            if cache is not None:
                cache[key] = found
        serialised.extend(found)
    serialised.sort(key=itemgetter(0))
    head = _calendar(info).to_ical()
    assert head.endswith(_END)
    return b"".join([head[: -len(_END)], *(body for _, body in serialised), _END])


def _calendar(info: CalendarInfo) -> Calendar:
    """The calendar's own properties and the VTIMEZONE, without events."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = " ".join(info.name.split())  # a one-line label in every client
    calendar.add("name", vText(name))
    calendar.add("x-wr-calname", vText(name))
    if info.description:
        calendar.add("x-wr-caldesc", vText(info.description))
    calendar.add("x-wr-timezone", TZID)
    calendar.add("refresh-interval", vDuration(info.refresh), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(info.refresh))
    for name, value in info.extra:
        calendar.add(name, vText(value))
    calendar.add_component(oslo_vtimezone())
    return calendar


def _sort_key(event: Event) -> tuple[str, str, str]:
    start = event.decoded("dtstart")
    rid = event.get("recurrence-id")
    return (
        _as_sortable(start),
        str(event.get("uid")),
        _as_sortable(rid.dt) if rid is not None else "",
    )


def _as_sortable(value: date | datetime) -> str:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat()
    return datetime.combine(value, time()).isoformat()
