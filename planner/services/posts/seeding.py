"""Load the recommended årshjul (``seeds/recommended.toml``) for a year into an organisation.

Dates in the seed file are rules (fixed day, n-th weekday, ISO week, Easter-relative,
N days before another item) resolved by ``planner.domain.posts.seed_rules`` for the year.
Seeding is idempotent: audiences, channels and service areas are matched by name,
posts by their seed key within the year's wheel and peak periods by key and year, and
whatever already exists is left as the municipality may have edited it. Posts and peak
periods are written by their one writer each (``write_post``, ``write_peak``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from planner.domain.catalog.values import DEFAULT_CHANNEL_COLOUR, AudienceData, ChannelData
from planner.domain.posts.seed_rules import resolve_dates
from planner.domain.posts.values import PostData
from planner.domain.seed_file import applies_in_year, date_rules, load_seed
from planner.domain.staffing.peaks import PeakData
from planner.extensions import db
from planner.models import (
    Audience,
    Channel,
    Organisation,
    PeakPeriod,
    Post,
    Reach,
    ServiceArea,
    Wheel,
)
from planner.services.catalog.writer import write_audience, write_channel
from planner.services.posts.writer import write_post
from planner.services.staffing.holiday_seed import seed_holiday_periods
from planner.services.staffing.peak_writer import write_peak


@dataclass
class SeedResult:
    """What a seeding run created (nothing is ever duplicated)."""

    wheel: Wheel
    created: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, count: int = 1) -> None:
        """Count ``count`` new rows of ``kind`` (nothing is recorded for none)."""
        if count:
            self.created[kind] = self.created.get(kind, 0) + count


@dataclass
class _Catalog:
    """The organisation's service areas, audiences and channels, by name."""

    areas: dict[str, ServiceArea]
    audiences: dict[str, Audience]
    channels: dict[str, Channel]


def wheel_name(year: int) -> str:
    """The name of the default wheel for a year."""
    return _("Årshjul %(year)s", year=year)


def seed_year(organisation: Organisation, year: int, path: Path | None = None) -> SeedResult:
    """Add the recommended årshjul for ``year`` to ``organisation`` (caller commits).

    In steps: the year's wheel, the catalog (service areas, audiences, channels), reach,
    the posts, the peak periods and the holiday periods; each adds only what is missing.
    """
    data = load_seed(path)
    dates = resolve_dates(date_rules(data), year)
    org_id = organisation.id
    result = SeedResult(wheel=_year_wheel(org_id, year))
    catalog = _seed_catalog(org_id, data, result)
    db.session.flush()  # the wheel and the new catalog rows get their ids
    _seed_reach(org_id, data, catalog, result)
    posts = _seed_posts(org_id, data, year, dates, result.wheel, catalog, result)
    db.session.flush()  # the new posts get the ids their peak periods link to
    _seed_peaks(org_id, data, year, dates, posts, result)
    db.session.flush()
    result.add("holiday_periods", seed_holiday_periods(organisation, year, data))
    return result


def _year_wheel(org_id: int, year: int) -> Wheel:
    """The year's default wheel, added when it does not exist."""
    wheel = db.session.execute(
        select(Wheel).where(
            Wheel.organisation_id == org_id, Wheel.year == year, Wheel.name == wheel_name(year)
        )
    ).scalar()
    if wheel is None:
        wheel = Wheel(organisation_id=org_id, year=year, name=wheel_name(year))
        db.session.add(wheel)
    return wheel


def _by_name(model: type[Any], org_id: int) -> dict[str, Any]:
    rows = db.session.execute(select(model).where(model.organisation_id == org_id)).scalars()
    return {row.name: row for row in rows}


def _seed_catalog(org_id: int, data: dict[str, Any], result: SeedResult) -> _Catalog:
    """Add the service areas, audiences (målgrupper) and channels (kanaler) that are missing."""
    catalog = _Catalog(
        areas=_by_name(ServiceArea, org_id),
        audiences=_by_name(Audience, org_id),
        channels=_by_name(Channel, org_id),
    )
    for item in data.get("service_areas", []):
        if item["name"] not in catalog.areas:
            catalog.areas[item["name"]] = ServiceArea(organisation_id=org_id, name=item["name"])
            db.session.add(catalog.areas[item["name"]])
            result.add("service_areas")
    db.session.flush()  # the catalog's writer links audiences to service areas by id
    for item in data.get("audiences", []):
        if item["name"] not in catalog.audiences:
            area = catalog.areas.get(item.get("service_area", ""))
            audience = AudienceData(
                name=item["name"],
                description=item.get("description", ""),
                priority=int(item.get("priority", 1)),
                service_area_id=area.id if area is not None else None,
            )
            catalog.audiences[item["name"]] = write_audience(org_id, audience)
            result.add("audiences")
    for item in data.get("channels", []):
        if item["name"] not in catalog.channels:
            channel = ChannelData(
                name=item["name"],
                type=item["type"],
                response_hours=int(item.get("response_hours", 0)),
                profile_text=item.get("profile_text", ""),
                colour=item.get("colour", DEFAULT_CHANNEL_COLOUR),
            )
            catalog.channels[item["name"]] = write_channel(org_id, channel)
            result.add("channels")
    return catalog


