"""The staffing warnings: each rule a plain function over a :class:`StaffingPlan`.

Every warning says what is wrong (``message``), why it matters (``reason``) and what to do
about it (``fix``), in Norwegian, with its period and ISO week. ``compute_warnings`` runs
all rules; the service layer only gathers the plan and calls it.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from operator import itemgetter
from typing import Any

from planner.domain.dates import week_label, week_range_label
from planner.domain.staffing.model import (
    DutyCalendar,
    PeakInfo,
    Period,
    PostOccurrence,
    StaffInfo,
    StaffingPlan,
    days_between,
    iso_weeks_of_year,
    monday_of,
    peak_day_map,
    peaks_touching_week,
)
from planner.domain.staffing.text import day_text, days_text, hours_text, join_names, quoted

SEVERITIES = ("high", "medium", "low")
SEVERITY_LABELS = {"high": "Høy", "medium": "Middels", "low": "Lav"}
KIND_LABELS = {
    "no_rota": "Ingen vaktliste",
    "no_main": "Mangler hovedansvarlig",
    "duty_while_absent": "På vakt mens borte",
    "peak_understaffed": "For få på vakt i toppbelastning",
    "peak_load_unfair": "Skjev fordeling av toppuker",
    "deadline_on_closed_day": "Frist på helg eller helligdag",
    "peak_in_holiday": "Toppbelastning i ferie",
    "overload": "Svarbelastning over kapasitet",
    "post_without_duty": "Innlegg uten noen på vakt",
}
#: A person may have this many peak weeks more than the rounded-up team average.
UNFAIR_TOLERANCE = 1

_DEADLINE = re.compile(r"\w+frist(?:en)?\b|\bsiste frist\b|\bfrist(?:en)?\s+(?:for|går|er)\b", re.I)


@lru_cache(maxsize=4096)
def is_deadline(title: str) -> bool:
    """Whether a post is a deadline: «frist» in its title (søknadsfrist, klagefristen …)."""
    return bool(_DEADLINE.search(title))


@dataclass(frozen=True)
class StaffingWarning:
    """One warning about the staffing of the year's plan."""

    kind: str
    severity: str
    start: date
    end: date
    message: str
    reason: str
    fix: str
    subject: str = ""
    peak_id: int | None = None
    holiday_id: int | None = None
    staff_ids: tuple[int, ...] = ()
    post_ids: tuple[int, ...] = field(default=())

    @property
    def iso_year(self) -> int:
        return self.start.isocalendar().year

    @property
    def iso_week(self) -> int:
        return self.start.isocalendar().week

    @property
    def weeks(self) -> str:
        """``uke 9`` or ``uke 8–9``: how the team talks about the period."""
        return week_range_label(self.start, self.end)

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.severity]

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def key(self) -> str:
        """Stable identity of the warning (for anchors and comparisons)."""
        return f"{self.kind}:{self.start.isoformat()}:{self.end.isoformat()}:{self.subject}"

    def to_dict(self) -> dict[str, Any]:
        """The warning as JSON with stable keys (``flask flags --format json``)."""
        return {
            "key": self.key,
            "kind": self.kind,
            "kind_label": self.kind_label,
            "severity": self.severity,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "iso_year": self.iso_year,
            "iso_week": self.iso_week,
            "weeks": self.weeks,
            "subject": self.subject,
            "message": self.message,
            "reason": self.reason,
            "fix": self.fix,
            "peak_period_id": self.peak_id,
            "holiday_period_id": self.holiday_id,
            "staff_member_ids": list(self.staff_ids),
            "post_ids": list(self.post_ids),
        }


#: The name the other areas use (``warnings_for_year(...) -> list[Warning]``).
Warning = StaffingWarning


@dataclass(frozen=True)
class WeekLoad:
    """Answering load of one ISO week against what the people on duty can answer."""

    monday: date
    demand: float
    capacity: float
    posts: tuple[tuple[PostOccurrence, float], ...] = ()

    @property
    def over(self) -> bool:
        return self.demand > self.capacity + 1e-9


class _Context:
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


# --------------------------------------------------------------------------- rota gaps


