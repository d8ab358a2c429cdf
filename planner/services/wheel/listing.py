"""The wheel as a list: the accessible equivalent of the årshjul picture.

The same data as the wheel (same filter, rings, zoom), month by month and ISO week by
ISO week: every post in a shown ring with its dates, channels, audiences and status, and
for every week the peak periods, holidays and public holidays that touch it. An aggregated
mark on the wheel links here, narrowed to its ring and week (``?vis=<ring>&uke=2026-9``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask import url_for
from flask_babel import gettext as _

from planner.domain.dates import MONTH_NAMES, format_date, week_range_label
from planner.domain.wheel.layout import Period, Ring, WheelItem, Window
from planner.services.wheel.data import EXTERNAL_KEY, paused_gc
from planner.services.wheel.render import WheelQuery, WheelView, build_wheel, wheel_url_builder
from planner.services.wheel.words import RING_TYPES, period_text, when_text, zoom_label


@dataclass
class ListEntry:
    """A post (or outside event) in the list, with the rings it is drawn in."""

    item: WheelItem
    when: str
    weeks: str
    rings: list[str]
    url: str | None


@dataclass
class WeekSection:
    """The part of an ISO week that falls in one month (and in the shown window)."""

    iso_year: int
    week: int
    first: date
    last: date
    anchor: str | None
    bands: list[str] = field(default_factory=list)
    entries: list[ListEntry] = field(default_factory=list)

    @property
    def label(self) -> str:
        """``Uke 9 (23.02.2026–28.02.2026)``."""
        dates = (
            format_date(self.first)
            if self.first == self.last
            else (f"{format_date(self.first)}–{format_date(self.last)}")
        )
        return _("Uke %(week)s (%(dates)s)", week=self.week, dates=dates)


def parse_week(value: str) -> tuple[int, int] | None:
    """``2026-9`` (ISO year and week, as the wheel's links write it) or None."""
    year, _sep, week = value.partition("-")
    if year.isdigit() and week.isdigit() and len(year) == 4 and 1 <= int(week) <= 53:
        return int(year), int(week)
    return None


def _section_range(
    iso_year: int, week: int, month: tuple[int, int], window_start: date, window_end: date
) -> tuple[date, date]:
    """The days of an ISO week that fall in ``month`` and in the window."""
    monday = date.fromisocalendar(iso_year, week, 1)
    first = max(monday, date(month[0], month[1], 1), window_start)
    last = min(monday + timedelta(days=6), window_end)
    while last.month != month[1] or last.year != month[0]:
        last -= timedelta(days=1)
    return first, last


class _Sections:
    """The list's week sections, made as days are met: one per month and ISO week in the
    window (only the one week asked for, when ``only_week`` is set)."""

    def __init__(self, window: Window, only_week: tuple[int, int] | None) -> None:
        self.window = window
        self.only_week = only_week
        self.by_key: dict[tuple[tuple[int, int], tuple[int, int]], WeekSection] = {}

    def at(self, day: date) -> WeekSection | None:
        """The section ``day`` falls in (None when the list is narrowed to another week)."""
        iso = day.isocalendar()
        if self.only_week and (iso.year, iso.week) != self.only_week:
            return None
        key = ((day.year, day.month), (iso.year, iso.week))
        if key not in self.by_key:
            first, last = _section_range(
                iso.year, iso.week, key[0], self.window.start, self.window.end
            )
            self.by_key[key] = WeekSection(iso.year, iso.week, first, last, None)
        return self.by_key[key]


def _add_entries(sections: _Sections, items: Sequence[WheelItem], shown: dict[str, Ring]) -> None:
    """Every item drawn in a shown ring, in the section of its first day in the window."""
    window = sections.window
    post_url = url_for("plan.post_detail", post_id=987654321)
    for item in items:
        keys = [k for k in dict.fromkeys(item.ring_keys) if k in shown]
        first, last = max(item.first_day, window.start), min(item.last_day, window.end)
        if not keys or first > last:
            continue
        target = sections.at(first)
        if target is None:
            continue
        url = None if EXTERNAL_KEY in keys else post_url.replace("987654321", str(item.id))
        target.entries.append(
            ListEntry(
                item,
                when_text(item),
                week_range_label(item.first_day, item.last_day),
                [shown[k].label for k in keys],
                url,
            )
        )


def _band_texts(view: WheelView) -> list[tuple[Period, str]]:
    """Peak periods, holidays and public holidays of the wheel, each with its line of text."""
    kinds = {
        "peak": _("Toppbelastning"),
        "skoleferie": _("Skoleferie"),
        "fellesferie": _("Fellesferie"),
    }
    bands: list[tuple[Period, str]] = [
        (p, f"{kinds['peak']}: {period_text(p.name, p.start, p.end)}") for p in view.data.peaks
    ] + [
        (h, f"{kinds.get(h.kind, _('Ferie'))}: {period_text(h.name, h.start, h.end)}")
        for h in view.data.holidays
    ]
    bands += [
        (
            Period(h.name, h.day, h.day, "helligdag"),
            _("Helligdag: %(name)s (%(date)s)", name=h.name, date=format_date(h.day)),
        )
        for h in view.layout.public_holidays
    ]
    return bands


def _add_bands(sections: _Sections, bands: list[tuple[Period, str]]) -> None:
    """Each band's text, once, in every section its days touch."""
    window = sections.window
    for period, text in bands:
        day = max(period.start, window.start)
        while day <= min(period.end, window.end):
            target = sections.at(day)
            if target is not None and text not in target.bands:
                target.bands.append(text)
            day += timedelta(days=1)


def _months(sections: _Sections) -> list[dict[str, Any]]:
    """The sections month by month, entries by time; a week's first section is its anchor."""
    months: list[dict[str, Any]] = []
    seen_weeks: set[tuple[int, int]] = set()
    for (month, iso), sec in sorted(sections.by_key.items()):
        if iso not in seen_weeks:
            sec.anchor = f"uke-{iso[0]}-{iso[1]}"
            seen_weeks.add(iso)
        sec.entries.sort(key=lambda e: (e.item.start, e.item.title))
        if not months or months[-1]["key"] != month:
            months.append(
                {
                    "key": month,
                    "label": f"{MONTH_NAMES[month[1]].capitalize()} {month[0]}",
                    "weeks": [],
                }
            )
        months[-1]["weeks"].append(sec)
    return months


@paused_gc
def wheel_list_context(
    org_id: int,
    query: WheelQuery,
    week: str = "",
    only_ring: str = "",
    today: date | None = None,
) -> dict[str, Any]:
    """Everything the list page shows (request context needed for the links).

    ``week`` (``2026-9``) and ``only_ring`` (a ring key) narrow the list to what one
    aggregated mark of the wheel stands for."""
    year, pf = query.year, query.plan_filter
    view = build_wheel(org_id, query, today)
    window = view.window
    only_week = parse_week(week)
    shown = {ring.key: ring for ring in view.rings}
    if only_ring in shown:
        shown = {only_ring: shown[only_ring]}
    else:
        only_ring = ""
    sections = _Sections(window, only_week)
    _add_entries(sections, view.data.external + view.data.items, shown)
    _add_bands(sections, _band_texts(view))
    months = _months(sections)

    wheel_url = wheel_url_builder(year, view.kind, query.vis, window.zoom, pf)
    label = zoom_label(window)
    return {
        "year": year,
        "title": _("Årshjulet som liste – %(year)s", year=year) + (f" – {label}" if label else ""),
        "months": months,
        "total": sum(len(s.entries) for m in months for s in m["weeks"]),
        "ring_type_label": RING_TYPES[view.kind],
        "ring_kind": view.kind,
        "rings": view.rings,
        "only_week": only_week,
        "only_ring": shown[only_ring].label if only_ring else "",
        "wheel_url": wheel_url(),
        "full_list_url": wheel_url("wheel.wheel_list"),
        "plan_filter": pf,
    }
