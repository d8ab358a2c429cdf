"""The duty rota (vaktliste): the year week by week, «lag rettferdig rotasjon», and one
week by hand (main responsible, backups and day lines)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from planner.domain.dates import (
    format_date,
    monday_of_iso_week,
    now_oslo,
    public_holidays,
    weeks_in_iso_year,
)
from planner.domain.staffing import peak_week_counts
from planner.models import Role
from planner.services.conflicts import changes_since, parse, snapshot
from planner.services.scope import current_org_id
from planner.services.staffing import (
    StaffingError,
    duty_for_week,
    generate_year,
    set_week,
    warnings_for_week,
    year_overview,
)
from planner.services.staffing.plan import holiday_rows, peak_rows, staff_rows
from planner.views.access import role_required
from planner.views.staffing import bp, selected_year
from planner.views.staffing.forms import GenerateForm


def _default_from_week(year: int) -> int:
    today = now_oslo().date()
    iso = today.isocalendar()
    return iso.week if iso.year == year else 1


@bp.get("/vaktliste")
def rota() -> Any:
    """The rota of the year, one row per ISO week, with peaks, holidays, load and warnings."""
    year = selected_year()
    form = GenerateForm(formdata=None, from_week=_default_from_week(year))
    return _rota_page(year, form)


def _rota_page(year: int, form: GenerateForm) -> Any:
    overview = year_overview(current_org_id(), year)
    counts: dict[int, dict[str, int]] = {}
    for week in overview.weeks:
        for role, lines in (("main", week.mains), ("backup", week.backups)):
            for line in lines:
                counts.setdefault(line.staff_member_id, {"main": 0, "backup": 0})[role] += 1
    return render_template(
        "staffing/rota.html",
        year=year,
        overview=overview,
        form=form,
        counts=counts,
        peak_weeks=peak_week_counts(overview.plan),
        this_monday=now_oslo().date() - timedelta(days=now_oslo().weekday()),
    ), (422 if form.errors else 200)


@bp.post("/vaktliste/generer")
@role_required(Role.EDITOR)
def rota_generate() -> Any:
    """«Lag rettferdig rotasjon»: fill the gaps, or plan the year anew from a week."""
    year = selected_year()
    form = GenerateForm()
    if form.validate():
        try:
            made = generate_year(
                current_org_id(),
                year,
                form.mode.data or "fill",
                int(form.from_week.data or 1),
                int(form.backups.data if form.backups.data is not None else 1),
            )
        except StaffingError as exc:
            form.from_week.errors = [*form.from_week.errors, str(exc)]
        else:
            flash(
                f"Rotasjonen er laget: {made} vaktlinjer for {year}. Se over og juster for hånd.",
                "success",
            )
            return redirect(url_for("staffing.rota", year=year))
    return _rota_page(year, form)


def _week_monday(iso_year: int, week: int) -> date:
    if not 2000 <= iso_year <= 2100 or not 1 <= week <= weeks_in_iso_year(iso_year):
        abort(404)
    return monday_of_iso_week(iso_year, week)


@bp.get("/vaktliste/<int:iso_year>/<int:week>")
def week(iso_year: int, week: int) -> Any:
    """One week of the rota: who is free when, the warnings, and the form to change it."""
    return _week_page(_week_monday(iso_year, week))


def _week_state(lines: list[Any]) -> dict[str, Any]:
    """The week's rota as ``{slot: staff id}`` (for the no-lost-updates check)."""
    state: dict[str, Any] = {}
    for ln in lines:
        slot = f"{ln.day.isoformat() if ln.day else 'uke'}:{ln.role}"
        if ln.role == "backup" and ln.day is None:
            state[slot] = sorted([*state.get(slot, []), ln.staff_member_id])
        else:
            state[slot] = ln.staff_member_id
    return state


