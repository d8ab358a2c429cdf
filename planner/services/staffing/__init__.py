"""Staffing (bemanning) services: reading the year's staffing picture and changing it.

The contract other areas rely on:

* ``duty_for_week(org_id, monday) -> list[DutyAssignment]`` – the week view's rota;
* ``warnings_for_year(org_id, year) -> list[Warning]`` – every staffing warning of a year
  (``warnings_for_week`` narrows them to one ISO week);
* ``rota_for_year`` – the rota week by week, for the strategy export;
* ``peaks_query_for(org_id, year) -> list[PeakPeriod]`` – the peak periods touching a
  year, with their posts loaded (the peak page and the exports).

The per-person iCal feed of duty weeks («mine vaktuker») is a feed kind of the feeds area.
"""

from planner.domain.staffing import StaffingWarning, Warning
from planner.services.staffing.checks import StaffingError
from planner.services.staffing.edit import (
    accept_proposal,
    delete_peak,
    dismiss_proposal,
    dismissals,
    save_peak,
    undo_dismissal,
)
from planner.services.staffing.holidays import (
    delete_holiday,
    save_holiday,
    seed_recommended_holidays,
)
from planner.services.staffing.load_model import reset_load_model, save_load_model
from planner.services.staffing.plan import load_model_for, load_plan
from planner.services.staffing.queries import (
    RotaWeek,
    YearOverview,
    duty_for_week,
    peaks_query_for,
    proposals_for_year,
    rota_for_year,
    warnings_for_week,
    warnings_for_year,
    year_overview,
)
from planner.services.staffing.rota import generate_year, set_week
from planner.services.staffing.team import (
    add_absence,
    add_holiday_absence,
    delete_absence,
    delete_staff,
    save_staff,
)

__all__ = [
    "RotaWeek",
    "StaffingError",
    "StaffingWarning",
    "Warning",
    "YearOverview",
    "accept_proposal",
    "add_absence",
    "add_holiday_absence",
    "delete_absence",
    "delete_holiday",
    "delete_peak",
    "delete_staff",
    "dismiss_proposal",
    "dismissals",
    "duty_for_week",
    "generate_year",
    "peaks_query_for",
    "load_model_for",
    "load_plan",
    "proposals_for_year",
    "reset_load_model",
    "rota_for_year",
    "save_holiday",
    "save_load_model",
    "save_peak",
    "save_staff",
    "seed_recommended_holidays",
    "set_week",
    "undo_dismissal",
    "warnings_for_week",
    "warnings_for_year",
    "year_overview",
]
