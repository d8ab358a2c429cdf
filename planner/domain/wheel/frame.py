"""The frame of the årshjul: the scale from dates to angles, the radii, month (or day)
sectors, ISO week ticks, ring bands with their names, and shaded period bands."""

from __future__ import annotations

import calendar
import math
from datetime import date, timedelta

from planner.domain.dates import MONTH_NAMES
from planner.domain.wheel.geometry import arc_length, point, sector_path, tangential_rotation
from planner.domain.wheel.model import (
    GAP,
    HOLE,
    OUTER,
    Band,
    Period,
    Ring,
    RingBand,
    Sector,
    WeekTick,
    Window,
)


class Scale:
    """Maps dates of the window to angles, leaving the gap at the top."""

    def __init__(self, window: Window) -> None:
        self.start = window.start
        self.day = (360.0 - GAP) / window.days

    def angle(self, day: date) -> float:
        """The angle where ``day`` begins (the day after the window ends at 360 - GAP/2)."""
        return GAP / 2 + (day - self.start).days * self.day


def radii_for(size: float, rings_in: float) -> dict[str, float]:
    """The radii of the picture's bands, from the week numbers outside to the hole."""
    half = size / 2
    return {
        "week_label": half - 16,
        "tick_out": half - 27,
        "tick_in": half - 35,
        "holiday_out": half - 37,
        "holiday_mid": half - 46,
        "holiday_in": half - 57,
        "month_out": half - 61,
        "month_in": half - 96,
        "rings_out": half - OUTER,
        "rings_in": rings_in,
        "hole": HOLE,
    }


def _fit_font(text: str, preferred: float, room: float, smallest: float) -> float:
    """A font size for ``text`` that fits ``room`` units (estimated glyph width 0.56 em)."""
    if not text:
        return preferred
    return max(smallest, min(preferred, room / (0.56 * len(text))))


def sectors(
    layout_window: Window, scale: Scale, cx: float, radii: dict[str, float]
) -> list[Sector]:
    """Month sectors (day sectors when zoomed to one month) with labels and shading."""
    ranges: list[tuple[date, date, str, bool]] = []
    if layout_window.kind == "month":
        day = layout_window.start
        while day <= layout_window.end:
            ranges.append((day, day, str(day.day), day.weekday() >= 5))
            day += timedelta(days=1)
    else:
        month_start = layout_window.start
        while month_start <= layout_window.end:
            last = date(
                month_start.year,
                month_start.month,
                calendar.monthrange(month_start.year, month_start.month)[1],
            )
            ranges.append(
                (month_start, last, MONTH_NAMES[month_start.month], month_start.month % 2 == 0)
            )
            month_start = last + timedelta(days=1)
    r_label = (radii["month_in"] + radii["month_out"]) / 2
    sectors = []
    for first, last, label, shaded in ranges:
        a0, a1 = scale.angle(first), scale.angle(last + timedelta(days=1))
        mid = (a0 + a1) / 2
        lx, ly = point(cx, cx, r_label, mid)
        preferred = 13.0 if layout_window.kind == "month" else 16.0
        size = _fit_font(label, preferred, arc_length(r_label, a1 - a0) - 6, 8.0)
        x1, y1 = point(cx, cx, radii["rings_in"], a0)
        x2, y2 = point(cx, cx, radii["month_out"], a0)
        sectors.append(
            Sector(
                first=first,
                last=last,
                label=label,
                path=sector_path(cx, cx, radii["month_in"], radii["month_out"], a0, a1),
                background=sector_path(cx, cx, radii["rings_in"], radii["rings_out"], a0, a1),
                shaded=shaded,
                label_x=lx,
                label_y=ly,
                label_rotate=tangential_rotation(mid),
                label_size=round(size, 1),
                line=(x1, y1, x2, y2),
            )
        )
    return sectors


def weeks(window: Window, scale: Scale, cx: float, radii: dict[str, float]) -> list[WeekTick]:
    """The ISO weeks overlapping the window, clipped to it (week 53 included)."""
    weeks = []
    monday = window.start - timedelta(days=window.start.weekday())
    while monday <= window.end:
        sunday = monday + timedelta(days=6)
        first, last = max(monday, window.start), min(sunday, window.end)
        iso = monday.isocalendar()
        tick = grid = None
        if monday > window.start:
            a = scale.angle(monday)
            tick = (*point(cx, cx, radii["tick_in"], a), *point(cx, cx, radii["tick_out"], a))
            grid = (*point(cx, cx, radii["rings_in"], a), *point(cx, cx, radii["rings_out"], a))
        mid = (scale.angle(first) + scale.angle(last + timedelta(days=1))) / 2
        lx, ly = point(cx, cx, radii["week_label"], mid)
        weeks.append(WeekTick(iso.year, iso.week, first, last, tick, grid, lx, ly))
        monday += timedelta(days=7)
    return weeks


def ring_bands(
    rings: list[Ring], thickness: float, cx: float, radii: dict[str, float], lanes: list[int]
) -> list[RingBand]:
    """The ring bands, outermost first, with their names fitted into the top gap."""
    bands = []
    half_gap = math.radians(GAP / 2)
    for index, ring in enumerate(rings):
        r_out = radii["rings_out"] - index * thickness
        r_in = r_out - thickness
        r_mid = (r_in + r_out) / 2
        room = 2 * r_in * math.sin(half_gap) - 4
        size = round(min(thickness * 0.62, 12.0), 1)
        max_chars = int(room / (0.56 * size))
        label = ring.label
        if len(label) > max_chars:
            label = label[: max(max_chars - 1, 0)] + "…" if max_chars >= 3 else ""
        bands.append(
            RingBand(
                ring=ring,
                index=index,
                r_in=r_in,
                r_out=r_out,
                path=sector_path(cx, cx, r_in, r_out, GAP / 2, 360 - GAP / 2),
                label=label,
                label_x=cx,
                label_y=cx - r_mid,
                label_size=size,
                lanes=lanes[index],
            )
        )
    return bands


def period_bands(
    periods: list[Period], window: Window, scale: Scale, cx: float, r_in: float, r_out: float
) -> list[Band]:
    """Periods clipped to the window as sectors between ``r_in`` and ``r_out``."""
    bands = []
    for period in sorted(periods, key=lambda p: (p.start, p.end, p.name)):
        first, last = max(period.start, window.start), min(period.end, window.end)
        if first > last:
            continue
        a0, a1 = scale.angle(first), scale.angle(last + timedelta(days=1))
        bands.append(Band(period, first, last, sector_path(cx, cx, r_in, r_out, a0, a1)))
    return bands
