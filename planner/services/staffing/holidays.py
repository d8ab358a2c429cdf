"""Changing the school and common holiday periods (skoleferier og fellesferie). Every
function validates, changes and commits, and raises :class:`StaffingError` with a
Norwegian message."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from planner.domain.dates import format_date
from planner.extensions import db
from planner.models import HOLIDAY_KINDS, HolidayPeriod, Organisation
from planner.services.staffing.checks import StaffingError, checked_period, checked_text
from planner.services.staffing.holiday_seed import seed_holiday_periods


def save_holiday(
    org_id: int,
    holiday: HolidayPeriod | None,
    name: str,
    start: date | None,
    end: date | None,
    kind: str,
) -> HolidayPeriod:
    """Create or update a school or common holiday period, and commit."""
    clean = checked_text(name, "Navnet", 200, required=True)
    start, end = checked_period(start, end)
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