def _week_conflict(org_id: int, monday: date) -> list[str]:
    """What others changed in this week's rota since the form was opened."""
    names = {m.id: m.name for m in staff_rows(org_id)}

    def who(value: Any) -> str:
        if value is None:
            return _("ingen")
        if isinstance(value, list):
            return ", ".join(names.get(v, "?") for v in value) or _("ingen")
        return names.get(value, "?")

    def describe(slot: str, before: Any, after: Any) -> str:
        when, role = slot.split(":")
        role_text = _("hovedansvarlig") if role == "main" else _("reserve")
        day = _("hele uka") if when == "uke" else format_date(date.fromisoformat(when))
        return _(
            "%(role)s (%(day)s): %(before)s → %(after)s",
            role=role_text,
            day=day,
            before=who(before),
            after=who(after),
        )

    current = _week_state(duty_for_week(org_id, monday))
    return changes_since(parse(request.form.get("original")), current, describe)


def _week_page(
    monday: date, errors: list[str] | None = None, conflict: list[str] | None = None
) -> Any:
    org_id = current_org_id()
    sunday = monday + timedelta(days=6)
    days = [monday + timedelta(days=i) for i in range(7)]
    lines = duty_for_week(org_id, monday)
    holidays = {**public_holidays(monday.year), **public_holidays(sunday.year)}
    staff = staff_rows(org_id)
    availability = {}
    for member in staff:
        row = []
        for day in days:
            absence = next((a for a in member.absences if a.start <= day <= a.end), None)
            works = day.isoweekday() in member.working_day_list
            row.append((absence, works))
        availability[member.id] = row
    main = next((ln.staff_member_id for ln in lines if ln.day is None and ln.role == "main"), None)
    backups = {ln.staff_member_id for ln in lines if ln.day is None and ln.role == "backup"}
    day_lines = {(ln.day, ln.role): ln.staff_member_id for ln in lines if ln.day is not None}
    prev_monday, next_monday = monday - timedelta(weeks=1), monday + timedelta(weeks=1)
    return render_template(
        "staffing/week.html",
        monday=monday,
        sunday=sunday,
        iso=monday.isocalendar(),
        year=monday.isocalendar().year,
        days=days,
        holidays=holidays,
        staff=staff,
        availability=availability,
        main=main,
        backups=backups,
        day_lines=day_lines,
        peaks=peak_rows(org_id, monday, sunday),
        holiday_periods=holiday_rows(org_id, monday, sunday),
        warnings=warnings_for_week(org_id, monday),
        errors=errors or [],
        conflict=conflict or [],
        original=snapshot(_week_state(lines)),
        prev=prev_monday.isocalendar(),
        next=next_monday.isocalendar(),
        has_week_view="plan.week_view" in current_app.view_functions,
    ), (409 if conflict else 422 if errors else 200)


def _person_id(value: str | None) -> int | None:
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        abort(400)


@bp.post("/vaktliste/<int:iso_year>/<int:week>")
@role_required(Role.EDITOR)
def week_save(iso_year: int, week: int) -> Any:
    """Save one week by hand: main responsible, backups and day lines."""
    monday = _week_monday(iso_year, week)
    conflict = _week_conflict(current_org_id(), monday)
    if conflict:
        return _week_page(monday, conflict=conflict)
    days: dict[date, dict[str, int | None]] = {}
    for offset in range(7):
        day = monday + timedelta(days=offset)
        days[day] = {
            "main": _person_id(request.form.get(f"day-{day.isoformat()}-main")),
            "backup": _person_id(request.form.get(f"day-{day.isoformat()}-backup")),
        }
    try:
        set_week(
            current_org_id(),
            monday,
            _person_id(request.form.get("main")),
            [b for b in (_person_id(v) for v in request.form.getlist("backups")) if b],
            days,
        )
    except StaffingError as exc:
        return _week_page(monday, [str(exc)])
    flash(_("Vakten for uke %(week)s er lagret.", week=week), "success")
    if request.form.get("then") == "next":
        nxt = (monday + timedelta(weeks=1)).isocalendar()
        return redirect(url_for("staffing.week", iso_year=nxt.year, week=nxt.week))
    return redirect(url_for("staffing.rota", year=iso_year) + f"#uke-{iso_year}-{week}")
