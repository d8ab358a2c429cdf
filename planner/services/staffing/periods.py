"""Peak and holiday periods as the plan pages show them: bands on the month grid, and the
periods and staffing warnings a post falls in (its own page).

Each read is a fixed number of queries, whatever the size of the plan: the month grid
reads the peak periods and the holiday periods of its days (two queries), a post page
adds the peaks linked to the post and the year's staffing warnings (cached per version).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from planner.domain.dates import format_date, public_holidays, week_range_label
from planner.domain.period_marks import DayMark, grid_marks, overlaps
from planner.domain.staffing import StaffingWarning
from planner.extensions import db
from planner.models import PeakPeriod
from planner.models.staffing import peak_post
from planner.services.staffing.plan import holiday_rows, peak_rows
from planner.services.staffing.queries import warnings_for_year

PEAK = "peak"


@dataclass(frozen=True, slots=True)
class CalendarPeriod:
    """A peak period (toppbelastning) or a school or common holiday (skoleferie,
    fellesferie) as the plan pages show it."""

    kind: str  # "peak", "skoleferie" or "fellesferie"
    id: int
    name: str
    start: date
    end: date

    @property
    def is_peak(self) -> bool:
        """Whether this is a peak period (else a holiday period)."""
        return self.kind == PEAK

    @property
    def kind_label(self) -> str:
        """What kind of period it is, in Norwegian."""
        labels = {
            PEAK: _("Toppbelastning"),
            "skoleferie": _("Skoleferie"),
            "fellesferie": _("Fellesferie"),
        }
        return labels.get(self.kind, _("Ferie"))

    @property
    def label(self) -> str:
        """``Toppbelastning: Innspurt barnehagesøknader``."""
        return f"{self.kind_label}: {self.name}"

    @property
    def dates(self) -> str:
        """``22.02.2027–05.03.2027`` (one date for a one-day period)."""
        if self.start == self.end:
            return format_date(self.start)
        return f"{format_date(self.start)}–{format_date(self.end)}"

    @property
    def weeks(self) -> str:
        """``uke 8–9``."""
        return week_range_label(self.start, self.end)


def periods_between(org_id: int, first: date, last: date) -> list[CalendarPeriod]:
    """The peak periods, then the holiday periods, that touch ``first``..``last`` (two
    queries), each by start and name."""
    peaks = [
        CalendarPeriod(PEAK, p.id, p.name, p.start, p.end) for p in peak_rows(org_id, first, last)
    ]
    holidays = [
        CalendarPeriod(h.kind, h.id, h.name, h.start, h.end)
        for h in holiday_rows(org_id, first, last)
    ]
    return peaks + holidays


def month_marks(
    org_id: int, weeks: Sequence[Sequence[date]]
) -> dict[date, list[DayMark[CalendarPeriod] | None]]:
    """The period bands of a month grid (rows of days), by day: see
    :func:`planner.domain.period_marks.row_marks`."""
    if not weeks or not weeks[0]:
        return {}
    periods = periods_between(org_id, weeks[0][0], weeks[-1][-1])
    return grid_marks(weeks, periods)


@dataclass
class PostPeriods:
    """The periods a post falls in and the staffing warnings that name it."""

    peaks: list[CalendarPeriod] = field(default_factory=list)
    linked_peak_ids: set[int] = field(default_factory=set)
    holidays: list[CalendarPeriod] = field(default_factory=list)
    public_holidays: list[tuple[date, str]] = field(default_factory=list)
    warnings: list[StaffingWarning] = field(default_factory=list)


def post_periods(
    org_id: int, post_id: int, year: int, spans: Sequence[tuple[date, date]]
) -> PostPeriods:
    """What a post's page says about its staffing: the peak and holiday periods that
    share a day with one of its ``spans`` (first and last day of each occurrence), the
    peaks it is linked to, the public holidays it falls on, and the warnings of ``year``
    whose posts include it."""
    result = PostPeriods()
    linked = set(
        db.session.execute(
            select(peak_post.c.peak_period_id).where(peak_post.c.post_id == post_id)
        ).scalars()
    )
    if spans:
        first = min(s for s, _e in spans)
        last = max(e for _s, e in spans)
        periods = periods_between(org_id, first, last)
        shown = [p for p in periods if p.id in linked and p.is_peak] + [
            p for p in periods if any(overlaps(p, s, e) for s, e in spans)
        ]
        seen: set[tuple[bool, int]] = set()
        for period in shown:
            if (period.is_peak, period.id) in seen:
                continue
            seen.add((period.is_peak, period.id))
            (result.peaks if period.is_peak else result.holidays).append(period)
        names = {
            day: name
            for y in range(first.year, last.year + 1)
            for day, name in public_holidays(y).items()
        }
        result.public_holidays = [
            (day, names[day]) for day in sorted(names) if any(s <= day <= e for s, e in spans)
        ]
    missing = linked - {p.id for p in result.peaks}
    if missing:
        result.peaks += [
            CalendarPeriod(PEAK, p.id, p.name, p.start, p.end)
            for p in db.session.execute(
                select(PeakPeriod)
                .where(PeakPeriod.organisation_id == org_id, PeakPeriod.id.in_(missing))
                .order_by(PeakPeriod.start, PeakPeriod.name)
            ).scalars()
        ]
    result.peaks.sort(key=lambda p: (p.start, p.name))
    result.linked_peak_ids = linked
    result.warnings = [w for w in warnings_for_year(org_id, year) if post_id in w.post_ids]
    return result
