"""When each post of a row happens: from a date, week or month column (with times, an end
and «heldag»), from a month name above the rows, or from month and week columns with
crosses. Pure: no Flask, no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from planner.domain.dates import weeks_in_iso_year
from planner.domain.imports.spreadsheet_cells import (
    MARKS,
    CellError,
    cell_text,
    dmy,
    parse_bool_value,
)
from planner.domain.imports.spreadsheet_dates import (
    MONTH_NAMES,
    midnight,
    month_span,
    parse_date_value,
    parse_month_value,
    parse_time_value,
    parse_week_value,
    period_in_date_cell,
    week_span,
)
from planner.domain.imports.spreadsheet_sheet import RowCells

#: (start, end, all_day, grid column, title from a grid cell) of one post of a row.
Span = tuple[datetime, datetime, bool, int | None, str]


@dataclass(frozen=True)
class _When:
    """The days a row's date, week or month column gives, and the time of a date cell."""

    start_day: date
    end_day: date | None = None
    clock: time | None = None
    date_column: int | None = None  # set when a real date was read (checked against week)


class _Unreadable(Exception):
    """A cell of the row could not be read; its problem is already recorded on the row."""


def _parsed(row: RowCells, name: str, parser: Any, *args: Any) -> Any:
    """A field read by ``parser``, or :class:`_Unreadable` (the row gives no posts)."""
    value = row.parse(name, parser, *args)
    if value is None:
        raise _Unreadable
    return value


def spans_for_row(row: RowCells, year: int, section_month: int | None) -> list[Span]:
    """(start, end, all_day, grid column, title from a grid cell) for each post of the row.

    A row gives one post from its date, week or month column (or a day under a month
    heading), else one post per crossed month or week column. Problems are recorded on
    the row; a row with an unreadable cell gives no posts.
    """
    try:
        when = _when_of_row(row, year, section_month)
        if when is None:
            return _grid_or_missing(row, year)
        _check_week_and_month(row, when.start_day, when.date_column)
        return _span_with_times(row, year, when)
    except _Unreadable:
        return []


def _when_of_row(row: RowCells, year: int, section_month: int | None) -> _When | None:
    """The day, week or month of the row's own columns; ``None`` when it has none."""
    if row.has("start_date"):
        period = period_in_date_cell(row.get("start_date"), year)
        if period is not None:
            # «uke 9» or «mars» in the date column: the whole week or month.
            return _When(*period)
        day, clock = _parsed(row, "start_date", parse_date_value, year)
        return _When(day, None, clock, row.columns["start_date"])
    if row.has("week"):
        return _When(*week_span(year, *_parsed(row, "week", parse_week_value, year)))
    if not (row.has("month") or (row.has("day") and section_month)):
        return None
    month = _parsed(row, "month", parse_month_value) if row.has("month") else section_month
    if month is None:
        raise _Unreadable
    if not row.has("day"):
        return _When(*month_span(year, month))
    day_text = cell_text(row.get("day"))
    try:
        return _When(date(year, month, int(day_text)))
    except ValueError:
        row.fail(row.columns["day"], f"«{day_text}» er ikke en gyldig dag i måneden.")
        raise _Unreadable from None


def _grid_or_missing(row: RowCells, year: int) -> list[Span]:
    """Posts from month and week columns; a problem when the row has no time at all."""
    grid = _grid_spans(row, year)
    if grid or row.problems:
        return grid
    target = next(
        (row.columns[n] for n in ("start_date", "week", "month") if n in row.columns), None
    )
    row.fail(target, "Raden mangler tidspunkt: fyll ut dato, uke eller måned.")
    return []


def _span_with_times(row: RowCells, year: int, when: _When) -> list[Span]:
    """The row's post with its end date, times and «heldag» applied."""
    end_day, clock, end_clock = when.end_day, when.clock, None
    if row.has("end_date"):
        end_day, end_clock = _parsed(row, "end_date", parse_date_value, year)
    if row.has("start_time"):
        clock, range_end = _parsed(row, "start_time", parse_time_value)
        end_clock = range_end or end_clock
    if row.has("end_time"):
        end_clock = _parsed(row, "end_time", parse_time_value)[0]
    if row.has("all_day") and row.parse("all_day", parse_bool_value):
        clock = end_clock = None
    start_day = when.start_day
    end_day = end_day or start_day
    if clock is None:
        if end_clock is not None:
            row.fail(row.columns.get("end_time"), "Sluttid uten klokkeslett for start.")
            return []
        return [(midnight(start_day), midnight(end_day), True, None, "")]
    start = datetime.combine(start_day, clock)
    end = (
        datetime.combine(end_day, end_clock)
        if end_clock is not None
        else (
            start + timedelta(hours=1) if end_day == start_day else datetime.combine(end_day, clock)
        )
    )
    return [(start, end, False, None, "")]


def _check_week_and_month(row: RowCells, start_day: date, date_column: int | None) -> None:
    """Warn when a «Uke»/«Måned» column disagrees with the date (the date wins)."""
    if date_column is None:
        return
    week = start_day.isocalendar().week
    if row.has("week"):
        try:
            first, last = parse_week_value(row.get("week"), start_day.isocalendar().year)
        except CellError:
            first = last = -1
        if not first <= week <= last:
            row.fail(
                row.columns["week"],
                f"Uke «{cell_text(row.get('week'))}» stemmer ikke med datoen {dmy(start_day)} "
                f"(uke {week}); datoen brukes.",
                warning=True,
            )
    if row.has("month"):
        try:
            month = parse_month_value(row.get("month"))
        except CellError:
            month = -1
        if month != start_day.month:
            row.fail(
                row.columns["month"],
                f"Måned «{cell_text(row.get('month'))}» stemmer ikke med datoen "
                f"{dmy(start_day)}; datoen brukes.",
                warning=True,
            )


def _grid_spans(row: RowCells, year: int) -> list[Span]:
    """Posts from month columns («Mars» with x, a day number or a date) and week columns."""
    spans: list[Span] = []
    for column, name in enumerate(row.mapping):
        if not name.startswith(("month:", "week:")):
            continue
        value = row.raw(column)
        text = cell_text(value)
        if not text:
            continue
        kind, number = name.split(":")
        cell_title = "" if text.casefold() in MARKS else text
        if kind == "month":
            month = int(number)
            if isinstance(value, datetime | date):
                day = value if not isinstance(value, datetime) else value.date()
                spans.append((midnight(day), midnight(day), True, column, ""))
                continue
            if text.isdigit():
                try:
                    day = date(year, month, int(text))
                except ValueError:
                    row.fail(column, f"«{text}» er ikke en gyldig dag i {MONTH_NAMES[month - 1]}.")
                    continue
                spans.append((midnight(day), midnight(day), True, column, ""))
                continue
            first, last = month_span(year, month)
        else:
            week = int(number)
            if week > weeks_in_iso_year(year):
                row.fail(column, f"Uke {week} finnes ikke i {year}.")
                continue
            first, last = week_span(year, week, week)
        for line in cell_title.splitlines() or [""]:
            spans.append((midnight(first), midnight(last), True, column, line.strip()))
    return spans