def _rota_gaps(ctx: _Context) -> list[StaffingWarning]:
    """No rota at all, or weeks and working days without a main responsible."""
    year = ctx.plan.year
    if not ctx.has_rota:
        first, last = ctx.weeks[0], ctx.weeks[-1] + timedelta(days=6)
        fix = (
            "Lag en rettferdig rotasjon for året under Bemanning → Vaktliste, og juster den for hånd."
            if ctx.active
            else "Legg inn teamet under Bemanning → Team og fravær, og lag så en rettferdig rotasjon."
        )
        return [
            StaffingWarning(
                "no_rota",
                "high",
                first,
                last,
                f"Det er ingen vaktliste for {year}.",
                "KS anbefaler at én person om gangen er hovedansvarlig for å følge med og svare "
                "i sosiale medier, på rundgang. Uten vaktliste vet ingen hvem som svarer.",
                fix,
                subject=str(year),
            )
        ]
    warnings = []
    for monday in ctx.weeks:
        sunday = monday + timedelta(days=6)
        working = ctx.calendar.working_days(monday, sunday)
        missing: list[date] = []
        not_working: set[str] = set()
        any_main = False
        for day in working:
            mains = [e for e in ctx.calendar.assigned(day) if e.role == "main"]
            any_main = any_main or ctx.calendar.has_any_line(day, "main")
            if mains:
                continue  # someone is there, or is away (the absence rule says so)
            missing.append(day)
            not_working.update(p.name for p in ctx.calendar.week_lines(monday, "main"))
        if not missing:
            continue
        label = week_label(monday)
        if not any_main:
            message = f"{label.capitalize()} har ingen hovedansvarlig."
            reason = "Ingen er satt opp som hovedansvarlig denne uken, så ingen har ansvaret for å følge med og svare."
        else:
            message = f"{label.capitalize()}: ingen hovedansvarlig {days_text(missing)}."
            reason = (
                f"{join_names(sorted(not_working))} jobber ikke disse dagene, og ingen dagsvakt er satt opp."
                if not_working
                else "Ingen er satt opp som hovedansvarlig disse dagene."
            )
        suggestion = ctx.suggest(missing)
        fix = (
            f"Sett en hovedansvarlig for {'uken' if not any_main else 'dagene'}, for eksempel {suggestion}."
            if suggestion
            else "Ingen i teamet er ledig disse dagene: legg inn dagsvakter eller flytt fravær."
        )
        warnings.append(
            StaffingWarning(
                "no_main",
                "high",
                missing[0] if any_main else monday,
                missing[-1] if any_main else sunday,
                message,
                reason,
                fix,
                subject=label,
            )
        )
    return warnings


def _absent_on_duty(ctx: _Context) -> list[StaffingWarning]:
    """People written into the rota on days they are away (or no longer in the team)."""
    found: dict[tuple[int, date, str], list[date]] = defaultdict(list)
    reasons: dict[tuple[int, date, str], set[str]] = defaultdict(set)
    start, end = ctx.weeks[0], ctx.weeks[-1] + timedelta(days=6)
    for day in days_between(start, end):
        for entry in ctx.calendar.assigned(day):
            if entry.present:
                continue
            key = (entry.staff.id, monday_of(day), entry.role)
            found[key].append(day)
            if not entry.staff.active:
                reasons[key].add("er ikke lenger aktiv i teamet")
            elif entry.absence is not None:
                reasons[key].add(entry.absence.reason.strip() or "fravær")
    warnings = []
    for (staff_id, monday, role), days in sorted(found.items(), key=lambda i: (i[0][1], i[0][0])):
        person = ctx.calendar.staff[staff_id]
        role_text = "hovedansvarlig" if role == "main" else "backup"
        why = join_names(sorted(reasons[(staff_id, monday, role)]))
        suggestion = ctx.suggest(days, exclude=ctx.calendar.week_people(monday))
        fix = (
            f"Sett inn en annen som {role_text} {days_text(days)}, for eksempel {suggestion} "
            "(en dagsvakt erstatter ukevakten de dagene)."
            if suggestion
            else f"Ingen andre er ledige {days_text(days)}: flytt fraværet eller legg inn dagsvakter."
        )
        warnings.append(
            StaffingWarning(
                "duty_while_absent",
                "high",
                days[0],
                days[-1],
                f"{person.name} er {role_text} {days_text(days)}, men er borte ({why}).",
                "Den som står på vaktlisten, er ikke på jobb; ingen svarer dersom ikke noen tar over.",
                fix,
                subject=person.name,
                staff_ids=(staff_id,),
            )
        )
    return warnings


