"""A recurring post (a series) as VEVENTs: one RRULE master with EXDATEs and a
RECURRENCE-ID VEVENT per moved occurrence when clients will read it exactly as the planner
does, else *expanded* — one VEVENT per occurrence under a UID derived from the post's UID
and the original start, so it is stable too.

The occurrences a client expands are exactly the planner's own
(:func:`planner.domain.posts.occurrences.occurrences` within the post's window): a rewritten
rule is checked against them and the series is expanded if they differ.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from itertools import pairwise

from icalendar import Event

from planner.domain.feeds.components import vevent
from planner.domain.feeds.rrules import outlook_compatible, rule_with_until
from planner.domain.feeds.values import EventData
from planner.domain.posts.occurrences import ExceptionValues, Occurrence, occurrences
from planner.domain.posts.recurrence import MAX_TOTAL_OCCURRENCES, expand


def derived_uid(uid: str, original: datetime, all_day: bool) -> str:
    """A stable UID for one occurrence of an expanded series: the post's UID with the
    original start (its RECURRENCE-ID) inserted before the domain part."""
    stamp = original.strftime("%Y%m%d" if all_day else "%Y%m%dT%H%M%S")
    local, at, domain = uid.rpartition("@")
    if not at:
        return f"{uid}-{stamp}"
    return f"{local}-{stamp}@{domain}"


def series_events(data: EventData, reminder_days: int | None) -> list[Event]:
    """A recurring event: one RRULE master (+ overrides), or expanded occurrences."""
    assert data.rrule is not None
    if data.window is None:
        raise ValueError("A recurring event needs a window (the year it belongs to).")
    window_start, window_end = data.window
    duration = data.end - data.start
    raw = expand(
        data.rrule, data.start, window_start - duration, window_end, cap=MAX_TOTAL_OCCURRENCES
    )
    final = occurrences(data.start, data.end, data.rrule, data.exceptions, window_start, window_end)
    by_id = {e.recurrence_id: e for e in data.exceptions}
    moved = [e for e in data.exceptions if not e.cancelled and e.start is not None]
    cancelled = [r for r in raw if by_id.get(r) is not None and by_id[r].cancelled]
    master = _as_master(data, raw, set(raw), final, moved, cancelled)
    if master is None:
        return _expanded_events(data, final, reminder_days)
    rule, first = master
    events = [
        vevent(
            data, data.uid, first, first + duration, reminder_days, rrule=rule, exdates=cancelled
        )
    ]
    for exc in sorted(moved, key=lambda e: e.recurrence_id):
        assert exc.start is not None
        events.append(
            vevent(
                data,
                data.uid,
                exc.start,
                exc.end or exc.start + duration,
                reminder_days,
                recurrence_id=exc.recurrence_id,
            )
        )
    return events


def _expanded_events(
    data: EventData, final: Sequence[Occurrence], reminder_days: int | None
) -> list[Event]:
    """One VEVENT per occurrence, each naming its series (X-ARSHJUL-SERIES-UID) and carrying
    the whole series (X-ARSHJUL-SERIES), so the planner can import it back as one post."""
    series = _series_json(data)
    return [
        vevent(
            data,
            derived_uid(data.uid, occ.recurrence_id or occ.start, data.all_day),
            occ.start,
            occ.end,
            reminder_days,
            extra=(
                ("X-ARSHJUL-SERIES-UID", data.uid, ()),
                ("X-ARSHJUL-SERIES", series, ()),
            ),
        )
        for occ in final
    ]


def _series_json(data: EventData) -> str:
    """The series (start, end, rule and changed occurrences) as deterministic JSON."""
    return json.dumps(
        {
            "uid": data.uid,
            "start": data.start.isoformat(),
            "end": data.end.isoformat(),
            "all_day": data.all_day,
            "rrule": data.rrule,
            "exceptions": [
                {
                    "recurrence_id": e.recurrence_id.isoformat(),
                    "cancelled": e.cancelled,
                    "start": e.start.isoformat() if e.start else None,
                    "end": e.end.isoformat() if e.end else None,
                }
                for e in sorted(data.exceptions, key=lambda e: e.recurrence_id)
            ],
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def _as_master(
    data: EventData,
    raw: list[datetime],
    raw_set: set[datetime],
    final: Sequence[object],
    moved: list[ExceptionValues],
    cancelled: list[datetime],
) -> tuple[str, datetime] | None:
    """The (rule, DTSTART) of a faithful RRULE form of the series, or None to expand."""
    assert data.rrule is not None and data.window is not None
    if not raw or not outlook_compatible(data.rrule):
        return None
    if len(cancelled) + len(moved) >= len(raw):
        return None
    window_start, window_end = data.window
    duration = data.end - data.start
    day = timedelta(days=1) if data.all_day else timedelta(0)
    spans: dict[datetime, tuple[datetime, datetime]] = {
        r: (r, r + duration) for r in raw if r not in cancelled
    }
    for exc in moved:
        assert exc.start is not None
        if exc.recurrence_id not in raw_set or exc.recurrence_id in cancelled:
            return None
        new_end = exc.end or exc.start + duration
        if exc.start > window_end or new_end < window_start:
            return None  # moved out of the year: the planner no longer shows it
        spans[exc.recurrence_id] = (exc.start, new_end)
    # Outlook: an occurrence may not move past its neighbours nor overlap them.
    ordered = [spans[r] for r in sorted(spans)]
    for (prev_start, prev_end), (next_start, _) in pairwise(ordered):
        if next_start <= prev_start or next_start < prev_end + day:
            return None
    rule = rule_with_until(data.rrule, raw[-1], data.all_day)
    check = expand(rule, raw[0], window_start - duration, window_end, cap=MAX_TOTAL_OCCURRENCES)
    if check != raw or len(final) != len(spans):
        return None
    return rule, raw[0]
