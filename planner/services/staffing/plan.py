"""The staffing plan of a year (bemanningsplan): the team, the rota, peak and holiday
periods and the posts' occurrences, read from the database as the plain values the
staffing rules work on (:class:`~planner.domain.staffing.StaffingPlan`), and cached per
app until the organisation's next change.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time
from operator import attrgetter

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from planner.domain.posts.occurrences import ExceptionValues, occurrences
from planner.domain.staffing import (
    AbsenceInfo,
    ChannelInfo,
    DutyInfo,
    HolidayInfo,
    LoadModel,
    PeakInfo,
    PostOccurrence,
    StaffInfo,
    StaffingPlan,
    monday_of,
)
from planner.domain.staffing.model import Period
from planner.extensions import db
from planner.models import (
    Channel,
    DutyAssignment,
    HolidayPeriod,
    Organisation,
    PeakPeriod,
    Post,
    PostException,
    StaffMember,
    Wheel,
    post_channel,
)
from planner.services.version_cache import cached_on_version

LOAD_MODEL_KEY = "load_model"


def year_window(year: int) -> Period:
    """The days a year's staffing covers: the calendar year and its ISO weeks."""
    return StaffingPlan(year).window


def load_model_for(org: Organisation) -> LoadModel:
    """The municipality's load model (defaults where nothing is stored)."""
    return LoadModel.from_settings_or_default((org.settings or {}).get(LOAD_MODEL_KEY))


def staff_rows(org_id: int) -> list[StaffMember]:
    """The team, by name, with absences loaded."""
    return list(
        db.session.execute(
            select(StaffMember)
            .where(StaffMember.organisation_id == org_id)
            .options(selectinload(StaffMember.absences))
            .order_by(StaffMember.active.desc(), StaffMember.name)
        ).scalars()
    )


def staff_info(row: StaffMember) -> StaffInfo:
    """A staff row as the plain value the rules use."""
    return StaffInfo(
        id=row.id,
        name=row.name,
        working_days=frozenset(row.working_day_list),
        active=row.active,
        absences=tuple(AbsenceInfo(a.start, a.end, a.reason) for a in row.absences),
    )


def duty_rows(org_id: int, start: date, end: date) -> list[DutyAssignment]:
    """Rota lines of the weeks from ``start`` to ``end`` (by their Monday)."""
    return list(
        db.session.execute(
            select(DutyAssignment)
            .where(
                DutyAssignment.organisation_id == org_id,
                DutyAssignment.week_start >= monday_of(start),
                DutyAssignment.week_start <= end,
            )
            .options(selectinload(DutyAssignment.staff_member))
            .order_by(
                DutyAssignment.week_start,
                DutyAssignment.day.is_not(None),
                DutyAssignment.day,
                DutyAssignment.role.desc(),  # "main" before "backup"
                DutyAssignment.id,
            )
        ).scalars()
    )


def duty_info(row: DutyAssignment) -> DutyInfo:
    """A rota line as the plain value the rules use."""
    return DutyInfo(row.staff_member_id, row.week_start, row.role, row.day, row.id)


def peak_rows(org_id: int, start: date, end: date) -> list[PeakPeriod]:
    """Peak periods overlapping ``start``..``end``."""
    return list(
        db.session.execute(
            select(PeakPeriod)
            .where(
                PeakPeriod.organisation_id == org_id,
                PeakPeriod.start <= end,
                PeakPeriod.end >= start,
            )
            .order_by(PeakPeriod.start, PeakPeriod.name)
        ).scalars()
    )


def peak_info(row: PeakPeriod) -> PeakInfo:
    """A peak period as the plain value the rules use."""
    return PeakInfo(row.start, row.end, row.name, row.required_staff, row.reason, row.id)


def holiday_rows(org_id: int, start: date, end: date) -> list[HolidayPeriod]:
    """School and common holiday periods overlapping ``start``..``end``."""
    return list(
        db.session.execute(
            select(HolidayPeriod)
            .where(
                HolidayPeriod.organisation_id == org_id,
                HolidayPeriod.start <= end,
                HolidayPeriod.end >= start,
            )
            .order_by(HolidayPeriod.start, HolidayPeriod.name)
        ).scalars()
    )


def holiday_info(row: HolidayPeriod) -> HolidayInfo:
    """A holiday period as the plain value the rules use."""
    return HolidayInfo(row.start, row.end, row.name, row.kind, row.id)


