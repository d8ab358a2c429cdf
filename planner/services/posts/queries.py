"""Read queries for the plan views: the posts of a year and their occurrences.

Two read paths (and the wheel's data) share one statement (:func:`posts_statement`) and
one expansion (``domain.occurrences.occurrences``), so they always give the same posts and
occurrences:

* :func:`items_for_year` – ORM ``Post`` objects with their channels, audiences, service
  area and exceptions loaded, for exports and services that need the whole post;
* :func:`plan_entries` – light, read-only rows for the list, month and week pages: the
  columns those pages show plus the catalog's own ``Channel``/``Audience``/
  ``ServiceArea`` objects, with the page's date window applied in SQL.

Both run a fixed number of queries whatever the size of the plan: the channel and
audience ids of every post come in the post query itself (one aggregated column each),
the catalog and the exceptions in one query each. ``selectinload`` is avoided on
purpose: it asks again for every 500 posts. Both also pause the cyclic garbage collector
while they build their thousands of short-lived objects (see :class:`gc_paused`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Select, String, cast, exists, func, or_, select
from sqlalchemy.orm.attributes import set_committed_value

from planner.domain.filters import PlanFilter
from planner.domain.posts.occurrences import ExceptionValues, occurrences
from planner.extensions import db
from planner.models import (
    Audience,
    Channel,
    Post,
    PostException,
    ServiceArea,
    Wheel,
    post_audience,
    post_channel,
)
from planner.services.posts.plan_rows import PlanEntry, PlannedItem, PlanPost, gc_paused


def wheels_for_year(org_id: int, year: int) -> list[Wheel]:
    """The organisation's wheels of a year, by name."""
    return list(
        db.session.execute(
            select(Wheel)
            .where(Wheel.organisation_id == org_id, Wheel.year == year)
            .order_by(Wheel.name)
        ).scalars()
    )


def plan_years(org_id: int) -> list[int]:
    """The years the organisation has wheels for."""
    return list(
        db.session.execute(
            select(Wheel.year)
            .where(Wheel.organisation_id == org_id)
            .distinct()
            .order_by(Wheel.year)
        ).scalars()
    )


def apply_filter(stmt: Select[Any], plan_filter: PlanFilter | None) -> Select[Any]:
    """Narrow a ``select(Post)`` by the shared plan filter (in SQL, one statement)."""
    if plan_filter is None or plan_filter.is_empty:
        return stmt
    if plan_filter.channels:
        stmt = stmt.where(
            exists().where(
                post_channel.c.post_id == Post.id,
                post_channel.c.channel_id.in_(plan_filter.channels),
            )
        )
    if plan_filter.audiences:
        stmt = stmt.where(
            exists().where(
                post_audience.c.post_id == Post.id,
                post_audience.c.audience_id.in_(plan_filter.audiences),
            )
        )
    if plan_filter.service_areas:
        stmt = stmt.where(Post.service_area_id.in_(plan_filter.service_areas))
    if plan_filter.statuses:
        stmt = stmt.where(Post.status.in_(plan_filter.statuses))
    if plan_filter.kinds:
        stmt = stmt.where(Post.kind.in_(plan_filter.kinds))
    if plan_filter.q:
        pattern = (
            "%"
            + plan_filter.q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            + "%"
        )
        stmt = stmt.where(
            or_(
                func.lower(Post.title).like(pattern, escape="\\"),
                func.lower(Post.description).like(pattern, escape="\\"),
            )
        )
    return stmt


# --------------------------------------------------------------------------- the shared query


def year_window(year: int) -> tuple[datetime, datetime]:
    """The first and last moment of a calendar year (naive Oslo wall clock)."""
    return datetime.combine(date(year, 1, 1), time()), datetime.combine(
        date(year, 12, 31), time(23, 59, 59)
    )


def posts_statement(
    columns: Sequence[Any],
    org_id: int,
    year: int,
    window: tuple[datetime, datetime],
    wheel_id: int | None,
    plan_filter: PlanFilter | None,
) -> Select[Any]:
    """``columns`` of the live posts of the year's wheels that may touch ``window``: one-off
    posts overlapping it and every recurring post (expanded afterwards), filtered."""
    window_start, window_end = window
    stmt = (
        select(*columns)
        .select_from(Post)
        .join(Wheel, Post.wheel_id == Wheel.id)
        .where(
            Post.organisation_id == org_id,
            Post.deleted_at.is_(None),
            Wheel.year == year,
            Post.start <= window_end,
            or_(Post.end >= window_start, Post.rrule.is_not(None)),
        )
    )
    if wheel_id is not None:
        stmt = stmt.where(Post.wheel_id == wheel_id)
    return apply_filter(stmt, plan_filter)


