"""What every export shares: the plan's labels and texts, the spreadsheet rows and the wheel picture.

The texts (a channel's response time, an occurrence's date and time, the filter in
words) are the same in every format. The spreadsheet rows (one per post or per
occurrence) carry real dates for Excel. The wheel picture is the wheel area's SVG, turned
into PNG for Word and inlined in the PDF; a server without Cairo or Pango says why
instead. The strategy document's own content is gathered in
:mod:`planner.services.exports.document`.
"""

from __future__ import annotations

import re
from datetime import datetime
from html import unescape
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from planner.domain.dates import MONTH_NAMES, format_date, iso_week, now_oslo
from planner.domain.filters import PlanFilter
from planner.extensions import db
from planner.models import Audience, Channel, Organisation, Post, ServiceArea, Wheel
from planner.services.posts.queries import apply_filter, items_for_year, wheels_for_year
from planner.services.wheel.render import WheelQuery, render_wheel_svg

CHANNEL_TYPE_LABELS = {
    "nettsamfunn": "Nettsamfunn",
    "mikroblogg": "Mikroblogg",
    "blogg": "Blogg",
    "delingsmedium": "Delingsmedium",
    "diskusjonsforum": "Diskusjonsforum",
    "wiki": "Wiki",
    "nettside": "Nettside",
    "pressemelding": "Pressemelding",
    "annonse_lokalavis": "Annonse i lokalavis",
    "brev_sms": "Brev og SMS",
    "plakat": "Plakat og oppslag",
    "mote": "Møte",
}


# --------------------------------------------------------------------------- text helpers


def response_text(hours: int) -> str:
    """A channel's response-time target in words (0 means the channel has no dialogue)."""
    if hours <= 0:
        return "Ingen dialog i kanalen"
    if hours % 24 == 0 and hours >= 24:
        days = hours // 24
        return "Innen 1 døgn" if days == 1 else f"Innen {days} døgn"
    return f"Innen {hours} time" if hours == 1 else f"Innen {hours} timer"


def when_text(start: datetime, end: datetime, all_day: bool) -> str:
    """«01.03.2026», «01.03.2026–05.03.2026» or «01.03.2026 kl. 09:00–10:00»."""
    if all_day:
        if end.date() != start.date():
            return f"{format_date(start)}–{format_date(end)}"
        return format_date(start)
    text = f"{format_date(start)} kl. {start:%H:%M}"
    if end.date() == start.date():
        return f"{text}–{end:%H:%M}" if end != start else text
    return f"{text}–{format_date(end)} kl. {end:%H:%M}"


def filter_text(org_id: int, plan_filter: PlanFilter | None) -> str:
    """The filter in words («Virksomhetsområde: Oppvekst; Status: godkjent»), or ``""``."""
    if plan_filter is None or plan_filter.is_empty:
        return ""

    def names(model: Any, ids: tuple[int, ...]) -> str:
        rows = db.session.execute(
            select(model.name).where(model.organisation_id == org_id, model.id.in_(ids))
        ).scalars()
        return ", ".join(sorted(rows))

    parts = []
    if plan_filter.service_areas:
        parts.append(f"Virksomhetsområde: {names(ServiceArea, plan_filter.service_areas)}")
    if plan_filter.audiences:
        parts.append(f"Målgruppe: {names(Audience, plan_filter.audiences)}")
    if plan_filter.channels:
        parts.append(f"Kanal: {names(Channel, plan_filter.channels)}")
    if plan_filter.statuses:
        parts.append(f"Status: {', '.join(plan_filter.statuses)}")
    if plan_filter.kinds:
        parts.append(f"Type: {', '.join(plan_filter.kinds)}")
    if plan_filter.q:
        parts.append(f"Søk: «{plan_filter.q}»")
    return "; ".join(parts)


# --------------------------------------------------------------------------- spreadsheet rows


def _year_posts(org_id: int, year: int, plan_filter: PlanFilter | None) -> list[Post]:
    stmt = (
        select(Post)
        .join(Wheel, Post.wheel_id == Wheel.id)
        .where(Post.organisation_id == org_id, Post.deleted_at.is_(None), Wheel.year == year)
        .options(
            selectinload(Post.channels),
            selectinload(Post.audiences),
            selectinload(Post.service_area),
            selectinload(Post.wheel),
        )
        .order_by(Post.start, Post.title, Post.id)
    )
    return list(db.session.execute(apply_filter(stmt, plan_filter)).scalars())


def _row(post: Post, start: datetime, end: datetime, wheel: str) -> dict[str, Any]:
    timed = not post.all_day
    return {
        "uid": post.uid,
        "title": post.title,
        "start_date": start.date(),
        "start_time": start.time() if timed else None,
        "end_date": end.date(),
        "end_time": end.time() if timed else None,
        "all_day": "ja" if post.all_day else "nei",
        "week": iso_week(start)[1],
        "month": MONTH_NAMES[start.month],
        "channels": ", ".join(c.name for c in post.channels),
        "audiences": ", ".join(a.name for a in post.audiences),
        "service_area": post.service_area.name if post.service_area else "",
        "status": post.status,
        "kind": post.kind,
        "responsible": post.responsible,
        "link": post.link,
        "archive_worthy": "ja" if post.archive_worthy else "nei",
        "rrule": post.rrule or "",
        "description": post.description,
        "notes": post.notes,
        "wheel": wheel,
    }


