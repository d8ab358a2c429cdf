"""Roll forward (rull fram): next year's wheels from this year's, so a municipality never
re-enters its year.

Posts from the recommended årshjul get their dates recomputed from their rules (Easter,
n-th weekday, N working days before …); other posts keep their calendar date, or their ISO
week and weekday when they repeat weekly. Peak periods follow the same way. Running it
twice does not duplicate: copies remember the UID they came from. Copies are written by
the one writer of posts and of peak periods (``write_post``, ``write_peak``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from planner.domain.posts.seed_rules import SeedRuleError, resolve_dates
from planner.domain.seed_file import applies_in_year, date_rules, load_seed
from planner.extensions import db
from planner.models import PeakPeriod, Post, Wheel
from planner.services.posts.operations import shift_one_year
from planner.services.posts.writer import PostInvalid, data_of, write_post
from planner.services.staffing.peak_writer import PeakInvalid, peak_data_of, write_peak


@dataclass
class RollResult:
    """What rolling forward created and what it had to leave out."""

    wheels: int = 0
    posts: int = 0
    peaks: int = 0
    skipped: list[str] = field(default_factory=list)


@dataclass
class _Roll:
    """One roll forward: its years, the seed file's dates for the target year, and what it
    has done so far."""

    org_id: int
    from_year: int
    to_year: int
    rule_dates: dict[str, date]
    seed_items: dict[str, dict[str, Any]]
    result: RollResult = field(default_factory=RollResult)

    @property
    def years_apart(self) -> int:
        """How many years the copies move."""
        return self.to_year - self.from_year


def roll_forward(org_id: int, from_year: int, to_year: int) -> RollResult:
    """Copy every wheel of ``from_year`` into ``to_year`` (one transaction, committed).

    In steps: the seed file's dates for the target year, the posts of every wheel (into
    the target year's wheel of the same name), then the peak periods, linked to the copies.
    """
    roll = _start(org_id, from_year, to_year)
    copies = _roll_posts(roll)
    db.session.flush()  # the copies get the ids their peak periods link to
    _roll_peaks(roll, copies)
    db.session.commit()
    return roll.result


def _start(org_id: int, from_year: int, to_year: int) -> _Roll:
    """The roll with the seed file's rule dates for ``to_year`` (none if they fail)."""
    data = load_seed()
    try:
        rule_dates = resolve_dates(date_rules(data), to_year)
    except SeedRuleError:
        rule_dates = {}
    seed_items = {item["key"]: item for item in data.get("posts", [])}
    return _Roll(org_id, from_year, to_year, rule_dates, seed_items)


def _target_wheel_name(name: str, from_year: int, to_year: int) -> str:
    return name.replace(str(from_year), str(to_year)) if str(from_year) in name else name


def _target_wheel(roll: _Roll, source: Wheel) -> Wheel:
    """The target year's wheel for ``source`` (same name, the year replaced), added if new."""
    name = _target_wheel_name(source.name, roll.from_year, roll.to_year)
    target = db.session.execute(
        select(Wheel).where(
            Wheel.organisation_id == roll.org_id, Wheel.year == roll.to_year, Wheel.name == name
        )
    ).scalar()
    if target is None:
        target = Wheel(organisation_id=roll.org_id, year=roll.to_year, name=name)
        db.session.add(target)
        db.session.flush()  # the copies link to it by id
        roll.result.wheels += 1
    return target


def _roll_posts(roll: _Roll) -> dict[str, Post]:
    """Copy the live posts of every source wheel that have no copy in the target year yet;
    returns the new copies by the UID they came from."""
    copied_from = set(
        db.session.execute(
            select(Post.origin_uid)
            .join(Wheel)
            .where(
                Post.organisation_id == roll.org_id,
                Wheel.year == roll.to_year,
                Post.origin_uid.is_not(None),
            )
        ).scalars()
    )
    sources = db.session.execute(
        select(Wheel).where(Wheel.organisation_id == roll.org_id, Wheel.year == roll.from_year)
    ).scalars()
    copies: dict[str, Post] = {}
    for source in list(sources):
        target = _target_wheel(roll, source)
        posts = db.session.execute(
            select(Post)
            .where(Post.wheel_id == source.id, Post.deleted_at.is_(None))
            .options(
                selectinload(Post.channels),
                selectinload(Post.audiences),
                selectinload(Post.service_area),
            )
        ).scalars()
        for post in posts:
            if post.uid in copied_from:
                continue
            copy = _copy_post(roll, post, target)
            if copy is not None:
                copies[post.uid] = copy
    return copies


