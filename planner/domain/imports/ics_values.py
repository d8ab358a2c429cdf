"""The properties of an .ics event as plain values: texts (with RFC 5545 escaping undone),
categories, the planner's own X-ARSHJUL-* properties, status, times as Europe/Oslo wall
clock, the recurrence rule (bounded) and the UID. Problems are collected in Norwegian
with the event they belong to. Pure: no Flask, no database.

Start, end and duration come from icalendar's own event fields (``Event.start``,
``Event.end``, ``Event.duration``), which also apply RFC 5545's rules to them; times become
naive Europe/Oslo wall-clock values (floating times are taken as Oslo, or as the
calendar's X-WR-TIMEZONE), and all-day events get the planner's convention of an inclusive
last day.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Component, Event, vUnknown
from icalendar.error import IncompleteComponent, InvalidCalendar

from planner.domain.dates import OSLO, format_date
from planner.domain.posts.recurrence import RecurrenceError, validate_rrule
from planner.domain.posts.rules import MAX_SPAN_DAYS

#: The planner's own properties in its exports and feeds.
PREFIX = "X-ARSHJUL-"
_EARLIEST = date(1900, 1, 1)
_LATEST = date(2200, 12, 31)
_ESCAPED = re.compile(r"\\([\\;,nN])")


# --------------------------------------------------------------------------- texts


def unescape_text(value: str) -> str:
    """Undo RFC 5545 TEXT escaping (``\\n``, ``\\,``, ``\\;``, ``\\\\``).

    The ``icalendar`` library leaves X- properties (X-WR-CALNAME, X-ARSHJUL-*) as they
    are in the file, although their default value type is TEXT.
    """
    return _ESCAPED.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _value_text(value: Any) -> str:
    if isinstance(value, vUnknown):
        return unescape_text(str(value))
    return str(value)


def text(component: Component, name: str) -> str:
    """A property as trimmed text (the first, when it is there several times)."""
    value = component.get(name)
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0]
    return _value_text(value).strip()


def categories(component: Component) -> list[str]:
    """The CATEGORIES of an event, each once, in the file's order."""
    found: list[str] = []
    values = component.get("categories")
    if values is None:
        return found
    for prop in values if isinstance(values, list) else [values]:
        for category in getattr(prop, "cats", [str(prop)]):
            name = str(category).strip()
            if name and name not in found:
                found.append(name)
    return found


def meta(component: Component) -> dict[str, list[tuple[str, dict[str, str]]]]:
    """The planner's own X-ARSHJUL-* properties by name (without the prefix), each as a
    list of (value, parameters)."""
    found: dict[str, list[tuple[str, dict[str, str]]]] = {}
    for name, value in component.property_items(recursive=False, sorted=False):
        if not name.startswith(PREFIX):
            continue
        params = {k.upper(): str(v) for k, v in getattr(value, "params", {}).items()}
        found.setdefault(name[len(PREFIX) :], []).append((_value_text(value), params))
    return found


def describe(summary: str, start: datetime | None) -> str:
    """How problems name an event: «Hendelsen «Kommunestyret» (12.02.2026)»."""
    name = f"«{summary[:60]}»" if summary else "uten tittel"
    return f"Hendelsen {name}" + (f" ({format_date(start)})" if start else "")


def status(component: Component) -> str:
    """The planner status of an event's STATUS (cancelled → avlyst, tentative → idé)."""
    value = text(component, "status").upper()
    if value == "CANCELLED":
        return "avlyst"
    if value == "TENTATIVE":
        return "idé"
    return "planlagt"


def uid(component: Component, summary: str, start: datetime) -> str:
    """The event's UID; without one, a UID made from its title and start, so importing the
    same file twice updates instead of doubling."""
    found = text(component, "uid")
    if found:
        return found[:255]
    digest = hashlib.sha256(f"{summary}|{start.isoformat()}".encode()).hexdigest()[:24]
    return f"{digest}@import.arshjul"


# --------------------------------------------------------------------------- times


def floating_zone(calendar: Calendar) -> tzinfo:
    """The zone of floating times: the calendar's X-WR-TIMEZONE (Google), else Oslo."""
    name = str(calendar.get("x-wr-timezone") or "").strip()
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            return OSLO
    return OSLO


