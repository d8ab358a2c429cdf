"""The årshjul (wheel of the year) as a layout: every shape of the picture, computed here.

Pure: plain values in (the rings, the occurrences, peak periods, holiday periods, public
holidays, today, a zoom window), plain values out (sectors, week ticks, ring bands, marks,
bands) with their coordinates and SVG path data. No Flask, no database, so the layout is
deterministic and tested alone; ``planner.services.wheel.svg`` writes it as SVG.

The picture, from the outside in: ISO week numbers and ticks, the holiday band (public
holidays outside, the municipality's school/common holidays inside), the month ring (day
numbers when zoomed to one month), then one ring per channel/audience/service area (the
first ring is the outermost), and the centre with the year. A gap at twelve o'clock holds
the ring names. Peak periods are shaded bands across all rings. How busy weeks stay
legible is told in ``planner.domain.wheel.marks``.

The pieces live in ``wheel_model`` (the types), ``wheel_frame`` (scale, sectors, weeks,
rings, bands) and ``wheel_marks`` (placing the posts); this module puts them together.
"""

from __future__ import annotations

import math
from collections.abc import MutableMapping
from datetime import date, datetime, timedelta
from typing import Any

from planner.domain.wheel.frame import Scale, period_bands, radii_for, ring_bands, sectors, weeks
from planner.domain.wheel.geometry import point, sector_path
from planner.domain.wheel.marks import Placed, ring_marks, split_spans
from planner.domain.wheel.model import (
    BASE_SIZE,
    DEFAULT_STACK,
    GAP,
    HOLE,
    MAX_RING,
    MIN_RING,
    OUTER,
    Band,
    HolidayMark,
    Mark,
    Period,
    Ring,
    RingBand,
    Sector,
    TodayMarker,
    WeekTick,
    WheelItem,
    WheelLayout,
    Window,
    neighbour_zoom,
    parse_zoom,
    zoom_window,
)

__all__ = [
    "GAP",
    "MIN_RING",
    "Band",
    "HolidayMark",
    "Mark",
    "Period",
    "Ring",
    "RingBand",
    "RingSignature",
    "Sector",
    "WeekTick",
    "WheelItem",
    "WheelLayout",
    "Window",
    "build_layout",
    "neighbour_zoom",
    "parse_zoom",
    "zoom_window",
]


class RingSignature:
    """Everything a ring's marks are drawn from, hashed once (it is a long tuple)."""

    __slots__ = ("value", "_hash")

    def __init__(self, value: tuple[object, ...]) -> None:
        self.value = value
        self._hash = hash(value)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return self is other or (
            isinstance(other, RingSignature)
            and self._hash == other._hash
            and self.value == other.value
        )


def _frame_size(count: int) -> tuple[int, float, float, dict[str, float]]:
    """The picture's size, its centre, each ring's thickness and the radii of its parts, for
    ``count`` rings."""
    size = math.ceil(max(BASE_SIZE, 2 * (HOLE + count * MIN_RING + OUTER)))
    cx = size / 2
    rings_out = cx - OUTER
    thickness = min(MAX_RING, (rings_out - HOLE) / count) if count else 0.0
    radii = radii_for(size, rings_out - count * thickness if count else HOLE)
    return size, cx, thickness, radii


def _items_per_ring(
    window: Window, rings: list[Ring], items: list[WheelItem]
) -> tuple[list[list[Placed]], int]:
    """The items of ``window`` placed in each ring they belong to, and how many distinct
    occurrences are shown."""
    index = {ring.key: i for i, ring in enumerate(rings)}
    per_ring: list[list[Placed]] = [[] for _ in rings]
    shown: set[tuple[int, datetime]] = set()
    weeks_of: dict[date, tuple[int, int]] = {}
    for item in items:
        first, last = max(item.first_day, window.start), min(item.last_day, window.end)
        if first > last:
            continue
        rings_of = [index[key] for key in dict.fromkeys(item.ring_keys) if key in index]
        if not rings_of:
            continue
        week = weeks_of.get(first)
        if week is None:
            week = weeks_of[first] = first.isocalendar()[:2]
        placed = Placed.of(item, first, last, week)
        for i in rings_of:
            per_ring[i].append(placed)
        shown.add((item.id, item.start))
    return per_ring, len(shown)


