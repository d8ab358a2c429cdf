"""Read an uploaded .ics file into plain, validated events: the pure half of the import.

Files come from anywhere (an Outlook export, the council's meeting calendar, a
school-holiday calendar, a planner export), so everything is bounded and checked before
anything is written: size (:data:`MAX_BYTES`), encoding (UTF-8, or UTF-16 with a BOM),
structure (nesting, number of components), dates, and recurrence rules (through
:func:`planner.domain.posts.recurrence.validate_rrule`, which bounds RRULEs). Every problem is
collected with the event it belongs to and reported in Norwegian; a file with problems
is refused as a whole.

Times become naive Europe/Oslo wall-clock values (floating times are taken as Oslo, or
as the calendar's X-WR-TIMEZONE); all-day events keep the planner's convention of an
inclusive last day.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Component, vUnknown

from planner.domain.dates import OSLO, format_date
from planner.domain.posts.occurrences import ExceptionValues
from planner.domain.posts.recurrence import RecurrenceError, validate_rrule
from planner.domain.posts.rules import MAX_SPAN_DAYS, STATUSES, TITLE_MAX

__all__ = [
    "MAX_BYTES",
    "MAX_EVENTS",
    "IcsImportError",
    "ImportedEvent",
    "ParsedCalendar",
    "decode_ics",
    "looks_like_ics",
    "parse_ics",
]

#: Largest file accepted (an export of several years of a busy plan is well below 1 MB).
MAX_BYTES = 5 * 1024 * 1024
#: Most events (VEVENTs) in one file.
MAX_EVENTS = 5000
_MAX_LINES = 200_000
_MAX_DEPTH = 4
_MAX_TIMEZONES = 50
_MAX_PROBLEMS = 50
_EARLIEST = date(1900, 1, 1)
_LATEST = date(2200, 12, 31)
UNTITLED = "(uten tittel)"
_PROPERTY_NAMES = {
    "DTSTART": "starttidspunktet (DTSTART)",
    "DTEND": "sluttidspunktet (DTEND)",
    "DURATION": "varigheten (DURATION)",
    "RRULE": "gjentakelsesregelen (RRULE)",
    "EXDATE": "unntaksdatoen (EXDATE)",
    "RECURRENCE-ID": "forekomsten (RECURRENCE-ID)",
    "DTSTAMP": "tidsstempelet (DTSTAMP)",
}
_PREFIX = "X-ARSHJUL-"


class IcsImportError(ValueError):
    """The file was refused; ``problems`` says why, in Norwegian, event by event."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class ImportedEvent:
    """One event of the file (a series with its moved/cancelled occurrences, or a one-off).

    ``key`` identifies it in the preview (stable for the same file). ``status`` is the
    planner status it maps to. ``meta`` holds the planner's own X-ARSHJUL-* properties
    (lists of values with their parameters) when the file is a planner export.
    """

    key: str
    uid: str
    summary: str
    start: datetime
    end: datetime
    all_day: bool
    description: str = ""
    location: str = ""
    rrule: str | None = None
    exceptions: list[ExceptionValues] = field(default_factory=list)
    status: str = "planlagt"
    categories: list[str] = field(default_factory=list)
    meta: dict[str, list[tuple[str, dict[str, str]]]] = field(default_factory=dict)

    def meta_value(self, name: str, default: str = "") -> str:
        """The first value of an X-ARSHJUL-<name> property."""
        values = self.meta.get(name.upper())
        return values[0][0] if values else default

    def meta_values(self, name: str) -> list[tuple[str, dict[str, str]]]:
        """Every X-ARSHJUL-<name> property as (value, parameters)."""
        return list(self.meta.get(name.upper(), []))


@dataclass
class ParsedCalendar:
    """The events of a file that passed every check, and what was left out (warnings)."""

    name: str
    events: list[ImportedEvent]
    warnings: list[str] = field(default_factory=list)
    organisation: str = ""

    @property
    def from_planner(self) -> bool:
        """Whether the file is an export or feed of an årshjul (it carries X-ARSHJUL-*)."""
        return any(e.meta for e in self.events)


# --------------------------------------------------------------------------- reading


