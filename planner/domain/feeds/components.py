"""The iCalendar components of a feed: the Europe/Oslo VTIMEZONE, and one VEVENT (with its
reminder VALARM) of an :class:`~planner.domain.feeds.values.EventData`.

Times are written with ``TZID=Europe/Oslo``, all-day events as ``VALUE=DATE`` with an
exclusive DTEND, DTSTAMP/CREATED/LAST-MODIFIED in UTC; text goes through the ``icalendar``
library (escaping, folding), never string concatenation.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta

from icalendar import (
    Alarm,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vRecur,
    vText,
)

from planner.domain.dates import OSLO
from planner.domain.feeds.values import EventData, ExtraProperty
from planner.domain.posts.seed_rules import is_working_day

TZID = "Europe/Oslo"
#: Reminders go off at this time of day on the working day they fall on.
REMINDER_TIME = time(9, 0)


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


def _moment(value: datetime, all_day: bool) -> date | datetime:
    """A DTSTART-like value: a date for all-day events, else Oslo time with TZID."""
    if all_day:
        return value.date()
    return value.replace(tzinfo=OSLO, fold=0)


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(microsecond=0, tzinfo=UTC)
    return value.astimezone(UTC).replace(microsecond=0)


def vevent(
    data: EventData,
    uid: str,
    start: datetime,
    end: datetime,
    reminder_days: int | None,
    recurrence_id: datetime | None = None,
    rrule: str | None = None,
    exdates: Iterable[datetime] = (),
    extra: Sequence[ExtraProperty] = (),
) -> Event:
    """One VEVENT of ``data`` from ``start`` to ``end`` under ``uid``: the whole event, a
    series master (``rrule``, ``exdates``), a moved occurrence (``recurrence_id``) or one
    occurrence of an expanded series (``extra`` properties naming its series)."""
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
    _add_details(event, data, extra)
    if reminder_days and data.alarm and data.status != "CANCELLED":
        event.add_component(_alarm(data, start, reminder_days))
    return event


def _add_details(event: Event, data: EventData, extra: Sequence[ExtraProperty]) -> None:
    """STATUS, TRANSP, the texts, CATEGORIES, URL and the extra (X-) properties."""
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


def _alarm(data: EventData, start: datetime, reminder_days: int) -> Alarm:
    """The reminder: a DISPLAY alarm at 09:00 ``reminder_days`` working days before."""
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", vText(f"Påminnelse: {data.summary}"))
    alarm.add("trigger", reminder_trigger(start, reminder_days))
    return alarm