def wall_clock(value: Any, floating: tzinfo) -> tuple[datetime, bool]:
    """A date or date-time of the file as (naive Oslo wall clock, is_date)."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=floating)
        return value.astimezone(OSLO).replace(tzinfo=None, microsecond=0), False
    if isinstance(value, date):
        return datetime.combine(value, time()), True
    raise ValueError(f"«{value}» er ikke en dato")


def dates(component: Component, name: str, floating: tzinfo) -> list[datetime]:
    """Every date of a list property (EXDATE) as Oslo wall clock."""
    values = component.get(name)
    if values is None:
        return []
    found: list[datetime] = []
    for prop in values if isinstance(values, list) else [values]:
        for item in getattr(prop, "dts", []):
            found.append(wall_clock(item.dt, floating)[0])
    return found


def start_hint(event: Event, floating: tzinfo) -> datetime | None:
    """The event's start for naming it in a problem, when it can be read at all."""
    try:
        start = event.DTSTART
        return wall_clock(start, floating)[0] if start is not None else None
    except (ValueError, TypeError, OverflowError):
        return None


def times(
    event: Event, floating: tzinfo, where: str, problems: list[str]
) -> tuple[datetime, datetime, bool] | None:
    """The event's (start, inclusive end, all_day) from icalendar's ``start``/``end``
    (DTEND, or DTSTART + DURATION), or ``None`` with a Norwegian problem."""
    try:
        start_value, end_value, duration = event.start, event.end, event.duration
        start, is_date = wall_clock(start_value, floating)
        end = wall_clock(end_value, floating)[0]
    except IncompleteComponent:
        problems.append(f"{where}: mangler starttidspunkt (DTSTART).")
        return None
    except InvalidCalendar as exc:
        problems.append(f"{where}: {_invalid_times(event, exc)}")
        return None
    except (ValueError, TypeError, OverflowError) as exc:
        problems.append(f"{where}: ugyldig dato eller tid ({exc}).")
        return None
    if duration < timedelta(0) and not is_date:
        # icalendar ends a timed event with a negative DURATION at its start; say so instead.
        problems.append(f"{where}: slutt er før start.")
        return None
    if is_date:
        end = max(start, end - timedelta(days=1))  # DTEND of a date is the day after
    return _checked_span(start, end, is_date, where, problems)


def _invalid_times(event: Event, exc: InvalidCalendar) -> str:
    """What RFC 5545 rule the event's start, end and duration break, in Norwegian."""
    if "DTEND" in event and "DURATION" in event:
        return "har både sluttidspunkt (DTEND) og varighet (DURATION); bare én av dem er tillatt."
    start, end = event.get("DTSTART"), event.get("DTEND")
    if start is not None and end is not None:
        if isinstance(start.dt, datetime) != isinstance(end.dt, datetime):
            return "blander dato og klokkeslett i start og slutt."
    if "DURATION" in event and start is not None and not isinstance(start.dt, datetime):
        return "varer hele dager (dato uten klokkeslett), men varigheten (DURATION) har timer."
    return f"ugyldig dato eller tid ({exc})."


def _checked_span(
    start: datetime, end: datetime, is_date: bool, where: str, problems: list[str]
) -> tuple[datetime, datetime, bool] | None:
    """The span when it is one the planner can hold, else ``None`` with a problem."""
    if not (_EARLIEST <= start.date() <= _LATEST and _EARLIEST <= end.date() <= _LATEST):
        problems.append(f"{where}: datoen er utenfor det som kan planlegges (1900–2200).")
        return None
    if end < start:
        problems.append(f"{where}: slutt er før start.")
        return None
    if (end - start).days > MAX_SPAN_DAYS:
        problems.append(f"{where}: varer mer enn ett år.")
        return None
    return start, end, is_date


def rrule_text(event: Component, start: datetime, where: str, problems: list[str]) -> str:
    """The event's RRULE checked and bounded (:func:`validate_rrule`), or ``""`` (none, or
    unusable with a problem)."""
    rules = event.get("rrule")
    if rules is None:
        return ""
    if isinstance(rules, list):
        if len(rules) > 1:
            problems.append(f"{where}: har flere gjentakelsesregler (RRULE); bare én støttes.")
            return ""
        rules = rules[0]
    try:
        rule = rules.to_ical().decode("ascii", "replace")
        return validate_rrule(rule, start)
    except RecurrenceError as exc:
        problems.append(f"{where}: {exc}")
    except (ValueError, TypeError, AttributeError):
        problems.append(f"{where}: gjentakelsesregelen (RRULE) kan ikke leses.")
    return ""
