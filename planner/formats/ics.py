"""iCalendar (.ics): the whole plan of a year for calendar programs, and import of .ics
files (``flask export --format ics`` / ``flask import FILE.ics``, CONTRACTS.md)."""

from __future__ import annotations

from flask_babel import gettext as _

from planner.domain.feeds.ical import events_to_ical
from planner.domain.feeds.values import CalendarInfo
from planner.domain.filters import PlanFilter
from planner.domain.imports.errors import ImportRefused
from planner.domain.imports.ics import parse_ics
from planner.domain.imports.ics_file import looks_like_ics
from planner.domain.imports.ics_model import IcsImportError
from planner.models import Organisation
from planner.services.accounts import get_or_create_organisation, resolve_organisation
from planner.services.feeds.content import filter_summary, plan_events
from planner.services.imports.ics_import import import_all_as_posts

FORMAT = "ics"
MEDIA_TYPE = "text/calendar; charset=utf-8"
EXTENSION = "ics"


def export(organisation: Organisation, year: int, plan_filter: PlanFilter | None = None) -> bytes:
    """Every post of the year's wheels (ideas and cancelled posts included, with their
    status), through the filter, as one calendar."""
    plan_filter = plan_filter or PlanFilter()
    summary = filter_summary(organisation.id, plan_filter)
    description = _("Årshjulet %(year)s for %(org)s", year=year, org=organisation.name)
    if summary:
        description += f" ({summary})"
    info = CalendarInfo(
        name=_("Årshjul %(year)s – %(org)s", year=year, org=organisation.name),
        description=description + ".",
        extra=(("X-ARSHJUL-ORGANISATION", organisation.name),),
    )
    return events_to_ical(info, plan_events(organisation.id, plan_filter, year=year))


def detect(raw: bytes, filename: str) -> bool:
    """An iCalendar file (by extension, or content starting with BEGIN:VCALENDAR)."""
    return filename.lower().endswith((".ics", ".ical", ".ifb")) or looks_like_ics(raw)


def import_file(raw: bytes, filename: str, organisation: Organisation | None) -> str:
    """Import every event of the file as a post, all or nothing (updates posts with the
    same UID). Without an organisation: the one named in a planner export (created if
    needed), else the only one there is (:class:`~planner.services.accounts.AccountError`
    when there is none or several)."""
    try:
        parsed = parse_ics(raw, filename)
    except IcsImportError as exc:
        raise ImportRefused([f"{filename}: {p}" for p in exc.problems]) from exc
    if organisation is None:
        if parsed.organisation:
            organisation = get_or_create_organisation(parsed.organisation)
        else:
            organisation = resolve_organisation(None)
    try:
        summary = import_all_as_posts(organisation, parsed)
    except IcsImportError as exc:
        raise ImportRefused(exc.problems) from exc
    lines = [summary.message() + f" ({organisation.name})"]
    lines += [f"Merk: {w}" for w in summary.warnings]
    return "\n".join(lines)
