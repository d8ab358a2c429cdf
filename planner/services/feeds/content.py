"""What a calendar feed (kalenderfeed) holds, as plain values and as iCalendar bytes.

The posts, peak periods (toppbelastning) or duty weeks (vaktliste) of a feed are gathered
here as plain :class:`~planner.domain.feeds.values.EventData` and turned into bytes by
:func:`planner.domain.feeds.ical.events_to_ical`; the .ics export uses the same
:func:`plan_events` and :func:`filter_summary`. Each event's serialised VEVENTs are kept
per app by their data, so a feed rebuilt after a change serialises only what changed.

Window: a feed holds the wheels of last year and onwards (subscribers keep last year's
plan for reference; older years leave their calendars). Posts moved to the bin stay in
the feed as STATUS:CANCELLED for 30 days, so clients remove them, and then vanish.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from typing import Any

from flask import current_app, has_request_context, url_for
from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import subqueryload
from werkzeug.routing import BuildError

from planner.domain.dates import week_label
from planner.domain.feeds.ical import events_to_ical, ical_status, post_description
from planner.domain.feeds.values import CalendarInfo, EventData, ExtraProperty
from planner.domain.filters import PlanFilter
from planner.domain.posts.occurrences import ExceptionValues
from planner.extensions import db
from planner.models import (
    Audience,
    Channel,
    DutyAssignment,
    Feed,
    Organisation,
    PeakPeriod,
    Post,
    ServiceArea,
    StaffMember,
    Wheel,
)
from planner.services.posts.queries import apply_filter, year_window
from planner.services.version_cache import app_cache

#: A feed holds the wheels of this many years back (and every later year).
YEARS_BACK = 1
#: Serialised events kept per app (by their data), so a feed rebuilt after a change
#: serialises only the events that changed. Enough for a large municipality's feeds.
EVENT_CACHE_ENTRIES = 20_000
#: Posts in the bin stay in feeds as cancelled this long.
BIN_GRACE_DAYS = 30
_ROLE_LABELS = {"main": "Hovedansvarlig", "backup": "Backup"}


# --------------------------------------------------------------------------- URLs


@contextmanager
def url_context() -> Iterator[None]:
    """Make ``url_for(..., _external=True)`` work outside a request (CLI export): the
    base URL is ``PUBLIC_BASE_URL`` from the configuration (default http://localhost:5000)."""
    if has_request_context():
        yield
        return
    base = current_app.config.get("PUBLIC_BASE_URL") or "http://localhost:5000"
    with current_app.test_request_context("/", base_url=base):
        yield


def _external_url(endpoint: str, **values: Any) -> str | None:
    try:
        return url_for(endpoint, _external=True, **values)
    except BuildError:
        return None


def _uid_suffix(org: Organisation) -> str:
    """A stable, installation-unique tag for UIDs of rows without their own UID."""
    return hashlib.sha256(f"{org.id}:{org.created_at.isoformat()}".encode()).hexdigest()[:12]


# --------------------------------------------------------------------------- posts


def _post_extra(post: Post, status: str, area: str) -> tuple[ExtraProperty, ...]:
    """The X-ARSHJUL-* properties that let the planner import the post back losslessly."""
    extra: list[ExtraProperty] = [
        ("X-ARSHJUL-STATUS", status, ()),
        ("X-ARSHJUL-KIND", post.kind, ()),
        ("X-ARSHJUL-WHEEL", post.wheel.name, ()),
    ]
    extra += [("X-ARSHJUL-CHANNEL", c.name, (("X-TYPE", c.type),)) for c in post.channels]
    extra += [
        ("X-ARSHJUL-AUDIENCE", a.name, (("X-PRIORITY", str(a.priority)),)) for a in post.audiences
    ]
    for name, value in (
        ("X-ARSHJUL-SERVICE-AREA", area),
        ("X-ARSHJUL-RESPONSIBLE", post.responsible),
        ("X-ARSHJUL-LINK", post.link),
        ("X-ARSHJUL-TEXT", post.description),
    ):
        if value:
            extra.append((name, value, ()))
    if post.archive_worthy:
        extra.append(("X-ARSHJUL-ARCHIVE", "TRUE", ()))
    return tuple(extra)


def post_event(post: Post, url: str | None) -> EventData:
    """A post as iCal data: CANCELLED when avlyst or in the bin, channels and audiences as
    CATEGORIES, and X-ARSHJUL-* properties so the planner can import it back losslessly."""
    status = "avlyst" if post.deleted_at is not None else post.status
    channels = [c.name for c in post.channels]
    audiences = [a.name for a in post.audiences]
    area = post.service_area.name if post.service_area else ""
    return EventData(
        uid=post.uid,
        summary=post.title,
        start=post.start,
        end=post.end,
        all_day=post.all_day,
        stamp=post.updated_at,
        last_modified=post.updated_at,
        created=post.created_at,
        sequence=max(0, post.version - 1),
        description=post_description(
            post.description,
            status=status,
            kind=post.kind,
            channels=channels,
            audiences=audiences,
            service_area=area,
            responsible=post.responsible,
            link=post.link,
            url=url or "",
        ),
        categories=tuple(dict.fromkeys([*channels, *audiences])),
        url=url,
        status=ical_status(status),
        rrule=post.rrule,
        exceptions=tuple(
            ExceptionValues(e.recurrence_id, e.cancelled, e.start, e.end) for e in post.exceptions
        ),
        window=year_window(post.wheel.year),
        extra=_post_extra(post, status, area),
    )


def _post_query(org_id: int) -> Any:
    return (
        select(Post)
        .execution_options(populate_existing=True)
        .join(Wheel, Post.wheel_id == Wheel.id)
        .where(Post.organisation_id == org_id)
        .options(
            # subqueryload: one query per relation however many posts there are
            # (selectinload asks again for every 500 rows).
            subqueryload(Post.channels),
            subqueryload(Post.audiences),
            subqueryload(Post.service_area),
            subqueryload(Post.exceptions),
            subqueryload(Post.wheel),
        )
        .order_by(Post.start, Post.uid)
    )


def plan_events(
    org_id: int,
    plan_filter: PlanFilter | None,
    *,
    year: int | None = None,
    min_year: int | None = None,
    include_drafts: bool = True,
    bin_cutoff: datetime | None = None,
) -> list[EventData]:
    """The posts of one wheel year (``year``) or of ``min_year`` onwards, through the
    shared filter. ``bin_cutoff`` also takes posts moved to the bin since then (cancelled)."""
    stmt = _post_query(org_id)
    if year is not None:
        stmt = stmt.where(Wheel.year == year)
    if min_year is not None:
        stmt = stmt.where(Wheel.year >= min_year)
    if bin_cutoff is None:
        stmt = stmt.where(Post.deleted_at.is_(None))
    else:
        stmt = stmt.where(or_(Post.deleted_at.is_(None), Post.deleted_at >= bin_cutoff))
    if not include_drafts:
        stmt = stmt.where(Post.status != "idé")
    stmt = apply_filter(stmt, plan_filter)
    with url_context():
        return [
            post_event(post, _external_url("plan.post_detail", post_id=post.id))
            for post in db.session.execute(stmt).scalars()
        ]


# --------------------------------------------------------------------------- staffing


def peak_events(org: Organisation, min_year: int) -> list[EventData]:
    """Peak periods (toppbelastning) as all-day events."""
    peaks = db.session.execute(
        select(PeakPeriod)
        .where(PeakPeriod.organisation_id == org.id, PeakPeriod.end >= date(min_year, 1, 1))
        .options(subqueryload(PeakPeriod.posts))
        .order_by(PeakPeriod.start, PeakPeriod.id)
    ).scalars()
    suffix = _uid_suffix(org)
    with url_context():
        url = _external_url("staffing.index")
        events = []
        for peak in peaks:
            lines = [peak.reason.strip()] if peak.reason.strip() else []
            lines.append(_("Bemanningsbehov: %(n)s på vakt", n=peak.required_staff))
            if peak.posts:
                lines.append(_("Innlegg: %(t)s", t=", ".join(p.title for p in peak.posts)))
            if url:
                lines.append(_("Bemanning i årshjulet: %(url)s", url=url))
            events.append(
                EventData(
                    uid=f"peak-{peak.id}-{suffix}@arshjul",
                    summary=_("Toppbelastning: %(name)s", name=peak.name),
                    start=datetime.combine(peak.start, time()),
                    end=datetime.combine(peak.end, time()),
                    all_day=True,
                    stamp=peak.updated_at,
                    last_modified=peak.updated_at,
                    created=peak.created_at,
                    description="\n".join(lines),
                    categories=(_("Toppbelastning"),),
                    url=url,
                )
            )
    return events


def duty_events(org: Organisation, min_year: int, staff_member_id: int | None) -> list[EventData]:
    """The duty rota (vaktliste): one all-day event per person and week (or day)."""
    stmt = (
        select(DutyAssignment)
        .join(StaffMember, DutyAssignment.staff_member_id == StaffMember.id)
        .where(
            DutyAssignment.organisation_id == org.id,
            DutyAssignment.week_start >= date(min_year, 1, 1) - timedelta(days=6),
        )
        .options(subqueryload(DutyAssignment.staff_member))
        .order_by(DutyAssignment.week_start, DutyAssignment.day, DutyAssignment.role)
    )
    if staff_member_id is not None:
        stmt = stmt.where(DutyAssignment.staff_member_id == staff_member_id)
    suffix = _uid_suffix(org)
    events: dict[str, EventData] = {}
    with url_context():
        url = _external_url("staffing.index")
    for duty in db.session.execute(stmt).scalars():
        first = duty.day or duty.week_start
        last = duty.day or duty.week_start + timedelta(days=6)
        person = duty.staff_member
        role = _ROLE_LABELS.get(duty.role, duty.role)
        when = f"{duty.week_start:%Y%m%d}" + (f"-{duty.day:%Y%m%d}" if duty.day else "")
        uid = f"duty-{when}-{duty.role}-{person.id}-{suffix}@arshjul"
        period = week_label(first) + (f", {first:%d.%m.%Y}" if duty.day else "")
        events[uid] = EventData(
            uid=uid,
            summary=f"{role}: {person.name}",
            start=datetime.combine(first, time()),
            end=datetime.combine(last, time()),
            all_day=True,
            stamp=person.updated_at,
            last_modified=person.updated_at,
            description="\n".join(
                line
                for line in (
                    _("%(role)s for sosiale medier %(period)s.", role=role, period=period),
                    _("Bemanning i årshjulet: %(url)s", url=url) if url else "",
                )
                if line
            ),
            categories=(_("Vakt"),),
            url=url,
        )
    return list(events.values())


# --------------------------------------------------------------------------- the feed


def _names(model: Any, org_id: int, ids: Sequence[int]) -> list[str]:
    if not ids:
        return []
    return list(
        db.session.execute(
            select(model.name)
            .where(model.organisation_id == org_id, model.id.in_(ids))
            .order_by(model.name)
        ).scalars()
    )


def filter_summary(org_id: int, plan_filter: PlanFilter) -> str:
    """The filter in words, e.g. «kanal: Facebook; målgruppe: Foreldre» ("" = everything)."""
    parts = []
    for label, model, ids in (
        (_("kanal"), Channel, plan_filter.channels),
        (_("målgruppe"), Audience, plan_filter.audiences),
        (_("virksomhetsområde"), ServiceArea, plan_filter.service_areas),
    ):
        names = _names(model, org_id, ids)
        if ids:
            parts.append(f"{label}: {', '.join(names) or _('(finnes ikke lenger)')}")
    if plan_filter.statuses:
        parts.append(_("status: %(s)s", s=", ".join(plan_filter.statuses)))
    if plan_filter.kinds:
        parts.append(_("type: %(k)s", k=", ".join(plan_filter.kinds)))
    if plan_filter.q:
        parts.append(_("søk: «%(q)s»", q=plan_filter.q))
    return "; ".join(parts)


def feed_description(feed: Feed, org: Organisation) -> str:
    """X-WR-CALDESC: what the feed holds, in words."""
    if feed.kind == "peaks":
        text = _("Toppbelastningsperioder i %(org)s.", org=org.name)
    elif feed.kind == "duty":
        who = feed.staff_member.name if feed.staff_member else _("hele teamet")
        text = _("Vaktliste for sosiale medier i %(org)s (%(who)s).", org=org.name, who=who)
    else:
        summary = filter_summary(org.id, PlanFilter.from_json(feed.filter))
        text = _("Kommunikasjonsplanen (årshjulet) til %(org)s", org=org.name)
        text += f" – {summary}." if summary else "."
        if feed.include_drafts:
            text += " " + _("Ideer er med.")
    return text + " " + _("Oppdateres automatisk.")


def bin_cutoff(today: date) -> datetime:
    """Posts moved to the bin at or after this moment (naive UTC) are still published."""
    return datetime.combine(today - timedelta(days=BIN_GRACE_DAYS), time())


def feed_events(feed: Feed, org: Organisation, today: date) -> list[EventData]:
    """Everything a feed holds today."""
    min_year = today.year - YEARS_BACK
    if feed.kind == "peaks":
        return peak_events(org, min_year)
    if feed.kind == "duty":
        return duty_events(org, min_year, feed.staff_member_id)
    return plan_events(
        org.id,
        PlanFilter.from_json(feed.filter),
        min_year=min_year,
        include_drafts=feed.include_drafts,
        bin_cutoff=bin_cutoff(today),
    )


def build_feed(feed: Feed, org: Organisation, today: date) -> bytes:
    """The feed's calendar as iCalendar bytes."""
    info = CalendarInfo(
        name=feed.name,
        description=feed_description(feed, org),
        extra=(("X-ARSHJUL-ORGANISATION", org.name),),
    )
    cache = app_cache(
        "feed_events", int(current_app.config.get("FEED_EVENT_CACHE_ENTRIES", EVENT_CACHE_ENTRIES))
    )
    return events_to_ical(info, feed_events(feed, org, today), feed.reminder_days, cache)
