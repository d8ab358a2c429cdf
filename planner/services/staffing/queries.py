"""Reading the staffing picture of a year: the warnings, the rota week by week, and the
derived-peak proposals (the plan they are computed from is read in
:mod:`planner.services.staffing.plan`).

Other areas call :func:`duty_for_week` (week view), :func:`warnings_for_year` and
:func:`warnings_for_week` (wheel, week view, exports) and :func:`rota_for_year` (strategy export).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from planner.domain.dates import iso_week
from planner.domain.staffing import (
    HolidayInfo,
    PeakInfo,
    PeakProposal,
    StaffingPlan,
    StaffingWarning,
    WeekLoad,
    compute_warnings,
    iso_weeks_of_year,
    monday_of,
    propose_peaks,
    week_loads,
)
from planner.domain.staffing.model import DutyCalendar, peaks_touching_week
from planner.extensions import db
from planner.models import DutyAssignment, HolidayPeriod, PeakPeriod, StaffMember
from planner.models.staffing import PeakProposalDismissal
from planner.services.staffing.plan import (
    duty_rows,
    holiday_rows,
    load_plan,
    staff_rows,
    year_window,
)


def _load(org_id: int, year: int) -> tuple[StaffingPlan, list[StaffMember], list[DutyAssignment]]:
    """The plan, and the team and rota rows the rota page shows."""
    window = year_window(year)
    return (
        load_plan(org_id, year),
        staff_rows(org_id),
        duty_rows(org_id, window.start, window.end),
    )


# --------------------------------------------------------------------------- the contract


def warnings_for_year(org_id: int, year: int) -> list[StaffingWarning]:
    """Every staffing warning of ``year`` (see ``planner.domain.staffing.rules``)."""
    return compute_warnings(load_plan(org_id, year))


def warnings_for_week(org_id: int, monday: date) -> list[StaffingWarning]:
    """The warnings touching the ISO week of ``monday`` (from the years it belongs to)."""
    monday = monday_of(monday)
    sunday = monday + timedelta(days=6)
    years = sorted({monday.year, sunday.year, iso_week(monday)[0]})
    found: dict[str, StaffingWarning] = {}
    for year in years:
        for warning in warnings_for_year(org_id, year):
            if warning.start <= sunday and warning.end >= monday:
                found.setdefault(warning.key, warning)
    return sorted(found.values(), key=lambda w: (w.start, w.severity != "high", w.kind))


def duty_for_week(org_id: int, monday: date) -> list[DutyAssignment]:
    """The rota lines of one ISO week: week lines first (main responsible before backups),
    then day lines by day. Each has ``staff_member`` loaded."""
    monday = monday_of(monday)
    return duty_rows(org_id, monday, monday)


# --------------------------------------------------------------------------- the rota


@dataclass
class RotaWeek:
    """One ISO week of the rota, with what the rota page and the exports show."""

    monday: date
    mains: list[DutyAssignment] = field(default_factory=list)
    backups: list[DutyAssignment] = field(default_factory=list)
    day_lines: list[DutyAssignment] = field(default_factory=list)
    peaks: list[PeakInfo] = field(default_factory=list)
    holidays: list[HolidayInfo] = field(default_factory=list)
    load: WeekLoad | None = None
    warnings: list[StaffingWarning] = field(default_factory=list)

    @property
    def iso_year(self) -> int:
        """The ISO year the week belongs to."""
        return self.monday.isocalendar().year

    @property
    def week(self) -> int:
        """The ISO week number."""
        return self.monday.isocalendar().week

    @property
    def sunday(self) -> date:
        """The week's last day."""
        return self.monday + timedelta(days=6)

    @property
    def required(self) -> int:
        """The strictest staffing requirement of the week's peaks (0 outside peaks)."""
        return max((p.required_staff for p in self.peaks), default=0)


@dataclass
class YearOverview:
    """The staffing of a year: plan, warnings, rota weeks and proposals, computed once."""

    plan: StaffingPlan
    warnings: list[StaffingWarning]
    weeks: list[RotaWeek]
    proposals: list[PeakProposal]
    staff: list[StaffMember]


def dismissed_keys(org_id: int) -> set[str]:
    """Keys of the derived-peak proposals the team has dismissed."""
    return set(
        db.session.execute(
            select(PeakProposalDismissal.key).where(PeakProposalDismissal.organisation_id == org_id)
        ).scalars()
    )


def proposals_for_year(
    org_id: int, year: int, plan: StaffingPlan | None = None
) -> list[PeakProposal]:
    """Derived peak proposals of the year that are not covered and not dismissed."""
    return propose_peaks(plan or load_plan(org_id, year), dismissed_keys(org_id))


def year_overview(org_id: int, year: int) -> YearOverview:
    """Plan, warnings, the rota week by week and proposals of ``year`` (one load)."""
    plan, staff, rows = _load(org_id, year)
    calendar = DutyCalendar(plan.staff, plan.duty, plan.holiday_calendar())
    loads = week_loads(plan, calendar)
    warnings = compute_warnings(plan, calendar, loads)
    weeks = {m: RotaWeek(m) for m in iso_weeks_of_year(year)}
    for row in rows:
        week = weeks.get(row.week_start)
        if week is None:
            continue
        if row.day is not None:
            week.day_lines.append(row)
        elif row.role == "main":
            week.mains.append(row)
        else:
            week.backups.append(row)
    for monday, week in weeks.items():
        week.peaks = peaks_touching_week(plan.peaks, monday, calendar.is_working_day)
        week.holidays = [h for h in plan.holidays if h.overlaps(monday, week.sunday)]
        week.load = loads.get(monday)
        week.warnings = [w for w in warnings if w.start <= week.sunday and w.end >= monday]
    return YearOverview(
        plan=plan,
        warnings=warnings,
        weeks=list(weeks.values()),
        proposals=propose_peaks(plan, dismissed_keys(org_id), loads),
        staff=staff,
    )


def rota_for_year(org_id: int, year: int) -> list[RotaWeek]:
    """The rota of every ISO week of ``year`` (for the rota page and the strategy export)."""
    return year_overview(org_id, year).weeks


def holidays_query_for(org_id: int, year: int) -> list[HolidayPeriod]:
    """Holiday periods touching the calendar year (the holiday page lists these)."""
    return holiday_rows(org_id, date(year, 1, 1), date(year, 12, 31))


def peaks_query_for(org_id: int, year: int) -> list[PeakPeriod]:
    """Peak periods touching the calendar year, their posts loaded (the peak page and the
    exports list these)."""
    return list(
        db.session.execute(
            select(PeakPeriod)
            .where(
                PeakPeriod.organisation_id == org_id,
                PeakPeriod.start <= date(year, 12, 31),
                PeakPeriod.end >= date(year, 1, 1),
            )
            .options(selectinload(PeakPeriod.posts))
            .order_by(PeakPeriod.start, PeakPeriod.name)
        ).scalars()
    )
