"""Changing the team (teamet) and its absences (fravær). Every function validates,
changes and commits, and raises :class:`StaffingError` with a Norwegian message."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import delete, func, select

from planner.domain.dates import format_date
from planner.extensions import db
from planner.models import Absence, DutyAssignment, HolidayPeriod, StaffMember
from planner.services.staffing.checks import StaffingError, checked_period, checked_text


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
    clean = checked_text(name, "Navnet", 200, required=True)
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
    member.email = checked_text(email, "E-postadressen", 254)
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
    start, end = checked_period(start, end)
    for existing in member.absences:
        if existing.start == start and existing.end == end:
            raise StaffingError(
                f"{member.name} har allerede fravær {format_date(start)}–{format_date(end)}."
            )
    absence = Absence(
        organisation_id=member.organisation_id,
        start=start,
        end=end,
        reason=checked_text(reason, "Årsaken", 200),
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
