"""The staffing step of the JSON import: the team (staff and their absences) and the duty
rota (vaktliste), matched on names and weeks and set while they are read."""

from __future__ import annotations

from typing import Any

from planner.domain.backup_format import parse_date, parse_week
from planner.extensions import db
from planner.models import DUTY_ROLES, Absence, DutyAssignment, StaffMember
from planner.services.imports.json_import.check import Checker, existing_by

WORKING_DAYS = [1, 2, 3, 4, 5]


def import_staff(data: dict[str, Any], org_id: int, check: Checker) -> dict[str, StaffMember]:
    """Set the team members of the file with their absences; returns the team by name."""
    staff = existing_by(StaffMember, org_id)
    for i, item in enumerate(data.get("staff", []), 1):
        where = f"Medarbeider {i}"
        name = check.text(item, "name", where, 200, required=True).strip()
        days = item.get("working_days", WORKING_DAYS)
        if not isinstance(days, list) or any(d not in range(1, 8) for d in days):
            check.fail(
                where, "arbeidsdager må være en liste med tall fra 1 (mandag) til 7 (søndag)."
            )
            days = WORKING_DAYS
        member = staff.get(name) or StaffMember(organisation_id=org_id, name=name)
        member.email = check.text(item, "email", where, 254)
        member.working_days = ",".join(str(d) for d in days)
        member.active = bool(item.get("active", True))
        _set_absences(member, item, where, check)
        staff[name] = member
        db.session.add(member)
    return staff


def _set_absences(member: StaffMember, item: dict[str, Any], where: str, check: Checker) -> None:
    """The member's absences as the file has them, reusing the rows that are already there
    (no delete-and-recreate on re-import)."""
    old_absences = {(a.start, a.end, a.reason): a for a in member.absences}
    member.absences = []
    for j, absence in enumerate(item.get("absences", []) or [], 1):
        try:
            a_start, a_end = parse_date(absence.get("start")), parse_date(absence.get("end"))
        except ValueError as exc:
            check.fail(f"{where}, fravær {j}", f"{exc}.")
            continue
        if a_end < a_start:
            check.fail(f"{where}, fravær {j}", "slutt kan ikke være før start.")
            continue
        reason = str(absence.get("reason", ""))[:200]
        member.absences.append(
            old_absences.get((a_start, a_end, reason))
            or Absence(
                organisation_id=member.organisation_id, start=a_start, end=a_end, reason=reason
            )
        )


def import_duty(
    data: dict[str, Any], org_id: int, staff: dict[str, StaffMember], check: Checker
) -> None:
    """Add the rota lines of the file that are missing (a person, an ISO week, maybe a day
    of it, and a role: main or backup)."""
    duty_rows = existing_by(
        DutyAssignment, org_id, lambda d: (d.staff_member.name, d.week_start, d.day, d.role)
    )
    for i, item in enumerate(data["duty"], 1):
        where = f"Vakt {i}"
        member = staff.get(item.get("person"))
        if member is None:
            check.fail(where, f"ukjent person «{item.get('person')}».")
            continue
        try:
            week_start = parse_week(item.get("week"))
            day = parse_date(item["day"]) if item.get("day") else None
        except ValueError as exc:
            check.fail(where, f"{exc}.")
            continue
        if day is not None and day.isocalendar()[:2] != week_start.isocalendar()[:2]:
            check.fail(where, "dagen ligger ikke i uken.")
            continue
        role = item.get("role")
        if role not in DUTY_ROLES:
            check.fail(where, f"ukjent rolle «{role}» (main eller backup).")
            continue
        if (member.name, week_start, day, role) not in duty_rows:
            row = DutyAssignment(
                organisation_id=org_id,
                staff_member=member,
                week_start=week_start,
                day=day,
                role=role,
            )
            duty_rows[(member.name, week_start, day, role)] = row
            db.session.add(row)
