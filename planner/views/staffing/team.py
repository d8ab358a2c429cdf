"""The team (teamet): people, their usual working days and their absences."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import flash, redirect, render_template, request, url_for

from planner.domain.dates import now_oslo
from planner.domain.staffing import peak_week_counts
from planner.models import Absence, HolidayPeriod, Role, StaffMember
from planner.services.scope import current_org_id, get_scoped_or_404
from planner.services.staffing import (
    StaffingError,
    add_absence,
    add_holiday_absence,
    delete_absence,
    delete_staff,
    save_staff,
    year_overview,
)
from planner.services.staffing.plan import holiday_rows
from planner.views.access import role_required
from planner.views.staffing import bp, delete_or_confirm, save_or_refuse, selected_year
from planner.views.staffing.forms import AbsenceForm, StaffForm


def _save(form: StaffForm, member: StaffMember | None) -> StaffMember | None:
    return save_or_refuse(
        form,
        lambda: save_staff(
            current_org_id(),
            member,
            form.name.data or "",
            form.email.data or "",
            form.working_days.data or [],
            bool(form.active.data),
        ),
    )


@bp.get("/team")
def team() -> Any:
    """The team with each person's duty weeks this year, and a form to add a person."""
    return _team_page(selected_year(), StaffForm(formdata=None))


@bp.post("/team")
@role_required(Role.EDITOR)
def team_add() -> Any:
    """Add a person to the team."""
    year = selected_year()
    form = StaffForm()
    if form.validate() and _save(form, None):
        flash(f"{form.name.data} er lagt til i teamet.", "success")
        return redirect(url_for("staffing.team", year=year))
    return _team_page(year, form)


def _team_page(year: int, form: StaffForm) -> Any:
    overview = year_overview(current_org_id(), year)
    duty_weeks: dict[int, dict[str, int]] = {}
    for week in overview.weeks:
        for role, lines in (("main", week.mains), ("backup", week.backups)):
            for line in lines:
                counts = duty_weeks.setdefault(line.staff_member_id, {"main": 0, "backup": 0})
                counts[role] += 1
    return render_template(
        "staffing/team.html",
        year=year,
        form=form,
        staff=overview.staff,
        duty_weeks=duty_weeks,
        peak_weeks=peak_week_counts(overview.plan),
        today=now_oslo().date(),
    ), (422 if form.errors else 200)


def _person_form(member: StaffMember) -> StaffForm:
    form = StaffForm(formdata=None, obj=member)
    form.working_days.data = member.working_day_list
    return form


@bp.get("/team/<int:staff_id>")
def person(staff_id: int) -> Any:
    """One person: name, email, working days and active; absences and quick holiday entry."""
    member = get_scoped_or_404(StaffMember, staff_id)
    return _person_page(member, selected_year(), _person_form(member), AbsenceForm(formdata=None))


@bp.post("/team/<int:staff_id>")
@role_required(Role.EDITOR)
def person_save(staff_id: int) -> Any:
    """Save a person's name, email, working days and active flag."""
    member = get_scoped_or_404(StaffMember, staff_id)
    year = selected_year()
    form = StaffForm()
    if form.validate() and _save(form, member):
        flash(f"Endringene for {member.name} er lagret.", "success")
        return redirect(url_for("staffing.person", staff_id=member.id, year=year))
    return _person_page(member, year, form, AbsenceForm(formdata=None))


def _person_page(member: StaffMember, year: int, form: StaffForm, absence_form: AbsenceForm) -> Any:
    holidays = holiday_rows(current_org_id(), date(year, 1, 1), date(year + 1, 12, 31))
    taken = {(a.start, a.end) for a in member.absences}
    status = 422 if form.errors or absence_form.errors else 200
    return render_template(
        "staffing/person.html",
        year=year,
        member=member,
        form=form,
        absence_form=absence_form,
        holidays=[h for h in holidays if (h.start, h.end) not in taken],
    ), status


@bp.post("/team/<int:staff_id>/fravaer")
@role_required(Role.EDITOR)
def absence_add(staff_id: int) -> Any:
    """Register an absence (ferie, kurs) for a person."""
    member = get_scoped_or_404(StaffMember, staff_id)
    year = selected_year()
    absence_form = AbsenceForm()
    if absence_form.validate():
        try:
            add_absence(
                member,
                absence_form.start.data,
                absence_form.end.data,
                absence_form.reason.data or "",
            )
        except StaffingError as exc:
            absence_form.start.errors = [*absence_form.start.errors, str(exc)]
        else:
            flash(f"Fraværet er registrert for {member.name}.", "success")
            return redirect(url_for("staffing.person", staff_id=member.id, year=year))
    return _person_page(member, year, _person_form(member), absence_form)


@bp.post("/team/<int:staff_id>/fravaer/ferie")
@role_required(Role.EDITOR)
def absence_holiday(staff_id: int) -> Any:
    """One click: the person is away for a whole holiday period (e.g. fellesferie)."""
    member = get_scoped_or_404(StaffMember, staff_id)
    holiday = get_scoped_or_404(HolidayPeriod, request.form.get("holiday_id", type=int))
    try:
        add_holiday_absence(member, holiday)
    except StaffingError as exc:
        flash(str(exc), "error")
    else:
        flash(f"{member.name} er registrert borte i {holiday.name.lower()}.", "success")
    return redirect(url_for("staffing.person", staff_id=member.id, year=selected_year()))


@bp.post("/fravaer/<int:absence_id>/slett")
@role_required(Role.EDITOR)
def absence_delete(absence_id: int) -> Any:
    """Remove an absence."""
    absence = get_scoped_or_404(Absence, absence_id)
    staff_id = absence.staff_member_id
    delete_absence(absence)
    flash("Fraværet er fjernet.", "success")
    return redirect(url_for("staffing.person", staff_id=staff_id, year=selected_year()))


@bp.route("/team/<int:staff_id>/slett", methods=["GET", "POST"])
@role_required(Role.EDITOR)
def person_delete(staff_id: int) -> Any:
    """Remove a person from the team (asks first); their rota lines go too."""
    member = get_scoped_or_404(StaffMember, staff_id)
    return delete_or_confirm(
        lambda: delete_staff(member),
        f"{member.name} er fjernet fra teamet.",
        url_for("staffing.team", year=selected_year()),
        title=f"Fjerne {member.name} fra teamet?",
        text="Fraværet og vaktene til personen slettes også. Vil du beholde vaktene i "
        "historikken, marker personen som ikke aktiv i stedet.",
        action=url_for("staffing.person_delete", staff_id=member.id, year=selected_year()),
        back=url_for("staffing.person", staff_id=member.id, year=selected_year()),
    )
