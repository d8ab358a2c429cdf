"""Calendar feeds and their events as plain values.

:class:`CalendarInfo` and :class:`EventData` are what the feed service (and the .ics export)
hand to :func:`planner.domain.feeds.ical.events_to_ical`. :class:`FeedData` is a feed
(kalenderfeed) itself: what every path that creates or changes a feed hands to the one
writer, :func:`planner.services.feeds.management.write_feed`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from planner.domain.filters import PlanFilter
from planner.domain.posts.occurrences import ExceptionValues

#: An extra property of an event or a calendar: ``(NAME, value, ((PARAM, value), …))``.
ExtraProperty = tuple[str, str, tuple[tuple[str, str], ...]]


@dataclass(frozen=True)
class CalendarInfo:
    """The calendar as a whole: its name (shown by the client) and description."""

    name: str
    description: str = ""
    refresh: timedelta = timedelta(hours=1)
    #: Extra calendar properties, e.g. ``("X-ARSHJUL-ORGANISATION", "Testvik kommune")``.
    extra: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class EventData:
    """One post, peak period or duty week as plain values.

    ``start``/``end`` are naive Oslo wall-clock times; for all-day events both are
    midnight and ``end`` is the last day (inclusive), as in the planner. ``stamp`` and
    ``last_modified`` are naive UTC (or aware). A recurring event (``rrule``) needs a
    ``window``: only its occurrences overlapping the window are published, as the planner
    shows a post only within its wheel's year.
    """

    uid: str
    summary: str
    start: datetime
    end: datetime
    all_day: bool
    stamp: datetime
    last_modified: datetime | None = None
    created: datetime | None = None
    sequence: int = 0
    description: str = ""
    location: str = ""
    categories: tuple[str, ...] = ()
    url: str | None = None
    status: str = "CONFIRMED"
    rrule: str | None = None
    exceptions: tuple[ExceptionValues, ...] = ()
    window: tuple[datetime, datetime] | None = None
    alarm: bool = True
    #: Extra properties such as X-ARSHJUL-*.
    extra: tuple[ExtraProperty, ...] = field(default=())


@dataclass(frozen=True)
class FeedData:
    """Everything a calendar feed (kalenderfeed) shows and who may see it, as plain values.

    ``kind`` is ``plan`` (the posts through ``plan_filter``, ideas only with
    ``include_drafts``), ``peaks`` (toppbelastning) or ``duty`` (the vaktliste; one
    person's weeks when ``staff_member_id`` is set). ``reminder_days`` adds a reminder that
    many working days before each event (``None``: none). Ids are the organisation's rows.
    The writer keeps only what the kind uses: the filter and ideas for ``plan``, the person
    for ``duty``.
    """

    name: str
    kind: str = "plan"
    plan_filter: PlanFilter = PlanFilter()
    staff_member_id: int | None = None
    include_drafts: bool = False
    reminder_days: int | None = None
    public: bool = False
