"""The year being worked on (arbeidsåret): which year the menu's Årshjul, Plan, Bemanning and
Eksport open, and which day a new post starts on when nothing else is chosen.

Pure rules over plain values; ``services/posts/working_year.py`` reads which years have plans
and ``views/nav.py`` remembers the year last looked at in the session.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from planner.domain.dates import public_holidays

MIN_YEAR = 2000
MAX_YEAR = 2100

#: From this month on, a plan for the coming year is what an adviser works on.
COMING_YEAR_FROM_MONTH = 10


def is_plan_year(year: int | None) -> bool:
    """Whether ``year`` is a year the planner has pages for (2000–2100)."""
    return year is not None and MIN_YEAR <= year <= MAX_YEAR


def working_year(today: date, planned_years: Iterable[int], last_viewed: int | None = None) -> int:
    """The year to open: the year last looked at, else the nearest year with a plan.

    Nearest means: in October–December the coming year when it has a plan, else this year
    when it has one, else the planned year closest to today (the later one on a tie). With
    no plans at all, this year.
    """
    if is_plan_year(last_viewed):
        return last_viewed  # type: ignore[return-value]
    years = set(planned_years)
    if today.month >= COMING_YEAR_FROM_MONTH and today.year + 1 in years:
        return today.year + 1
    if today.year in years or not years:
        return today.year
    return min(years, key=lambda y: (abs(y - today.year), -y))


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a Norwegian public holiday."""
    return day.weekday() < 5 and day not in public_holidays(day.year)


def first_working_day(year: int) -> date:
    """The first working day of ``year`` (2 January in most years: 1 January is a holiday)."""
    day = date(year, 1, 1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def default_post_day(today: date, year: int | None, chosen: date | None = None) -> date:
    """The date a new post starts on: the day clicked, else today when today is in the year
    on screen (or no year is on screen), else the first working day of that year."""
    if chosen is not None:
        return chosen
    if year is None or today.year == year:
        return today
    return first_working_day(year)