def _all_ring_marks(
    bands: list[RingBand],
    splits: list[tuple[list[tuple[Placed, int]], list[Placed]]],
    per_ring: list[list[Placed]],
    window: Window,
    scale: Scale,
    cx: float,
    limit: int,
    ring_memo: MutableMapping[RingSignature, tuple[RingSignature, list[Mark]]] | None,
) -> tuple[list[Mark], list[object]]:
    """Every ring's marks (from ``ring_memo`` where a ring is unchanged), and each ring's
    signature."""
    marks: list[Mark] = []
    cells: dict[tuple[int, int], Any] = {}
    signatures: list[object] = []
    for band, (in_lanes, short), ring_items in zip(bands, splits, per_ring, strict=True):
        signature = RingSignature((band, window, limit, tuple([p.signature for p in ring_items])))
        found = ring_memo.get(signature) if ring_memo is not None else None
        if found is None:
            found = (signature, ring_marks(band, in_lanes, short, window, scale, cx, limit, cells))
            if ring_memo is not None:
                ring_memo[signature] = found
        # The remembered signature object itself, so later lookups by it (the caller's SVG
        # of the ring) match by identity instead of comparing everything again.
        signatures.append(found[0])
        marks.extend(found[1])
    return marks, signatures


def _public_holiday_marks(
    public_holidays: dict[date, str],
    window: Window,
    scale: Scale,
    cx: float,
    radii: dict[str, float],
) -> list[HolidayMark]:
    """The public holidays of ``window`` on the outer half of the holiday band (at least
    3 px wide, so a single day stays visible)."""
    public = []
    for day, name in sorted(public_holidays.items()):
        if window.start <= day <= window.end:
            a0, a1 = scale.angle(day), scale.angle(day + timedelta(days=1))
            widen = max(0.0, math.degrees(3.0 / radii["holiday_out"]) - (a1 - a0)) / 2
            public.append(
                HolidayMark(
                    day,
                    name,
                    sector_path(
                        cx, cx, radii["holiday_mid"], radii["holiday_out"], a0 - widen, a1 + widen
                    ),
                )
            )
    return public


def _today_marker(
    today: date | None, window: Window, scale: Scale, cx: float, radii: dict[str, float]
) -> TodayMarker | None:
    """The line across the rings at ``today`` (None outside the window)."""
    if today is None or not window.start <= today <= window.end:
        return None
    a = scale.angle(today) + scale.day / 2
    return TodayMarker(
        today,
        (*point(cx, cx, radii["rings_in"] - 4, a), *point(cx, cx, radii["holiday_out"] + 2, a)),
        *point(cx, cx, radii["rings_in"] - 16, a),
    )


def build_layout(
    window: Window,
    rings: list[Ring],
    items: list[WheelItem],
    peaks: list[Period] | None = None,
    holidays: list[Period] | None = None,
    public_holidays: dict[date, str] | None = None,
    today: date | None = None,
    stack_limit: int | None = None,
    ring_memo: MutableMapping[RingSignature, tuple[RingSignature, list[Mark]]] | None = None,
) -> WheelLayout:
    """Lay out the wheel for ``window``.

    ``rings`` are drawn from the outside in, in the given order; an item is drawn in every
    ring whose key is in its ``ring_keys`` (and not at all if none is shown). ``peaks`` are
    shaded across the rings, ``holidays`` (school/common holiday periods) and
    ``public_holidays`` go on the holiday band. ``stack_limit`` is the most posts shown one
    by one in a ring and ISO week (default: 3 for a year, 5 for a quarter, 7 for a month).

    ``ring_memo`` (optional, kept by the caller between layouts) maps a ring's signature —
    its band, the window, the limit and what its items show — to its marks, so after a
    change only the rings it touched are laid out again. The result is the same with or
    without it.
    """
    limit = stack_limit or DEFAULT_STACK[window.kind]
    size, cx, thickness, radii = _frame_size(len(rings))
    scale = Scale(window)
    per_ring, shown = _items_per_ring(window, rings, items)
    splits = [split_spans(placed) for placed in per_ring]
    lanes = [max((lane + 1 for _, lane in in_lanes), default=0) for in_lanes, _ in splits]
    bands = ring_bands(rings, thickness, cx, radii, lanes)
    marks, signatures = _all_ring_marks(
        bands, splits, per_ring, window, scale, cx, limit, ring_memo
    )
    counts = {"post": 0, "span": 0, "aggregate": 0}
    for mark in marks:
        counts[mark.kind] += 1
    return WheelLayout(
        window=window,
        size=size,
        cx=cx,
        cy=cx,
        radii=radii,
        sectors=sectors(window, scale, cx, radii),
        weeks=weeks(window, scale, cx, radii),
        rings=bands,
        marks=marks,
        peaks=period_bands(peaks or [], window, scale, cx, radii["rings_in"], radii["rings_out"]),
        holidays=period_bands(
            holidays or [], window, scale, cx, radii["holiday_in"], radii["holiday_mid"]
        ),
        public_holidays=_public_holiday_marks(public_holidays or {}, window, scale, cx, radii),
        today=_today_marker(today, window, scale, cx, radii),
        stack_limit=limit,
        items_shown=shown,
        counts=counts,
        ring_signatures=signatures,
    )