def plan_rows(
    org_id: int, year: int, plan_filter: PlanFilter | None = None, per_occurrence: bool = False
) -> list[dict[str, Any]]:
    """The rows of the XLSX/CSV export: field → value (dates and times as Python values).

    One row per post of the year's wheels; with ``per_occurrence`` one row per occurrence
    in the year (recurring posts repeated, moved occurrences at their new time).
    """
    if not per_occurrence:
        return [
            _row(post, post.start, post.end, post.wheel.name)
            for post in _year_posts(org_id, year, plan_filter)
        ]
    wheel_names = {w.id: w.name for w in wheels_for_year(org_id, year)}
    return [
        _row(
            item.post,
            item.occurrence.start,
            item.occurrence.end,
            wheel_names.get(item.post.wheel_id, ""),
        )
        for item in items_for_year(org_id, year, plan_filter=plan_filter)
    ]


def catalog_rows(org_id: int) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """The «Kanaler» and «Målgrupper» sheets of the XLSX export (read back on import)."""
    channels = db.session.execute(
        select(Channel).where(Channel.organisation_id == org_id).order_by(Channel.name)
    ).scalars()
    audiences = db.session.execute(
        select(Audience)
        .where(Audience.organisation_id == org_id)
        .options(selectinload(Audience.service_area))
        .order_by(Audience.priority, Audience.name)
    ).scalars()
    return {
        "Kanaler": (
            ["Kanal", "Kanaltype", "Svartid (timer)", "Profiltekst", "Farge"],
            [[c.name, c.type, c.response_hours, c.profile_text, c.colour] for c in channels],
        ),
        "Målgrupper": (
            ["Målgruppe", "Virksomhetsområde", "Prioritet", "Beskrivelse"],
            [
                [a.name, a.service_area.name if a.service_area else "", a.priority, a.description]
                for a in audiences
            ],
        ),
    }


def export_info(
    organisation: Organisation, year: int, plan_filter: PlanFilter | None, count: int
) -> list[tuple[str, str]]:
    """The «Om eksporten» facts: who, which year, which filter, when."""
    return [
        ("Kommune", organisation.name),
        ("År", str(year)),
        ("Utvalg", filter_text(organisation.id, plan_filter) or "Hele planen"),
        ("Antall rader", str(count)),
        ("Eksportert", now_oslo().strftime("%d.%m.%Y kl. %H:%M")),
        (
            "Om filen",
            "Arket «Innlegg» kan leses inn igjen under Importer. UID-kolonnen "
            "kjenner igjen innleggene, så en ny import oppdaterer i stedet for å lage kopier.",
        ),
    ]


# --------------------------------------------------------------------------- the wheel picture


class RendererUnavailable(RuntimeError):
    """A picture or PDF cannot be made on this server; the message (Norwegian) says why."""


PNG_MISSING = (
    "Bildet av årshjulet (PNG) kan ikke lages fordi systembiblioteket Cairo mangler på "
    "serveren. En administrator kan installere det med «apt-get install libcairo2»."
)
PDF_MISSING = (
    "PDF kan ikke lages fordi systembibliotekene Pango og HarfBuzz mangler på serveren. "
    "En administrator kan installere dem med «apt-get install libpango-1.0-0 libpangoft2-1.0-0 "
    "libharfbuzz-subset0»."
)

# CairoSVG and WeasyPrint are imported when first needed, not with this module (no import
# cycle is involved): together they add about 1.5 s and 50 MB to the start of every
# worker, and on a server without the Cairo or Pango system libraries importing them
# raises OSError, while the app must still start and say why (PNG_MISSING, PDF_MISSING).


def png_support() -> str | None:
    """None when wheel pictures (SVG → PNG with CairoSVG) can be made, else why not."""
    try:
        import cairosvg  # noqa: F401  (lazy on purpose: see above)
    except (ImportError, OSError):
        return PNG_MISSING
    return None


def pdf_support() -> str | None:
    """None when PDFs (HTML → PDF with WeasyPrint) can be made, else why not."""
    try:
        import weasyprint  # noqa: F401  (lazy on purpose: see above)
    except (ImportError, OSError):
        return PDF_MISSING
    return None


def wheel_svg(org_id: int, year: int, plan_filter: PlanFilter | None = None) -> str:
    """The wheel as a standalone SVG document (drawn by the wheel area's renderer)."""
    return render_wheel_svg(org_id, WheelQuery(year, plan_filter or PlanFilter()))


def inline_svg(svg: str) -> str:
    """A standalone SVG document made fit to place inside HTML (no XML declaration)."""
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg


def svg_alt_text(svg: str, fallback: str) -> str:
    """The picture's text alternative: the SVG's own <title> and <desc> when it has them."""
    parts = [
        unescape(re.sub(r"<[^>]+>", "", m.group(1))).strip()
        for m in re.finditer(r"<(?:title|desc)\b[^>]*>(.*?)</(?:title|desc)>", svg[:20_000], re.S)
    ][:2]
    text = ". ".join(p.rstrip(".") for p in parts if p)
    return (text + ".") if text else fallback


def svg_to_png(svg: str, width_px: int = 2400) -> bytes:
    """Render an SVG to PNG at print resolution (2400 px ≈ 20 cm at 300 dpi)."""
    try:
        import cairosvg  # lazy on purpose: see above png_support
    except (ImportError, OSError) as exc:
        raise RendererUnavailable(PNG_MISSING) from exc
    data = cairosvg.svg2png(
        bytestring=svg.encode("utf-8"), output_width=width_px, unsafe=False, dpi=300
    )
    return bytes(data)
