"""What the exports show: the plan for the communication strategy (kommunikasjonsstrategi).

Gathers, for one year and one plan filter, everything the Word document, the PDF and the
print pages present – audiences with the channels that reach them, channels with their
response-time targets, the plan month by month, peak periods (toppbelastninger) with who
is on duty, staffing warnings, the duty rota (rundgang) and absences – as plain rows of
Norwegian text, so every format shows the same thing. The spreadsheet rows (one per post
or per occurrence) are built here as well, with real dates for Excel.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from html import unescape
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from planner.domain.dates import MONTH_NAMES, format_date, iso_week, now_oslo, week_range_label
from planner.domain.filters import PlanFilter
from planner.extensions import db
from planner.models import (
    Absence,
    Audience,
    Channel,
    DutyAssignment,
    Organisation,
    PeakPeriod,
    Post,
    Reach,
    ServiceArea,
    StaffMember,
    Wheel,
)
from planner.services.posts.queries import apply_filter, items_for_year, wheels_for_year

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
REACH_LABELS = {1: "noe", 2: "god", 3: "svært god"}
ROLE_LABELS = {"main": "Hovedansvarlig", "backup": "Backup"}


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


def catalogue_rows(org_id: int) -> dict[str, tuple[list[str], list[list[Any]]]]:
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
            "Arket «Innlegg» kan leses inn igjen under Eksport og import. UID-kolonnen "
            "kjenner igjen innleggene, så en ny import oppdaterer i stedet for å lage kopier.",
        ),
    ]


# --------------------------------------------------------------------------- strategy data


@dataclass(frozen=True)
class PlanLine:
    """One line of the plan month by month."""

    when: str
    week: str
    title: str
    channels: str
    audiences: str
    kind: str
    responsible: str
    status: str
    service_area: str
    post_id: int
    recurring: bool


@dataclass(frozen=True)
class AudienceLine:
    """An audience (målgruppe) and the channels that reach it (from the reach matrix)."""

    name: str
    service_area: str
    description: str
    priority: int
    channels: str


@dataclass(frozen=True)
class ChannelLine:
    """A channel (kanal) with its type, response-time target and profile text."""

    name: str
    type_label: str
    social: bool
    response: str
    profile_text: str
    colour: str


@dataclass(frozen=True)
class PeakLine:
    """A peak period (toppbelastning) with who is on duty in its weeks."""

    name: str
    period: str
    weeks: str
    reason: str
    required_staff: int
    on_duty: str
    posts: str


@dataclass(frozen=True)
class RotaLine:
    """One ISO week of the duty rota (rundgang)."""

    week: str
    dates: str
    main: str
    backup: str
    note: str = ""


@dataclass(frozen=True)
class WarningLine:
    """A staffing warning in words."""

    weeks: str
    severity: str
    message: str
    fix: str


@dataclass
class StrategyData:
    """Everything the Word document and the print pages show, as text."""

    organisation: str
    year: int
    period: str
    filter_text: str
    generated: str
    months: list[tuple[str, list[PlanLine]]] = field(default_factory=list)
    audiences: list[AudienceLine] = field(default_factory=list)
    channels: list[ChannelLine] = field(default_factory=list)
    peaks: list[PeakLine] = field(default_factory=list)
    rota: list[RotaLine] = field(default_factory=list)
    absences: list[tuple[str, str, str]] = field(default_factory=list)
    warnings: list[WarningLine] | None = None  # None: the staffing rules are not available

    @property
    def total(self) -> int:
        """The number of lines in the plan."""
        return sum(len(lines) for _, lines in self.months)


def optional_function(module: str, name: str) -> Callable[..., Any] | None:
    """A function of another area's service if that area is installed, else None."""
    try:
        found = importlib.import_module(module)
    except ImportError:
        return None
    function = getattr(found, name, None)
    return function if callable(function) else None


def _audiences(org_id: int, plan_filter: PlanFilter | None) -> list[AudienceLine]:
    stmt = (
        select(Audience)
        .where(Audience.organisation_id == org_id)
        .options(selectinload(Audience.service_area))
        .order_by(Audience.priority, Audience.name)
    )
    if plan_filter and plan_filter.audiences:
        stmt = stmt.where(Audience.id.in_(plan_filter.audiences))
    elif plan_filter and plan_filter.service_areas:
        stmt = stmt.where(Audience.service_area_id.in_(plan_filter.service_areas))
    reach: dict[int, list[Reach]] = {}
    for row in db.session.execute(
        select(Reach).where(Reach.organisation_id == org_id).options(selectinload(Reach.channel))
    ).scalars():
        reach.setdefault(row.audience_id, []).append(row)
    lines = []
    for audience in db.session.execute(stmt).scalars():
        cells = sorted(reach.get(audience.id, []), key=lambda r: (-r.level, r.channel.name))
        lines.append(
            AudienceLine(
                audience.name,
                audience.service_area.name if audience.service_area else "",
                audience.description,
                audience.priority,
                ", ".join(
                    f"{r.channel.name} ({REACH_LABELS.get(r.level, r.level)})" for r in cells
                ),
            )
        )
    return lines


