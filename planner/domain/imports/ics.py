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
inclusive last day. The parts: :mod:`~planner.domain.imports.ics_file` (the file before
parsing), :mod:`~planner.domain.imports.ics_values` (an event's properties),
:mod:`~planner.domain.imports.ics_events` (events, series and their exceptions) and
:mod:`~planner.domain.imports.ics_model` (the values and limits).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import tzinfo

from icalendar import Calendar, Event

from planner.domain.imports import ics_values as values
from planner.domain.imports.ics_events import orphan_event, series_event, single_event
from planner.domain.imports.ics_file import check_structure, check_timezones, decode_ics
from planner.domain.imports.ics_model import (
    MAX_BYTES,
    MAX_EVENTS,
    IcsImportError,
    ImportedEvent,
    ParsedCalendar,
)

__all__ = [
    "MAX_BYTES",
    "MAX_EVENTS",
    "IcsImportError",
    "ImportedEvent",
    "ParsedCalendar",
    "parse_ics",
]

_MAX_PROBLEMS = 50
_PROPERTY_NAMES = {
    "DTSTART": "starttidspunktet (DTSTART)",
    "DTEND": "sluttidspunktet (DTEND)",
    "DURATION": "varigheten (DURATION)",
    "RRULE": "gjentakelsesregelen (RRULE)",
    "EXDATE": "unntaksdatoen (EXDATE)",
    "RECURRENCE-ID": "forekomsten (RECURRENCE-ID)",
    "DTSTAMP": "tidsstempelet (DTSTAMP)",
}


@dataclass
class _Sorted:
    """The file's VEVENTs sorted out: one-off events and series by UID (``masters``), the
    moved occurrences of series (``overrides``), the planner's one-by-one occurrences
    (``series``), and the order to import them in."""

    masters: dict[str, Event] = field(default_factory=dict)
    overrides: dict[str, list[Event]] = field(default_factory=dict)
    series: dict[str, list[Event]] = field(default_factory=dict)
    order: list[tuple[str, str]] = field(default_factory=list)


def parse_ics(raw: bytes, filename: str = "") -> ParsedCalendar:
    """Parse and check an uploaded .ics file. Raises :class:`IcsImportError` with every
    problem found (in Norwegian) when anything is wrong; returns the events otherwise."""
    text = decode_ics(raw)
    check_structure(text)
    try:
        calendar = Calendar.from_ical(text)
    except (ValueError, IndexError, KeyError, TypeError) as exc:
        raise IcsImportError([f"Filen kan ikke leses som iCalendar: {exc}"]) from None
    if isinstance(calendar, list):  # several VCALENDARs in one file
        calendar = calendar[0]
    problems: list[str] = []
    warnings: list[str] = []
    check_timezones(calendar, problems)
    found = _sort_components(calendar, problems, warnings)
    if problems:
        raise IcsImportError(problems[:_MAX_PROBLEMS])
    events = _events(found, values.floating_zone(calendar), problems, warnings)
    if problems:
        raise IcsImportError(problems[:_MAX_PROBLEMS])
    name = values.text(calendar, "x-wr-calname") or values.text(calendar, "name") or filename
    return ParsedCalendar(
        name=name[:200],
        events=events,
        warnings=warnings,
        organisation=values.text(calendar, f"{values.PREFIX}ORGANISATION"),
    )


def _sort_components(calendar: Calendar, problems: list[str], warnings: list[str]) -> _Sorted:
    """Sort the VEVENTs (see :class:`_Sorted`); broken properties and a UID used twice are
    problems, to-dos and journal entries are left out with a warning."""
    found = _Sorted()
    skipped = {"VTODO": 0, "VJOURNAL": 0}
    for component in calendar.subcomponents:
        if component.name in skipped:
            skipped[component.name] += 1
            continue
        if not isinstance(component, Event):  # VEVENTs are parsed as icalendar's Event
            continue
        summary = values.text(component, "summary")
        for prop, _message in getattr(component, "errors", []):
            bad = str(component.get(prop, ""))[:60]
            problems.append(
                f"{values.describe(summary, None)}: {_PROPERTY_NAMES.get(prop.upper(), prop)} "
                f"har en ugyldig verdi («{bad}»)."
            )
        uid = values.text(component, "uid")
        series_uid = values.text(component, f"{values.PREFIX}SERIES-UID")
        if series_uid:
            if series_uid not in found.series:
                found.order.append(("series", series_uid))
            found.series.setdefault(series_uid, []).append(component)
        elif uid and component.get("recurrence-id") is not None:
            found.overrides.setdefault(uid, []).append(component)
        else:
            key = uid or f"#{len(found.order)}"
            if key in found.masters:
                problems.append(
                    f"{values.describe(summary, None)}: UID «{uid}» finnes to ganger i filen."
                )
                continue
            found.masters[key] = component
            found.order.append(("event", key))
    warnings.extend(_skipped_warnings(skipped))
    return found


def _skipped_warnings(skipped: dict[str, int]) -> list[str]:
    """«2 oppgaver (VTODO) i filen blir ikke importert.» and the like."""
    found: list[str] = []
    for name, count in skipped.items():
        if count:
            if name == "VTODO":
                label = "oppgave (VTODO)" if count == 1 else "oppgaver (VTODO)"
            else:
                label = "notat (VJOURNAL)" if count == 1 else "notater (VJOURNAL)"
            found.append(f"{count} {label} i filen blir ikke importert.")
    return found


def _events(
    found: _Sorted, floating: tzinfo, problems: list[str], warnings: list[str]
) -> list[ImportedEvent]:
    """The events in the file's order, each keyed for the preview (``e0``, ``e1`` …)."""
    events: list[ImportedEvent] = []
    for kind, key in found.order:
        if kind == "series":
            event = series_event(found.series[key], floating, problems)
        else:
            moved = found.overrides.pop(key, [])
            event = single_event(found.masters[key], moved, floating, problems, warnings)
        if event is not None:
            event.key = f"e{len(events)}"
            events.append(event)
    for orphans in found.overrides.values():
        # Moved occurrences whose series is not in the file: import them as they are.
        for component in orphans:
            event = orphan_event(component, floating, problems, warnings)
            if event is not None:
                event.key = f"e{len(events)}"
                events.append(event)
    return events