def _copy_start(roll: _Roll, post: Post, item: dict[str, Any] | None) -> datetime:
    """Where the copy starts: the seed rule's date, else the post's date moved year by year."""
    if item is not None and post.seed_key in roll.rule_dates:
        return datetime.combine(roll.rule_dates[post.seed_key], post.start.time())
    start = post.start
    for _ in range(roll.years_apart):
        start = shift_one_year(start, keep_weekday=bool(post.rrule and "WEEKLY" in post.rrule))
    return start


def _copy_post(roll: _Roll, post: Post, target: Wheel) -> Post | None:
    """The target year's copy of ``post``: None when it does not belong in that year (e.g.
    election posts only in election years) or no longer passes the rules (listed as skipped).
    A copy starts as planned, remembers its origin and keeps no changed occurrences."""
    item = roll.seed_items.get(post.seed_key or "")
    if item is not None and not applies_in_year(item, roll.to_year):
        return None
    start = _copy_start(roll, post, item)
    rule = post.rrule
    if rule and "UNTIL=" in rule:
        rule = _shift_until(rule, roll.years_apart)
    data = replace(
        data_of(post),
        wheel_id=target.id,
        start=start,
        end=start + (post.end - post.start),
        rrule=rule,
        status="planlagt" if post.status in ("publisert", "godkjent") else post.status,
        origin_uid=post.uid,
        exceptions=(),
    )
    try:
        copy = write_post(roll.org_id, data)
    except PostInvalid:
        roll.result.skipped.append(post.title)
        return None
    roll.result.posts += 1
    return copy


def _roll_peaks(roll: _Roll, copies: dict[str, Post]) -> None:
    """Copy the peak periods starting in the source year that have no ``<key>:<to_year>``
    yet, linked to the copies of their posts."""
    peaks = db.session.execute(
        select(PeakPeriod)
        .where(
            PeakPeriod.organisation_id == roll.org_id,
            PeakPeriod.start >= date(roll.from_year, 1, 1),
            PeakPeriod.start <= date(roll.from_year, 12, 31),
        )
        .options(selectinload(PeakPeriod.posts))
    ).scalars()
    existing_keys = set(
        db.session.execute(
            select(PeakPeriod.seed_key).where(
                PeakPeriod.organisation_id == roll.org_id, PeakPeriod.seed_key.is_not(None)
            )
        ).scalars()
    )
    for peak in list(peaks):
        base_key = (peak.seed_key or f"peak-{peak.id}").split(":")[0]
        key = f"{base_key}:{roll.to_year}"
        if key in existing_keys:
            continue
        start, end = _peak_dates(roll, peak, base_key)
        data = replace(
            peak_data_of(peak),
            start=start,
            end=end,
            seed_key=key,
            post_ids=tuple(copies[p.uid].id for p in peak.posts if p.uid in copies),
        )
        try:
            write_peak(roll.org_id, data)
        except PeakInvalid:
            roll.result.skipped.append(peak.name)
            continue
        roll.result.peaks += 1


def _peak_dates(roll: _Roll, peak: PeakPeriod, base_key: str) -> tuple[date, date]:
    """The copy's first and last day: the seed rules' dates, else moved year by year."""
    if f"{base_key}.start" in roll.rule_dates:
        return roll.rule_dates[f"{base_key}.start"], roll.rule_dates[f"{base_key}.end"]
    moment = datetime.combine(peak.start, datetime.min.time())
    for _ in range(roll.years_apart):
        moment = shift_one_year(moment, keep_weekday=False)
    return moment.date(), moment.date() + (peak.end - peak.start)


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
