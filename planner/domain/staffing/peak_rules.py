"""The staffing rules about peak periods (toppbelastninger): too few on duty, peak weeks
shared unfairly, and peaks during holidays."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, timedelta

from planner.domain.dates import week_label, week_range_label
from planner.domain.staffing.context import RuleContext
from planner.domain.staffing.model import PeakInfo, StaffInfo, days_between, monday_of
from planner.domain.staffing.text import days_text, join_names
from planner.domain.staffing.warning import StaffingWarning
from planner.domain.staffing.weekly import peak_week_counts, peak_weeks

#: A person may have this many peak weeks more than the rounded-up team average.
UNFAIR_TOLERANCE = 1


def _peak_days(ctx: RuleContext, peak: PeakInfo) -> list[date]:
    clipped = peak.clip(ctx.year.start, ctx.year.end)
    if clipped is None:
        return []
    working = ctx.calendar.working_days(clipped.start, clipped.end)
    return working or list(days_between(clipped.start, clipped.end))


def understaffed_peaks(ctx: RuleContext) -> list[StaffingWarning]:
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


def _share(person: StaffInfo) -> float:
    """A person's share of a full working week (Monday–Friday)."""
    return max(1, len(person.working_days & {1, 2, 3, 4, 5})) / 5


def unfair_peak_load(ctx: RuleContext) -> list[StaffingWarning]:
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


def peaks_in_holidays(ctx: RuleContext) -> list[StaffingWarning]:
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
