"""Peak periods (toppbelastninger) with the derived proposals, and the municipality's
school and common holiday periods (skoleferier, fellesferie)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for

from planner.models import HolidayPeriod, PeakPeriod, Role
from planner.models.staffing import PeakProposalDismissal
from planner.services.posts.seeding import holiday_notes
from planner.services.scope import current_org_id, get_scoped_or_404
from planner.services.staffing import (
    delete_holiday,
    delete_peak,
    dismissals,
    proposals_for_year,
    save_holiday,
    save_peak,
    seed_recommended_holidays,
    undo_dismissal,
)
from planner.services.staffing.queries import holidays_query_for, peaks_query_for
from planner.views.access import role_required
from planner.views.staffing import bp, delete_or_confirm, save_or_refuse, selected_year
from planner.views.staffing.forms import HolidayForm, PeakForm

# --------------------------------------------------------------------------- peaks


@bp.get("/toppbelastninger")
def peaks() -> Any:
    """The year's peak periods, proposals derived from the plan, and a form for a new one."""
    return _peaks_page(selected_year(), PeakForm(formdata=None))


def _peaks_page(year: int, form: PeakForm) -> Any:
    org_id = current_org_id()
    return render_template(
        "staffing/peaks.html",
        year=year,
        form=form,
        peaks=peaks_query_for(org_id, year),
        proposals=proposals_for_year(org_id, year),
        dismissals=dismissals(org_id),
    ), (422 if form.errors else 200)


def _save_peak(form: PeakForm, peak: PeakPeriod | None) -> PeakPeriod | None:
    return save_or_refuse(
        form,
        lambda: save_peak(
            current_org_id(),
            peak,
            form.name.data or "",
            form.start.data,
            form.end.data,
            form.required_staff.data,
            form.reason.data or "",
        ),
    )


@bp.post("/toppbelastninger")
@role_required(Role.EDITOR)
def peak_add() -> Any:
    """Add a peak period."""
    year = selected_year()
    form = PeakForm()
    if form.validate() and (peak := _save_peak(form, None)):
        flash(f"Toppbelastningen «{peak.name}» er lagt inn.", "success")
        return redirect(url_for("staffing.peaks", year=peak.start.year))
    return _peaks_page(year, form)


@bp.get("/toppbelastninger/<int:peak_id>")
def peak_edit(peak_id: int) -> Any:
    """One peak period with the posts that cause it."""
    peak = get_scoped_or_404(PeakPeriod, peak_id)
    return _peak_page(peak, PeakForm(formdata=None, obj=peak))


def _peak_page(peak: PeakPeriod, form: PeakForm) -> Any:
    return render_template("staffing/peak_edit.html", peak=peak, form=form, year=peak.start.year), (
        422 if form.errors else 200
    )


@bp.post("/toppbelastninger/<int:peak_id>")
@role_required(Role.EDITOR)
def peak_save(peak_id: int) -> Any:
    """Save a peak period."""
    peak = get_scoped_or_404(PeakPeriod, peak_id)
    form = PeakForm()
    if form.validate() and _save_peak(form, peak):
        flash(f"Endringene i «{peak.name}» er lagret.", "success")
        return redirect(url_for("staffing.peaks", year=peak.start.year))
    return _peak_page(peak, form)


@bp.route("/toppbelastninger/<int:peak_id>/slett", methods=["GET", "POST"])
@role_required(Role.EDITOR)
def peak_delete(peak_id: int) -> Any:
    """Delete a peak period (asks first)."""
    peak = get_scoped_or_404(PeakPeriod, peak_id)
    year = peak.start.year
    return delete_or_confirm(
        lambda: delete_peak(peak),
        f"Toppbelastningen «{peak.name}» er slettet.",
        url_for("staffing.peaks", year=year),
        title=f"Slette toppbelastningen «{peak.name}»?",
        text="Innleggene beholdes; bare perioden og kravet om ekstra bemanning forsvinner.",
        action=url_for("staffing.peak_delete", peak_id=peak.id),
        back=url_for("staffing.peak_edit", peak_id=peak.id),
        year=year,
    )


