"""The words of the årshjul: accessible names and tooltips of the marks, the picture's
title and description, the legend's symbols, period and date texts (all translatable)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from planner.domain.dates import MONTH_NAMES, format_date, format_datetime, week_range_label
from planner.domain.wheel.layout import Mark, Ring, WheelItem, WheelLayout, Window
from planner.services.wheel.svg import LegendEntry, MarkMeta, SvgTexts

RING_TYPES: dict[str, Any] = {
    "kanal": _l("Kanal"),
    "malgruppe": _l("Målgruppe"),
    "omrade": _l("Virksomhetsområde"),
}


def none_label(kind: str) -> str:
    """The name of the ring for posts without a channel/audience/service area."""
    return {
        "kanal": _("Uten kanal"),
        "malgruppe": _("Uten målgruppe"),
        "omrade": _("Uten område"),
    }[kind]


def zoom_label(window: Window) -> str:
    """``1. kvartal``, ``mars`` or empty for the whole year."""
    if window.zoom is None:
        return ""
    number = int(window.zoom[1:])
    if window.kind == "quarter":
        return _("%(n)s. kvartal", n=number)
    return MONTH_NAMES[number]


def when_text(item: WheelItem) -> str:
    """The item's dates as the planner writes them: ``01.03.2026``, ``01.03.2026–21.03.2026``
    or ``01.03.2026 kl. 09:00``."""
    if not item.all_day:
        return format_datetime(item.start)
    first, last = item.first_day, item.last_day
    return format_date(first) if first == last else f"{format_date(first)}–{format_date(last)}"


@dataclass
class _Words:
    """Translated sentence templates, fetched once per render (not once per mark)."""

    post: str = field(
        default_factory=lambda: _(
            "%(title)s, %(when)s, %(weeks)s. Kanaler: %(channels)s. Målgrupper: %(audiences)s. Status: %(status)s."
        )
    )
    outside: str = field(
        default_factory=lambda: _("Ekstern hendelse: %(title)s, %(when)s, %(weeks)s.")
    )
    aggregate: str = field(
        default_factory=lambda: _("%(ring)s, %(weeks)s: %(count)s innlegg. Vis dem i listen.")
    )
    aggregate_tip: str = field(default_factory=lambda: _("%(count)s innlegg i %(ring)s"))
    channels: str = field(default_factory=lambda: _("Kanaler: %(names)s"))
    audiences: str = field(default_factory=lambda: _("Målgrupper: %(names)s"))
    status: str = field(default_factory=lambda: _("Status: %(status)s"))
    more: str = field(default_factory=lambda: _("… og %(n)s til"))
    none: str = field(default_factory=lambda: _("ingen"))


class MarkWords:
    """Accessible names, tooltips and links of marks, for one drawing of the wheel.

    Wordings are kept per post and per week, so a post drawn in several rings, and a week
    with counts in many rings, are worded once."""

    def __init__(self, layout: WheelLayout, post_url: str | None, week_url: str | None) -> None:
        self.layout = layout
        self.post_url = post_url
        self.week_url = week_url
        self.words = _Words()
        self.spans: dict[tuple[date, date], str] = {}
        self.bullets: dict[int, str] = {}
        self.seen: dict[int, MarkMeta] = {}

    def __call__(self, marks: Sequence[Mark]) -> list[MarkMeta]:
        """The name, tooltip and link of each of ``marks``."""
        return [self.meta(mark) for mark in marks]

    def meta(self, mark: Mark) -> MarkMeta:
        """The name, tooltip and link of one mark."""
        words = self.words
        band = self.layout.rings[mark.ring_index]
        if mark.kind == "aggregate":
            return self.aggregate(mark, band.ring)
        item = mark.items[0]
        if id(item) in self.seen:
            return self.seen[id(item)]
        when = when_text(item)
        weeks = week_range_label(item.first_day, item.last_day)
        if band.ring.read_only:
            label = words.outside % {"title": item.title, "when": when, "weeks": weeks}
            label += f" {item.source}." if item.source else ""
            tip = f"{item.title}\n{when}, {weeks}" + (f"\n{item.source}" if item.source else "")
            return MarkMeta(label, tip, None)
        channels = ", ".join(item.channels) or words.none
        audiences = ", ".join(item.audiences) or words.none
        label = words.post % {
            "title": item.title,
            "when": when,
            "weeks": weeks,
            "channels": channels,
            "audiences": audiences,
            "status": item.status,
        }
        tip = "\n".join(
            (
                item.title,
                f"{when}, {weeks}",
                words.channels % {"names": channels},
                words.audiences % {"names": audiences},
                words.status % {"status": item.status},
            )
        )
        href = self.post_url.replace("987654321", str(item.id)) if self.post_url else None
        self.seen[id(item)] = meta = MarkMeta(label, tip, href)
        return meta

    def aggregate(self, mark: Mark, ring: Ring) -> MarkMeta:
        """A count of posts in a ring and week: the first titles, and a link to the list."""
        words = self.words
        span = self.spans.get((mark.first, mark.last))
        if span is None:
            weeks = week_range_label(mark.first, mark.last)
            span = self.spans[(mark.first, mark.last)] = (
                f"{weeks} ({format_date(mark.first)}–{format_date(mark.last)})"
            )
        lines = [words.aggregate_tip % {"count": mark.count, "ring": ring.label}, span]
        for i in mark.items[:5]:
            bullet = self.bullets.get(id(i))
            if bullet is None:
                day = i.start.date()
                bullet = self.bullets[id(i)] = f"• {day.day:02d}.{day.month:02d}. {i.title}"
            lines.append(bullet)
        if mark.count > 5:
            lines.append(words.more % {"n": mark.count - 5})
        href = None
        if self.week_url is not None:
            key = f"{mark.iso_year}-{mark.week}"
            href = (
                self.week_url.replace("__RING__", ring.key).replace("__WEEK__", key) + f"#uke-{key}"
            )
        label = words.aggregate % {"ring": ring.label, "weeks": span, "count": mark.count}
        return MarkMeta(label, "\n".join(lines), href)


def svg_texts(layout: WheelLayout, kind: str, year: int, today: date, standalone: bool) -> SvgTexts:
    """The title, description, centre, band titles and (standalone) legend of a wheel."""
    window = layout.window
    zoom = zoom_label(window)
    title = _("Årshjul %(year)s", year=year) + (f" – {zoom}" if zoom else "")
    ring_names = ", ".join(band.ring.label for band in layout.rings) or _("ingen")
    parts = [
        _(
            "Ringer fra ytterst til innerst (%(type)s): %(rings)s.",
            type=str(RING_TYPES[kind]).lower(),
            rings=ring_names,
        ),
        _(
            "%(posts)s innlegg vises som %(marks)s merker; uker med mange innlegg i samme ring er slått sammen med antall.",
            posts=layout.items_shown,
            marks=len(layout.marks),
        ),
    ]
    if layout.peaks:
        parts.append(
            _(
                "Toppbelastninger: %(names)s.",
                names="; ".join(period_text(b.period.name, b.first, b.last) for b in layout.peaks),
            )
        )
    if layout.today:
        parts.append(
            _(
                "I dag er %(date)s (%(week)s).",
                date=format_date(today),
                week=week_range_label(today, today),
            )
        )
    parts.append(_("Den samme informasjonen finnes som liste."))
    if window.kind == "year":
        centre: tuple[str, ...] = (str(year),)
    else:
        centre = (zoom[:1].upper() + zoom[1:], str(year))
    holiday_kinds = {
        "skoleferie": _("Skoleferie"),
        "fellesferie": _("Fellesferie"),
        "annet": _("Ferie"),
    }
    legend: tuple[LegendEntry, ...] = ()
    if standalone:
        legend = tuple(
            LegendEntry(f"ring:{band.ring.colour}", f"{band.index + 1}. {band.ring.label}")
            for band in layout.rings
        ) + tuple(LegendEntry(kind_, text) for kind_, text in symbol_texts())
    return SvgTexts(
        title=title,
        desc=" ".join(parts),
        centre=centre,
        today=_("I dag"),
        ring_groups=tuple(
            _("%(ring)s (bare til visning)", ring=band.ring.label)
            if band.ring.read_only
            else f"{RING_TYPES[kind]}: {band.ring.label}"
            for band in layout.rings
        ),
        peak_titles=tuple(
            _("Toppbelastning: %(p)s", p=period_text(b.period.name, b.first, b.last))
            for b in layout.peaks
        ),
        holiday_titles=tuple(
            f"{holiday_kinds.get(b.period.kind, _('Ferie'))}: {period_text(b.period.name, b.first, b.last)}"
            for b in layout.holidays
        ),
        public_holiday_titles=tuple(
            f"{h.name} ({format_date(h.day)})" for h in layout.public_holidays
        ),
        legend_heading=_("Tegnforklaring"),
        legend=legend,
    )


def period_text(name: str, first: date, last: date) -> str:
    """``Vinterferie (16.02.2026–20.02.2026, uke 8)``."""
    dates = format_date(first) if first == last else f"{format_date(first)}–{format_date(last)}"
    return f"{name} ({dates}, {week_range_label(first, last)})"


def symbol_texts() -> list[tuple[str, str]]:
    """The symbols of the wheel and what they mean (legend on the page and in the SVG)."""
    return [
        ("post", _("Innlegg (fylt med ringens farge)")),
        ("aggregate", _("Flere innlegg samme uke – tallet er antallet")),
        ("span", _("Innlegg over mer enn én uke (bue innerst i ringen)")),
        ("idea", _("Idé (stiplet omriss)")),
        ("cancelled", _("Avlyst (skravert)")),
        ("peak", _("Toppbelastning (skrå striper over ringene)")),
        ("skoleferie", _("Skoleferie (grått felt i ytre bånd)")),
        ("fellesferie", _("Fellesferie (mørkegrått felt i ytre bånd)")),
        ("public_holiday", _("Helligdag (rødt merke ytterst)")),
        ("today", _("I dag (stiplet linje)")),
    ]