def _channels(org_id: int, plan_filter: PlanFilter | None) -> list[ChannelLine]:
    stmt = select(Channel).where(Channel.organisation_id == org_id).order_by(Channel.name)
    if plan_filter and plan_filter.channels:
        stmt = stmt.where(Channel.id.in_(plan_filter.channels))
    return [
        ChannelLine(
            c.name,
            CHANNEL_TYPE_LABELS.get(c.type, c.type),
            c.is_social,
            response_text(c.response_hours),
            c.profile_text,
            c.colour,
        )
        for c in db.session.execute(stmt).scalars()
    ]


def _plan(org_id: int, year: int, plan_filter: PlanFilter | None) -> tuple[list[Any], set[int]]:
    items = items_for_year(org_id, year, plan_filter=plan_filter)
    months: list[tuple[str, list[PlanLine]]] = [(MONTH_NAMES[m], []) for m in range(1, 13)]
    for item in items:
        post, occ = item.post, item.occurrence
        month = occ.start.month if occ.start.year == year else (1 if occ.start.year < year else 12)
        months[month - 1][1].append(
            PlanLine(
                when=when_text(occ.start, occ.end, post.all_day),
                week=week_range_label(occ.start.date(), max(occ.start.date(), occ.end.date())),
                title=post.title,
                channels=", ".join(c.name for c in post.channels),
                audiences=", ".join(a.name for a in post.audiences),
                kind=post.kind,
                responsible=post.responsible,
                status=post.status,
                service_area=post.service_area.name if post.service_area else "",
                post_id=post.id,
                recurring=bool(post.rrule),
            )
        )
    return months, {item.post.id for item in items}


def _duty_by_week(org_id: int, year: int) -> dict[date, dict[str, list[str]]]:
    weeks: dict[date, dict[str, list[str]]] = {}
    rows = db.session.execute(
        select(DutyAssignment)
        .where(DutyAssignment.organisation_id == org_id)
        .options(selectinload(DutyAssignment.staff_member))
        .order_by(DutyAssignment.week_start, DutyAssignment.day, DutyAssignment.role)
    ).scalars()
    for duty in rows:
        if duty.week_start.isocalendar().year != year:
            continue
        name = duty.staff_member.name
        if duty.day is not None:
            name += f" ({format_date(duty.day)})"
        names = weeks.setdefault(duty.week_start, {}).setdefault(duty.role, [])
        if name not in names:
            names.append(name)
    return weeks


def _peaks(
    org_id: int, year: int, plan_filter: PlanFilter | None, shown_posts: set[int], duty: Any
) -> list[PeakLine]:
    peaks = db.session.execute(
        select(PeakPeriod)
        .where(
            PeakPeriod.organisation_id == org_id,
            PeakPeriod.start <= date(year, 12, 31),
            PeakPeriod.end >= date(year, 1, 1),
        )
        .options(selectinload(PeakPeriod.posts))
        .order_by(PeakPeriod.start, PeakPeriod.name)
    ).scalars()
    lines = []
    for peak in peaks:
        if plan_filter and not plan_filter.is_empty:
            # A filtered document shows the peaks its posts cause.
            if not any(p.id in shown_posts for p in peak.posts):
                continue
        on_duty: list[str] = []
        monday = peak.start.toordinal() - peak.start.weekday()
        while monday <= peak.end.toordinal():
            for names in duty.get(date.fromordinal(monday), {}).values():
                on_duty.extend(n for n in names if n not in on_duty)
            monday += 7
        lines.append(
            PeakLine(
                name=peak.name,
                period=f"{format_date(peak.start)}–{format_date(peak.end)}",
                weeks=week_range_label(peak.start, peak.end),
                reason=peak.reason,
                required_staff=peak.required_staff,
                on_duty=", ".join(on_duty) or "Ingen satt opp",
                posts=", ".join(p.title for p in peak.posts if p.deleted_at is None),
            )
        )
    return lines


