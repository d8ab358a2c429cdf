"""Write a wheel layout (``planner.domain.wheel.layout``) as SVG markup.

All styling is in presentation attributes (``fill``, ``stroke``, ``font-size`` …), so the
standalone document looks the same in a browser, an image viewer or an SVG→PNG converter
for Word. The interactive variant (inline in the page) adds links, accessible names and
tooltip data to the marks; the standalone variant adds a legend and gives each mark a
``<title>`` instead. Black-and-white readable: rings are told apart by position and name,
statuses by outline and hatching, busy weeks by a number, bands by pattern and grey level.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from planner.domain.wheel.geometry import contrast_text, fmt
from planner.domain.wheel.layout import Mark, RingBand, WheelLayout

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
INK = "#1a1a1a"
MUTED = "#4a4a4a"
GRID = "#d0d0d0"
SHADE = "#f1f3f5"
MONTH_FILL = ("#e4e9ef", "#d5dde6")
PEAK_LIGHT, PEAK_DARK = "#fff1d6", "#e0a030"
HOLIDAY_FILL = {"skoleferie": "#8795a3", "fellesferie": "#4f5b66", "annet": "#b9c2cc"}
PUBLIC_HOLIDAY = "#a4001d"
TODAY = "#000000"
LEGEND_WIDTH = 380.0


@dataclass(frozen=True, slots=True)
class MarkMeta:
    """What the renderer writes on a mark besides its shape."""

    label: str
    tip: str
    href: str | None = None


@dataclass(frozen=True, slots=True)
class LegendEntry:
    """A line of the standalone legend: a swatch kind and its text."""

    swatch: str  # "ring:<colour>", "post", "aggregate", "span", "idea", "cancelled", "peak", …
    text: str


@dataclass(frozen=True, slots=True)
class SvgTexts:
    """The words of the picture (translated by the caller)."""

    title: str
    desc: str
    centre: tuple[str, ...]
    today: str
    ring_groups: tuple[str, ...]
    peak_titles: tuple[str, ...]
    holiday_titles: tuple[str, ...]
    public_holiday_titles: tuple[str, ...]
    legend_heading: str = ""
    legend: tuple[LegendEntry, ...] = ()


def _a(value: str) -> str:
    """Escape text for an attribute value."""
    return escape(value, quote=True)


def defs(prefix: str) -> str:
    """Patterns used by the marks and bands (peak stripes, cancelled hatching)."""
    return (
        f'<defs><pattern id="{prefix}-peak" patternUnits="userSpaceOnUse" width="10" height="10"'
        f' patternTransform="rotate(45)"><rect width="10" height="10" fill="{PEAK_LIGHT}"/>'
        f'<rect width="3.5" height="10" fill="{PEAK_DARK}"/></pattern>'
        f'<pattern id="{prefix}-hatch" patternUnits="userSpaceOnUse" width="4" height="4"'
        f' patternTransform="rotate(45)"><rect width="4" height="4" fill="#ffffff"/>'
        f'<rect width="1.6" height="4" fill="{INK}"/></pattern></defs>'
    )


def mark_style(mark_kind: str, status: str, colour: str, prefix: str, read_only: bool) -> str:
    """Fill and stroke attributes of a mark: solid in the ring's colour; an idea (idé) is an
    outline, dashed; a cancelled post (avlyst) is hatched; read-only outside events are grey
    outlines."""
    if read_only:
        return f'fill="#ffffff" stroke="{MUTED}" stroke-width="1" stroke-dasharray="3 2"'
    if mark_kind == "aggregate":
        return f'fill="{colour}" stroke="{INK}" stroke-width="1.2"'
    if status == "idé":
        return f'fill="#ffffff" stroke="{colour}" stroke-width="1.4" stroke-dasharray="2.5 1.5"'
    if status == "avlyst":
        return f'fill="url(#{prefix}-hatch)" stroke="{colour}" stroke-width="1.4"'
    return f'fill="{colour}" stroke="{INK}" stroke-width="0.6"'


def swatch(kind: str, prefix: str, size: float = 18) -> str:
    """A small legend symbol as SVG elements (for the page legend and the standalone one)."""
    inner = fmt(size - 2)
    if kind.startswith("ring:"):
        colour = kind[5:]
        return f'<rect x="1" y="1" width="{inner}" height="{inner}" fill="{_a(colour)}" stroke="{INK}" stroke-width="0.8"/>'
    shapes = {
        "post": mark_style("post", "planlagt", "#1b4f9c", prefix, False),
        "aggregate": mark_style("aggregate", "planlagt", "#1b4f9c", prefix, False),
        "idea": mark_style("post", "idé", "#1b4f9c", prefix, False),
        "cancelled": mark_style("post", "avlyst", "#1b4f9c", prefix, False),
        "external": mark_style("post", "planlagt", "#1b4f9c", prefix, True),
        "peak": f'fill="url(#{prefix}-peak)" stroke="{PEAK_DARK}" stroke-width="0.8"',
        "skoleferie": f'fill="{HOLIDAY_FILL["skoleferie"]}"',
        "fellesferie": f'fill="{HOLIDAY_FILL["fellesferie"]}"',
        "annet": f'fill="{HOLIDAY_FILL["annet"]}"',
        "public_holiday": f'fill="{PUBLIC_HOLIDAY}"',
    }
    if kind == "span":
        return f'<rect x="1" y="{fmt(size * 0.6)}" width="{inner}" height="{fmt(size * 0.3)}" {shapes["post"]}/>'
    if kind == "today":
        return f'<line x1="{fmt(size / 2)}" y1="1" x2="{fmt(size / 2)}" y2="{inner}" stroke="{TODAY}" stroke-width="2" stroke-dasharray="4 2"/>'
    rect = f'<rect x="1.5" y="1.5" width="{fmt(size - 3)}" height="{fmt(size - 3)}" {shapes.get(kind, shapes["post"])}/>'
    if kind == "aggregate":
        rect += (
            f'<text x="{fmt(size / 2)}" y="{fmt(size / 2)}" dy=".35em" text-anchor="middle"'
            f' font-size="{fmt(size * 0.6)}" font-weight="700" fill="#ffffff">5</text>'
        )
    return rect


def _line(coords: tuple[float, float, float, float], attrs: str) -> str:
    """A ``<line>`` from ``coords`` (x1, y1, x2, y2)."""
    x1, y1, x2, y2 = coords
    return f'<line x1="{fmt(x1)}" y1="{fmt(y1)}" x2="{fmt(x2)}" y2="{fmt(y2)}" {attrs}/>'


def _background(layout: WheelLayout, texts: SvgTexts, prefix: str, standalone: bool) -> list[str]:
    """Everything but the marks: shading, bands, rings, months, weeks, labels."""
    r = layout.radii
    cx = layout.cx
    out: list[str] = []
    hide = "" if standalone else ' aria-hidden="true"'
    out.append(f"<g{hide}>")
    for sector in layout.sectors:
        if sector.shaded:
            out.append(f'<path d="{sector.background}" fill="{SHADE}"/>')
    for band, title in zip(layout.peaks, texts.peak_titles, strict=True):
        out.append(
            f'<path d="{band.path}" fill="url(#{prefix}-peak)" fill-opacity="0.6"><title>{escape(title)}</title></path>'
        )
    for week in layout.weeks:
        if week.grid:
            out.append(_line(week.grid, f'stroke="{GRID}" stroke-width="0.5"'))
    for ring in layout.rings:
        out.append(f'<path d="{ring.path}" fill="none" stroke="#9a9a9a" stroke-width="0.6"/>')
        if ring.label:
            out.append(
                f'<text x="{fmt(ring.label_x)}" y="{fmt(ring.label_y)}" dy=".35em" text-anchor="middle"'
                f' font-size="{fmt(ring.label_size)}" fill="{INK}">{escape(ring.label)}</text>'
            )
    for i, sector in enumerate(layout.sectors):
        fill = (
            MONTH_FILL[i % 2] if layout.window.kind != "month" else MONTH_FILL[int(sector.shaded)]
        )
        out.append(f'<path d="{sector.path}" fill="{fill}" stroke="#ffffff" stroke-width="1"/>')
        out.append(_line(sector.line, f'stroke="{MUTED}" stroke-width="0.9"'))
        out.append(
            f'<text x="{fmt(sector.label_x)}" y="{fmt(sector.label_y)}" dy=".35em" text-anchor="middle"'
            f' font-size="{fmt(sector.label_size)}" font-weight="600" fill="{INK}"'
            f' transform="rotate({fmt(sector.label_rotate)} {fmt(sector.label_x)} {fmt(sector.label_y)})">'
            f"{escape(sector.label)}</text>"
        )
    a0 = (r["holiday_in"], r["holiday_out"])
    out.append(
        f'<circle cx="{fmt(cx)}" cy="{fmt(cx)}" r="{fmt(a0[1])}" fill="none" stroke="#b0b0b0" stroke-width="0.6"/>'
        f'<circle cx="{fmt(cx)}" cy="{fmt(cx)}" r="{fmt(a0[0])}" fill="none" stroke="#b0b0b0" stroke-width="0.6"/>'
    )
    for band, title in zip(layout.holidays, texts.holiday_titles, strict=True):
        fill = HOLIDAY_FILL.get(band.period.kind, HOLIDAY_FILL["annet"])
        out.append(f'<path d="{band.path}" fill="{fill}"><title>{escape(title)}</title></path>')
    for mark, title in zip(layout.public_holidays, texts.public_holiday_titles, strict=True):
        out.append(
            f'<path d="{mark.path}" fill="{PUBLIC_HOLIDAY}"><title>{escape(title)}</title></path>'
        )
    week_font = "11" if layout.window.kind == "year" else "13"
    for week in layout.weeks:
        if week.tick:
            out.append(_line(week.tick, f'stroke="{MUTED}" stroke-width="0.8"'))
        out.append(
            f'<text x="{fmt(week.label_x)}" y="{fmt(week.label_y)}" dy=".35em" text-anchor="middle"'
            f' font-size="{week_font}" fill="{MUTED}">{week.week}</text>'
        )
    sizes = (30, 15, 13)
    top = cx - (len(texts.centre) - 1) * 11
    for i, line in enumerate(texts.centre):
        weight = ' font-weight="700"' if i == 0 else ""
        out.append(
            f'<text x="{fmt(cx)}" y="{fmt(top + i * 24)}" dy=".35em" text-anchor="middle"'
            f' font-size="{sizes[min(i, 2)]}"{weight} fill="{INK}">{escape(line)}</text>'
        )
    out.append("</g>")
    return out


def _mark(
    mark: Mark, meta: MarkMeta, colour: str, read_only: bool, prefix: str, standalone: bool
) -> str:
    """One mark: its shape (and count), as a link (page) or with a ``<title>`` (file)."""
    status = mark.items[0].status
    shape = f'<path d="{mark.path}" {mark_style(mark.kind, status, colour, prefix, read_only)}/>'
    if mark.kind == "aggregate" and mark.font_size >= 5:
        shape += (
            f'<text x="{fmt(mark.cx)}" y="{fmt(mark.cy)}" dy=".35em" text-anchor="middle"'
            f' font-size="{fmt(mark.font_size)}" font-weight="700" fill="{contrast_text(colour)}">'
            f"{mark.count}</text>"
        )
    if standalone:
        return f"<g><title>{escape(meta.label)}</title>{shape}</g>"
    tip = _a(meta.tip)
    if meta.href is None:
        return (
            f'<g class="wheel-mark" tabindex="0" role="img" aria-label="{_a(meta.label)}"'
            f' data-tip="{tip}">{shape}</g>'
        )
    return (
        f'<a class="wheel-mark" href="{_a(meta.href)}" aria-label="{_a(meta.label)}"'
        f' data-tip="{tip}">{shape}</a>'
    )


def _legend(layout: WheelLayout, texts: SvgTexts, prefix: str) -> tuple[list[str], float]:
    """The standalone legend beside the wheel; returns its elements and its height."""
    x = layout.size + 10
    y = 40.0
    out = [f'<g transform="translate({fmt(x)} 0)">']
    out.append(
        f'<text x="0" y="{fmt(y)}" font-size="18" font-weight="700" fill="{INK}">{escape(texts.legend_heading)}</text>'
    )
    y += 18
    for entry in texts.legend:
        out.append(f'<g transform="translate(0 {fmt(y)})">{swatch(entry.swatch, prefix)}</g>')
        out.append(
            f'<text x="26" y="{fmt(y + 9)}" dy=".35em" font-size="13" fill="{INK}">{escape(entry.text)}</text>'
        )
        y += 24
    out.append("</g>")
    return out, y + 20


def ring_group(
    band: RingBand,
    marks: Sequence[Mark],
    metas: Sequence[MarkMeta],
    label: str,
    *,
    standalone: bool,
    prefix: str = "wheel",
) -> str:
    """One ring's marks as an SVG group: on the page a group named after the ring (its
    marks in date order, so Tab and the arrow keys follow the calendar)."""
    ring = band.ring
    head = (
        "<g>"
        if standalone
        else f'<g role="group" aria-label="{_a(label)}" data-ring="{band.index}">'
    )
    body = "".join(
        _mark(mark, meta, ring.colour, ring.read_only, prefix, standalone)
        for mark, meta in zip(marks, metas, strict=True)
    )
    return f"{head}{body}</g>"


def render_svg(
    layout: WheelLayout,
    texts: SvgTexts,
    groups: Sequence[str],
    *,
    standalone: bool,
    prefix: str = "wheel",
) -> str:
    """The wheel as SVG, with the rings' marks already written (``ring_group``, one per
    ring): a standalone document (XML declaration, size, legend, ``role="img"``) or an
    interactive inline element whose marks are links."""
    size = layout.size
    width, height = size, size
    legend: list[str] = []
    if standalone and texts.legend:
        legend, legend_height = _legend(layout, texts, prefix)
        width, height = size + LEGEND_WIDTH, max(size, legend_height)
    head = f'viewBox="0 0 {fmt(width)} {fmt(height)}" font-family="{_a(FONT)}"'
    title_id, desc_id = f"{prefix}-title", f"{prefix}-desc"
    out: list[str] = []
    if standalone:
        out.append('<?xml version="1.0" encoding="UTF-8"?>\n')
        out.append(
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{fmt(width)}" height="{fmt(height)}" {head}'
            f' role="img" aria-labelledby="{title_id} {desc_id}">'
        )
    else:
        out.append(
            f'<svg xmlns="http://www.w3.org/2000/svg" class="wheel-svg" {head} role="group"'
            f' aria-labelledby="{title_id}" aria-describedby="{desc_id}">'
        )
    out.append(f'<title id="{title_id}">{escape(texts.title)}</title>')
    out.append(f'<desc id="{desc_id}">{escape(texts.desc)}</desc>')
    out.append(defs(prefix))
    if standalone:
        out.append(f'<rect width="{fmt(width)}" height="{fmt(height)}" fill="#ffffff"/>')
    out.extend(_background(layout, texts, prefix, standalone))
    out.append('<g class="wheel-rings">' if not standalone else "<g>")
    out.extend(groups)
    out.append("</g>")
    if layout.today is not None:
        hide = "" if standalone else ' aria-hidden="true"'
        t = layout.today
        out.append(f'<g{hide} pointer-events="none">')
        out.append(_line(t.line, f'stroke="{TODAY}" stroke-width="2" stroke-dasharray="5 3"'))
        out.append(
            f'<text x="{fmt(t.label_x)}" y="{fmt(t.label_y)}" dy=".35em" text-anchor="middle" font-size="11"'
            f' font-weight="700" fill="{TODAY}" stroke="#ffffff" stroke-width="3" paint-order="stroke">'
            f"{escape(texts.today)}</text></g>"
        )
    out.extend(legend)
    out.append("</svg>")
    return "".join(out)
