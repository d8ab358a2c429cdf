"""Occurrences of posts within a window: the one place recurrence rules meet exceptions.

Pure: works on plain values so the list, the wheel, feeds and staffing warnings all see
the same occurrences (moved and cancelled ones included).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from planner.domain.posts.recurrence import expand


@dataclass(frozen=True)
class ExceptionValues:
    """A moved or cancelled occurrence, keyed by its original start (RECURRENCE-ID)."""

    recurrence_id: datetime
    cancelled: bool
    start: datetime | None = None
    end: datetime | None = None


@dataclass(frozen=True)
class Occurrence:
    """One occurrence of a post: its own start/end and the original start it stems from."""

    start: datetime
    end: datetime
    recurrence_id: datetime | None = None
    moved: bool = False


def occurrences(
    start: datetime,
    end: datetime,
    rrule: str | None,
    exceptions: Iterable[ExceptionValues],
    window_start: datetime,
    window_end: datetime,
) -> list[Occurrence]:
    """All occurrences of a post that overlap ``[window_start, window_end]``, in order.

    A one-off post gives itself if it overlaps. A recurring post is expanded within the
    window (bounded), cancelled occurrences are dropped and moved ones take their new
    times — also when the move brings an occurrence into the window from outside.
    """
    if not rrule:
        if start <= window_end and end >= window_start:
            return [Occurrence(start, end)]
        return []
    duration = end - start
    by_id = {e.recurrence_id: e for e in exceptions}
    result: list[Occurrence] = []
    # Look back by the duration so occurrences that started before the window but overlap it count.
    for original in expand(rrule, start, window_start - duration, window_end):
        exc = by_id.get(original)
        if exc is None:
            result.append(Occurrence(original, original + duration, original))
        elif not exc.cancelled and exc.start is None:
            result.append(Occurrence(original, original + duration, original))
    for exc in by_id.values():
        if exc.cancelled or exc.start is None:
            continue
        new_end = exc.end or exc.start + duration
        if exc.start <= window_end and new_end >= window_start:
            result.append(Occurrence(exc.start, new_end, exc.recurrence_id, moved=True))
    result.sort(key=lambda o: (o.start, o.end))
    return result
