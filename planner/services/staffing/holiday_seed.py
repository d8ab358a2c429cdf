"""The recommended school and common holiday periods (``[[holiday_periods]]`` of the seed
file) for a year: added by the seeding of a year and by «Legg inn anbefalte ferier»."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from planner.domain.posts.seed_rules import resolve_dates
from planner.domain.seed_file import applies_in_year, holiday_rules, load_seed
from planner.extensions import db
from planner.models import HolidayPeriod, Organisation


def seed_holiday_periods(
    organisation: Organisation, year: int, data: dict[str, Any] | None = None
) -> int:
    """Add the recommended holiday periods touching ``year`` (idempotent, caller commits).

    A period is matched by name and the year it starts in, so one the municipality has
    moved (vinterferie in week 8) is left alone. Last year's juleferie, which runs into
    ``year``, is added too when it is missing. ``data`` is the seed file (read when None).
    Returns how many were added.
    """
    data = load_seed() if data is None else data
    items = data.get("holiday_periods", [])
    made = 0
    existing = {
        (row.name, row.start.year)
        for row in db.session.execute(
            select(HolidayPeriod).where(HolidayPeriod.organisation_id == organisation.id)
        ).scalars()
    }
    rules = holiday_rules(data)
    for resolved_year in (year - 1, year):
        dates = resolve_dates(rules, resolved_year)
        for item in items:
            if not applies_in_year(item, resolved_year):
                continue
            start, end = dates[f"{item['key']}.start"], dates[f"{item['key']}.end"]
            if end.year < year or (item["name"], start.year) in existing:
                continue
            db.session.add(
                HolidayPeriod(
                    organisation_id=organisation.id,
                    name=item["name"],
                    start=start,
                    end=end,
                    kind=item.get("kind", "skoleferie"),
                )
            )
            existing.add((item["name"], start.year))
            made += 1
    db.session.flush()
    return made
