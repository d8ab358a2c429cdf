"""The strategy document's content: the plan for the communication strategy (kommunikasjonsstrategi).

Gathers, for one year and one plan filter, everything the Word document, the PDF and the
print pages present – audiences with the channels that reach them, channels with their
response-time targets, the plan month by month, peak periods (toppbelastninger) with who
is on duty, staffing warnings, the duty rota (rundgang) and absences – as plain rows of
Norwegian text, so every format shows the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from planner.domain.dates import MONTH_NAMES, format_date, now_oslo, week_range_label
from planner.domain.filters import PlanFilter
from planner.extensions import db
from planner.models import (
    Absence,
    Audience,
    Channel,
    DutyAssignment,
    Organisation,
    Reach,
    StaffMember,
)
from planner.services.exports.strategy import (
    CHANNEL_TYPE_LABELS,
    filter_text,
    response_text,
    when_text,
)
from planner.services.posts.queries import items_for_year
from planner.services.staffing import (
    RotaWeek,
    peaks_query_for,
    rota_for_year,
    warnings_for_year,
)

REACH_LABELS = {1: "noe", 2: "god", 3: "svært god"}
ROLE_LABELS = {"main": "Hovedansvarlig", "backup": "Backup"}


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
    warnings: list[WarningLine] = field(default_factory=list)

    @property
    def total(self) -> int:
        """The number of lines in the plan."""
        return sum(len(lines) for _, lines in self.months)


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
    peaks = peaks_query_for(org_id, year)
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


def _warnings(org_id: int, year: int) -> list[WarningLine]:
    return [
        WarningLine(weeks=w.weeks, severity=w.severity_label, message=w.message, fix=w.fix)
        for w in warnings_for_year(org_id, year)
    ]


def _names(rows: Any) -> str:
    return ", ".join(r.staff_member.name for r in rows) or "–"


def _rota_line(week: RotaWeek) -> RotaLine:
    """One week of the staffing area's rota, with its peaks, holidays and day lines as a note."""
    notes = [f"Toppbelastning: {p.name}" for p in week.peaks]
    notes += [h.name for h in week.holidays]
    notes += [
        f"{d.staff_member.name} {format_date(d.day)} ({ROLE_LABELS.get(d.role, d.role).lower()})"
        for d in week.day_lines
        if d.day is not None
    ]
    return RotaLine(
        week=f"uke {week.monday.isocalendar().week}",
        dates=f"{format_date(week.monday)}–{format_date(week.sunday)}",
        main=_names(week.mains),
        backup=_names(week.backups),
        note="; ".join(notes),
    )


def _rota(org_id: int, year: int) -> list[RotaLine]:
    """The rota week by week: the staffing area's view of every ISO week (with peaks,
    holidays and day lines)."""
    return [_rota_line(week) for week in rota_for_year(org_id, year)]


def _absences(org_id: int, year: int) -> list[tuple[str, str, str]]:
    """Who is away in ``year``: name, period with its weeks, and why."""
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
    return [
        (
            a.staff_member.name,
            f"{format_date(a.start)}–{format_date(a.end)} ({week_range_label(a.start, a.end)})",
            a.reason,
        )
        for a in absences
    ]


def gather(organisation: Organisation, year: int, plan_filter: PlanFilter | None) -> StrategyData:
    """Collect the strategy document's content for ``year`` (filtered by ``plan_filter``)."""
    org_id = organisation.id
    months, shown = _plan(org_id, year, plan_filter)
    duty = _duty_by_week(org_id, year)
    return StrategyData(
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
        rota=_rota(org_id, year),
        absences=_absences(org_id, year),
    )
