"""The årshjul: choose the rings, lay the wheel out and render it.

``render_wheel_svg`` gives a standalone SVG document (for the ``.svg`` download and the
Word/PNG export); ``wheel_context`` gives the page everything it shows. Both read the
same data through ``wheel_data.load_wheel_data`` (a fixed number of queries whatever the
size of the plan), lay it out with ``planner.domain.wheel.layout`` and write it with
``wheel_svg``; the words come from ``wheel_words``.

Drawn wheels are cached per app on the organisation's data version (see "cache" below):
an unchanged plan is served from memory, and after a change only the rings whose posts
changed are laid out and written again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, TypeVar

from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from planner.domain.dates import now_oslo, public_holidays
from planner.domain.filters import PlanFilter
from planner.domain.wheel.layout import (
    Mark,
    Ring,
    WheelLayout,
    Window,
    build_layout,
    neighbour_zoom,
    zoom_window,
)
from planner.services.version_cache import app_cache, cached_on_version
from planner.services.wheel.data import (
    EXTERNAL_KEY,
    NONE_KEY,
    WheelData,
    load_wheel_data,
    paused_gc,
)
from planner.services.wheel.svg import render_svg, ring_group, swatch
from planner.services.wheel.words import (
    RING_TYPES,
    MarkWords,
    none_label,
    period_text,
    svg_texts,
    symbol_texts,
    zoom_label,
)

T = TypeVar("T")

# Audiences and service areas have no colour of their own: a palette with at least 4.5:1
# against white, so marks stand out on the light ring background.
PALETTE = (
    "#1b4f9c",
    "#a3195b",
    "#00594f",
    "#8a4b00",
    "#6a3d9a",
    "#b00020",
    "#1f6f8b",
    "#4a5a1a",
    "#5b2c83",
    "#a8321c",
    "#2f4858",
    "#6b5800",
)


def ring_type(value: str | None) -> str:
    """A known ring type (``kanal``, ``malgruppe``, ``omrade``); channels by default."""
    return value if value in RING_TYPES else "kanal"


def parse_vis(values: Sequence[str]) -> list[str]:
    """Ring keys in the order given by ``?vis=3,1,7`` or ``?vis=3&vis=1`` (ids, ``ingen``,
    ``ekstern``); malformed values are ignored, repeats count once."""
    keys: list[str] = []
    for value in values:
        for token in value.split(","):
            token = token.strip().lower()
            if (token.isdigit() and len(token) < 10) or token in (NONE_KEY, EXTERNAL_KEY):
                if token.isdigit():
                    token = str(int(token))
                if token not in keys:
                    keys.append(token)
    return keys


# --------------------------------------------------------------------------- rings


def available_rings(kind: str, data: WheelData) -> list[Ring]:
    """Every ring the user can show for ``kind``, in catalog order (channels by name,
    audiences by priority, service areas by name), then "without …" and outside events."""
    if kind == "kanal":
        rings = [Ring(str(i), name, colour) for i, (name, colour) in data.channels.items()]
    else:
        names = data.audiences if kind == "malgruppe" else data.areas
        rings = [
            Ring(str(i), name, PALETTE[n % len(PALETTE)])
            for n, (i, name) in enumerate(names.items())
        ]
    rings.append(Ring(NONE_KEY, none_label(kind), "#555e68"))
    if data.external:
        rings.append(Ring(EXTERNAL_KEY, _("Eksterne kalendere"), "#4a4a4a", read_only=True))
    return rings


def choose_rings(
    kind: str, data: WheelData, vis: Sequence[str], plan_filter: PlanFilter | None
) -> list[Ring]:
    """The rings to draw, outermost first.

    With ``vis`` the user's choice and order. Otherwise every ring of the type — only the
    filtered ones when the filter narrows the same dimension (filtering on two channels
    shows those two channel rings) — plus "without …" when some post needs it, and the
    outside events outermost.
    """
    available = {ring.key: ring for ring in available_rings(kind, data)}
    chosen = [available[key] for key in vis if key in available]
    if chosen:
        return chosen
    pf = plan_filter or PlanFilter()
    narrowed = {"kanal": pf.channels, "malgruppe": pf.audiences, "omrade": pf.service_areas}[kind]
    rings = [
        ring
        for ring in available.values()
        if ring.key not in (NONE_KEY, EXTERNAL_KEY) and (not narrowed or int(ring.key) in narrowed)
    ]
    if not narrowed and any(NONE_KEY in item.ring_keys for item in data.items):
        rings.append(available[NONE_KEY])
    if EXTERNAL_KEY in available:
        rings.insert(0, available[EXTERNAL_KEY])
    return rings


# --------------------------------------------------------------------------- entry points


@dataclass(frozen=True)
class WheelQuery:
    """Which wheel: the year, the shared filter, the ring type (``kanal``, ``malgruppe``,
    …), the zoom (a quarter or month, None for the year) and the chosen rings in order
    (``vis``, none for the default). Hashable: part of the wheel cache's keys."""

    year: int
    plan_filter: PlanFilter = field(default_factory=PlanFilter)
    rings: str = "kanal"
    zoom: str | None = None
    vis: tuple[str, ...] = ()