def post_occurrences(org_id: int, year: int) -> list[PostOccurrence]:
    """Every occurrence of the year's posts (recurring ones expanded), as plain values.

    The same posts and occurrences as ``plan_query.items_for_year`` (same filter, same
    ``domain.occurrences.occurrences`` for rules, moves and cancellations), but read as
    plain Core rows with only what the staffing rules need – a year of 5,000 posts loads
    in a fraction of the time of ORM objects with all their relations.
    """
    window_start = datetime.combine(date(year, 1, 1), time())
    window_end = datetime.combine(date(year, 12, 31), time(23, 59, 59))
    post, wheel = Post.__table__.c, Wheel.__table__.c
    channel, exception = Channel.__table__.c, PostException.__table__.c
    in_year = (
        post.organisation_id == org_id,
        post.deleted_at.is_(None),
        wheel.year == year,
        post.start <= window_end,
        or_(post.end >= window_start, post.rrule.is_not(None)),
    )
    posts_in_year = Post.__table__.join(Wheel.__table__, post.wheel_id == wheel.id)
    connection = db.session.connection()
    rows = connection.execute(
        select(post.id, post.uid, post.title, post.start, post.end, post.rrule, post.kind)
        .select_from(posts_in_year)
        .where(*in_year)
        .order_by(post.start, post.title)
    ).all()
    # Channels: the organisation's (few) once, then the posts' links as pairs of ids.
    infos: dict[int, ChannelInfo] = {}
    for channel_id, name, ctype, hours in connection.execute(
        select(channel.id, channel.name, channel.type, channel.response_hours)
        .where(channel.organisation_id == org_id)
        .order_by(channel.name, channel.id)
    ):
        infos[channel_id] = ChannelInfo(name, ctype, hours)
    rank = {channel_id: i for i, channel_id in enumerate(infos)}
    links: dict[int, list[int]] = defaultdict(list)
    for post_id, channel_id in connection.execute(
        select(post_channel.c.post_id, post_channel.c.channel_id)
        .select_from(posts_in_year.join(post_channel, post_channel.c.post_id == post.id))
        .where(*in_year)
    ).all():
        links[post_id].append(channel_id)
    recurring = [row[0] for row in rows if row[5]]
    exceptions: dict[int, list[ExceptionValues]] = defaultdict(list)
    if recurring:
        for post_id, rid, cancelled, ex_start, ex_end in connection.execute(
            select(
                exception.post_id,
                exception.recurrence_id,
                exception.cancelled,
                exception.start,
                exception.end,
            ).where(exception.post_id.in_(recurring))
        ):
            exceptions[post_id].append(ExceptionValues(rid, bool(cancelled), ex_start, ex_end))
    # Posts with the same channels share one tuple of them (in name order).
    combinations: dict[tuple[int, ...], tuple[ChannelInfo, ...]] = {(): ()}
    result = []
    for post_id, uid, title, start, end, rrule, kind in rows:
        ids = tuple(sorted(links.get(post_id, ()), key=rank.__getitem__))
        post_channels = combinations.get(ids)
        if post_channels is None:
            post_channels = combinations[ids] = tuple(infos[i] for i in ids)
        if not rrule:  # the common case, without the general expansion
            if end >= window_start:
                result.append(PostOccurrence(post_id, title, start, end, kind, post_channels, uid))
            continue
        for occ in occurrences(
            start, end, rrule, exceptions.get(post_id, ()), window_start, window_end
        ):
            result.append(
                PostOccurrence(post_id, title, occ.start, occ.end, kind, post_channels, uid)
            )
    if recurring:  # one-off posts come ordered from the database; occurrences do not
        result.sort(key=attrgetter("start", "title"))
    return result


#: Staffing plans kept per app (a few organisations' current and neighbouring years).
PLAN_CACHE_SIZE = 16


def _build_plan(org_id: int, year: int) -> StaffingPlan:
    org = db.session.get_one(Organisation, org_id)
    window = year_window(year)
    return StaffingPlan(
        year=year,
        staff=[staff_info(s) for s in staff_rows(org_id)],
        duty=[duty_info(d) for d in duty_rows(org_id, window.start, window.end)],
        peaks=[peak_info(p) for p in peak_rows(org_id, window.start, window.end)],
        holidays=[holiday_info(h) for h in holiday_rows(org_id, window.start, window.end)],
        posts=post_occurrences(org_id, year),
        load_model=load_model_for(org),
    )


def load_plan(org_id: int, year: int) -> StaffingPlan:
    """Everything the staffing rules need for ``year``, read in a handful of queries.

    Kept per app until the organisation's next change (its data version): the staffing
    page, the week view, the wheel and the exports ask for the same year often, and
    reading a big plan is most of the cost of its warnings. The plan is plain values;
    callers must not change it."""
    return cached_on_version(
        org_id, "staffing_plans", PLAN_CACHE_SIZE, (year,), lambda: _build_plan(org_id, year)
    )
