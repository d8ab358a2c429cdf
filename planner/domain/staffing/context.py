"""What the staffing rules share: the calendar, the year's weeks and the peaks that touch it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

from planner.domain.staffing.model import (
    DutyCalendar,
    PeakInfo,
    Period,
    StaffInfo,
    StaffingPlan,
    iso_weeks_of_year,
    peak_day_map,
)
from planner.domain.staffing.text import join_names
from planner.domain.staffing.weekly import WeekLoad, week_loads


class RuleContext:
    """What the rules share: the calendar, the year's weeks and the peaks that touch it."""

    def __init__(
        self,
        plan: StaffingPlan,
        calendar: DutyCalendar | None = None,
        loads: dict[date, WeekLoad] | None = None,
    ) -> None:
        self.plan = plan
        self.holidays = plan.holiday_calendar()
        self.calendar = calendar or DutyCalendar(plan.staff, plan.duty, self.holidays)
        self.loads = loads if loads is not None else week_loads(plan, self.calendar)
        self.weeks = iso_weeks_of_year(plan.year)
        self.year = Period(date(plan.year, 1, 1), date(plan.year, 12, 31))
        self.active = [s for s in plan.staff if s.active]
        self.peaks = [p for p in plan.peaks if p.overlaps(self.year.start, self.year.end)]
        self.peak_days = peak_day_map(self.peaks, self.year.start, self.year.end)
        start, end = self.year.start, self.year.end
        self.year_posts = [o for o in plan.posts if start <= o.day <= end]
        window = plan.window
        self.has_rota = any(window.contains(w) for w in self.calendar.weeks_with_duty)
        self._free: dict[tuple[int, date], bool] = {}
        self.duty_weeks: dict[int, int] = defaultdict(int)
        for monday in self.weeks:
            for staff_id in self.calendar.week_people(monday):
                self.duty_weeks[staff_id] += 1

    def peak_on(self, day: date) -> PeakInfo | None:
        """The first peak period covering ``day``, if any."""
        return self.peak_days.get(day)

    def candidates(self, days: Sequence[date], exclude: Iterable[int] = ()) -> list[StaffInfo]:
        """People free on all ``days`` (weekend days need only not be away), fewest duty
        weeks first: the fairest ones to ask."""
        excluded = set(exclude)
        found = []
        for person in self.active:
            if person.id in excluded:
                continue
            if all(self._available(person, d) for d in days):
                found.append(person)
        return sorted(found, key=lambda p: (self.duty_weeks.get(p.id, 0), p.name))

    def _available(self, person: StaffInfo, day: date) -> bool:
        """Not away on ``day``, and working then (weekend days need only not be away)."""
        key = (person.id, day)
        free = self._free.get(key)
        if free is None:
            free = self._free[key] = person.absence_on(day) is None and (
                person.works_on(day) or not self.calendar.is_working_day(day)
            )
        return free

    def suggest(self, days: Sequence[date], exclude: Iterable[int] = (), limit: int = 3) -> str:
        """Up to ``limit`` of :meth:`candidates` in words, with their duty weeks so far."""
        people = self.candidates(days, exclude)[:limit]

        def weeks(n: int) -> str:
            return f"{n} vaktuke" if n == 1 else f"{n} vaktuker"

        return join_names(
            [f"{p.name} ({weeks(self.duty_weeks.get(p.id, 0))} i år)" for p in people], "eller"
        )