@dataclass
class WheelView:
    """A built wheel: the data, the chosen rings, the layout and the words on it."""

    year: int
    kind: str
    window: Window
    data: WheelData
    rings: list[Ring]
    layout: WheelLayout
    today: date


def build_wheel(org_id: int, query: WheelQuery, today: date | None = None) -> WheelView:
    """Load the data and lay the wheel out (shared by the page, the list and the SVG)."""
    year = query.year
    kind = ring_type(query.rings)
    window = zoom_window(year, query.zoom)
    data = load_wheel_data(org_id, year, window, query.plan_filter, kind)
    chosen = choose_rings(kind, data, query.vis, query.plan_filter)
    day = today or now_oslo().date()
    layout = build_layout(
        window,
        chosen,
        data.items + data.external,
        peaks=data.peaks,
        holidays=data.holidays,
        public_holidays=public_holidays(year),
        today=day,
        ring_memo=app_cache("wheel_ring_marks", RING_CACHE_SIZE),
    )
    return WheelView(year, kind, window, data, chosen, layout, day)


# --------------------------------------------------------------------------- cache
# A drawn wheel is kept per app, keyed on the organisation's data version (bumped by every
# change to its rows, see models.events), the arguments and today's date: planners look at
# the same wheel many times between changes, and the cold drawing of a big plan is the
# expensive part of the page.

CACHE_SIZE = 16
RING_CACHE_SIZE = 400  # ten wheels of 40 rings


def _cached(org_id: int, key: tuple[Any, ...], build: Callable[[], T]) -> T:
    """``build()``, or what it gave last time for the same data version and ``key``."""
    return cached_on_version(org_id, "wheel_cache", CACHE_SIZE, key, build)


def ring_svgs(
    layout: WheelLayout,
    labels: Sequence[str],
    post_url: str | None,
    week_url: str | None,
    *,
    standalone: bool,
) -> list[str]:
    """Every ring's marks as SVG (``wheel_svg.ring_group``), reusing a ring's SVG when
    what it shows has not changed since it was last written."""
    cache = app_cache("wheel_ring_svg", RING_CACHE_SIZE)
    words = MarkWords(layout, post_url, week_url)
    by_ring: list[list[Mark]] = [[] for _ in layout.rings]
    for mark in layout.marks:
        by_ring[mark.ring_index].append(mark)
    groups = []
    for band, marks, label, signature in zip(
        layout.rings, by_ring, labels, layout.ring_signatures, strict=True
    ):
        key = (signature, label, post_url, week_url, standalone, get_locale())
        group = cache.get(key)
        if group is None:
            group = cache[key] = ring_group(band, marks, words(marks), label, standalone=standalone)
        groups.append(group)
    return groups


@paused_gc
def render_wheel_svg(org_id: int, query: WheelQuery, today: date | None = None) -> str:
    """The wheel as a standalone SVG document (with a legend), e.g. for the ``.svg``
    download or an export that turns it into a PNG for Word. Needs an app context only."""
    day = today or now_oslo().date()

    def build() -> str:
        view = build_wheel(org_id, query, day)
        texts = svg_texts(view.layout, view.kind, query.year, view.today, standalone=True)
        groups = ring_svgs(view.layout, texts.ring_groups, None, None, standalone=True)
        return render_svg(view.layout, texts, groups, standalone=True)

    key = ("file", replace(query, rings=ring_type(query.rings)), day)
    return _cached(org_id, key, build)


@dataclass(frozen=True)
class WheelPicture:
    """What the page shows of a drawn wheel, small enough to keep in the cache: the SVG
    markup and the data of the legend, the ring chooser and the filter form (no rows)."""

    kind: str
    window: Window
    today: date
    svg: str
    rings: list[Ring]
    available: list[Ring]
    legend: list[tuple[Ring, int]]
    peaks: list[str]
    items_shown: int
    channels: list[tuple[int, str]]
    audiences: list[tuple[int, str]]
    areas: list[tuple[int, str]]


