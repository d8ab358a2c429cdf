"""What each ISO week of the year asks of the team: answering load against capacity, and
the weeks that need peak staffing (toppbelastning)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from operator import itemgetter

from planner.domain.staffing.model import (
    DutyCalendar,
    PostOccurrence,
    StaffingPlan,
    days_between,
    iso_weeks_of_year,
    monday_of,
    peak_day_map,
    peaks_touching_week,
)


@dataclass(frozen=True)
class WeekLoad:
    """Answering load of one ISO week against what the people on duty can answer."""

    monday: date
    demand: float
    capacity: float
    posts: tuple[tuple[PostOccurrence, float], ...] = ()

    @property
    def over(self) -> bool:
        """Whether the week asks for more answering than the people on duty can give."""
        return self.demand > self.capacity + 1e-9


def week_loads(plan: StaffingPlan, calendar: DutyCalendar | None = None) -> dict[date, WeekLoad]:
    """Answering load and capacity of every ISO week of the year that has either."""
    model = plan.load_model
    calendar = calendar or DutyCalendar(plan.staff, plan.duty, plan.holiday_calendar())
    first, last = date(plan.year, 1, 1), date(plan.year, 12, 31)
    peak_days = peak_day_map(plan.peaks, first, last)
    posts: dict[date, list[tuple[PostOccurrence, float]]] = defaultdict(list)
    # Channels are shared by the posts that use them: each one's load is worked out once.
    channel_loads: dict[tuple[int, str], float] = {}
    mondays: dict[date, date] = {}
    for occ in plan.posts:
        day = occ.day
        if not first <= day <= last:
            continue
        dialogue = occ.dialogue_channels
        if not dialogue:
            continue
        base = 0.0
        for channel in dialogue:
            key = (id(channel), occ.kind)
            load = channel_loads.get(key)
            if load is None:
                load = channel_loads[key] = model.channel_load(
                    channel.type, channel.response_hours, occ.kind
                )
            base += load
        factor = model.peak_factor if day in peak_days else 1.0
        monday = mondays.get(day)
        if monday is None:
            monday = mondays[day] = monday_of(day)
        posts[monday].append((occ, factor * base))
    result: dict[date, WeekLoad] = {}
    for monday in sorted(set(iso_weeks_of_year(plan.year)) | set(posts)):
        capacity = 0.0
        for day in days_between(monday, monday + timedelta(days=6)):
            for entry in calendar.assigned(day):
                if entry.present:
                    capacity += model.hours_for(entry.role)
        items = tuple(sorted(posts.get(monday, []), key=itemgetter(1), reverse=True))
        result[monday] = WeekLoad(monday, sum(x for _, x in items), capacity, items)
    return result


def peak_weeks(plan: StaffingPlan, calendar: DutyCalendar | None = None) -> list[date]:
    """The Mondays of the year's ISO weeks that need peak staffing (see
    :func:`peaks_touching_week`)."""
    calendar = calendar or DutyCalendar(plan.staff, plan.duty, plan.holiday_calendar())
    return [
        monday
        for monday in iso_weeks_of_year(plan.year)
        if peaks_touching_week(plan.peaks, monday, calendar.is_working_day)
    ]


def peak_week_counts(plan: StaffingPlan, calendar: DutyCalendar | None = None) -> dict[int, int]:
    """How many of the year's peak weeks each person is on duty in."""
    calendar = calendar or DutyCalendar(plan.staff, plan.duty, plan.holiday_calendar())
    counts: dict[int, int] = {s.id: 0 for s in plan.staff if s.active}
    for monday in peak_weeks(plan, calendar):
        for staff_id in calendar.week_people(monday):
            if staff_id in counts:
                counts[staff_id] += 1
    return counts
