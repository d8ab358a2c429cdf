"""The marks of the årshjul: where each post goes in its ring, so that nothing in a ring
is ever drawn on top of something else.

Posts longer than ``SPAN_DAYS`` are arcs in up to ``SPAN_LANES`` lanes on the inner edge
of the ring (an arc that finds no free lane is counted in its first ISO week instead).
The rest is grouped per ISO week: up to the week's capacity (``stack_limit`` for a whole
week) posts are drawn side by side — at their own days when a day is wide enough, else in
slots as near their day as possible — and more than that become one mark with the count.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from operator import attrgetter
from typing import NamedTuple

from planner.domain.wheel.frame import Scale
from planner.domain.wheel.geometry import arc_length, point, sector_path
from planner.domain.wheel.model import (
    MIN_DAY_TILE,
    SPAN_DAYS,
    SPAN_LANES,
    TILE_GAP,
    Mark,
    RingBand,
    WheelItem,
    Window,
)


@dataclass(slots=True)
class Placed:
    """An item with its days clipped to the window, the ISO week it starts in and its sort
    key (date order, then title and id, so the layout never depends on input order).
    One per item, shared by every ring the item is drawn in."""

    item: WheelItem
    first: date
    last: date
    week: tuple[int, int]
    key: tuple[date, date, str, int]
    signature: tuple[object, ...]

    @classmethod
    def of(cls, item: WheelItem, first: date, last: date, week: tuple[int, int]) -> Placed:
        """Place ``item`` on ``first``..``last`` (already clipped), starting in ``week``."""
        return cls(
            item,
            first,
            last,
            week,
            (first, last, item.title, item.id),
            (item.content(), first, last),
        )


def _pad(r: float, a0: float, a1: float) -> tuple[float, float]:
    """Shrink ``a0..a1`` by TILE_GAP of arc length on each side (at most 15 % of it)."""
    pad = min(math.degrees(TILE_GAP / max(r, 1.0)), (a1 - a0) * 0.15)
    return a0 + pad, a1 - pad


def _assign_lanes(spans: list[Placed]) -> tuple[list[tuple[Placed, int]], list[Placed]]:
    """Greedy interval colouring into SPAN_LANES lanes; what does not fit is returned."""
    lane_last: list[date] = []
    placed: list[tuple[Placed, int]] = []
    left: list[Placed] = []
    for span in spans:
        for lane, last in enumerate(lane_last):
            if last < span.first:
                lane_last[lane] = span.last
                placed.append((span, lane))
                break
        else:
            if len(lane_last) < SPAN_LANES:
                lane_last.append(span.last)
                placed.append((span, len(lane_last) - 1))
            else:
                left.append(span)
    return placed, left


def _slots(offsets: list[int], cell_days: int, capacity: int) -> list[int]:
    """Slots (0..capacity-1) for marks that start ``offsets`` days into a cell of
    ``cell_days``: each as near its own day as it can be, in order, none shared."""
    wanted = [min(capacity - 1, offset * capacity // cell_days) for offset in offsets]
    slots: list[int] = []
    for k, slot in enumerate(wanted):
        slot = max(slot, slots[-1] + 1 if slots else 0)
        slots.append(min(slot, capacity - (len(wanted) - k)))
    return slots


_sort_key = attrgetter("key")


def split_spans(placed: list[Placed]) -> tuple[list[tuple[Placed, int]], list[Placed]]:
    """Arcs with their lanes, and everything drawn per ISO week (incl. arcs with no lane)."""
    long = sorted((p for p in placed if (p.last - p.first).days + 1 > SPAN_DAYS), key=_sort_key)
    in_lanes, demoted = _assign_lanes(long)
    return in_lanes, [p for p in placed if (p.last - p.first).days + 1 <= SPAN_DAYS] + demoted


def _mark(
    band: RingBand,
    kind: str,
    items: tuple[WheelItem, ...],
    days: tuple[date, date],
    week: tuple[int, int],
    radii: tuple[float, float],
    angles: tuple[float, float],
    cx: float,
) -> Mark:
    """A mark of ``kind`` filling the padded sector ``radii`` × ``angles``."""
    r0, r1 = radii
    a0, a1 = _pad((r0 + r1) / 2, *angles)
    mx, my = point(cx, cx, (r0 + r1) / 2, (a0 + a1) / 2)
    font = 0.0
    if kind == "aggregate":
        digits = len(str(len(items)))
        room = arc_length((r0 + r1) / 2, a1 - a0) / (0.6 * digits + 0.3)
        font = round(min((r1 - r0) * 0.8, 12.0, room), 1)
    return Mark(
        band.ring.key,
        band.index,
        kind,
        items,
        days[0],
        days[1],
        week[0],
        week[1],
        r0,
        r1,
        a0,
        a1,
        sector_path(cx, cx, r0, r1, a0, a1),
        mx,
        my,
        font,
    )


class _Cell(NamedTuple):
    """An ISO week clipped to the window: its days, angles and how many marks fit."""

    first: date
    last: date
    a0: float
    a1: float
    days: int
    capacity: int

    @classmethod
    def of(cls, iso_year: int, week: int, window: Window, scale: Scale, stack_limit: int) -> _Cell:
        """The cell of ISO week ``week`` of ``iso_year``."""
        monday = date.fromisocalendar(iso_year, week, 1)
        first = max(monday, window.start)
        last = min(monday + timedelta(days=6), window.end)
        days = (last - first).days + 1
        return cls(
            first,
            last,
            scale.angle(first),
            scale.angle(last + timedelta(days=1)),
            days,
            max(1, math.ceil(stack_limit * days / 7)),
        )


def _lane_marks(
    band: RingBand,
    in_lanes: list[tuple[Placed, int]],
    scale: Scale,
    cx: float,
    strip: float,
    edge: float,
) -> list[Mark]:
    """The arcs of long posts, each in its lane of the ring's inner ``strip``."""
    marks = []
    for span, lane in in_lanes:
        lane_h = strip / band.lanes
        r0 = band.r_in + edge + lane * lane_h
        iso = span.first.isocalendar()
        angles = (scale.angle(span.first), scale.angle(span.last + timedelta(days=1)))
        marks.append(
            _mark(
                band,
                "span",
                (span.item,),
                (span.first, span.last),
                (iso.year, iso.week),
                (r0, r0 + lane_h - edge),
                angles,
                cx,
            )
        )
    return marks