def _picture(view: WheelView, post_url: str, week_url: str) -> WheelPicture:
    """Draw the page's wheel (links, accessible names, tooltips) and gather its legend."""
    texts = svg_texts(view.layout, view.kind, view.year, view.today, standalone=False)
    groups = ring_svgs(view.layout, texts.ring_groups, post_url, week_url, standalone=False)
    per_ring = [0] * len(view.layout.rings)
    for mark in view.layout.marks:
        per_ring[mark.ring_index] += mark.count
    return WheelPicture(
        kind=view.kind,
        window=view.window,
        today=view.today,
        svg=render_svg(view.layout, texts, groups, standalone=False),
        rings=view.rings,
        available=available_rings(view.kind, view.data),
        legend=[(band.ring, n) for band, n in zip(view.layout.rings, per_ring, strict=True)],
        peaks=[period_text(b.period.name, b.first, b.last) for b in view.layout.peaks],
        items_shown=view.layout.items_shown,
        channels=[(i, name) for i, (name, _c) in view.data.channels.items()],
        audiences=list(view.data.audiences.items()),
        areas=list(view.data.areas.items()),
    )


# --------------------------------------------------------------------------- page


def wheel_url_builder(
    year: int, kind: str, vis: Sequence[str], zoom: str | None, plan_filter: PlanFilter
) -> Any:
    """``wheel_url(endpoint=…, **changes)``: a URL keeping the current year, ring type,
    ring choice, zoom and filter, with ``changes`` applied (None removes an argument)."""
    base: dict[str, Any] = {
        "year": year,
        "ring": kind if kind != "kanal" else None,
        "vis": ",".join(vis) or None,
        "zoom": zoom,
        **plan_filter.to_args(),
    }

    def wheel_url(endpoint: str = "wheel.wheel_year", **changes: Any) -> str:
        args = {**base, **changes}
        return url_for(endpoint, **{k: v for k, v in args.items() if v not in (None, "", [], ())})

    return wheel_url


@paused_gc
def wheel_context(org_id: int, query: WheelQuery, today: date | None = None) -> dict[str, Any]:
    """Everything the wheel page shows: the interactive SVG, the legend, the ring chooser,
    zoom and period navigation and the filter form's choices (request context needed)."""
    year, pf, vis = query.year, query.plan_filter, query.vis
    kind = ring_type(query.rings)
    window = zoom_window(year, query.zoom)
    day = today or now_oslo().date()
    wheel_url = wheel_url_builder(year, kind, vis, window.zoom, pf)
    post_url = url_for("plan.post_detail", post_id=987654321)
    week_url = wheel_url("wheel.wheel_list", kun="__RING__", uke="__WEEK__")
    picture = _cached(
        org_id,
        ("page", replace(query, rings=kind, zoom=window.zoom), day, post_url, week_url),
        lambda: _picture(build_wheel(org_id, query, day), post_url, week_url),
    )

    chosen_keys = [ring.key for ring in picture.rings]
    chooser = []
    for ring in picture.rings + [r for r in picture.available if r.key not in chosen_keys]:
        entry: dict[str, Any] = {"ring": ring, "checked": ring.key in chosen_keys}
        if entry["checked"]:
            i = chosen_keys.index(ring.key)
            for name, j in (("out_url", i - 1), ("in_url", i + 1)):
                if 0 <= j < len(chosen_keys):
                    order = list(chosen_keys)
                    order[i], order[j] = order[j], order[i]
                    entry[name] = wheel_url(vis=",".join(order))
        chooser.append(entry)

    prev_year, prev_zoom = neighbour_zoom(year, window.zoom, -1)
    next_year, next_zoom = neighbour_zoom(year, window.zoom, 1)
    label = zoom_label(window)
    return {
        "year": year,
        "window": window,
        "zoom": window.zoom,
        "zoom_label": label,
        "title": _("Årshjul %(year)s", year=year) + (f" – {label}" if label else ""),
        "ring_type": kind,
        "ring_types": RING_TYPES,
        "ring_type_label": RING_TYPES[kind],
        "rings": picture.rings,
        "vis": list(vis),
        "chooser": chooser,
        "legend_rings": picture.legend,
        "symbols": [(Markup(swatch(k, "wheel")), text) for k, text in symbol_texts()],
        "peaks": picture.peaks,
        "items_shown": picture.items_shown,
        "svg": Markup(picture.svg),
        "wheel_url": wheel_url,
        "prev_url": wheel_url(year=prev_year, zoom=prev_zoom),
        "next_url": wheel_url(year=next_year, zoom=next_zoom),
        "prev_label": _period_name(prev_year, prev_zoom),
        "next_label": _period_name(next_year, next_zoom),
        "self_url": wheel_url(),
        "list_url": wheel_url("wheel.wheel_list"),
        "svg_url": wheel_url("wheel.wheel_svg"),
        "plan_filter": pf,
        "filter_channels": picture.channels,
        "filter_audiences": picture.audiences,
        "filter_areas": picture.areas,
        "today": picture.today,
    }


def _period_name(year: int, zoom: str | None) -> str:
    """``1. kvartal 2027``, ``mars 2026`` or ``2027`` for the period links."""
    label = zoom_label(zoom_window(year, zoom))
    return f"{label} {year}" if label else str(year)
