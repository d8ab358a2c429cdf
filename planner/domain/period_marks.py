"""Where periods (toppbelastninger, skoleferier, fellesferier) show in a calendar grid.

A month grid has one row per ISO week. A period that touches a row gets a lane in that
row (the same lane on each of its days, so the marks line up as a band); the first of
its days visible in the row carries its label, the other days a mark. Pure: the pages
give the days and the periods, and draw what comes back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Generic, Protocol, TypeVar


class Dated(Protocol):
    """Anything with a first and a last day (both included)."""

    @property
    def start(self) -> date: ...

    @property
    def end(self) -> date: ...


P = TypeVar("P", bound=Dated)


@dataclass(frozen=True, slots=True)
class DayMark(Generic[P]):
    """A period on one day of a row: ``first`` when the label goes here (the period's
    first day in the row), ``last`` on its last day in the row."""

    period: P
    first: bool
    last: bool


def covers(period: Dated, day: date) -> bool:
    """Whether ``day`` is one of the period's days."""
    return period.start <= day <= period.end


def overlaps(period: Dated, first: date, last: date) -> bool:
    """Whether the period has a day from ``first`` to ``last``."""
    return period.start <= last and period.end >= first


def row_marks(days: Sequence[date], periods: Sequence[P]) -> dict[date, list[DayMark[P] | None]]:
    """For each day of one row, a mark per lane (``None`` where the lane's period does not
    cover the day). Lanes follow the order of ``periods``; only periods that touch the
    row get one, so a row without periods has no lanes."""
    if not days:
        return {}
    lanes = [p for p in periods if overlaps(p, days[0], days[-1])]
    marks: dict[date, list[DayMark[P] | None]] = {}
    for day in days:
        row: list[DayMark[P] | None] = []
        for period in lanes:
            if covers(period, day):
                row.append(
                    DayMark(
                        period,
                        first=day == days[0] or day == period.start,
                        last=day == days[-1] or day == period.end,
                    )
                )
            else:
                row.append(None)
        marks[day] = row
    return marks


def grid_marks(
    weeks: Sequence[Sequence[date]], periods: Sequence[P]
) -> dict[date, list[DayMark[P] | None]]:
    """:func:`row_marks` for every row of a grid, as one lookup by day."""
    marks: dict[date, list[DayMark[P] | None]] = {}
    for days in weeks:
        marks.update(row_marks(days, periods))
    return marks
