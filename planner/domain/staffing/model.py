"""Plain values the staffing rules work on, and the duty calendar built from them.

Nothing here knows Flask or the database: the service layer turns rows into these values
(``planner.services.staffing.load_plan``) and tests build them by hand. Dates are
calendar dates in Europe/Oslo; a duty week starts on its ISO Monday.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from planner.domain.dates import public_holidays
from planner.domain.staffing.load import LoadModel

#: Channel types that carry dialogue (the social ones): people comment and ask questions
#: there and expect an answer within the channel's response time (svartid).
DIALOGUE_CHANNEL_TYPES = (
    "nettsamfunn",
    "mikroblogg",
    "blogg",
    "delingsmedium",
    "diskusjonsforum",
    "wiki",
)
ROLES = ("main", "backup")
ROLE_LABELS = {"main": "hovedansvarlig", "backup": "backup"}
ONE_DAY = timedelta(days=1)


def monday_of(day: date) -> date:
    """The Monday of the ISO week containing ``day``."""
    return day - timedelta(days=day.weekday())


def days_between(start: date, end: date) -> Iterator[date]:
    """Every day from ``start`` to ``end`` inclusive."""
    day = start
    while day <= end:
        yield day
        day += ONE_DAY


def iso_weeks_of_year(iso_year: int) -> list[date]:
    """The Mondays of every ISO week of ``iso_year`` (52 or 53 of them)."""
    first = date.fromisocalendar(iso_year, 1, 1)
    weeks = date(iso_year, 12, 28).isocalendar().week
    return [first + timedelta(weeks=i) for i in range(weeks)]


@dataclass(frozen=True)
class Period:
    """A span of whole days, both ends included."""

    start: date
    end: date

    def contains(self, day: date) -> bool:
        """Whether ``day`` is in the period."""
        return self.start <= day <= self.end

    def overlaps(self, start: date, end: date) -> bool:
        """Whether the period shares a day with ``start``..``end``."""
        return self.start <= end and self.end >= start

    def clip(self, start: date, end: date) -> Period | None:
        """The part of this period within ``start``..``end``, if any."""
        if not self.overlaps(start, end):
            return None
        return Period(max(self.start, start), min(self.end, end))


@dataclass(frozen=True)
class AbsenceInfo(Period):
    """A staff member's absence (ferie, kurs, permisjon)."""

    reason: str = ""


@dataclass(frozen=True)
class StaffInfo:
    """A team member: usual ISO working days (1 = Monday) and absences."""

    id: int
    name: str
    working_days: frozenset[int] = frozenset({1, 2, 3, 4, 5})
    active: bool = True
    absences: tuple[AbsenceInfo, ...] = ()

    def absence_on(self, day: date) -> AbsenceInfo | None:
        """The absence covering ``day``, if the person is away then."""
        for absence in self.absences:
            if absence.contains(day):
                return absence
        return None

    def works_on(self, day: date) -> bool:
        """Whether ``day`` is one of the person's usual working weekdays."""
        return day.isoweekday() in self.working_days


@dataclass(frozen=True)
class DutyInfo:
    """One line of the rota: a person is main responsible or backup for a week, or for one
    day of it (``day`` set). A day line replaces the week's lines of the same role that day."""

    staff_id: int
    week_start: date
    role: str = "main"
    day: date | None = None
    id: int | None = None


@dataclass(frozen=True)
class PeakInfo(Period):
    """A known traffic peak (toppbelastning) that needs ``required_staff`` on duty."""

    name: str = ""
    required_staff: int = 2
    reason: str = ""
    id: int | None = None


def peaks_touching_week(
    peaks: Sequence[PeakInfo], monday: date, is_working_day: Callable[[date], bool]
) -> list[PeakInfo]:
    """The peaks that need staffing in the week of ``monday``: those covering one of its
    working days, and weekend-only peaks (no working day at all) that overlap it."""
    sunday = monday + timedelta(days=6)
    found = []
    for peak in peaks:
        overlap = peak.clip(monday, sunday)
        if overlap is None:
            continue
        if any(is_working_day(d) for d in days_between(overlap.start, overlap.end)) or not any(
            is_working_day(d) for d in days_between(peak.start, peak.end)
        ):
            found.append(peak)
    return found


def peak_day_map(peaks: Sequence[PeakInfo], start: date, end: date) -> dict[date, PeakInfo]:
    """Each day from ``start`` to ``end`` covered by a peak, with the first such peak (in
    the order given): one lookup per day instead of a scan of every peak."""
    found: dict[date, PeakInfo] = {}
    for peak in peaks:
        clipped = peak.clip(start, end)
        if clipped is not None:
            for day in days_between(clipped.start, clipped.end):
                found.setdefault(day, peak)
    return found


@dataclass(frozen=True)
class HolidayInfo(Period):
    """A school or common holiday of the municipality (skoleferie, fellesferie)."""

    name: str = ""
    kind: str = "skoleferie"
    id: int | None = None


@dataclass(frozen=True)
class ChannelInfo:
    """A channel as the load model sees it."""

    name: str
    type: str
    response_hours: int = 0

    @property
    def is_dialogue(self) -> bool:
        """Whether people comment and ask here (a social channel type)."""
        return self.type in DIALOGUE_CHANNEL_TYPES


