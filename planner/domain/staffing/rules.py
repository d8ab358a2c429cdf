"""The staffing warnings: each rule a plain function over a :class:`StaffingPlan`.

``compute_warnings`` runs all rules; the service layer only gathers the plan and calls
it. The rules about the rota and the answering load are here; those about peak periods
are in :mod:`~planner.domain.staffing.peak_rules`, those about posts in
:mod:`~planner.domain.staffing.post_rules`. What a warning holds is in
:mod:`~planner.domain.staffing.warning`.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from planner.domain.dates import week_label
from planner.domain.staffing.context import RuleContext
from planner.domain.staffing.model import DutyCalendar, StaffingPlan, days_between, monday_of
from planner.domain.staffing.peak_rules import (
    peaks_in_holidays,
    understaffed_peaks,
    unfair_peak_load,
)
from planner.domain.staffing.post_rules import deadlines_on_closed_days, posts_without_duty
from planner.domain.staffing.text import days_text, hours_text, join_names
from planner.domain.staffing.warning import SEVERITIES, StaffingWarning
from planner.domain.staffing.weekly import WeekLoad

# --------------------------------------------------------------------------- rota gaps


def _rota_gaps(ctx: RuleContext) -> list[StaffingWarning]:
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


def _absent_on_duty(ctx: RuleContext) -> list[StaffingWarning]:
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


def _overload(ctx: RuleContext) -> list[StaffingWarning]:
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
    understaffed_peaks,
    unfair_peak_load,
    deadlines_on_closed_days,
    peaks_in_holidays,
    _overload,
    posts_without_duty,
)


def compute_warnings(
    plan: StaffingPlan,
    calendar: DutyCalendar | None = None,
    loads: dict[date, WeekLoad] | None = None,
) -> list[StaffingWarning]:
    """Every staffing warning for the plan's year, by date, most severe first within a day.

    ``calendar`` and ``loads`` may be passed when the caller has them already (they are
    derived from ``plan``)."""
    ctx = RuleContext(plan, calendar, loads)
    warnings = [w for rule in RULES for w in rule(ctx)]
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(warnings, key=lambda w: (w.start, order[w.severity], w.kind, w.subject))