def looks_like_ics(raw: bytes) -> bool:
    """Whether ``raw`` starts like an iCalendar file (after a BOM and white space)."""
    head = raw[:512]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            head = head.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return False
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return head[:15].upper() == b"BEGIN:VCALENDAR"


def decode_ics(raw: bytes) -> str:
    """The text of the file: UTF-8 (a BOM is allowed), or UTF-16 with a BOM.

    Anything else is refused with a Norwegian message saying where the bad byte is;
    guessing (Windows-1252?) would silently garble æ, ø and å.
    """
    if len(raw) > MAX_BYTES:
        raise IcsImportError(
            [
                f"Filen er for stor ({len(raw) / 1024 / 1024:.1f} MB). "
                f"Største tillatte størrelse er {MAX_BYTES // 1024 // 1024} MB."
            ]
        )
    if not raw.strip():
        raise IcsImportError(["Filen er tom."])
    try:
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = raw.decode("utf-16")
        else:
            text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IcsImportError(
            [
                "Filen er ikke lagret som UTF-8 (ugyldig tegn ved byte "
                f"{exc.start + 1}). Eksporter kalenderen på nytt med tegnkoding UTF-8, "
                "så æ, ø og å kommer riktig med."
            ]
        ) from None
    if "\x00" in text:
        raise IcsImportError(["Filen inneholder binære data og er ikke en kalenderfil (.ics)."])
    return text


def _check_structure(text: str) -> None:
    """Cheap checks before the real parser: shape, size, nesting."""
    stripped = text.lstrip(" \t\r\n")
    if not stripped[:15].upper() == "BEGIN:VCALENDAR":
        raise IcsImportError(
            ["Filen er ikke en iCalendar-fil (.ics): den må begynne med BEGIN:VCALENDAR."]
        )
    lines = text.splitlines()
    if len(lines) > _MAX_LINES:
        raise IcsImportError([f"Filen har for mange linjer (over {_MAX_LINES})."])
    depth = events = timezones = 0
    for number, line in enumerate(lines, 1):
        upper = line[:40].upper()
        if upper.startswith("BEGIN:"):
            depth += 1
            if depth > _MAX_DEPTH:
                raise IcsImportError([f"Linje {number}: komponentene er nøstet for dypt."])
            name = upper[6:].strip()
            events += name == "VEVENT"
            timezones += name == "VTIMEZONE"
        elif upper.startswith("END:"):
            depth -= 1
            if depth < 0:
                raise IcsImportError([f"Linje {number}: END uten tilhørende BEGIN."])
    if depth != 0:
        raise IcsImportError(["Filen er avkortet eller ødelagt: en BEGIN mangler sin END."])
    if events > MAX_EVENTS:
        raise IcsImportError(
            [f"Filen har {events} hendelser; høyst {MAX_EVENTS} kan importeres om gangen."]
        )
    if timezones > _MAX_TIMEZONES:
        raise IcsImportError([f"Filen har for mange tidssoner ({timezones})."])


def _check_timezones(calendar: Calendar, problems: list[str]) -> None:
    """Time zone rules must be yearly (a hostile VTIMEZONE could ask for millions)."""
    for tz in calendar.walk("VTIMEZONE"):
        for sub in tz.subcomponents:
            rule = sub.get("rrule")
            if rule is None:
                continue
            freq = rule.get("FREQ") if hasattr(rule, "get") else None
            if not freq or str(freq[0]).upper() != "YEARLY":
                problems.append(
                    f"Tidssonen «{tz.get('tzid')}» har en ugyldig regel (må gjenta seg årlig)."
                )


# --------------------------------------------------------------------------- values


def _floating_zone(calendar: Calendar) -> tzinfo:
    name = str(calendar.get("x-wr-timezone") or "").strip()
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            return OSLO
    return OSLO


