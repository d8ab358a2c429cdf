"""«Lag rettferdig rotasjon»: a fair duty rota for a set of weeks.

The team model of KS' road map: one main responsible (hovedansvarlig) at a time, in
rotation week by week, with a backup, and extra hands in known peak periods. The generator
is greedy, week by week, and deterministic (ties go to the lower id):

* nobody is put on duty in a week they are away; a main responsible who is away or does
  not work some of the week's working days gets day lines (dagsvakt) for those days from
  whoever is free, so every working day has a main responsible when anyone can take it;
* backups are only people who are there the whole week;
* a week needs the main responsible plus ``backups`` backups, or as many people as the
  strictest peak period touching it requires;
* among those free, peak weeks go to whoever has had the fewest peak weeks, then the
  fewest weeks as main responsible (or on duty at all, for backups); nobody is main two
  weeks running when someone else can be.

Existing lines (``existing``) count towards the fairness tallies, so filling the gaps of a
hand-made rota keeps it even.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from planner.domain.dates import public_holidays
from planner.domain.staffing.model import (
    DutyInfo,
    PeakInfo,
    StaffInfo,
    monday_of,
    peaks_touching_week,
)


def holidays_around(mondays: Sequence[date]) -> dict[date, str]:
    """Public holidays of every year the given weeks touch."""
    years = {w.year for w in mondays} | {(w + timedelta(days=6)).year for w in mondays}
    found: dict[date, str] = {}
    for year in sorted(years):
        found.update(public_holidays(year))
    return found


class _Tally:
    """Running fairness counts per person."""

    def __init__(self) -> None:
        self.main: dict[int, int] = defaultdict(int)
        self.total: dict[int, int] = defaultdict(int)
        self.peak: dict[int, int] = defaultdict(int)
        self.main_weeks: dict[int, set[date]] = defaultdict(set)

    def add(self, staff_id: int, monday: date, role: str, peak: bool) -> None:
        self.total[staff_id] += 1
        if role == "main":
            self.main[staff_id] += 1
            self.main_weeks[staff_id].add(monday)
        if peak:
            self.peak[staff_id] += 1


@dataclass
class _Week:
    """One week being planned: its working days and whether it is a peak week."""

    monday: date
    working: list[date]
    required: int

    @property
    def is_peak(self) -> bool:
        return self.required > 0

    def free(self, person: StaffInfo) -> list[date]:
        return [d for d in self.working if person.works_on(d) and person.absence_on(d) is None]

    def away(self, person: StaffInfo) -> int:
        return sum(1 for d in self.working if person.works_on(d) and person.absence_on(d))


def _share(person: StaffInfo) -> float:
    """The person's share of a full working week (a 3-day week counts 0.6)."""
    return max(1, len(person.working_days & {1, 2, 3, 4, 5})) / 5


def _plan_week(week: _Week, team: list[StaffInfo], tally: _Tally, backups: int) -> list[DutyInfo]:
    available = [p for p in team if week.free(p)]
    if not available:
        return []
    last_week = week.monday - timedelta(weeks=1)
    peak = week.is_peak
    # Counts are weighed by working share, so part-timers take a proportional turn.
    main = min(
        available,
        key=lambda p: (
            week.away(p) > 0,
            tally.peak[p.id] / _share(p) if peak else 0,
            tally.main[p.id] / _share(p),
            last_week in tally.main_weeks[p.id],
            tally.total[p.id] / _share(p),
            len(week.working) - len(week.free(p)),
            p.id,
        ),
    )
    lines = [DutyInfo(main.id, week.monday, "main")]
    tally.add(main.id, week.monday, "main", peak)

    # Backups are there all week; in peak weeks, those working every day come first.
    need = min(len(team), max(1 + backups, week.required))
    others = [p for p in available if p.id != main.id and week.away(p) == 0]
    others.sort(
        key=lambda p: (
            len(week.working) - len(week.free(p)) if peak else 0,
            tally.peak[p.id] / _share(p) if peak else 0,
            tally.total[p.id] / _share(p),
            tally.main[p.id] / _share(p),
            p.id,
        )
    )
    for person in others[: need - 1]:
        lines.append(DutyInfo(person.id, week.monday, "backup"))
        tally.add(person.id, week.monday, "backup", peak)

    # Day lines for the main responsible's days off or away, from someone not already on
    # duty that week when possible (so the week keeps its head count).
    on_duty = {line.staff_id for line in lines}
    week_backups = others[: need - 1]
    main_days = set(week.free(main))
    for day in week.working:
        if day in main_days:
            continue
        stand_ins = [p for p in team if p.id != main.id and day in week.free(p)]
        if stand_ins:
            stand_in = min(
                stand_ins,
                key=lambda p: (p.id in on_duty, tally.main[p.id], tally.total[p.id], p.id),
            )
            lines.append(DutyInfo(stand_in.id, week.monday, "main", day=day))
            on_duty.add(stand_in.id)
    if peak:
        lines += _fill_peak_days(week, team, lines, week_backups, need)
    return lines


