"""Staffing (bemanning): pure rules over a year's plan.

* :func:`compute_warnings` – every warning, each with kind, severity, period, ISO week and
  a Norwegian message, reason and suggested fix (:class:`StaffingWarning`, alias
  ``Warning``);
* :func:`generate_rotation` – a fair duty rota that respects absences and evens out peak
  weeks;
* :func:`propose_peaks` – peak periods derived from the plan (deadline posts, dense weeks);
* :class:`LoadModel` and :func:`week_loads` – the configurable answering-load model.

No Flask, no database: the service layer builds a :class:`StaffingPlan` and calls these.
"""

from planner.domain.staffing.derived import PeakProposal, propose_peaks, week_key
from planner.domain.staffing.load import (
    CHANNEL_TYPE_LABELS,
    DEFAULT_CHANNEL_WEIGHTS,
    DEFAULT_KIND_FACTORS,
    KIND_LABELS,
    SCALAR_LABELS,
    LoadModel,
    LoadModelError,
)
from planner.domain.staffing.model import (
    DIALOGUE_CHANNEL_TYPES,
    AbsenceInfo,
    ChannelInfo,
    DutyCalendar,
    DutyInfo,
    HolidayInfo,
    PeakInfo,
    Period,
    PostOccurrence,
    StaffInfo,
    StaffingPlan,
    iso_weeks_of_year,
    monday_of,
)
from planner.domain.staffing.rotation import generate_rotation
from planner.domain.staffing.rules import compute_warnings
from planner.domain.staffing.warning import (
    KIND_LABELS as WARNING_KIND_LABELS,
)
from planner.domain.staffing.warning import (
    SEVERITIES,
    SEVERITY_LABELS,
    StaffingWarning,
    Warning,
    is_deadline,
)
from planner.domain.staffing.weekly import WeekLoad, peak_week_counts, peak_weeks, week_loads

__all__ = [
    "CHANNEL_TYPE_LABELS",
    "DEFAULT_CHANNEL_WEIGHTS",
    "DEFAULT_KIND_FACTORS",
    "DIALOGUE_CHANNEL_TYPES",
    "KIND_LABELS",
    "SCALAR_LABELS",
    "SEVERITIES",
    "SEVERITY_LABELS",
    "WARNING_KIND_LABELS",
    "AbsenceInfo",
    "ChannelInfo",
    "DutyCalendar",
    "DutyInfo",
    "HolidayInfo",
    "LoadModel",
    "LoadModelError",
    "PeakInfo",
    "PeakProposal",
    "Period",
    "PostOccurrence",
    "StaffInfo",
    "StaffingPlan",
    "StaffingWarning",
    "Warning",
    "WeekLoad",
    "compute_warnings",
    "generate_rotation",
    "is_deadline",
    "iso_weeks_of_year",
    "monday_of",
    "peak_week_counts",
    "peak_weeks",
    "propose_peaks",
    "week_key",
    "week_loads",
]