def _wall_clock(value: Any, floating: tzinfo) -> tuple[datetime, bool]:
    """A decoded DTSTART-like value as (naive Oslo wall clock, is_date)."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=floating)
        return value.astimezone(OSLO).replace(tzinfo=None, microsecond=0), False
    if isinstance(value, date):
        return datetime.combine(value, time()), True
    raise ValueError(f"«{value}» er ikke en dato")


_ESCAPED = re.compile(r"\\([\\;,nN])")


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


def _text(component: Component, name: str) -> str:
    value = component.get(name)
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0]
    return _value_text(value).strip()


def _categories(component: Component) -> list[str]:
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


def _dates(component: Component, name: str, floating: tzinfo) -> list[datetime]:
    values = component.get(name)
    if values is None:
        return []
    found: list[datetime] = []
    for prop in values if isinstance(values, list) else [values]:
        for item in getattr(prop, "dts", []):
            found.append(_wall_clock(item.dt, floating)[0])
    return found


def _meta(component: Component) -> dict[str, list[tuple[str, dict[str, str]]]]:
    meta: dict[str, list[tuple[str, dict[str, str]]]] = {}
    for name, value in component.property_items(recursive=False, sorted=False):
        if not name.startswith(_PREFIX):
            continue
        params = {k.upper(): str(v) for k, v in getattr(value, "params", {}).items()}
        meta.setdefault(name[len(_PREFIX) :], []).append((_value_text(value), params))
    return meta


def _describe(summary: str, start: datetime | None) -> str:
    name = f"«{summary[:60]}»" if summary else "uten tittel"
    return f"Hendelsen {name}" + (f" ({format_date(start)})" if start else "")


def _status(component: Component) -> str:
    value = _text(component, "status").upper()
    if value == "CANCELLED":
        return "avlyst"
    if value == "TENTATIVE":
        return "idé"
    return "planlagt"


def _times(
    component: Component, floating: tzinfo, where: str, problems: list[str]
) -> tuple[datetime, datetime, bool] | None:
    """DTSTART/DTEND (or DURATION) as (start, inclusive end, all_day), or None + problem."""
    if component.get("dtstart") is None:
        problems.append(f"{where}: mangler starttidspunkt (DTSTART).")
        return None
    try:
        start, is_date = _wall_clock(component.decoded("dtstart"), floating)
        if component.get("dtend") is not None:
            end, end_is_date = _wall_clock(component.decoded("dtend"), floating)
            if end_is_date != is_date:
                problems.append(f"{where}: blander dato og klokkeslett i start og slutt.")
                return None
            if is_date:
                end = max(start, end - timedelta(days=1))
        elif component.get("duration") is not None:
            duration = component.decoded("duration")
            if not isinstance(duration, timedelta):
                raise ValueError("ugyldig varighet")
            end = start + duration
            if is_date:
                end = max(start, end - timedelta(days=1))
        else:
            end = start
    except (ValueError, TypeError, OverflowError) as exc:
        problems.append(f"{where}: ugyldig dato eller tid ({exc}).")
        return None
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


def _rrule_text(component: Component, start: datetime, where: str, problems: list[str]) -> str:
    rules = component.get("rrule")
    if rules is None:
        return ""
    if isinstance(rules, list):
        if len(rules) > 1:
            problems.append(f"{where}: har flere gjentakelsesregler (RRULE); bare én støttes.")
            return ""
        rules = rules[0]
    try:
        text = rules.to_ical().decode("ascii", "replace")
        return validate_rrule(text, start)
    except RecurrenceError as exc:
        problems.append(f"{where}: {exc}")
    except (ValueError, TypeError, AttributeError):
        problems.append(f"{where}: gjentakelsesregelen (RRULE) kan ikke leses.")
    return ""


def _uid(component: Component, summary: str, start: datetime) -> str:
    uid = _text(component, "uid")
    if uid:
        return uid[:255]
    # No UID: derive one from the content so importing the same file twice updates.
    digest = hashlib.sha256(f"{summary}|{start.isoformat()}".encode()).hexdigest()[:24]
    return f"{digest}@import.arshjul"


# --------------------------------------------------------------------------- parsing


def parse_ics(raw: bytes, filename: str = "") -> ParsedCalendar:
    """Parse and check an uploaded .ics file. Raises :class:`IcsImportError` with every
    problem found (in Norwegian) when anything is wrong; returns the events otherwise."""
    text = decode_ics(raw)
    _check_structure(text)
    try:
        calendar = Calendar.from_ical(text)
    except (ValueError, IndexError, KeyError, TypeError) as exc:
        raise IcsImportError([f"Filen kan ikke leses som iCalendar: {exc}"]) from None
    if isinstance(calendar, list):  # several VCALENDARs in one file
        calendar = calendar[0]
    problems: list[str] = []
    warnings: list[str] = []
    _check_timezones(calendar, problems)
    floating = _floating_zone(calendar)

    masters: dict[str, Component] = {}
    overrides: dict[str, list[Component]] = {}
    series: dict[str, list[Component]] = {}
    order: list[tuple[str, str]] = []
    skipped = {"VTODO": 0, "VJOURNAL": 0}
    for component in calendar.subcomponents:
        if component.name in skipped:
            skipped[component.name] += 1
            continue
        if component.name != "VEVENT":
            continue
        summary = _text(component, "summary")
        for prop, _message in getattr(component, "errors", []):
            bad = str(component.get(prop, ""))[:60]
            problems.append(
                f"{_describe(summary, None)}: {_PROPERTY_NAMES.get(prop.upper(), prop)} "
                f"har en ugyldig verdi («{bad}»)."
            )
        uid = _text(component, "uid")
        series_uid = _text(component, f"{_PREFIX}SERIES-UID")
        if series_uid:
            if series_uid not in series:
                order.append(("series", series_uid))
            series.setdefault(series_uid, []).append(component)
        elif uid and component.get("recurrence-id") is not None:
            overrides.setdefault(uid, []).append(component)
        else:
            key = uid or f"#{len(order)}"
            if key in masters:
                problems.append(
                    f"{_describe(summary, None)}: UID «{uid}» finnes to ganger i filen."
                )
                continue
            masters[key] = component
            order.append(("event", key))
    for name, count in skipped.items():
        if count:
            if name == "VTODO":
                label = "oppgave (VTODO)" if count == 1 else "oppgaver (VTODO)"
            else:
                label = "notat (VJOURNAL)" if count == 1 else "notater (VJOURNAL)"
            warnings.append(f"{count} {label} i filen blir ikke importert.")
    if problems:
        raise IcsImportError(problems[:_MAX_PROBLEMS])

    events: list[ImportedEvent] = []
    for kind, key in order:
        where_count = len(events)
        if kind == "series":
            event = _series_event(series[key], floating, problems)
        else:
            event = _single_event(
                masters[key], overrides.pop(key, []), floating, problems, warnings
            )
        if event is not None:
            event.key = f"e{where_count}"
            events.append(event)
    for orphans in overrides.values():
        # Moved occurrences whose series is not in the file: import them as they are.
        for component in orphans:
            event = _single_event(component, [], floating, problems, warnings, orphan=True)
            if event is not None:
                event.key = f"e{len(events)}"
                events.append(event)
    if problems:
        raise IcsImportError(problems[:_MAX_PROBLEMS])
    name = _text(calendar, "x-wr-calname") or _text(calendar, "name") or filename
    return ParsedCalendar(
        name=name[:200],
        events=events,
        warnings=warnings,
        organisation=_text(calendar, f"{_PREFIX}ORGANISATION"),
    )


def _base_event(
    component: Component, floating: tzinfo, problems: list[str]
) -> ImportedEvent | None:
    summary = _text(component, "summary")
    start_hint = None
    try:
        if component.get("dtstart") is not None:
            start_hint = _wall_clock(component.decoded("dtstart"), floating)[0]
    except (ValueError, TypeError, OverflowError):
        start_hint = None
    where = _describe(summary, start_hint)
    times = _times(component, floating, where, problems)
    if times is None:
        return None
    start, end, all_day = times
    title = summary or UNTITLED
    meta = _meta(component)
    status = _status(component)
    planner_status = meta.get("STATUS", [("", {})])[0][0]
    if planner_status in STATUSES:
        status = planner_status
    return ImportedEvent(
        key="",
        uid=_uid(component, title, start),
        summary=title[:TITLE_MAX],
        start=start,
        end=end,
        all_day=all_day,
        description=_text(component, "description")[:100_000],
        location=_text(component, "location")[:500],
        status=status,
        categories=_categories(component),
        meta=meta,
    )


def _single_event(
    component: Component,
    moved: Iterable[Component],
    floating: tzinfo,
    problems: list[str],
    warnings: list[str],
    orphan: bool = False,
) -> ImportedEvent | None:
    event = _base_event(component, floating, problems)
    if event is None:
        return None
    where = _describe(event.summary, event.start)
    if len(_text(component, "summary")) > TITLE_MAX:
        warnings.append(f"{where}: tittelen er forkortet til {TITLE_MAX} tegn.")
    if orphan:
        rid = _wall_clock(component.decoded("recurrence-id"), floating)[0]
        stamp = rid.strftime("%Y%m%d" if event.all_day else "%Y%m%dT%H%M%S")
        local, at, domain = event.uid.rpartition("@")
        event.uid = f"{local}-{stamp}@{domain}" if at else f"{event.uid}-{stamp}"
        return event
    if component.get("rdate") is not None:
        warnings.append(f"{where}: ekstra datoer (RDATE) blir ikke tatt med.")
    if component.get("exrule") is not None:
        warnings.append(f"{where}: unntaksregelen (EXRULE) blir ikke tatt med.")
    rule = _rrule_text(component, event.start, where, problems)
    if not rule:
        if moved:
            warnings.append(f"{where}: flyttede forekomster uten gjentakelsesregel er utelatt.")
        return event
    event.rrule = rule
    exceptions: dict[datetime, ExceptionValues] = {}
    try:
        for rid in _dates(component, "exdate", floating):
            exceptions[rid] = ExceptionValues(rid, True)
        for override in moved:
            rid = _wall_clock(override.decoded("recurrence-id"), floating)[0]
            if override.get("recurrence-id").params.get("RANGE"):
                warnings.append(f"{where}: «denne og fremtidige» endringer tas med som én.")
            if _status(override) == "avlyst":
                exceptions[rid] = ExceptionValues(rid, True)
                continue
            times = _times(override, floating, where, problems)
            if times is None:
                continue
            new_start, new_end, is_date = times
            if is_date != event.all_day:
                problems.append(f"{where}: en flyttet forekomst blander dato og klokkeslett.")
                continue
            exceptions[rid] = ExceptionValues(rid, False, new_start, new_end)
    except (ValueError, TypeError, OverflowError, AttributeError) as exc:
        problems.append(f"{where}: ugyldig unntaksdato ({exc}).")
        return None
    event.exceptions = [exceptions[k] for k in sorted(exceptions)]
    return event


def _iso(value: Any) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("ikke tekst")
    return datetime.fromisoformat(value)


def _series_event(
    components: list[Component], floating: tzinfo, problems: list[str]
) -> ImportedEvent | None:
    """Occurrences the planner published one by one (its X-ARSHJUL-SERIES) become the
    recurring post they came from again."""
    first = components[0]
    event = _base_event(first, floating, problems)
    if event is None:
        return None
    where = _describe(event.summary, event.start)
    try:
        data = json.loads(_text(first, f"{_PREFIX}SERIES"))
        start, end = _iso(data["start"]), _iso(data["end"])
        if start is None or end is None or end < start:
            raise ValueError("start/slutt")
        all_day = bool(data["all_day"])
        rule = validate_rrule(str(data["rrule"]), start)
        exceptions = []
        for item in data.get("exceptions", []):
            rid = _iso(item["recurrence_id"])
            if rid is None:
                raise ValueError("recurrence_id")
            exceptions.append(
                ExceptionValues(
                    rid, bool(item.get("cancelled")), _iso(item.get("start")), _iso(item.get("end"))
                )
            )
    except RecurrenceError as exc:
        problems.append(f"{where}: {exc}")
        return None
    except (ValueError, KeyError, TypeError, json.JSONDecodeError):
        problems.append(f"{where}: beskrivelsen av serien (X-ARSHJUL-SERIES) er ødelagt.")
        return None
    event.uid = str(data.get("uid") or event.uid)[:255]
    event.start, event.end, event.all_day = start, end, all_day
    event.rrule = rule
    event.exceptions = exceptions
    return event
