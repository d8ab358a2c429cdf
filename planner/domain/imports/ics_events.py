"""The events of an .ics file as plain :class:`ImportedEvent` values: a one-off event, a
series with its cancelled and moved occurrences, a moved occurrence whose series is not in
the file, and the planner's own occurrences published one by one (X-ARSHJUL-SERIES), which
become the recurring post they came from again. Pure: no Flask, no database.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, tzinfo
from typing import Any

from icalendar import Event

from planner.domain.imports import ics_values as values
from planner.domain.imports.ics_model import UNTITLED, ImportedEvent
from planner.domain.posts.occurrences import ExceptionValues
from planner.domain.posts.recurrence import RecurrenceError, validate_rrule
from planner.domain.posts.rules import STATUSES, TITLE_MAX


def base_event(component: Event, floating: tzinfo, problems: list[str]) -> ImportedEvent | None:
    """The event's own values (title, times, texts, status, planner properties), or
    ``None`` with a problem when its times cannot be used."""
    summary = values.text(component, "summary")
    where = values.describe(summary, values.start_hint(component, floating))
    times = values.times(component, floating, where, problems)
    if times is None:
        return None
    start, end, all_day = times
    title = summary or UNTITLED
    meta = values.meta(component)
    status = values.status(component)
    planner_status = meta.get("STATUS", [("", {})])[0][0]
    if planner_status in STATUSES:
        status = planner_status
    return ImportedEvent(
        key="",
        uid=values.uid(component, title, start),
        summary=title[:TITLE_MAX],
        start=start,
        end=end,
        all_day=all_day,
        description=values.text(component, "description")[:100_000],
        location=values.text(component, "location")[:500],
        status=status,
        categories=values.categories(component),
        meta=meta,
    )


def single_event(
    component: Event,
    moved: Iterable[Event],
    floating: tzinfo,
    problems: list[str],
    warnings: list[str],
) -> ImportedEvent | None:
    """A one-off event, or a series with its cancelled (EXDATE, STATUS:CANCELLED) and moved
    occurrences (``moved``: the file's events with this UID and a RECURRENCE-ID)."""
    event = base_event(component, floating, problems)
    if event is None:
        return None
    where = values.describe(event.summary, event.start)
    if len(values.text(component, "summary")) > TITLE_MAX:
        warnings.append(f"{where}: tittelen er forkortet til {TITLE_MAX} tegn.")
    if component.get("rdate") is not None:
        warnings.append(f"{where}: ekstra datoer (RDATE) blir ikke tatt med.")
    if component.get("exrule") is not None:
        warnings.append(f"{where}: unntaksregelen (EXRULE) blir ikke tatt med.")
    rule = values.rrule_text(component, event.start, where, problems)
    if not rule:
        if moved:
            warnings.append(f"{where}: flyttede forekomster uten gjentakelsesregel er utelatt.")
        return event
    event.rrule = rule
    try:
        exceptions = _exceptions(component, moved, event, floating, problems, warnings)
    except (ValueError, TypeError, OverflowError, AttributeError) as exc:
        problems.append(f"{where}: ugyldig unntaksdato ({exc}).")
        return None
    event.exceptions = [exceptions[k] for k in sorted(exceptions)]
    return event


def _exceptions(
    component: Event,
    moved: Iterable[Event],
    event: ImportedEvent,
    floating: tzinfo,
    problems: list[str],
    warnings: list[str],
) -> dict[datetime, ExceptionValues]:
    """The series' cancelled and moved occurrences by their original start."""
    where = values.describe(event.summary, event.start)
    exceptions: dict[datetime, ExceptionValues] = {}
    for rid in values.dates(component, "exdate", floating):
        exceptions[rid] = ExceptionValues(rid, True)
    for override in moved:
        rid = values.wall_clock(override.decoded("recurrence-id"), floating)[0]
        if override.get("recurrence-id").params.get("RANGE"):
            warnings.append(f"{where}: «denne og fremtidige» endringer tas med som én.")
        if values.status(override) == "avlyst":
            exceptions[rid] = ExceptionValues(rid, True)
            continue
        times = values.times(override, floating, where, problems)
        if times is None:
            continue
        new_start, new_end, is_date = times
        if is_date != event.all_day:
            problems.append(f"{where}: en flyttet forekomst blander dato og klokkeslett.")
            continue
        exceptions[rid] = ExceptionValues(rid, False, new_start, new_end)
    return exceptions


def orphan_event(
    component: Event, floating: tzinfo, problems: list[str], warnings: list[str]
) -> ImportedEvent | None:
    """A moved occurrence whose series is not in the file, imported as it is (its UID gets
    the original start, so it does not replace a post with the series' UID)."""
    event = base_event(component, floating, problems)
    if event is None:
        return None
    if len(values.text(component, "summary")) > TITLE_MAX:
        where = values.describe(event.summary, event.start)
        warnings.append(f"{where}: tittelen er forkortet til {TITLE_MAX} tegn.")
    rid = values.wall_clock(component.decoded("recurrence-id"), floating)[0]
    stamp = rid.strftime("%Y%m%d" if event.all_day else "%Y%m%dT%H%M%S")
    local, at, domain = event.uid.rpartition("@")
    event.uid = f"{local}-{stamp}@{domain}" if at else f"{event.uid}-{stamp}"
    return event


def _iso(value: Any) -> datetime | None:
    """A date-time in ISO form from the X-ARSHJUL-SERIES description (``None`` stays)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("ikke tekst")
    return datetime.fromisoformat(value)


def series_event(
    components: list[Event], floating: tzinfo, problems: list[str]
) -> ImportedEvent | None:
    """Occurrences the planner published one by one (its X-ARSHJUL-SERIES) become the
    recurring post they came from again."""
    first = components[0]
    event = base_event(first, floating, problems)
    if event is None:
        return None
    where = values.describe(event.summary, event.start)
    try:
        data = json.loads(values.text(first, f"{values.PREFIX}SERIES"))
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