@bp.post("/forslag/avvist/<int:dismissal_id>/angre")
@role_required(Role.EDITOR)
def dismissal_undo(dismissal_id: int) -> Any:
    """Take back a dismissal: the planner may propose the peak again."""
    dismissal = get_scoped_or_404(PeakProposalDismissal, dismissal_id)
    undo_dismissal(dismissal)
    flash("Avvisningen er angret; forslaget kan komme tilbake.", "success")
    return redirect(url_for("staffing.peaks", year=selected_year()))


# --------------------------------------------------------------------------- holidays


@bp.get("/ferier")
def holidays() -> Any:
    """The municipality's school and common holiday periods touching the year."""
    return _holidays_page(selected_year(), HolidayForm(formdata=None))


def _holidays_page(year: int, form: HolidayForm) -> Any:
    return render_template(
        "staffing/holidays.html",
        year=year,
        form=form,
        holidays=holidays_query_for(current_org_id(), year),
        notes=holiday_notes(),
    ), (422 if form.errors else 200)


def _save_holiday(form: HolidayForm, holiday: HolidayPeriod | None) -> HolidayPeriod | None:
    return save_or_refuse(
        form,
        lambda: save_holiday(
            current_org_id(),
            holiday,
            form.name.data or "",
            form.start.data,
            form.end.data,
            form.kind.data or "",
        ),
    )


@bp.post("/ferier")
@role_required(Role.EDITOR)
def holiday_add() -> Any:
    """Add a holiday period."""
    year = selected_year()
    form = HolidayForm()
    if form.validate() and (holiday := _save_holiday(form, None)):
        flash(f"«{holiday.name}» er lagt inn.", "success")
        return redirect(url_for("staffing.holidays", year=holiday.start.year))
    return _holidays_page(year, form)


@bp.post("/ferier/anbefalte")
@role_required(Role.EDITOR)
def holidays_seed() -> Any:
    """Add the recommended holiday periods of the year (vinterferie … juleferie)."""
    year = selected_year()
    made = seed_recommended_holidays(current_org_id(), year)
    flash(
        f"{made} anbefalte ferier lagt inn for {year}. Kontroller datoene mot egen skolerute."
        if made
        else f"De anbefalte feriene for {year} finnes allerede.",
        "success",
    )
    return redirect(url_for("staffing.holidays", year=year))


@bp.get("/ferier/<int:holiday_id>")
def holiday_edit(holiday_id: int) -> Any:
    """One holiday period."""
    holiday = get_scoped_or_404(HolidayPeriod, holiday_id)
    return _holiday_page(holiday, HolidayForm(formdata=None, obj=holiday))


def _holiday_page(holiday: HolidayPeriod, form: HolidayForm) -> Any:
    return render_template(
        "staffing/holiday_edit.html",
        holiday=holiday,
        form=form,
        year=holiday.start.year,
        note=holiday_notes().get(holiday.name, ""),
    ), (422 if form.errors else 200)


@bp.post("/ferier/<int:holiday_id>")
@role_required(Role.EDITOR)
def holiday_save(holiday_id: int) -> Any:
    """Save a holiday period."""
    holiday = get_scoped_or_404(HolidayPeriod, holiday_id)
    form = HolidayForm()
    if form.validate() and _save_holiday(form, holiday):
        flash(f"Endringene i «{holiday.name}» er lagret.", "success")
        return redirect(url_for("staffing.holidays", year=holiday.start.year))
    return _holiday_page(holiday, form)


@bp.route("/ferier/<int:holiday_id>/slett", methods=["GET", "POST"])
@role_required(Role.EDITOR)
def holiday_delete(holiday_id: int) -> Any:
    """Delete a holiday period (asks first)."""
    holiday = get_scoped_or_404(HolidayPeriod, holiday_id)
    year = holiday.start.year
    return delete_or_confirm(
        lambda: delete_holiday(holiday),
        f"«{holiday.name}» er slettet.",
        url_for("staffing.holidays", year=year),
        title=f"Slette «{holiday.name}»?",
        text="Fravær som er registrert for ferien, beholdes.",
        action=url_for("staffing.holiday_delete", holiday_id=holiday.id),
        back=url_for("staffing.holiday_edit", holiday_id=holiday.id),
        year=year,
    )