# --------------------------------------------------------------------------- peaks


def _peak_days(ctx: _Context, peak: PeakInfo) -> list[date]:
    clipped = peak.clip(ctx.year.start, ctx.year.end)
    if clipped is None:
        return []
    working = ctx.calendar.working_days(clipped.start, clipped.end)
    return working or list(days_between(clipped.start, clipped.end))


def _understaffed_peaks(ctx: _Context) -> list[StaffingWarning]:
    """Peak periods with fewer people on duty (and at work) than they require."""
    warnings = []
    for peak in ctx.peaks:
        short: dict[date, list[tuple[date, int]]] = defaultdict(list)
        for day in _peak_days(ctx, peak):
            count = len(ctx.calendar.present(day))
            if count < peak.required_staff:
                short[monday_of(day)].append((day, count))
        for monday, entries in sorted(short.items()):
            days = [d for d, _ in entries]
            lowest = min(n for _, n in entries)
            on_duty = ctx.calendar.week_people(monday)
            missing = peak.required_staff - lowest
            suggestion = ctx.suggest(days, exclude=on_duty)
            fix = (
                f"Sett inn {missing} til som backup i {week_label(monday)}, for eksempel {suggestion}."
                if suggestion
                else "Ingen andre i teamet er ledige da: legg inn dagsvakter, flytt fravær eller "
                "vurder om bemanningsbehovet kan senkes."
            )
            warnings.append(
                StaffingWarning(
                    "peak_understaffed",
                    "high",
                    days[0],
                    days[-1],
                    f"«{peak.name}», {week_label(monday)}: {lowest} av {peak.required_staff} på vakt "
                    f"{days_text(days)}.",
                    (peak.reason.strip() or "En kjent toppbelastning trenger ekstra svarbemanning.")
                    + f" Perioden krever {peak.required_staff} på vakt.",
                    fix,
                    subject=peak.name,
                    peak_id=peak.id,
                    staff_ids=tuple(sorted(on_duty)),
                )
            )
    return warnings


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


def _share(person: StaffInfo) -> float:
    """A person's share of a full working week (Monday–Friday)."""
    return max(1, len(person.working_days & {1, 2, 3, 4, 5})) / 5


def _unfair_peak_load(ctx: _Context) -> list[StaffingWarning]:
    """People on duty in clearly more peak weeks than their share of the team's.

    Each person's fair share is the team's peak weeks weighed by working share (a 3-day
    week counts 0.6); more than that share rounded up plus ``UNFAIR_TOLERANCE`` is flagged."""
    if len(ctx.active) < 2:
        return []
    weeks = peak_weeks(ctx.plan, ctx.calendar)
    counts = peak_week_counts(ctx.plan, ctx.calendar)
    total = sum(counts.values())
    if not total:
        return []
    shares = sum(_share(p) for p in ctx.active)
    warnings = []
    for person in ctx.active:
        count = counts.get(person.id, 0)
        fair = total * _share(person) / shares
        if count <= math.ceil(fair) + UNFAIR_TOLERANCE:
            continue
        mine = [m for m in weeks if person.id in ctx.calendar.week_people(m)]
        fewest = sorted(ctx.active, key=lambda p: (counts.get(p.id, 0) / _share(p), p.name))
        others = [
            p.name
            for p in fewest
            if p.id != person.id and counts.get(p.id, 0) < total * _share(p) / shares
        ][:3]
        fair_text = f"{fair:.1f}".replace(".", ",")
        warnings.append(
            StaffingWarning(
                "peak_load_unfair",
                "low",
                mine[0],
                mine[-1] + timedelta(days=6),
                f"{person.name} er på vakt i {count} av {len(weeks)} toppuker; en rettferdig "
                f"andel er {fair_text}.",
                "Toppukene er de tyngste. Fordeles de skjevt, slites noen ut mens andre mister "
                "erfaringen med å svare når trykket er størst. (Andelen tar hensyn til "
                "stillingsbrøk: den som jobber tre dager i uken, får tre femtedeler.)",
                f"Bytt {count - math.ceil(fair)} toppuke(r) med "
                + (join_names(others, "eller") if others else "andre i teamet")
                + ", eller la «Lag rettferdig rotasjon» fordele toppukene på nytt.",
                subject=person.name,
                staff_ids=(person.id,),
            )
        )
    return warnings