def _warnings(org_id: int, year: int) -> list[WarningLine] | None:
    compute = optional_function("planner.services.staffing", "warnings_for_year")
    if compute is None:
        return None
    return [
        WarningLine(
            weeks=str(getattr(w, "weeks", "")),
            severity=str(getattr(w, "severity_label", "")),
            message=str(getattr(w, "message", w)),
            fix=str(getattr(w, "fix", "")),
        )
        for w in compute(org_id, year)
    ]


def _names(rows: Any) -> str:
    return ", ".join(r.staff_member.name for r in rows) or "–"


def _rota(org_id: int, year: int, duty: dict[date, dict[str, list[str]]]) -> list[RotaLine]:
    """The rota week by week: the staffing area's view of every ISO week when installed
    (with peaks, holidays and day lines), else the weeks that have duty lines."""
    rota_for_year = optional_function("planner.services.staffing", "rota_for_year")
    lines: list[RotaLine] = []
    if rota_for_year is not None:
        for week in rota_for_year(org_id, year):
            notes = [f"Toppbelastning: {p.name}" for p in getattr(week, "peaks", [])]
            notes += [h.name for h in getattr(week, "holidays", [])]
            notes += [
                f"{d.staff_member.name} {format_date(d.day)} ({ROLE_LABELS.get(d.role, d.role).lower()})"
                for d in getattr(week, "day_lines", [])
            ]
            lines.append(
                RotaLine(
                    week=f"uke {week.monday.isocalendar().week}",
                    dates=f"{format_date(week.monday)}–{format_date(week.sunday)}",
                    main=_names(week.mains),
                    backup=_names(week.backups),
                    note="; ".join(notes),
                )
            )
        return lines
    for monday in sorted(duty):
        sunday = date.fromordinal(monday.toordinal() + 6)
        lines.append(
            RotaLine(
                week=f"uke {monday.isocalendar().week}",
                dates=f"{format_date(monday)}–{format_date(sunday)}",
                main=", ".join(duty[monday].get("main", [])) or "–",
                backup=", ".join(duty[monday].get("backup", [])) or "–",
            )
        )
    return lines


def gather(organisation: Organisation, year: int, plan_filter: PlanFilter | None) -> StrategyData:
    """Collect the strategy document's content for ``year`` (filtered by ``plan_filter``)."""
    org_id = organisation.id
    months, shown = _plan(org_id, year, plan_filter)
    duty = _duty_by_week(org_id, year)
    data = StrategyData(
        organisation=organisation.name,
        year=year,
        period=f"{format_date(date(year, 1, 1))}–{format_date(date(year, 12, 31))}",
        filter_text=filter_text(org_id, plan_filter),
        generated=now_oslo().strftime("%d.%m.%Y"),
        months=months,
        audiences=_audiences(org_id, plan_filter),
        channels=_channels(org_id, plan_filter),
        peaks=_peaks(org_id, year, plan_filter, shown, duty),
        warnings=_warnings(org_id, year),
    )
    data.rota = _rota(org_id, year, duty)
    absences = db.session.execute(
        select(Absence)
        .join(StaffMember, Absence.staff_member_id == StaffMember.id)
        .where(
            Absence.organisation_id == org_id,
            Absence.start <= date(year, 12, 31),
            Absence.end >= date(year, 1, 1),
        )
        .options(selectinload(Absence.staff_member))
        .order_by(Absence.start, StaffMember.name)
    ).scalars()
    data.absences = [
        (
            a.staff_member.name,
            f"{format_date(a.start)}–{format_date(a.end)} ({week_range_label(a.start, a.end)})",
            a.reason,
        )
        for a in absences
    ]
    return data


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
WHEEL_MISSING = "Årshjulet kan ikke tegnes her ennå (tegnemodulen for årshjulet mangler)."


def png_support() -> str | None:
    """None when wheel pictures (SVG → PNG with CairoSVG) can be made, else why not."""
    try:
        import cairosvg  # noqa: F401
    except (ImportError, OSError):
        return PNG_MISSING
    return None


def pdf_support() -> str | None:
    """None when PDFs (HTML → PDF with WeasyPrint) can be made, else why not."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return PDF_MISSING
    return None


def wheel_svg(org_id: int, year: int, plan_filter: PlanFilter | None = None) -> str:
    """The wheel as a standalone SVG document (drawn by the wheel area's renderer)."""
    render = optional_function("planner.services.wheel.render", "render_wheel_svg")
    if render is None:
        raise RendererUnavailable(WHEEL_MISSING)
    return str(render(org_id, year, plan_filter))


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
        import cairosvg
    except (ImportError, OSError) as exc:
        raise RendererUnavailable(PNG_MISSING) from exc
    data = cairosvg.svg2png(
        bytestring=svg.encode("utf-8"), output_width=width_px, unsafe=False, dpi=300
    )
    return bytes(data)
