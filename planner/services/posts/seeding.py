"""Load the recommended årshjul (``seeds/recommended.toml``) for a year into an organisation.

Dates in the seed file are rules (fixed day, n-th weekday, ISO week, Easter-relative,
N days before another item) resolved by ``planner.domain.posts.seed_rules`` for the year.
Seeding is idempotent: audiences, channels and service areas are matched by name,
posts by their seed key within the year's wheel and peak periods by key and year, and
whatever already exists is left as the municipality may have edited it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from planner.domain.posts.recurrence import validate_rrule
from planner.domain.posts.seed_rules import resolve_dates
from planner.extensions import db
from planner.models import (
    Audience,
    Channel,
    HolidayPeriod,
    Organisation,
    PeakPeriod,
    Post,
    Reach,
    ServiceArea,
    Wheel,
)

SEED_PATH = Path(__file__).resolve().parents[3] / "seeds" / "recommended.toml"


@dataclass
class SeedResult:
    """What a seeding run created (nothing is ever duplicated)."""

    wheel: Wheel
    created: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str) -> None:
        self.created[kind] = self.created.get(kind, 0) + 1


def load_seed(path: Path | None = None) -> dict[str, Any]:
    """Read the seed file."""
    with open(path or SEED_PATH, "rb") as fh:
        return tomllib.load(fh)


def wheel_name(year: int) -> str:
    """The name of the default wheel for a year."""
    return _("Årshjul %(year)s", year=year)


def applies_in_year(item: dict[str, Any], year: int) -> bool:
    """Whether an item with ``years = "odd"|"even"|"all"`` belongs in ``year`` (e.g. elections)."""
    which = item.get("years", "all")
    return which == "all" or (which == "odd") == (year % 2 == 1)


def _date_rules(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    rules: dict[str, dict[str, Any]] = {}
    for post in data.get("posts", []):
        rules[post["key"]] = post["date"]
    for peak in data.get("peak_periods", []):
        rules[f"{peak['key']}.start"] = peak["start"]
        rules[f"{peak['key']}.end"] = peak["end"]
    return rules


def _post_times(item: dict[str, Any], day: date) -> tuple[datetime, datetime, bool]:
    if item.get("time"):
        hour, minute = (int(x) for x in item["time"].split(":"))
        start = datetime.combine(day, time(hour, minute))
        return start, start + timedelta(minutes=int(item.get("duration_minutes", 60))), False
    start = datetime.combine(day, time())
    return start, start + timedelta(days=int(item.get("duration_days", 1)) - 1), True


def _by_name(model: type[Any], org_id: int) -> dict[str, Any]:
    rows = db.session.execute(select(model).where(model.organisation_id == org_id)).scalars()
    return {row.name: row for row in rows}


def seed_year(organisation: Organisation, year: int, path: Path | None = None) -> SeedResult:
    """Add the recommended årshjul for ``year`` to ``organisation`` (caller commits)."""
    data = load_seed(path)
    dates = resolve_dates(_date_rules(data), year)
    org_id = organisation.id

    areas = _by_name(ServiceArea, org_id)
    wheel = db.session.execute(
        select(Wheel).where(
            Wheel.organisation_id == org_id, Wheel.year == year, Wheel.name == wheel_name(year)
        )
    ).scalar()
    if wheel is None:
        wheel = Wheel(organisation_id=org_id, year=year, name=wheel_name(year))
        db.session.add(wheel)
    result = SeedResult(wheel=wheel)

    for item in data.get("service_areas", []):
        if item["name"] not in areas:
            areas[item["name"]] = ServiceArea(organisation_id=org_id, name=item["name"])
            db.session.add(areas[item["name"]])
            result.add("service_areas")

    audiences = _by_name(Audience, org_id)
    for item in data.get("audiences", []):
        if item["name"] not in audiences:
            audiences[item["name"]] = Audience(
                organisation_id=org_id,
                name=item["name"],
                description=item.get("description", ""),
                priority=int(item.get("priority", 1)),
                service_area=areas.get(item.get("service_area", "")),
            )
            db.session.add(audiences[item["name"]])
            result.add("audiences")

    channels = _by_name(Channel, org_id)
    for item in data.get("channels", []):
        if item["name"] not in channels:
            channels[item["name"]] = Channel(
                organisation_id=org_id,
                name=item["name"],
                type=item["type"],
                response_hours=int(item.get("response_hours", 0)),
                profile_text=item.get("profile_text", ""),
                colour=item.get("colour", "#1b4f9c"),
            )
            db.session.add(channels[item["name"]])
            result.add("channels")
    db.session.flush()

    existing_reach = {
        (row.channel_id, row.audience_id)
        for row in db.session.execute(
            select(Reach.channel_id, Reach.audience_id).where(Reach.organisation_id == org_id)
        )
    }
    for item in data.get("reach", []):
        channel, audience = channels[item["channel"]], audiences[item["audience"]]
        if (channel.id, audience.id) not in existing_reach:
            db.session.add(
                Reach(
                    organisation_id=org_id,
                    channel_id=channel.id,
                    audience_id=audience.id,
                    level=int(item.get("level", 2)),
                )
            )
            existing_reach.add((channel.id, audience.id))
            result.add("reach")

    posts = {
        p.seed_key: p
        for p in db.session.execute(select(Post).where(Post.wheel_id == wheel.id)).scalars()
        if p.seed_key
    }
    for item in data.get("posts", []):
        if not applies_in_year(item, year) or item["key"] in posts:
            continue
        start, end, all_day = _post_times(item, dates[item["key"]])
        notes = item.get("notes", "")
        if item.get("varies"):
            notes = (notes + "\n" if notes else "") + _(
                "Varierer mellom kommuner: %(v)s", v=item["varies"]
            )
        rule = validate_rrule(item["rrule"], start) if item.get("rrule") else None
        post = Post(
            organisation_id=org_id,
            wheel=wheel,
            seed_key=item["key"],
            title=item["title"],
            description=item.get("description", ""),
            start=start,
            end=end,
            all_day=all_day,
            rrule=rule,
            status=item.get("status", "planlagt"),
            kind=item.get("kind", "proaktiv"),
            service_area=areas.get(item.get("service_area", "")),
            link=item.get("link", ""),
            archive_worthy=bool(item.get("archive_worthy", False)),
            notes=notes,
            channels=[channels[n] for n in item.get("channels", [])],
            audiences=[audiences[n] for n in item.get("audiences", [])],
        )
        db.session.add(post)
        posts[item["key"]] = post
        result.add("posts")

    for item in data.get("peak_periods", []):
        key = f"{item['key']}:{year}"
        if not applies_in_year(item, year):
            continue
        exists = db.session.execute(
            select(PeakPeriod.id).where(
                PeakPeriod.organisation_id == org_id, PeakPeriod.seed_key == key
            )
        ).first()
        if exists:
            continue
        db.session.add(
            PeakPeriod(
                organisation_id=org_id,
                seed_key=key,
                name=item["name"],
                start=dates[f"{item['key']}.start"],
                end=dates[f"{item['key']}.end"],
                reason=item.get("reason", ""),
                required_staff=int(item.get("required_staff", 2)),
                posts=[posts[k] for k in item.get("posts", []) if k in posts],
            )
        )
        result.add("peak_periods")
    db.session.flush()
    seed_holiday_periods(organisation, year, data, result)
    return result


# --------------------------------------------------------------------------- holiday periods
# Owned by the staffing area: school and common holiday periods ([[holiday_periods]]).


def _holiday_rules(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    rules = _date_rules(data)
    for item in data.get("holiday_periods", []):
        rules[f"{item['key']}.start"] = item["start"]
        rules[f"{item['key']}.end"] = item["end"]
    return rules


def seed_holiday_periods(
    organisation: Organisation,
    year: int,
    data: dict[str, Any] | None = None,
    result: SeedResult | None = None,
) -> int:
    """Add the recommended holiday periods touching ``year`` (idempotent, caller commits).

    A period is matched by name and the year it starts in, so one the municipality has
    moved (vinterferie in week 8) is left alone. Last year's juleferie, which runs into
    ``year``, is added too when it is missing. Returns how many were added.
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
    rules = _holiday_rules(data)
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
            if result is not None:
                result.add("holiday_periods")
    db.session.flush()
    return made


def holiday_notes(path: Path | None = None) -> dict[str, str]:
    """What varies about each recommended holiday period, by name (shown on its page)."""
    return {
        item["name"]: item.get("varies", "") for item in load_seed(path).get("holiday_periods", [])
    }
