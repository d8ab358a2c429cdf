"""The data of the årshjul, loaded with a fixed number of queries whatever the size of
the plan: the catalog (channels, audiences, service areas), the posts of the year's
wheels that touch the window — each with its channel and audience ids in the same row,
plain columns rather than ORM objects — their recurrence exceptions, peak periods,
holiday periods and, when that area is installed, outside calendar events.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time
from functools import lru_cache, wraps
from typing import Any, TypeVar

from sqlalchemy import Connection, Select, select

from planner.domain.filters import PlanFilter
from planner.domain.posts.occurrences import ExceptionValues, Occurrence, occurrences
from planner.domain.wheel.layout import Period, WheelItem, Window
from planner.extensions import db
from planner.models import (
    Audience,
    Channel,
    HolidayPeriod,
    PeakPeriod,
    Post,
    PostException,
    ServiceArea,
)
from planner.services.posts.queries import SHOWN_COLUMNS, posts_statement

try:  # The read-only outer ring of outside events comes from another area, when installed.
    from planner.services.imports.external import external_events_for_year
except ImportError:  # pragma: no cover - depends on which areas are installed
    external_events_for_year = None  # type: ignore[assignment]

F = TypeVar("F", bound=Callable[..., Any])

NONE_KEY = "ingen"
EXTERNAL_KEY = "ekstern"


@dataclass
class WheelData:
    """What the wheel shows, loaded once: the catalog, the occurrences and the bands."""

    channels: dict[int, tuple[str, str]]
    audiences: dict[int, str]
    areas: dict[int, str]
    items: list[WheelItem]
    peaks: list[Period]
    holidays: list[Period]
    external: list[WheelItem] = field(default_factory=list)


def _post_statement(
    org_id: int, year: int, window: Window, plan_filter: PlanFilter | None
) -> Select[Any]:
    """The filtered posts of the year's wheels that may touch the window (the plan's own
    statement, ``posts_statement``: bin excluded, recurring posts kept for expansion)."""
    start = datetime.combine(window.start, time())
    end = datetime.combine(window.end, time(23, 59, 59))
    return posts_statement((Post,), org_id, year, (start, end), None, plan_filter)


def paused_gc(function: F) -> F:
    """Run ``function`` with the cyclic garbage collector paused.

    Drawing a big plan creates tens of thousands of short-lived objects; that makes
    Python run full collections over the whole process (SQLAlchemy, Flask …) in the middle
    of a request, which cost more than the drawing itself. Reference counting frees them
    all when the function returns, so wrap whole views (rendering included): then nothing
    is left for the collector when it runs again. Nested use is harmless.
    """

    @wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return wrapper  # type: ignore[return-value]


class _Links:
    """Turns a post's comma-separated link ids into ring keys and names in catalog order,
    memoised: many posts share the same combination of channels or audiences."""

    def __init__(self, names: dict[int, str]) -> None:
        self.rank = {i: n for n, i in enumerate(names)}
        self.names = names
        self.keys = {i: str(i) for i in names}
        self.memo: dict[str | None, tuple[tuple[str, ...], tuple[str, ...]]] = {None: ((), ())}

    def __call__(self, text: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
        found = self.memo.get(text)
        if found is None:
            rank = self.rank
            ids = [i for i in map(int, (text or "").split(",")) if i in rank]
            ids.sort(key=rank.__getitem__)
            found = (
                tuple(map(self.keys.__getitem__, ids)),
                tuple(map(self.names.__getitem__, ids)),
            )
            self.memo[text] = found
        return found


@lru_cache(maxsize=4096)
def _expanded(
    start: datetime,
    end: datetime,
    rrule: str,
    exceptions: tuple[ExceptionValues, ...],
    window_start: datetime,
    window_end: datetime,
) -> tuple[Occurrence, ...]:
    """``domain.occurrences`` of a recurring post, remembered: the same rule, times and
    exceptions always give the same occurrences, and expanding is the slow part of loading
    a plan with many recurring posts."""
    return tuple(occurrences(start, end, rrule, exceptions, window_start, window_end))


def _items(
    kind: str,
    rows: Sequence[Any],
    exceptions: dict[int, list[ExceptionValues]],
    channels: dict[int, tuple[str, str]],
    audiences: dict[int, str],
    window: Window,
) -> list[WheelItem]:
    """The occurrences of the posts in the window, with their ring keys and the names of
    their channels and audiences (in catalog order). A tight loop: 5,000 posts."""
    channel_links = _Links({i: name for i, (name, _colour) in channels.items()})
    audience_links = _Links(audiences)
    w_start = datetime.combine(window.start, time())
    w_end = datetime.combine(window.end, time(23, 59, 59))
    none = (NONE_KEY,)
    items: list[WheelItem] = []
    for pid, title, start, end, all_day, rrule, status, post_kind, area, chan, aud in rows:
        chan_keys, names = channel_links(chan)
        aud_keys, groups = audience_links(aud)
        if kind == "kanal":
            keys = chan_keys or none
        elif kind == "malgruppe":
            keys = aud_keys or none
        else:
            keys = (str(area),) if area is not None else none
        if rrule:
            found = _expanded(start, end, rrule, tuple(exceptions.get(pid, ())), w_start, w_end)
            for occ in found:
                items.append(
                    WheelItem(
                        pid,
                        title,
                        occ.start,
                        occ.end,
                        keys,
                        all_day,
                        status,
                        post_kind,
                        names,
                        groups,
                        True,
                        occ.moved,
                    )
                )
        elif start <= w_end and end >= w_start:
            items.append(
                WheelItem(pid, title, start, end, keys, all_day, status, post_kind, names, groups)
            )
    return items


def _catalog(
    conn: Connection, org_id: int
) -> tuple[dict[int, tuple[str, str]], dict[int, str], dict[int, str]]:
    """The channels (name and colour), audiences and service areas, in catalog order."""
    channels = {
        row.id: (row.name, row.colour)
        for row in conn.execute(
            select(Channel.id, Channel.name, Channel.colour)
            .where(Channel.organisation_id == org_id)
            .order_by(Channel.name, Channel.id)
        ).all()
    }
    audiences = {
        row.id: row.name
        for row in conn.execute(
            select(Audience.id, Audience.name)
            .where(Audience.organisation_id == org_id)
            .order_by(Audience.priority, Audience.name, Audience.id)
        ).all()
    }
    areas = {
        row.id: row.name
        for row in conn.execute(
            select(ServiceArea.id, ServiceArea.name)
            .where(ServiceArea.organisation_id == org_id)
            .order_by(ServiceArea.name, ServiceArea.id)
        ).all()
    }
    return channels, audiences, areas


def _post_rows(conn: Connection, stmt: Select[Any]) -> Sequence[Any]:
    """The posts of ``stmt`` as plain rows, with their channel and audience ids."""
    return conn.execute(
        stmt.with_only_columns(Post.id, *SHOWN_COLUMNS).order_by(Post.start, Post.id)
    ).all()


def _exceptions(conn: Connection, stmt: Select[Any]) -> dict[int, list[ExceptionValues]]:
    """The moved and cancelled occurrences of the recurring posts of ``stmt``, by post."""
    exceptions: dict[int, list[ExceptionValues]] = defaultdict(list)
    recurring = stmt.where(Post.rrule.is_not(None)).with_only_columns(Post.id)
    for exc in conn.execute(
        select(
            PostException.post_id,
            PostException.recurrence_id,
            PostException.cancelled,
            PostException.start,
            PostException.end,
        ).where(PostException.post_id.in_(recurring))
    ).all():
        exceptions[exc.post_id].append(
            ExceptionValues(exc.recurrence_id, exc.cancelled, exc.start, exc.end)
        )
    return exceptions


def _periods(conn: Connection, org_id: int, window: Window) -> tuple[list[Period], list[Period]]:
    """The peak periods and the holiday periods that touch ``window``."""
    peaks = [
        Period(r.name, r.start, r.end, "peak", r.reason)
        for r in conn.execute(
            select(PeakPeriod.name, PeakPeriod.start, PeakPeriod.end, PeakPeriod.reason).where(
                PeakPeriod.organisation_id == org_id,
                PeakPeriod.start <= window.end,
                PeakPeriod.end >= window.start,
            )
        ).all()
    ]
    holidays = [
        Period(r.name, r.start, r.end, r.kind)
        for r in conn.execute(
            select(
                HolidayPeriod.name, HolidayPeriod.start, HolidayPeriod.end, HolidayPeriod.kind
            ).where(
                HolidayPeriod.organisation_id == org_id,
                HolidayPeriod.start <= window.end,
                HolidayPeriod.end >= window.start,
            )
        ).all()
    ]
    return peaks, holidays


def load_wheel_data(
    org_id: int, year: int, window: Window, plan_filter: PlanFilter | None, kind: str
) -> WheelData:
    """Load everything the wheel needs for ``window`` in a fixed number of queries.

    Plain rows through the session's connection (Core), not ORM objects: the wheel only
    reads, and building 5,000 ORM objects would cost more than drawing the wheel. Posts
    come with their channel and audience ids in the same row.
    """
    conn = db.session.connection()
    channels, audiences, areas = _catalog(conn, org_id)
    stmt = _post_statement(org_id, year, window, plan_filter)
    rows = _post_rows(conn, stmt)
    exceptions = _exceptions(conn, stmt)
    items = _items(kind, rows, exceptions, channels, audiences, window)
    peaks, holidays = _periods(conn, org_id, window)
    return WheelData(
        channels, audiences, areas, items, peaks, holidays, _external_items(org_id, year)
    )


def _external_items(org_id: int, year: int) -> list[WheelItem]:
    """Outside events (the council's meetings, school calendars …) for the read-only outer
    ring, when the external-calendar area is installed."""
    if external_events_for_year is None:
        return []
    return [
        WheelItem(
            -(n + 1),
            event.summary,
            event.start,
            event.end,
            (EXTERNAL_KEY,),
            event.all_day,
            status="ekstern",
            source=event.calendar_name,
        )
        for n, event in enumerate(external_events_for_year(org_id, year))
    ]
