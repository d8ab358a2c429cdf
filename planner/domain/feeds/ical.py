"""Build iCalendar (RFC 5545) bytes from plain data: the feeds and the .ics export.

Pure (no Flask, no database), in the style of indico's ``events_to_ical(...) -> bytes``:
the service gathers plain :class:`EventData` and this module does everything iCal.
The details real clients need are collected in ``/work/shared/ICAL.md``; in short:

* one VTIMEZONE for Europe/Oslo in the compact RRULE form (Outlook misreads RDATE lists);
* stable UIDs, DTSTAMP in UTC, LAST-MODIFIED, SEQUENCE; all-day events as ``VALUE=DATE``
  with an exclusive DTEND; times with ``TZID=Europe/Oslo``;
* a recurring post becomes one VEVENT with RRULE (UNTIL in UTC), EXDATE for cancelled
  occurrences and a RECURRENCE-ID VEVENT for each moved one — when the rule fits the
  patterns Outlook understands (MS-OXCICAL 2.1.3.2.2) and the moves keep the order of the
  series. Otherwise the series is *expanded*: one VEVENT per occurrence, with a UID derived
  from the post's UID and the original start, so it is stable too;
* the occurrences a client expands are exactly the planner's own
  (:func:`planner.domain.posts.occurrences.occurrences` within the post's window): a rewritten
  rule is checked against them and the series is expanded if they differ;
* text goes through the ``icalendar`` library (escaping, folding at 75 octets), never
  string concatenation, and the output is deterministic so that unchanged data gives
  identical bytes (and a stable ETag).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, MutableMapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from operator import itemgetter

from icalendar import (
    Alarm,
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vDuration,
    vRecur,
    vText,
)

from planner.domain.dates import OSLO, to_oslo
from planner.domain.posts.occurrences import ExceptionValues, occurrences
from planner.domain.posts.recurrence import MAX_TOTAL_OCCURRENCES, expand
from planner.domain.posts.rrule_text import split_rule
from planner.domain.posts.seed_rules import is_working_day

__all__ = [
    "PRODID",
    "CalendarInfo",
    "EventData",
    "derived_uid",
    "events_to_ical",
    "ical_status",
    "oslo_vtimezone",
    "outlook_compatible",
    "post_description",
    "reminder_trigger",
    "working_days_before",
]

PRODID = "-//Arshjul//Arshjul kommunikasjonsplan//NB"
TZID = "Europe/Oslo"
#: Reminders go off at this time of day on the working day they fall on.
REMINDER_TIME = time(9, 0)
#: The iCal STATUS of each post status.
_STATUS = {
    "idé": "TENTATIVE",
    "planlagt": "CONFIRMED",
    "godkjent": "CONFIRMED",
    "publisert": "CONFIRMED",
    "avlyst": "CANCELLED",
}


@dataclass(frozen=True)
class CalendarInfo:
    """The calendar as a whole: its name (shown by the client) and description."""

    name: str
    description: str = ""
    refresh: timedelta = timedelta(hours=1)
    #: Extra calendar properties, e.g. ``("X-ARSHJUL-ORGANISATION", "Testvik kommune")``.
    extra: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class EventData:
    """One post, peak period or duty week as plain values.

    ``start``/``end`` are naive Oslo wall-clock times; for all-day events both are
    midnight and ``end`` is the last day (inclusive), as in the planner. ``stamp`` and
    ``last_modified`` are naive UTC (or aware). A recurring event (``rrule``) needs a
    ``window``: only its occurrences overlapping the window are published, as the planner
    shows a post only within its wheel's year.
    """

    uid: str
    summary: str
    start: datetime
    end: datetime
    all_day: bool
    stamp: datetime
    last_modified: datetime | None = None
    created: datetime | None = None
    sequence: int = 0
    description: str = ""
    location: str = ""
    categories: tuple[str, ...] = ()
    url: str | None = None
    status: str = "CONFIRMED"
    rrule: str | None = None
    exceptions: tuple[ExceptionValues, ...] = ()
    window: tuple[datetime, datetime] | None = None
    alarm: bool = True
    #: Extra properties ``(NAME, value, ((PARAM, value), …))`` such as X-ARSHJUL-*.
    extra: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = field(default=())


# --------------------------------------------------------------------------- helpers


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


def working_days_before(day: date, days: int) -> date:
    """The date ``days`` Norwegian working days before ``day`` (weekends and public
    holidays skipped), e.g. 2 working days before Monday is the Thursday before."""
    current = day
    remaining = days
    while remaining > 0:
        current -= timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def reminder_trigger(start: datetime, days: int, at: time = REMINDER_TIME) -> timedelta:
    """The (negative) TRIGGER of a reminder at ``at`` o'clock ``days`` working days
    before the day of ``start`` (naive Oslo wall clock; midnight for all-day events).

    Written as a duration relative to DTSTART: clients apply nominal days on the wall
    clock, so the reminder stays at 09:00 across daylight saving changes.
    """
    moment = datetime.combine(working_days_before(start.date(), days), at)
    return moment - start


def derived_uid(uid: str, original: datetime, all_day: bool) -> str:
    """A stable UID for one occurrence of an expanded series: the post's UID with the
    original start (its RECURRENCE-ID) inserted before the domain part."""
    stamp = original.strftime("%Y%m%d" if all_day else "%Y%m%dT%H%M%S")
    local, at, domain = uid.rpartition("@")
    if not at:
        return f"{uid}-{stamp}"
    return f"{local}-{stamp}@{domain}"


def oslo_vtimezone() -> Timezone:
    """VTIMEZONE for Europe/Oslo in the compact RRULE form (both DAYLIGHT and STANDARD),
    the way Google writes it; the EU rule has been in force since 1996."""
    tz = Timezone()
    tz.add("tzid", TZID)
    tz.add("x-lic-location", TZID)
    daylight = TimezoneDaylight()
    daylight.add("tzoffsetfrom", timedelta(hours=1))
    daylight.add("tzoffsetto", timedelta(hours=2))
    daylight.add("tzname", "CEST")
    daylight.add("dtstart", datetime(1970, 3, 29, 2, 0, 0))
    daylight.add("rrule", vRecur({"FREQ": "YEARLY", "BYMONTH": 3, "BYDAY": "-1SU"}))
    standard = TimezoneStandard()
    standard.add("tzoffsetfrom", timedelta(hours=2))
    standard.add("tzoffsetto", timedelta(hours=1))
    standard.add("tzname", "CET")
    standard.add("dtstart", datetime(1970, 10, 25, 3, 0, 0))
    standard.add("rrule", vRecur({"FREQ": "YEARLY", "BYMONTH": 10, "BYDAY": "-1SU"}))
    tz.add_component(daylight)
    tz.add_component(standard)
    return tz


# --------------------------------------------------------------------------- rules


def _rule_parts(rule: str) -> dict[str, str]:
    """``{NAME: value}`` of a rule, read leniently (a later part wins)."""
    return {name: value for _, name, value in split_rule(rule) if name}


_OUTLOOK_ORDINALS = {"1", "2", "3", "4", "-1"}
_PLAIN_DAYS = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"}


def _nth_pattern(parts: dict[str, str]) -> bool:
    """BYDAY=2TH (one ordinal weekday) or BYDAY=MO,TU…;BYSETPOS=n (Outlook's "n-th")."""
    days = parts["BYDAY"].split(",")
    if "BYSETPOS" in parts:
        return parts["BYSETPOS"] in _OUTLOOK_ORDINALS and all(d in _PLAIN_DAYS for d in days)
    if len(days) != 1:
        return False
    ordinal, weekday = days[0][:-2], days[0][-2:]
    return weekday in _PLAIN_DAYS and ordinal.lstrip("+") in _OUTLOOK_ORDINALS


def outlook_compatible(rule: str) -> bool:
    """Whether an RRULE fits one of the recurrence templates Outlook imports
    (MS-OXCICAL 2.1.3.2.2: daily, weekly, monthly, monthly n-th, yearly, yearly n-th).

    Outlook "gracefully fails" on anything else (it shows only the first occurrence), so
    such series are published expanded instead. Google and Apple understand both forms.
    """
    parts = _rule_parts(rule)
    freq = parts.get("FREQ")
    allowed_common = {"FREQ", "INTERVAL", "COUNT", "UNTIL", "WKST"}
    extra = set(parts) - allowed_common
    if freq == "DAILY":
        return not extra
    if freq == "WEEKLY":
        if extra - {"BYDAY"}:
            return False
        return all(d in _PLAIN_DAYS for d in parts.get("BYDAY", "MO").split(","))
    if freq == "MONTHLY":
        if not extra:
            return True
        if extra == {"BYMONTHDAY"}:
            return "," not in parts["BYMONTHDAY"] and parts["BYMONTHDAY"] != "-0"
        if extra in ({"BYDAY"}, {"BYDAY", "BYSETPOS"}):
            return _nth_pattern(parts)
        return False
    if freq == "YEARLY":
        if extra <= {"BYMONTH", "BYMONTHDAY"}:
            return all("," not in parts[p] for p in extra)
        if extra in ({"BYDAY", "BYMONTH"}, {"BYDAY", "BYMONTH", "BYSETPOS"}):
            return "," not in parts["BYMONTH"] and _nth_pattern(parts)
        return False
    return False


def _rule_with_until(rule: str, last: datetime, all_day: bool) -> str:
    """The rule without COUNT/UNTIL, ending at ``last`` (an occurrence, Oslo wall clock)."""
    parts = {k: v for k, v in _rule_parts(rule).items() if k not in ("COUNT", "UNTIL")}
    if all_day:
        parts["UNTIL"] = last.strftime("%Y%m%d")
    else:
        parts["UNTIL"] = to_oslo(last).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return ";".join(f"{k}={v}" for k, v in parts.items())


# --------------------------------------------------------------------------- building


def _moment(value: datetime, all_day: bool) -> date | datetime:
    """A DTSTART-like value: a date for all-day events, else Oslo time with TZID."""
    if all_day:
        return value.date()
    return value.replace(tzinfo=OSLO, fold=0)


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(microsecond=0, tzinfo=UTC)
    return value.astimezone(UTC).replace(microsecond=0)


def _vevent(
    data: EventData,
    uid: str,
    start: datetime,
    end: datetime,
    reminder_days: int | None,
    recurrence_id: datetime | None = None,
    rrule: str | None = None,
    exdates: Iterable[datetime] = (),
    extra: Sequence[tuple[str, str, tuple[tuple[str, str], ...]]] = (),
) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", _utc(data.stamp))
    if data.created is not None:
        event.add("created", _utc(data.created))
    if data.last_modified is not None:
        event.add("last-modified", _utc(data.last_modified))
    event.add("sequence", max(0, data.sequence))
    event.add("summary", vText(data.summary))
    event.add("dtstart", _moment(start, data.all_day))
    if data.all_day:
        event.add("dtend", (end + timedelta(days=1)).date())
    elif end > start:
        event.add("dtend", _moment(end, False))
    if recurrence_id is not None:
        event.add("recurrence-id", _moment(recurrence_id, data.all_day))
    if rrule:
        event.add("rrule", vRecur.from_ical(rrule))
        excluded = sorted(set(exdates))
        if excluded:
            event.add("exdate", [_moment(x, data.all_day) for x in excluded])
    event.add("status", data.status)
    event.add("transp", "TRANSPARENT")
    if data.description:
        event.add("description", vText(data.description))
    if data.location:
        event.add("location", vText(data.location))
    if data.categories:
        event.add("categories", list(data.categories))
    if data.url:
        event.add("url", data.url)
    for name, value, params in (*data.extra, *extra):
        if params:
            event.add(name, vText(value), parameters=dict(params))
        else:
            event.add(name, vText(value))
    if reminder_days and data.alarm and data.status != "CANCELLED":
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", vText(f"Påminnelse: {data.summary}"))
        alarm.add("trigger", reminder_trigger(start, reminder_days))
        event.add_component(alarm)
    return event


def _series_events(data: EventData, reminder_days: int | None) -> list[Event]:
    """A recurring event: one RRULE master (+ overrides), or expanded occurrences."""
    assert data.rrule is not None
    if data.window is None:
        raise ValueError("A recurring event needs a window (the year it belongs to).")
    window_start, window_end = data.window
    duration = data.end - data.start
    raw = expand(
        data.rrule, data.start, window_start - duration, window_end, cap=MAX_TOTAL_OCCURRENCES
    )
    raw_set = set(raw)
    final = occurrences(data.start, data.end, data.rrule, data.exceptions, window_start, window_end)
    by_id = {e.recurrence_id: e for e in data.exceptions}
    moved = [e for e in data.exceptions if not e.cancelled and e.start is not None]
    cancelled = [r for r in raw if by_id.get(r) is not None and by_id[r].cancelled]
    master = _as_master(data, raw, raw_set, final, moved, cancelled)
    if master is not None:
        rule, first = master
        events = [
            _vevent(
                data,
                data.uid,
                first,
                first + duration,
                reminder_days,
                rrule=rule,
                exdates=cancelled,
            )
        ]
        for exc in sorted(moved, key=lambda e: e.recurrence_id):
            assert exc.start is not None
            events.append(
                _vevent(
                    data,
                    data.uid,
                    exc.start,
                    exc.end or exc.start + duration,
                    reminder_days,
                    recurrence_id=exc.recurrence_id,
                )
            )
        return events
    series = json.dumps(
        {
            "uid": data.uid,
            "start": data.start.isoformat(),
            "end": data.end.isoformat(),
            "all_day": data.all_day,
            "rrule": data.rrule,
            "exceptions": [
                {
                    "recurrence_id": e.recurrence_id.isoformat(),
                    "cancelled": e.cancelled,
                    "start": e.start.isoformat() if e.start else None,
                    "end": e.end.isoformat() if e.end else None,
                }
                for e in sorted(data.exceptions, key=lambda e: e.recurrence_id)
            ],
        },
        ensure_ascii=False,
        sort_keys=True,
    )
    return [
        _vevent(
            data,
            derived_uid(data.uid, occ.recurrence_id or occ.start, data.all_day),
            occ.start,
            occ.end,
            reminder_days,
            extra=(
                ("X-ARSHJUL-SERIES-UID", data.uid, ()),
                ("X-ARSHJUL-SERIES", series, ()),
            ),
        )
        for occ in final
    ]


def _as_master(
    data: EventData,
    raw: list[datetime],
    raw_set: set[datetime],
    final: Sequence[object],
    moved: list[ExceptionValues],
    cancelled: list[datetime],
) -> tuple[str, datetime] | None:
    """The (rule, DTSTART) of a faithful RRULE form of the series, or None to expand."""
    assert data.rrule is not None and data.window is not None
    if not raw or not outlook_compatible(data.rrule):
        return None
    if len(cancelled) + len(moved) >= len(raw):
        return None
    window_start, window_end = data.window
    duration = data.end - data.start
    day = timedelta(days=1) if data.all_day else timedelta(0)
    spans: dict[datetime, tuple[datetime, datetime]] = {
        r: (r, r + duration) for r in raw if r not in cancelled
    }
    for exc in moved:
        assert exc.start is not None
        if exc.recurrence_id not in raw_set or exc.recurrence_id in cancelled:
            return None
        new_end = exc.end or exc.start + duration
        if exc.start > window_end or new_end < window_start:
            return None  # moved out of the year: the planner no longer shows it
        spans[exc.recurrence_id] = (exc.start, new_end)
    # Outlook: an occurrence may not move past its neighbours nor overlap them.
    ordered = [spans[r] for r in sorted(spans)]
    for (prev_start, prev_end), (next_start, _) in pairwise(ordered):
        if next_start <= prev_start or next_start < prev_end + day:
            return None
    rule = _rule_with_until(data.rrule, raw[-1], data.all_day)
    check = expand(rule, raw[0], window_start - duration, window_end, cap=MAX_TOTAL_OCCURRENCES)
    if check != raw or len(final) != len(spans):
        return None
    return rule, raw[0]


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
    serialised: list[tuple[tuple[str, str, str], bytes]] = []
    for data in events:
        key = (data, reminder_days)
        found = cache.get(key) if cache is not None else None
        if found is None:
            built = (
                _series_events(data, reminder_days)
                if data.rrule
                else [_vevent(data, data.uid, data.start, data.end, reminder_days)]
            )
            found = tuple((_sort_key(event), event.to_ical()) for event in built)
            if cache is not None:
                cache[key] = found
        serialised.extend(found)
    serialised.sort(key=itemgetter(0))
    head = calendar.to_ical()
    assert head.endswith(_END)
    return b"".join([head[: -len(_END)], *(body for _, body in serialised), _END])


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