def _seed_reach(org_id: int, data: dict[str, Any], catalog: _Catalog, result: SeedResult) -> None:
    """Add the reach (rekkevidde) of a channel for an audience where none is set."""
    existing = {
        (row.channel_id, row.audience_id)
        for row in db.session.execute(
            select(Reach.channel_id, Reach.audience_id).where(Reach.organisation_id == org_id)
        )
    }
    for item in data.get("reach", []):
        channel = catalog.channels[item["channel"]]
        audience = catalog.audiences[item["audience"]]
        if (channel.id, audience.id) not in existing:
            db.session.add(
                Reach(
                    organisation_id=org_id,
                    channel_id=channel.id,
                    audience_id=audience.id,
                    level=int(item.get("level", 2)),
                )
            )
            existing.add((channel.id, audience.id))
            result.add("reach")


def _post_times(item: dict[str, Any], day: date) -> tuple[datetime, datetime, bool]:
    if item.get("time"):
        hour, minute = (int(x) for x in item["time"].split(":"))
        start = datetime.combine(day, time(hour, minute))
        return start, start + timedelta(minutes=int(item.get("duration_minutes", 60))), False
    start = datetime.combine(day, time())
    return start, start + timedelta(days=int(item.get("duration_days", 1)) - 1), True


def _post_data(item: dict[str, Any], day: date, wheel: Wheel, catalog: _Catalog) -> PostData:
    """A seed file post on ``day`` as the writer's value (linked to the catalog by id)."""
    start, end, all_day = _post_times(item, day)
    notes = item.get("notes", "")
    if item.get("varies"):
        notes = (notes + "\n" if notes else "") + _(
            "Varierer mellom kommuner: %(v)s", v=item["varies"]
        )
    area = catalog.areas.get(item.get("service_area", ""))
    return PostData(
        title=item["title"],
        start=start,
        end=end,
        wheel_id=wheel.id,
        all_day=all_day,
        status=item.get("status", "planlagt"),
        kind=item.get("kind", "proaktiv"),
        rrule=item.get("rrule") or None,
        description=item.get("description", ""),
        link=item.get("link", ""),
        archive_worthy=bool(item.get("archive_worthy", False)),
        notes=notes,
        seed_key=item["key"],
        service_area_id=area.id if area is not None else None,
        channel_ids=tuple(catalog.channels[n].id for n in item.get("channels", [])),
        audience_ids=tuple(catalog.audiences[n].id for n in item.get("audiences", [])),
    )


def _seed_posts(
    org_id: int,
    data: dict[str, Any],
    year: int,
    dates: dict[str, date],
    wheel: Wheel,
    catalog: _Catalog,
    result: SeedResult,
) -> dict[str, Post]:
    """Write the year's posts that the wheel does not have yet (matched on seed key);
    returns the wheel's seeded posts by seed key."""
    posts = {
        p.seed_key: p
        for p in db.session.execute(select(Post).where(Post.wheel_id == wheel.id)).scalars()
        if p.seed_key
    }
    for item in data.get("posts", []):
        if not applies_in_year(item, year) or item["key"] in posts:
            continue
        posts[item["key"]] = write_post(
            org_id, _post_data(item, dates[item["key"]], wheel, catalog)
        )
        result.add("posts")
    return posts


def _seed_peaks(
    org_id: int,
    data: dict[str, Any],
    year: int,
    dates: dict[str, date],
    posts: dict[str, Post],
    result: SeedResult,
) -> None:
    """Write the year's peak periods that are missing (seed key ``<key>:<year>``)."""
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
        peak = PeakData(
            name=item["name"],
            start=dates[f"{item['key']}.start"],
            end=dates[f"{item['key']}.end"],
            required_staff=int(item.get("required_staff", 2)),
            reason=item.get("reason", ""),
            seed_key=key,
            post_ids=tuple(posts[k].id for k in item.get("posts", []) if k in posts),
        )
        write_peak(org_id, peak)
        result.add("peak_periods")


def holiday_notes(path: Path | None = None) -> dict[str, str]:
    """What varies about each recommended holiday period, by name (shown on its page)."""
    return {
        item["name"]: item.get("varies", "") for item in load_seed(path).get("holiday_periods", [])
    }
