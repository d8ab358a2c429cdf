"""The staffing sections of the JSON export: the team with its absences, and the duty
rota (vaktliste) of the year's ISO weeks."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from planner.domain.backup_format import iso_week_text
from planner.extensions import db
from planner.models import DutyAssignment, StaffMember


def staffing_sections(org_id: int, year: int) -> dict[str, Any]:
    """``staff`` (every member, by name) and ``duty`` (the rota lines of ``year``'s weeks)."""
    staff = db.session.execute(
        select(StaffMember)
        .where(StaffMember.organisation_id == org_id)
        .options(selectinload(StaffMember.absences))
        .order_by(StaffMember.name)
    ).scalars()
    duty = db.session.execute(
        select(DutyAssignment)
        .where(DutyAssignment.organisation_id == org_id)
        .options(selectinload(DutyAssignment.staff_member))
        .order_by(DutyAssignment.week_start, DutyAssignment.day, DutyAssignment.role)
    ).scalars()
    return {
        "staff": [
            {
                "name": s.name,
                "email": s.email,
                "working_days": s.working_day_list,
                "active": s.active,
                "absences": [
                    {"start": a.start.isoformat(), "end": a.end.isoformat(), "reason": a.reason}
                    for a in s.absences
                ],
            }
            for s in staff
        ],
        "duty": [
            {
                "person": d.staff_member.name,
                "week": iso_week_text(d.week_start),
                "day": d.day.isoformat() if d.day else None,
                "role": d.role,
            }
            for d in duty
            if d.week_start.isocalendar()[0] == year
        ],
    }
