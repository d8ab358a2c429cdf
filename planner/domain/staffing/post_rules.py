"""The staffing rules about posts: deadlines on closed days, and posts on dialogue
channels with nobody on duty to answer."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from planner.domain.staffing.context import RuleContext
from planner.domain.staffing.model import PostOccurrence
from planner.domain.staffing.text import day_text, join_names, quoted
from planner.domain.staffing.warning import StaffingWarning, is_deadline


def _previous_working_day(ctx: RuleContext, day: date) -> date:
    day -= timedelta(days=1)
    while not ctx.calendar.is_working_day(day):
        day -= timedelta(days=1)
    return day


def _next_working_day(ctx: RuleContext, day: date) -> date:
    day += timedelta(days=1)
    while not ctx.calendar.is_working_day(day):
        day += timedelta(days=1)
    return day


def _closed_reason(ctx: RuleContext, day: date) -> str:
    holiday = ctx.holidays.get(day)
    if holiday:
        return f"{holiday.lower()}, en helligdag"
    return "en lørdag" if day.weekday() == 5 else "en søndag"


def deadlines_on_closed_days(ctx: RuleContext) -> list[StaffingWarning]:
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


def posts_without_duty(ctx: RuleContext) -> list[StaffingWarning]:
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