def _fill_peak_days(
    week: _Week, team: list[StaffInfo], lines: list[DutyInfo], backups: list[StaffInfo], need: int
) -> list[DutyInfo]:
    """Backup day lines for peak days a week backup does not work: the day's backups are
    the week backups who are there plus whoever else is free (a day line of a role
    replaces the week lines of that role, so all of that day's backups are written)."""
    extra: list[DutyInfo] = []
    for day in week.working:
        mains = {ln.staff_id for ln in lines if ln.role == "main" and ln.day == day} or {
            ln.staff_id for ln in lines if ln.role == "main" and ln.day is None
        }
        there = [p for p in backups if day in week.free(p) and p.id not in mains]
        if len(mains) + len(there) >= need:
            continue
        busy = mains | {p.id for p in there}
        free = [p for p in team if p.id not in busy and day in week.free(p)]
        free.sort(key=lambda p: (p.id not in {b.id for b in backups}, p.id))
        added = free[: need - len(mains) - len(there)]
        if not added:
            continue
        for person in there + added:
            extra.append(DutyInfo(person.id, week.monday, "backup", day=day))
    return extra


def generate_rotation(
    weeks: Sequence[date],
    staff: Sequence[StaffInfo],
    peaks: Sequence[PeakInfo] = (),
    holidays: Mapping[date, str] | None = None,
    existing: Sequence[DutyInfo] = (),
    backups: int = 1,
) -> list[DutyInfo]:
    """New rota lines for ``weeks`` (Mondays), fair over the team; ``existing`` lines only
    feed the tallies. Returns week lines, and day lines covering a main responsible's days
    off or away."""
    mondays = sorted({monday_of(w) for w in weeks})
    team = sorted((s for s in staff if s.active), key=lambda s: s.id)
    if not mondays or not team:
        return []
    if holidays is None:
        holidays = holidays_around(mondays + [monday_of(d.day or d.week_start) for d in existing])
    closed = holidays

    def is_working_day(day: date) -> bool:
        return day.weekday() < 5 and day not in closed

    def week_of(monday: date) -> _Week:
        days = [monday + timedelta(days=i) for i in range(5)]
        working = [d for d in days if is_working_day(d)] or days
        touching = peaks_touching_week(peaks, monday, is_working_day)
        return _Week(monday, working, max((p.required_staff for p in touching), default=0))

    tally = _Tally()
    counted: set[tuple[int, date, str]] = set()
    for line in existing:
        monday = monday_of(line.day) if line.day else line.week_start
        if (line.staff_id, monday, line.role) not in counted:
            counted.add((line.staff_id, monday, line.role))
            tally.add(line.staff_id, monday, line.role, week_of(monday).is_peak)

    result: list[DutyInfo] = []
    for monday in mondays:
        result.extend(_plan_week(week_of(monday), team, tally, backups))
    return result