def _peaks_in_holidays(ctx: _Context) -> list[StaffingWarning]:
    """Peak periods that overlap school holidays or the common holiday weeks."""
    warnings = []
    for peak in ctx.peaks:
        for holiday in ctx.plan.holidays:
            overlap = peak.clip(holiday.start, holiday.end)
            if overlap is None or overlap.clip(ctx.year.start, ctx.year.end) is None:
                continue
            away = sorted(
                {
                    p.name
                    for p in ctx.active
                    for a in p.absences
                    if a.overlaps(overlap.start, overlap.end)
                }
            )
            reason = (
                f"Mange ansatte har fri i {holiday.name.lower()}, mens innbyggerne trenger svar "
                f"i «{peak.name}»."
            )
            if away:
                reason += f" {join_names(away)} har fravær i denne tiden."
            warnings.append(
                StaffingWarning(
                    "peak_in_holiday",
                    "medium",
                    overlap.start,
                    overlap.end,
                    f"«{peak.name}» overlapper {holiday.name} "
                    f"({days_text(list(days_between(overlap.start, overlap.end)))}).",
                    reason,
                    f"Avklar ferien i teamet tidlig, slik at minst {peak.required_staff} er på jobb "
                    f"i {week_range_label(overlap.start, overlap.end)}, og legg fraværet inn så "
                    "vaktlisten tar hensyn til det. Vurder å sende påminnelser før ferien starter.",
                    subject=f"{peak.name} / {holiday.name}",
                    peak_id=peak.id,
                    holiday_id=holiday.id,
                )
            )
    return warnings


# --------------------------------------------------------------------------- posts


def _previous_working_day(ctx: _Context, day: date) -> date:
    day -= timedelta(days=1)
    while not ctx.calendar.is_working_day(day):
        day -= timedelta(days=1)
    return day


def _next_working_day(ctx: _Context, day: date) -> date:
    day += timedelta(days=1)
    while not ctx.calendar.is_working_day(day):
        day += timedelta(days=1)
    return day


def _closed_reason(ctx: _Context, day: date) -> str:
    holiday = ctx.holidays.get(day)
    if holiday:
        return f"{holiday.lower()}, en helligdag"
    return "en lørdag" if day.weekday() == 5 else "en søndag"


def _deadlines_on_closed_days(ctx: _Context) -> list[StaffingWarning]:
    """Deadlines on a weekend or public holiday: the traffic peaks when nobody is at work."""
    warnings = []
    for occ in ctx.year_posts:
        if ctx.calendar.is_working_day(occ.day) or not is_deadline(occ.title):
            continue
        day = occ.day
        present = ctx.calendar.present(day)
        duty = (
            f"{join_names([p.name for p in present])} er satt på vakt den dagen."
            if present
            else "Ingen er satt på vakt den dagen."
        )
        before, after = _previous_working_day(ctx, day), _next_working_day(ctx, day)
        warnings.append(
            StaffingWarning(
                "deadline_on_closed_day",
                "medium",
                day,
                day,
                f"«{occ.title}» er {day_text(day)} – {_closed_reason(ctx, day)}.",
                "Spørsmålene topper seg de siste dagene før en frist og på selve fristdagen, "
                f"og da er ingen på jobb. {duty}",
                f"Send siste påminnelse {day_text(before)}, avtal en dagsvakt {day_text(day, False)}, "
                f"eller gjør det tydelig at fristen gjelder til {day_text(after)}.",
                subject=occ.title,
                post_ids=(occ.post_id,),
            )
        )
    return warnings