@dataclass(slots=True)
class PostOccurrence:
    """One occurrence of a post (recurring posts give one per occurrence). Treat it as
    read-only; it is not frozen only because a year holds thousands of them and frozen
    dataclasses are five times slower to make."""

    post_id: int
    title: str
    start: datetime
    end: datetime
    kind: str = "proaktiv"
    channels: tuple[ChannelInfo, ...] = ()
    uid: str = ""

    #: The day the occurrence is published (its first day).
    day: date = field(init=False, compare=False, repr=False)
    #: The occurrence's channels that carry dialogue.
    dialogue_channels: tuple[ChannelInfo, ...] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        # Worked out once: the rules ask for both of every occurrence, often.
        self.day = self.start.date()
        self.dialogue_channels = tuple(c for c in self.channels if c.is_dialogue)


@dataclass(frozen=True)
class StaffingPlan:
    """Everything the rules need for one year of one municipality."""

    year: int
    staff: Sequence[StaffInfo] = ()
    duty: Sequence[DutyInfo] = ()
    peaks: Sequence[PeakInfo] = ()
    holidays: Sequence[HolidayInfo] = ()
    posts: Sequence[PostOccurrence] = ()
    load_model: LoadModel = field(default_factory=LoadModel)
    public_holidays: Mapping[date, str] | None = None

    def holiday_calendar(self) -> dict[date, str]:
        """Public holidays of the year and its neighbours (weeks cross New Year)."""
        if self.public_holidays is not None:
            return dict(self.public_holidays)
        found: dict[date, str] = {}
        for year in (self.year - 1, self.year, self.year + 1):
            found.update(public_holidays(year))
        return found

    @property
    def window(self) -> Period:
        """The days the year's checks look at: the calendar year and its ISO weeks."""
        weeks = iso_weeks_of_year(self.year)
        return Period(
            min(date(self.year, 1, 1), weeks[0]),
            max(date(self.year, 12, 31), weeks[-1] + timedelta(days=6)),
        )


@dataclass(frozen=True)
class OnDuty:
    """A person on duty on a day, and whether they are really there."""

    staff: StaffInfo
    role: str
    explicit_day: bool
    absence: AbsenceInfo | None

    @property
    def present(self) -> bool:
        """At work that day: active and not away. (Week lines only cover the person's usual
        working days; a day line counts on any day, e.g. a weekend duty.)"""
        return self.staff.active and self.absence is None


class DutyCalendar:
    """Who is on duty on each day, from week lines and the day lines that replace them."""

    def __init__(
        self,
        staff: Sequence[StaffInfo],
        duty: Sequence[DutyInfo],
        holidays: Mapping[date, str],
    ) -> None:
        self.staff = {s.id: s for s in staff}
        self.holidays = holidays
        self._week: dict[tuple[date, str], list[int]] = defaultdict(list)
        self._day: dict[tuple[date, str], list[int]] = defaultdict(list)
        self.weeks_with_duty: set[date] = set()
        for line in duty:
            if line.staff_id not in self.staff or line.role not in ROLES:
                continue
            week = monday_of(line.day) if line.day else line.week_start
            self.weeks_with_duty.add(week)
            target = self._day if line.day else self._week
            key = (line.day or week, line.role)
            if line.staff_id not in target[key]:
                target[key].append(line.staff_id)
        self._cache: dict[date, tuple[OnDuty, ...]] = {}

    def is_working_day(self, day: date) -> bool:
        """Monday–Friday and not a public holiday: when the office is open."""
        return day.weekday() < 5 and day not in self.holidays

    def working_days(self, start: date, end: date) -> list[date]:
        """The office's working days from ``start`` to ``end`` inclusive."""
        return [d for d in days_between(start, end) if self.is_working_day(d)]

    def assigned(self, day: date) -> tuple[OnDuty, ...]:
        """Everyone assigned to ``day`` (present or not), main responsible first."""
        cached = self._cache.get(day)
        if cached is not None:
            return cached
        result: list[OnDuty] = []
        for role in ROLES:
            ids = self._day.get((day, role))
            explicit = bool(ids)
            if not ids:
                ids = self._week.get((monday_of(day), role), [])
            for staff_id in ids:
                person = self.staff[staff_id]
                if not explicit and (not person.works_on(day) or day in self.holidays):
                    # A week line covers the person's own working days, not public holidays.
                    continue
                result.append(OnDuty(person, role, explicit, person.absence_on(day)))
        value = tuple(result)
        self._cache[day] = value
        return value

    def present(self, day: date, role: str | None = None) -> list[StaffInfo]:
        """Distinct people on duty and at work on ``day`` (optionally in one role)."""
        seen: dict[int, StaffInfo] = {}
        for entry in self.assigned(day):
            if entry.present and (role is None or entry.role == role):
                seen.setdefault(entry.staff.id, entry.staff)
        return list(seen.values())

    def week_lines(self, monday: date, role: str) -> list[StaffInfo]:
        """The people written into the week of ``monday`` for ``role`` (week lines only)."""
        return [self.staff[i] for i in self._week.get((monday, role), [])]

    def has_any_line(self, day: date, role: str) -> bool:
        """Whether anyone at all is written into the rota for ``role`` on ``day``."""
        return bool(self._day.get((day, role)) or self._week.get((monday_of(day), role)))

    def week_people(self, monday: date) -> set[int]:
        """Everyone with any duty line in the week of ``monday``."""
        people: set[int] = set()
        for day in days_between(monday, monday + timedelta(days=6)):
            people.update(e.staff.id for e in self.assigned(day))
        return people

    def free_on(self, person: StaffInfo, day: date) -> bool:
        """Whether ``person`` could be on duty on ``day`` (active, works then, not away)."""
        return person.active and person.works_on(day) and person.absence_on(day) is None
