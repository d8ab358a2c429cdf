"""Changing the staffing: the team and absences, the rota (by hand and generated), peak and
holiday periods, derived-peak proposals and the load model.

Every function validates, changes and commits, and raises :class:`StaffingError` with a
Norwegian message the page can show as is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import delete, func, select

from planner.domain.dates import format_date
from planner.domain.staffing import (
    DutyInfo,
    LoadModel,
    LoadModelError,
    PeakProposal,
    generate_rotation,
    iso_weeks_of_year,
    monday_of,
    propose_peaks,
)
from planner.domain.staffing.peaks import PeakData
from planner.extensions import db
from planner.models import (
    HOLIDAY_KINDS,
    Absence,
    DutyAssignment,
    HolidayPeriod,
    Organisation,
    PeakPeriod,
    StaffMember,
)
from planner.models.staffing import PeakProposalDismissal
from planner.services.staffing.holiday_seed import seed_holiday_periods
from planner.services.staffing.peak_writer import PeakInvalid, peak_data_of, write_peak
from planner.services.staffing.queries import (
    LOAD_MODEL_KEY,
    dismissed_keys,
    duty_info,
    duty_rows,
    load_plan,
    peak_info,
    peak_rows,
    staff_info,
    staff_rows,
    year_window,
)

MAX_REQUIRED_STAFF = 50


class StaffingError(ValueError):
    """Why a staffing change was refused, in Norwegian."""


def _text(value: str | None, what: str, max_len: int, required: bool = False) -> str:
    clean = (value or "").strip()
    if required and not clean:
        raise StaffingError(f"{what} må fylles ut.")
    if len(clean) > max_len:
        raise StaffingError(f"{what} kan ha høyst {max_len} tegn.")
    return clean


def _period(start: date | None, end: date | None) -> tuple[date, date]:
    if start is None or end is None:
        raise StaffingError("Både fra- og til-dato må fylles ut.")
    if end < start:
        raise StaffingError(
            f"Til-datoen ({format_date(end)}) kan ikke være før fra-datoen ({format_date(start)})."
        )
    if (end - start).days > 366:
        raise StaffingError("En periode kan vare høyst ett år.")
    return start, end


# --------------------------------------------------------------------------- team


def _working_days(days: Iterable[int | str]) -> str:
    values = sorted({int(d) for d in days})
    if not values:
        raise StaffingError("Velg minst én arbeidsdag.")
    if any(d not in range(1, 8) for d in values):
        raise StaffingError("Arbeidsdager må være fra mandag (1) til søndag (7).")
    return ",".join(str(d) for d in values)


def save_staff(
    org_id: int,
    member: StaffMember | None,
    name: str,
    email: str = "",
    working_days: Iterable[int | str] = (1, 2, 3, 4, 5),
    active: bool = True,
) -> StaffMember:
    """Create (``member`` None) or update a team member, and commit."""
    clean = _text(name, "Navnet", 200, required=True)
    taken = db.session.execute(
        select(StaffMember.id).where(
            StaffMember.organisation_id == org_id,
            func.lower(StaffMember.name) == clean.lower(),
            StaffMember.id != (member.id if member else -1),
        )
    ).first()
    if taken:
        raise StaffingError(f"Det finnes allerede en i teamet som heter «{clean}».")
    if member is None:
        member = StaffMember(organisation_id=org_id)
        db.session.add(member)
    member.name = clean
    member.email = _text(email, "E-postadressen", 254)
    member.working_days = _working_days(working_days)
    member.active = active
    db.session.commit()
    return member


def delete_staff(member: StaffMember) -> None:
    """Remove a team member with their absences and rota lines (they leave no history
    in the rota; to keep it, mark them inactive instead)."""
    db.session.execute(delete(DutyAssignment).where(DutyAssignment.staff_member_id == member.id))
    db.session.delete(member)
    db.session.commit()


def add_absence(member: StaffMember, start: date | None, end: date | None, reason: str) -> Absence:
    """Add an absence (ferie, kurs …) to a team member, and commit."""
    start, end = _period(start, end)
    for existing in member.absences:
        if existing.start == start and existing.end == end:
            raise StaffingError(
                f"{member.name} har allerede fravær {format_date(start)}–{format_date(end)}."
            )
    absence = Absence(
        organisation_id=member.organisation_id,
        start=start,
        end=end,
        reason=_text(reason, "Årsaken", 200),
    )
    member.absences.append(absence)
    db.session.commit()
    return absence


def add_holiday_absence(member: StaffMember, holiday: HolidayPeriod) -> Absence:
    """Register a person as away for a whole holiday period (one click for fellesferie)."""
    return add_absence(member, holiday.start, holiday.end, holiday.name)


def delete_absence(absence: Absence) -> None:
    """Remove an absence, and commit."""
    db.session.delete(absence)
    db.session.commit()


# --------------------------------------------------------------------------- rota


def _staff_ids(org_id: int) -> dict[int, StaffMember]:
    return {s.id: s for s in staff_rows(org_id)}


def set_week(
    org_id: int,
    monday: date,
    main: int | None,
    backups: Iterable[int],
    days: Mapping[date, Mapping[str, int | None]] | None = None,
) -> list[DutyAssignment]:
    """Replace the rota of one ISO week: its main responsible, its backups, and day lines
    (``days[day]["main"|"backup"]`` = a person who replaces the week's line that day)."""
    monday = monday_of(monday)
    team = _staff_ids(org_id)
    wanted: list[tuple[int, str, date | None]] = []
    if main is not None:
        if main not in team:
            raise StaffingError("Ukjent person valgt som hovedansvarlig.")
        wanted.append((main, "main", None))
    for staff_id in backups:
        if staff_id not in team:
            raise StaffingError("Ukjent person valgt som backup.")
        if staff_id != main and (staff_id, "backup", None) not in wanted:
            wanted.append((staff_id, "backup", None))
    for day, roles in sorted((days or {}).items()):
        if monday_of(day) != monday:
            raise StaffingError(f"{format_date(day)} er ikke i denne uken.")
        for role in ("main", "backup"):
            person = roles.get(role)
            if person is None:
                continue
            if person not in team:
                raise StaffingError("Ukjent person valgt som dagsvakt.")
            wanted.append((person, role, day))
    db.session.execute(
        delete(DutyAssignment).where(
            DutyAssignment.organisation_id == org_id, DutyAssignment.week_start == monday
        )
    )
    rows = [
        DutyAssignment(
            organisation_id=org_id, staff_member_id=staff_id, week_start=monday, day=day, role=role
        )
        for staff_id, role, day in wanted
    ]
    db.session.add_all(rows)
    db.session.commit()
    return rows


def generate_year(
    org_id: int, year: int, mode: str = "fill", from_week: int = 1, backups: int = 1
) -> int:
    """«Lag rettferdig rotasjon»: fill the weeks of ``year`` from ``from_week`` that have no
    main responsible (``mode="fill"``), or plan them all anew (``"replace"``). Returns the
    number of rota lines made."""
    if mode not in ("fill", "replace"):
        raise StaffingError("Ukjent valg for rotasjonen.")
    if not 0 <= backups <= 5:
        raise StaffingError("Antall backuper må være mellom 0 og 5.")
    weeks = iso_weeks_of_year(year)
    if not 1 <= from_week <= len(weeks):
        raise StaffingError(f"Uke {from_week} finnes ikke i {year}.")
    weeks = weeks[from_week - 1 :]
    team = [staff_info(s) for s in staff_rows(org_id)]
    if not any(s.active for s in team):
        raise StaffingError("Legg inn minst én aktiv person i teamet først.")
    if mode == "replace":
        db.session.execute(
            delete(DutyAssignment).where(
                DutyAssignment.organisation_id == org_id,
                DutyAssignment.week_start >= weeks[0],
                DutyAssignment.week_start <= weeks[-1],
            )
        )
        db.session.flush()
    window = year_window(year)
    existing = [
        duty_info(d) for d in duty_rows(org_id, window.start - timedelta(weeks=1), window.end)
    ]
    has_main = {d.week_start for d in existing if d.role == "main"}
    targets = [w for w in weeks if w not in has_main]
    peaks = [peak_info(p) for p in peak_rows(org_id, window.start, window.end)]
    lines = generate_rotation(targets, team, peaks, existing=existing, backups=backups)
    db.session.add_all(_rows(org_id, lines))
    db.session.commit()
    return len(lines)


def _rows(org_id: int, lines: Iterable[DutyInfo]) -> list[DutyAssignment]:
    return [
        DutyAssignment(
            organisation_id=org_id,
            staff_member_id=line.staff_id,
            week_start=line.week_start,
            day=line.day,
            role=line.role,
        )
        for line in lines
    ]


# --------------------------------------------------------------------------- periods


def save_peak(
    org_id: int,
    peak: PeakPeriod | None,
    name: str,
    start: date | None,
    end: date | None,
    required_staff: int | None,
    reason: str = "",
) -> PeakPeriod:
    """Create or update a peak period (toppbelastning) through the peak writer, and commit.

    The form's bounds (a name, both dates, at most a year, 1–50 people) are checked here
    with its messages; a changed peak keeps its posts and seed key."""
    clean = _text(name, "Navnet", 200, required=True)
    start, end = _period(start, end)
    if required_staff is None or not 1 <= required_staff <= MAX_REQUIRED_STAFF:
        raise StaffingError(f"Bemanningsbehovet må være mellom 1 og {MAX_REQUIRED_STAFF}.")
    values: dict[str, Any] = dict(
        name=clean,
        start=start,
        end=end,
        required_staff=required_staff,
        reason=_text(reason, "Begrunnelsen", 10_000),
    )
    data = PeakData(**values) if peak is None else replace(peak_data_of(peak), **values)
    try:
        peak = write_peak(org_id, data, peak)
    except PeakInvalid as exc:
        raise StaffingError(next(iter(exc.errors.values()))) from exc
    db.session.commit()
    return peak


def delete_peak(peak: PeakPeriod) -> None:
    """Delete a peak period (its posts stay), and commit."""
    db.session.delete(peak)
    db.session.commit()


def save_holiday(
    org_id: int,
    holiday: HolidayPeriod | None,
    name: str,
    start: date | None,
    end: date | None,
    kind: str,
) -> HolidayPeriod:
    """Create or update a school or common holiday period, and commit."""
    clean = _text(name, "Navnet", 200, required=True)
    start, end = _period(start, end)
    if kind not in HOLIDAY_KINDS:
        raise StaffingError("Velg hva slags ferie det er.")
    taken = db.session.execute(
        select(HolidayPeriod.id).where(
            HolidayPeriod.organisation_id == org_id,
            HolidayPeriod.name == clean,
            HolidayPeriod.start == start,
            HolidayPeriod.id != (holiday.id if holiday else -1),
        )
    ).first()
    if taken:
        raise StaffingError(f"«{clean}» fra {format_date(start)} finnes allerede.")
    if holiday is None:
        holiday = HolidayPeriod(organisation_id=org_id)
        db.session.add(holiday)
    holiday.name, holiday.start, holiday.end, holiday.kind = clean, start, end, kind
    db.session.commit()
    return holiday


def seed_recommended_holidays(org_id: int, year: int) -> int:
    """Add the recommended holiday periods of ``year`` (seeds/recommended.toml) that are
    missing, and commit. Returns how many were added."""
    made = seed_holiday_periods(db.session.get_one(Organisation, org_id), year)
    db.session.commit()
    return made


def delete_holiday(holiday: HolidayPeriod) -> None:
    """Delete a holiday period (absences entered for it stay), and commit."""
    db.session.delete(holiday)
    db.session.commit()


# --------------------------------------------------------------------------- proposals


def _proposal(org_id: int, year: int, key: str) -> PeakProposal:
    plan = load_plan(org_id, year)
    for proposal in propose_peaks(plan, dismissed_keys(org_id)):
        if proposal.key == key:
            return proposal
    raise StaffingError(
        "Forslaget finnes ikke lenger (det kan allerede være godtatt eller avvist)."
    )


def accept_proposal(org_id: int, year: int, key: str) -> PeakPeriod:
    """Make a derived peak proposal a peak period (linked to its posts), and commit."""
    proposal = _proposal(org_id, year, key)
    data = PeakData(
        name=proposal.name[:200],
        start=proposal.start,
        end=proposal.end,
        required_staff=proposal.required_staff,
        reason=proposal.reason,
        post_ids=proposal.post_ids,
    )
    peak = write_peak(org_id, data)
    db.session.commit()
    return peak


def dismiss_proposal(org_id: int, year: int, key: str, by: str = "") -> PeakProposal:
    """Dismiss a proposal; it is remembered and not proposed again. Commits."""
    proposal = _proposal(org_id, year, key)
    known = dismissed_keys(org_id)
    label = f"{proposal.name} ({format_date(proposal.start)}–{format_date(proposal.end)})"
    for dismiss_key in proposal.dismiss_keys:
        if dismiss_key not in known:
            db.session.add(
                PeakProposalDismissal(
                    organisation_id=org_id, key=dismiss_key, label=label[:300], dismissed_by=by
                )
            )
    db.session.commit()
    return proposal


def dismissals(org_id: int) -> list[PeakProposalDismissal]:
    """Dismissed proposals, newest first."""
    return list(
        db.session.execute(
            select(PeakProposalDismissal)
            .where(PeakProposalDismissal.organisation_id == org_id)
            .order_by(PeakProposalDismissal.dismissed_at.desc(), PeakProposalDismissal.id.desc())
        ).scalars()
    )


def undo_dismissal(dismissal: PeakProposalDismissal) -> None:
    """Forget a dismissal (and the others of the same proposal): it may be proposed again."""
    db.session.execute(
        delete(PeakProposalDismissal).where(
            PeakProposalDismissal.organisation_id == dismissal.organisation_id,
            PeakProposalDismissal.label == dismissal.label,
        )
    )
    db.session.commit()


# --------------------------------------------------------------------------- load model


def save_load_model(org: Organisation, values: Mapping[str, Any]) -> LoadModel:
    """Validate and store the municipality's load model weights, and commit."""
    try:
        model = LoadModel.from_settings(values)
    except LoadModelError as exc:
        raise StaffingError(str(exc)) from exc
    org.settings = {**(org.settings or {}), LOAD_MODEL_KEY: model.to_settings()}
    db.session.commit()
    return model


def reset_load_model(org: Organisation) -> None:
    """Go back to the default weights."""
    settings = dict(org.settings or {})
    settings.pop(LOAD_MODEL_KEY, None)
    org.settings = settings
    db.session.commit()