def _posts_without_duty(ctx: _Context) -> list[StaffingWarning]:
    """Days with posts on dialogue channels and nobody on duty to answer."""
    if not ctx.has_rota:
        return []
    by_day: dict[date, list[PostOccurrence]] = defaultdict(list)
    is_working_day = ctx.calendar.is_working_day
    for occ in ctx.year_posts:
        if not occ.dialogue_channels:
            continue
        if not is_working_day(occ.day) and is_deadline(occ.title):
            continue  # deadlines on closed days have their own warning
        by_day[occ.day].append(occ)
    warnings = []
    for day, occs in sorted(by_day.items()):
        if ctx.calendar.present(day):
            continue
        titles = [o.title for o in occs]
        if not ctx.calendar.is_working_day(day):
            reason = f"Det er {_closed_reason(ctx, day)}, og ingen har dagsvakt."
            fix = (
                f"Flytt innleggene til {day_text(_previous_working_day(ctx, day))}, "
                f"eller avtal en dagsvakt {day_text(day, False)}"
            )
        else:
            reason = "Ingen på vaktlisten er på jobb denne dagen."
            fix = "Sett opp en hovedansvarlig for dagen"
        suggestion = ctx.suggest([day])
        fix += f", for eksempel {suggestion}." if suggestion else "."
        warnings.append(
            StaffingWarning(
                "post_without_duty",
                "medium",
                day,
                day,
                f"{len(occs)} innlegg i dialogkanaler {day_text(day)} uten noen på vakt: {quoted(titles)}.",
                reason + " Kommentarer og spørsmål blir liggende ubesvart.",
                fix,
                subject=day.isoformat(),
                post_ids=tuple(sorted({o.post_id for o in occs})),
            )
        )
    return warnings


# --------------------------------------------------------------------------- load


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


def _overload(ctx: _Context) -> list[StaffingWarning]:
    """Weeks whose expected answering load exceeds what the people on duty can answer."""
    if not ctx.has_rota:
        return []
    model = ctx.plan.load_model
    loads = ctx.loads
    warnings = []
    for monday, load in sorted(loads.items()):
        if not load.over or not load.posts:
            continue
        excess, to_move = load.demand - load.capacity, 0
        for _, value in load.posts:
            if excess <= 1e-9:
                break
            excess -= value
            to_move += 1
        nearby = [
            loads[m]
            for m in (monday + timedelta(weeks=k) for k in (-2, -1, 1, 2))
            if m in loads and loads[m].capacity > loads[m].demand
        ]
        lightest = max(nearby, key=lambda w: w.capacity - w.demand) if nearby else None
        channels = sorted({c.name for occ, _ in load.posts for c in occ.dialogue_channels})
        in_peak = sum(1 for occ, _ in load.posts if ctx.peak_on(occ.day))
        reason = (
            f"{len(load.posts)} innlegg i dialogkanaler ({join_names(channels)}) gir anslagsvis "
            f"{hours_text(load.demand)} svararbeid innenfor svartidene; "
            f"de på vakt rekker {hours_text(load.capacity)}."
        )
        if in_peak:
            reason += f" {in_peak} av innleggene er i en toppbelastning (×{model.peak_factor:g})."
        extra_days = len(ctx.calendar.working_days(monday, monday + timedelta(days=6)))
        fix = f"Sett inn en backup til (+{hours_text(model.hours_backup * extra_days)})"
        if lightest is not None:
            fix += f", eller flytt {to_move} innlegg til {week_label(lightest.monday)}, som har ledig kapasitet"
        fix += "."
        warnings.append(
            StaffingWarning(
                "overload",
                "high" if load.capacity == 0 else "medium",
                monday,
                monday + timedelta(days=6),
                f"{week_label(monday).capitalize()}: forventet svarbelastning "
                f"{hours_text(load.demand)}, kapasitet {hours_text(load.capacity)}.",
                reason,
                fix,
                subject=week_label(monday),
                post_ids=tuple(sorted({occ.post_id for occ, _ in load.posts})),
            )
        )
    return warnings


# --------------------------------------------------------------------------- all rules

RULES = (
    _rota_gaps,
    _absent_on_duty,
    _understaffed_peaks,
    _unfair_peak_load,
    _deadlines_on_closed_days,
    _peaks_in_holidays,
    _overload,
    _posts_without_duty,
)


def compute_warnings(
    plan: StaffingPlan,
    calendar: DutyCalendar | None = None,
    loads: dict[date, WeekLoad] | None = None,
) -> list[StaffingWarning]:
    """Every staffing warning for the plan's year, by date, most severe first within a day.

    ``calendar`` and ``loads`` may be passed when the caller has them already (they are
    derived from ``plan``)."""
    ctx = _Context(plan, calendar, loads)
    warnings = [w for rule in RULES for w in rule(ctx)]
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(warnings, key=lambda w: (w.start, order[w.severity], w.kind, w.subject))
