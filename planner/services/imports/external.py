"""External calendars (the council's meetings, school holidays …): the read-only ring of
the wheel. Events arrive through the .ics import
(``planner.services.imports.ics_import``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from planner.domain.posts.occurrences import ExceptionValues, occurrences
from planner.extensions import db
from planner.models import ExternalCalendar, ExternalEvent


@dataclass(frozen=True)
class ExternalOccurrence:
    """One occurrence of an external event in a year, ready to draw on the wheel.

    ``start``/``end`` are naive Oslo wall-clock times; for all-day events both are midnight
    and ``end`` is the last day (inclusive), as for posts.
    """

    calendar_id: int
    calendar_name: str
    kind: str
    uid: str
    summary: str
    description: str
    location: str
    start: datetime
    end: datetime
    all_day: bool
    recurrence_id: datetime | None = None


def year_window(year: int) -> tuple[datetime, datetime]:
    """The first and last moment of a calendar year (Oslo wall clock)."""
    return datetime.combine(date(year, 1, 1), time()), datetime.combine(
        date(year, 12, 31), time(23, 59, 59)
    )


def external_events_for_year(org_id: int, year: int) -> list[ExternalOccurrence]:
    """Every occurrence of the organisation's external events that overlaps ``year``,
    with recurrences expanded (bounded) and moved/cancelled occurrences applied, in order."""
    window_start, window_end = year_window(year)
    rows = db.session.execute(
        select(ExternalEvent)
        .where(
            ExternalEvent.organisation_id == org_id,
            ExternalEvent.start <= window_end,
            (ExternalEvent.end >= window_start) | ExternalEvent.rrule.is_not(None),
        )
        .options(selectinload(ExternalEvent.calendar))
        .order_by(ExternalEvent.start, ExternalEvent.id)
    ).scalars()
    events = list(rows)
    overridden: dict[str, set[datetime]] = {}
    for event in events:
        if event.recurrence_key:
            overridden.setdefault(event.uid, set()).add(
                datetime.fromisoformat(event.recurrence_key)
            )
    result: list[ExternalOccurrence] = []
    for event in events:
        if event.cancelled:
            continue
        exceptions = [
            ExceptionValues(datetime.fromisoformat(x), True) for x in event.exdates or []
        ] + [ExceptionValues(rid, True) for rid in overridden.get(event.uid, set())]
        rule = None if event.recurrence_key else event.rrule
        for occ in occurrences(event.start, event.end, rule, exceptions, window_start, window_end):
            result.append(
                ExternalOccurrence(
                    calendar_id=event.calendar_id,
                    calendar_name=event.calendar.name,
                    kind=event.calendar.kind,
                    uid=event.uid,
                    summary=event.summary,
                    description=event.description,
                    location=event.location,
                    start=occ.start,
                    end=occ.end,
                    all_day=event.all_day,
                    recurrence_id=(
                        datetime.fromisoformat(event.recurrence_key)
                        if event.recurrence_key
                        else occ.recurrence_id
                    ),
                )
            )
    result.sort(key=lambda o: (o.start, o.calendar_name, o.summary))
    return result


def external_calendars(org_id: int) -> list[tuple[ExternalCalendar, int]]:
    """The organisation's external calendars with their number of events, by name."""
    counts = dict(
        db.session.execute(
            select(ExternalEvent.calendar_id, func.count(ExternalEvent.id))
            .where(ExternalEvent.organisation_id == org_id)
            .group_by(ExternalEvent.calendar_id)
        ).all()
    )
    calendars = db.session.execute(
        select(ExternalCalendar)
        .where(ExternalCalendar.organisation_id == org_id)
        .order_by(ExternalCalendar.name)
    ).scalars()
    return [(c, int(counts.get(c.id, 0))) for c in calendars]


def get_or_create_calendar(org_id: int, name: str, kind: str) -> ExternalCalendar:
    """The external calendar called ``name`` (its kind updated), or a new one (not committed)."""
    calendar = db.session.execute(
        select(ExternalCalendar).where(
            ExternalCalendar.organisation_id == org_id, ExternalCalendar.name == name
        )
    ).scalar()
    if calendar is None:
        calendar = ExternalCalendar(organisation_id=org_id, name=name, kind=kind)
        db.session.add(calendar)
    else:
        calendar.kind = kind
    return calendar


def delete_external_calendar(calendar: ExternalCalendar) -> None:
    """Remove an external calendar and its events from the wheel (commits)."""
    db.session.delete(calendar)
    db.session.commit()