def _cell_marks(
    band: RingBand,
    entries: list[Placed],
    week: tuple[int, int],
    cell: _Cell,
    radii: tuple[float, float],
    scale: Scale,
    cx: float,
    day_room: bool,
) -> list[Mark]:
    """One ISO week's posts in the ring: a count when more than ``cell`` holds, else one
    mark each – at their own dates when days have room and the posts do not overlap, else
    in equal slots."""
    c_first, c_last, a0, a1, cell_days, capacity = cell
    if len(entries) > capacity:
        items = tuple([e.item for e in entries])
        return [_mark(band, "aggregate", items, (c_first, c_last), week, radii, (a0, a1), cx)]
    spans = [(e.first, min(e.last, c_last)) for e in entries]
    at_dates = day_room and all(spans[i][1] < spans[i + 1][0] for i in range(len(spans) - 1))
    width = (a1 - a0) / capacity
    slots = _slots([(e.first - c_first).days for e in entries], cell_days, capacity)
    marks = []
    for k, entry in enumerate(entries):
        if at_dates:
            angles = (scale.angle(spans[k][0]), scale.angle(spans[k][1] + timedelta(days=1)))
        else:
            angles = (a0 + slots[k] * width, a0 + (slots[k] + 1) * width)
        marks.append(
            _mark(band, "post", (entry.item,), (entry.first, entry.last), week, radii, angles, cx)
        )
    return marks


def ring_marks(
    band: RingBand,
    in_lanes: list[tuple[Placed, int]],
    short: list[Placed],
    window: Window,
    scale: Scale,
    cx: float,
    stack_limit: int,
    cells_of: dict[tuple[int, int], _Cell] | None = None,
) -> list[Mark]:
    """Marks of one ring: arcs in the lanes, then per ISO week single marks or a count.

    ``cells_of`` caches the week cells across the rings of one layout."""
    if cells_of is None:
        cells_of = {}
    thickness = band.r_out - band.r_in
    edge = min(1.0, thickness * 0.08)
    strip = thickness * 0.38 if band.lanes else 0.0
    marks = _lane_marks(band, in_lanes, scale, cx, strip, edge)
    radii = (band.r_in + strip + edge, band.r_out - edge)
    r_mid = (radii[0] + radii[1]) / 2
    cells: dict[tuple[int, int], list[Placed]] = defaultdict(list)
    for p in short:
        cells[p.week].append(p)
    day_room = arc_length(r_mid, scale.day) >= MIN_DAY_TILE
    for (iso_year, week), entries in cells.items():
        entries.sort(key=_sort_key)
        cell = cells_of.get((iso_year, week))
        if cell is None:
            cell = cells_of[(iso_year, week)] = _Cell.of(iso_year, week, window, scale, stack_limit)
        marks += _cell_marks(band, entries, (iso_year, week), cell, radii, scale, cx, day_room)
    marks.sort(key=lambda m: (m.first, m.kind != "span", m.last, m.items[0].title, m.items[0].id))
    return marks