def _linked_ids(table: Any, column: Any) -> Any:
    """The ids linked to each post as one comma-separated text (a correlated subquery, so
    a post and its links come back in one row)."""
    return (
        select(func.aggregate_strings(cast(column, String), ","))
        .where(table.c.post_id == Post.id)
        .scalar_subquery()
    )


# A post's channel ids and audience ids: one comma-separated text column each.
LINK_COLUMNS = (
    _linked_ids(post_channel, post_channel.c.channel_id),
    _linked_ids(post_audience, post_audience.c.audience_id),
)

# What the plan pages and the wheel show of a post (after its own ids), its channel and
# audience ids last: plain columns, no ORM objects.
SHOWN_COLUMNS = (
    Post.title,
    Post.start,
    Post.end,
    Post.all_day,
    Post.rrule,
    Post.status,
    Post.kind,
    Post.service_area_id,
    *LINK_COLUMNS,
)


class _Links:
    """Turns a post's comma-separated link ids into catalog rows (in catalog order)
    and their names joined, memoised: many posts share the same links."""

    def __init__(self, rows: Iterable[Any]) -> None:
        self.rows = {row.id: row for row in rows}
        self.rank = {row_id: n for n, row_id in enumerate(self.rows)}
        self.memo: dict[str | None, tuple[tuple[Any, ...], str]] = {None: ((), "")}

    def __call__(self, text: str | None) -> tuple[tuple[Any, ...], str]:
        found = self.memo.get(text)
        if found is None:
            ids = sorted(
                {int(i) for i in (text or "").split(",") if i.strip().isdigit()} & self.rank.keys(),
                key=self.rank.__getitem__,
            )
            rows = tuple(self.rows[i] for i in ids)
            found = self.memo[text] = (rows, ", ".join(row.name for row in rows))
        return found


def _catalog(org_id: int, model: Any, *order: Any) -> list[Any]:
    return list(
        db.session.execute(
            select(model).where(model.organisation_id == org_id).order_by(*order)
        ).scalars()
    )


def _exceptions(ids: Select[Any]) -> dict[int, list[PostException]]:
    """The exceptions of the posts among ``ids`` (one query), by post."""
    found: dict[int, list[PostException]] = defaultdict(list)
    for row in db.session.execute(
        select(PostException)
        .where(PostException.post_id.in_(ids))
        .order_by(PostException.post_id, PostException.recurrence_id)
    ).scalars():
        found[row.post_id].append(row)
    return found


def _exception_values(rows: Iterable[PostException]) -> list[ExceptionValues]:
    return [ExceptionValues(e.recurrence_id, e.cancelled, e.start, e.end) for e in rows]


def _order(stmt: Select[Any]) -> Select[Any]:
    return stmt.order_by(Post.start, Post.title, Post.id)


# --------------------------------------------------------------------------- the two read paths


def items_for_year(
    org_id: int,
    year: int,
    wheel_id: int | None = None,
    plan_filter: PlanFilter | None = None,
) -> list[PlannedItem]:
    """Every occurrence in ``year`` of the organisation's posts in that year's wheels.

    The posts are ORM objects with ``channels``, ``audiences``, ``service_area`` and
    ``exceptions`` loaded (no lazy loads afterwards), in five queries whatever the size
    of the plan. Sorted by occurrence start, then title.
    """
    window = year_window(year)
    with gc_paused():
        channels = _Links(_catalog(org_id, Channel, Channel.name))
        audiences = _Links(_catalog(org_id, Audience, Audience.priority, Audience.name))
        areas = {a.id: a for a in _catalog(org_id, ServiceArea, ServiceArea.name)}
        ids = posts_statement((Post.id,), org_id, year, window, wheel_id, plan_filter)
        exceptions = _exceptions(ids)
        rows = db.session.execute(
            _order(
                posts_statement((Post, *LINK_COLUMNS), org_id, year, window, wheel_id, plan_filter)
            )
        ).all()
        items: list[PlannedItem] = []
        for post, chan, aud in rows:
            own = exceptions.get(post.id, [])
            set_committed_value(post, "channels", list(channels(chan)[0]))
            set_committed_value(post, "audiences", list(audiences(aud)[0]))
            set_committed_value(post, "service_area", areas.get(post.service_area_id))
            set_committed_value(post, "exceptions", own)
            for occ in occurrences(
                post.start, post.end, post.rrule, _exception_values(own), *window
            ):
                items.append(PlannedItem(post, occ))
        items.sort(key=lambda i: (i.occurrence.start, i.post.title))
    return items


