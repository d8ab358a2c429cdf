"""Changing the duty rota (vaktliste, rundgang): one week by hand, or the year generated
fairly. Every function validates, changes and commits, and raises :class:`StaffingError`
with a Norwegian message."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from sqlalchemy import delete

from planner.domain.dates import format_date
from planner.domain.staffing import DutyInfo, generate_rotation, iso_weeks_of_year, monday_of
from planner.extensions import db
from planner.models import DutyAssignment, StaffMember
from planner.services.staffing.checks import StaffingError
from planner.services.staffing.plan import (
    duty_info,
    duty_rows,
    peak_info,
    peak_rows,
    staff_info,
    staff_rows,
    year_window,
)


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
