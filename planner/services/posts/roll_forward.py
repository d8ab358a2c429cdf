"""Roll forward (rull fram): next year's wheels from this year's, so a municipality never
re-enters its year.

Posts from the recommended årshjul get their dates recomputed from their rules (Easter,
n-th weekday, N working days before …); other posts keep their calendar date, or their ISO
week and weekday when they repeat weekly. Peak periods follow the same way. Running it
twice does not duplicate: copies remember the UID they came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from planner.domain.posts.recurrence import RecurrenceError, validate_rrule
from planner.domain.posts.seed_rules import SeedRuleError, resolve_dates
from planner.extensions import db
from planner.models import PeakPeriod, Post, Wheel, new_uid
from planner.services.posts.operations import shift_one_year
from planner.services.posts.seeding import _date_rules, applies_in_year, load_seed


@dataclass
class RollResult:
    """What rolling forward created and what it had to leave out."""

    wheels: int = 0
    posts: int = 0
    peaks: int = 0
    skipped: list[str] = field(default_factory=list)


def _target_wheel_name(name: str, from_year: int, to_year: int) -> str:
    return name.replace(str(from_year), str(to_year)) if str(from_year) in name else name


def roll_forward(org_id: int, from_year: int, to_year: int) -> RollResult:
    """Copy every wheel of ``from_year`` into ``to_year`` (one transaction)."""
    result = RollResult()
    data = load_seed()
    try:
        rule_dates = resolve_dates(_date_rules(data), to_year)
    except SeedRuleError:
        rule_dates = {}
    seed_items = {item["key"]: item for item in data.get("posts", [])}
    years_apart = to_year - from_year

    source_wheels = db.session.execute(
        select(Wheel).where(Wheel.organisation_id == org_id, Wheel.year == from_year)
    ).scalars()
    copied_from = set(
        db.session.execute(
            select(Post.origin_uid)
            .join(Wheel)
            .where(
                Post.organisation_id == org_id, Wheel.year == to_year, Post.origin_uid.is_not(None)
            )
        ).scalars()
    )
    new_by_origin: dict[str, Post] = {}
    for source in list(source_wheels):
        name = _target_wheel_name(source.name, from_year, to_year)
        target = db.session.execute(
            select(Wheel).where(
                Wheel.organisation_id == org_id, Wheel.year == to_year, Wheel.name == name
            )
        ).scalar()
        if target is None:
            target = Wheel(organisation_id=org_id, year=to_year, name=name)
            db.session.add(target)
            result.wheels += 1
        posts = db.session.execute(
            select(Post)
            .where(Post.wheel_id == source.id, Post.deleted_at.is_(None))
            .options(selectinload(Post.channels), selectinload(Post.audiences))
        ).scalars()
        for post in posts:
            if post.uid in copied_from:
                continue
            item = seed_items.get(post.seed_key or "")
            if item is not None and not applies_in_year(item, to_year):
                continue  # e.g. election posts only in election years
            length = post.end - post.start
            if item is not None and post.seed_key in rule_dates:
                start = datetime.combine(rule_dates[post.seed_key], post.start.time())
            else:
                start = post.start
                for _ in range(years_apart):
                    start = shift_one_year(
                        start, keep_weekday=bool(post.rrule and "WEEKLY" in post.rrule)
                    )
            rule = post.rrule
            if rule and "UNTIL=" in rule:
                rule = _shift_until(rule, years_apart)
            if rule:
                try:
                    rule = validate_rrule(rule, start)
                except RecurrenceError:
                    result.skipped.append(post.title)
                    continue
            copy = Post(
                organisation_id=org_id,
                uid=new_uid(),
                origin_uid=post.uid,
                wheel=target,
                seed_key=post.seed_key,
                title=post.title,
                description=post.description,
                start=start,
                end=start + length,
                all_day=post.all_day,
                rrule=rule,
                status="planlagt" if post.status in ("publisert", "godkjent") else post.status,
                kind=post.kind,
                service_area_id=post.service_area_id,
                responsible=post.responsible,
                link=post.link,
                archive_worthy=post.archive_worthy,
                notes=post.notes,
                channels=list(post.channels),
                audiences=list(post.audiences),
            )
            db.session.add(copy)
            new_by_origin[post.uid] = copy
            result.posts += 1

    peaks = db.session.execute(
        select(PeakPeriod)
        .where(
            PeakPeriod.organisation_id == org_id,
            PeakPeriod.start >= date(from_year, 1, 1),
            PeakPeriod.start <= date(from_year, 12, 31),
        )
        .options(selectinload(PeakPeriod.posts))
    ).scalars()
    existing_keys = set(
        db.session.execute(
            select(PeakPeriod.seed_key).where(
                PeakPeriod.organisation_id == org_id, PeakPeriod.seed_key.is_not(None)
            )
        ).scalars()
    )
    for peak in list(peaks):
        base_key = (peak.seed_key or f"peak-{peak.id}").split(":")[0]
        key = f"{base_key}:{to_year}"
        if key in existing_keys:
            continue
        if f"{base_key}.start" in rule_dates:
            peak_start, peak_end = rule_dates[f"{base_key}.start"], rule_dates[f"{base_key}.end"]
        else:
            moment = datetime.combine(peak.start, datetime.min.time())
            for _ in range(years_apart):
                moment = shift_one_year(moment, keep_weekday=False)
            peak_start, peak_end = moment.date(), moment.date() + (peak.end - peak.start)
        db.session.add(
            PeakPeriod(
                organisation_id=org_id,
                seed_key=key,
                name=peak.name,
                start=peak_start,
                end=peak_end,
                reason=peak.reason,
                required_staff=peak.required_staff,
                posts=[new_by_origin[p.uid] for p in peak.posts if p.uid in new_by_origin],
            )
        )
        result.peaks += 1
    db.session.commit()
    return result


def _shift_until(rule: str, years: int) -> str | None:
    """Move the UNTIL of a rule by ``years`` years (None if it cannot be read)."""
    parts = rule.split(";")
    for i, part in enumerate(parts):
        if part.startswith("UNTIL="):
            value = part[6:]
            try:
                year = int(value[:4]) + years
            except ValueError:
                return None
            month_day = value[4:8]
            if month_day == "0229":
                month_day = "0228"
            parts[i] = f"UNTIL={year:04d}{month_day}{value[8:]}"
    return ";".join(parts)