def plan_entries(
    org_id: int,
    year: int,
    *,
    wheel_id: int | None = None,
    plan_filter: PlanFilter | None = None,
    first: date | None = None,
    last: date | None = None,
    channels: Iterable[Channel] | None = None,
    audiences: Iterable[Audience] | None = None,
    areas: Iterable[ServiceArea] | None = None,
) -> list[PlanEntry]:
    """The occurrences of ``year``'s posts between ``first`` and ``last`` (default: the
    whole year), as light rows for the plan pages. Sorted by occurrence start, then title.

    The same posts and occurrences as :func:`items_for_year` restricted to the window,
    without building ORM posts. Pass the catalog rows the page has already loaded
    (``services.posts.load_catalog``: channels by name, audiences by priority and name)
    to save their queries; otherwise they are read here.
    """
    window = _entry_window(year, first, last)
    if window[0] > window[1]:
        return []
    with gc_paused():
        rows = _EntryRows(org_id, channels, audiences, areas)
        ids = posts_statement((Post.id,), org_id, year, window, wheel_id, plan_filter)
        exceptions = {
            post_id: _exception_values(found)
            for post_id, found in _exceptions(ids.where(Post.rrule.is_not(None))).items()
        }
        stmt = posts_statement(_ENTRY_COLUMNS, org_id, year, window, wheel_id, plan_filter)
        entries: list[PlanEntry] = []
        for row in db.session.execute(_order(stmt)):
            post = rows.plan_post(row)
            for occ in occurrences(
                post.start, post.end, post.rrule, exceptions.get(post.id, ()), *window
            ):
                entries.append(PlanEntry(post, occ))
        entries.sort(key=lambda e: (e.occurrence.start, e.post.title))
    return entries


def _entry_window(year: int, first: date | None, last: date | None) -> tuple[datetime, datetime]:
    """The year's window narrowed to ``first``–``last`` (either may be None)."""
    year_start, year_end = year_window(year)
    return (
        max(year_start, datetime.combine(first, time())) if first else year_start,
        min(year_end, datetime.combine(last, time.max)) if last else year_end,
    )


# The columns of a plan entry's post, in the order of :class:`PlanPost`'s first fields,
# then the post's channel and audience ids (one aggregated column each).
_ENTRY_COLUMNS = (Post.id, Post.uid, Post.wheel_id, *SHOWN_COLUMNS)


class _EntryRows:
    """The catalog rows plan entries link to (given by the page, else read here)."""

    def __init__(
        self,
        org_id: int,
        channels: Iterable[Channel] | None,
        audiences: Iterable[Audience] | None,
        areas: Iterable[ServiceArea] | None,
    ) -> None:
        self.channels = _Links(
            _catalog(org_id, Channel, Channel.name) if channels is None else channels
        )
        self.audiences = _Links(
            _catalog(org_id, Audience, Audience.priority, Audience.name)
            if audiences is None
            else audiences
        )
        self.areas = {
            a.id: a
            for a in (_catalog(org_id, ServiceArea, ServiceArea.name) if areas is None else areas)
        }

    def plan_post(self, row: Sequence[Any]) -> PlanPost:
        """A :class:`PlanPost` from a row of :data:`_ENTRY_COLUMNS`."""
        *fields, area_id, channel_ids, audience_ids = row
        post_channels, channel_names = self.channels(channel_ids)
        post_audiences, audience_names = self.audiences(audience_ids)
        return PlanPost(
            *fields,  # type: ignore[call-arg]  # _ENTRY_COLUMNS' first ten are its first ten
            self.areas.get(area_id) if area_id is not None else None,
            post_channels,
            post_audiences,
            channel_names,
            audience_names,
        )
