"""Norwegian wording shared by the staffing rules: days, day lists, names and numbers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from planner.domain.dates import WEEKDAY_NAMES, format_date


def day_text(day: date, with_year: bool = True) -> str:
    """``søndag 01.03.2026`` (or ``søndag 01.03`` without the year)."""
    text = format_date(day) if with_year else f"{day.day:02d}.{day.month:02d}"
    return f"{WEEKDAY_NAMES[day.weekday()]} {text}"


def days_text(days: Sequence[date]) -> str:
    """A readable list of days; runs of consecutive days become ranges.

    ``mandag 16.02–fredag 20.02.2026`` or ``tirsdag 17.03 og torsdag 19.03.2026``.
    """
    ordered = sorted(set(days))
    if not ordered:
        return ""
    runs: list[tuple[date, date]] = []
    for day in ordered:
        if runs and day - runs[-1][1] == timedelta(days=1):
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    parts = []
    for i, (first, last) in enumerate(runs):
        final = i == len(runs) - 1
        if first == last:
            parts.append(day_text(first, with_year=final))
        else:
            parts.append(f"{day_text(first, with_year=False)}–{day_text(last, with_year=final)}")
    return join_names(parts)


def join_names(names: Sequence[str], last: str = "og") -> str:
    """``Kari``, ``Kari og Ola``, ``Kari, Ola og Per`` (or ``… eller Per``)."""
    items = [n for n in names if n]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


def hours_text(value: float) -> str:
    """Hours with a decimal comma: ``18,5 t``; whole numbers without decimals."""
    rounded = round(value, 1)
    if rounded == int(rounded):
        return f"{int(rounded)} t"
    return f"{rounded:.1f}".replace(".", ",") + " t"


def quoted(titles: Sequence[str], limit: int = 3) -> str:
    """Up to ``limit`` titles in «», then ``og N til``."""
    shown = [f"«{t}»" for t in titles[:limit]]
    rest = len(titles) - len(shown)
    if rest > 0:
        shown.append(f"{rest} til")
    return join_names(shown)
