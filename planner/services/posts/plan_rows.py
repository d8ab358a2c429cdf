"""The rows the plan's read queries give (:mod:`planner.services.posts.queries`): a post
with one of its occurrences, in a whole-ORM and a light read-only form, and the pause of
the cyclic garbage collector while thousands of them are built."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from planner.domain.posts.occurrences import Occurrence
from planner.models import Audience, Channel, Post, ServiceArea


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for a block (``with gc_paused():``) or a whole
    view (``@gc_paused()``, rendering included).

    Loading and rendering a big plan creates tens of thousands of short-lived objects,
    which makes Python run full collections over the whole process (SQLAlchemy, Flask,
    Jinja …) in the middle of a request: measured at 5,000 posts, that doubled the time
    of the list page. Reference counting frees the objects when the request ends, so
    nothing is left for the collector when it runs again. Nesting is harmless.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass(frozen=True)
class PlannedItem:
    """An occurrence together with the post it belongs to (for listing)."""

    post: Post
    occurrence: Occurrence


@dataclass(frozen=True, slots=True)
class PlanPost:
    """A post as the plan pages show it: read-only columns and its catalog rows (the
    session's own ``Channel``/``Audience``/``ServiceArea`` objects, in catalog order)."""

    id: int
    uid: str
    wheel_id: int
    title: str
    start: datetime
    end: datetime
    all_day: bool
    rrule: str | None
    status: str
    kind: str
    service_area: ServiceArea | None
    channels: tuple[Channel, ...]
    audiences: tuple[Audience, ...]
    channel_names: str
    audience_names: str


@dataclass(frozen=True, slots=True)
class PlanEntry:
    """One occurrence of a :class:`PlanPost` (what a row or a day cell of a page shows)."""

    post: PlanPost
    occurrence: Occurrence
