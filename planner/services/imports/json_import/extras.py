"""The extras step of the JSON import: what the areas after the foundation keep — the
organisation's settings, holiday periods (ferier), calendar feeds and external calendars
(``feeds``) and dismissed peak proposals — matched on stable keys and set while read."""

from __future__ import annotations

from typing import Any

from planner.domain.backup_format import parse_datetime
from planner.extensions import db
from planner.models import HOLIDAY_KINDS, HolidayPeriod, Organisation, StaffMember
from planner.models.staffing import PeakProposalDismissal
from planner.services.imports.json_import.catalog import Catalog
from planner.services.imports.json_import.check import Checker, existing_by, where_named
from planner.services.imports.json_import.feeds import (
    import_external_calendars,
    import_feeds,
    write_feeds,
)

EXTRA_SECTIONS = ("holiday_periods", "feeds", "external_calendars", "peak_dismissals", "history")


def import_extras(
    data: dict[str, Any],
    organisation: Organisation,
    check: Checker,
    staff: dict[str, StaffMember],
    catalog: Catalog,
) -> None:
    """Settings, holiday periods, calendar feeds, external calendars and dismissed peak
    proposals; nothing of them when one of their sections is not a list."""
    settings = (data.get("organisation") or {}).get("settings")
    if isinstance(settings, dict) and settings != (organisation.settings or {}):
        organisation.settings = settings
    for key in EXTRA_SECTIONS:
        if not isinstance(data.get(key, []), list):
            check.fail("Filen", f"«{key}» må være en liste.")
            return
    org_id = organisation.id
    _import_holidays(data, org_id, check)
    feed_filters = import_feeds(data, org_id, check, staff, catalog)
    import_external_calendars(data, org_id, check)
    _import_dismissals(data, org_id, check)
    write_feeds(feed_filters, org_id, check)


def _import_holidays(data: dict[str, Any], org_id: int, check: Checker) -> None:
    holidays = existing_by(HolidayPeriod, org_id, lambda h: (h.name, h.start))
    for i, item in enumerate(data.get("holiday_periods", []), 1):
        where = where_named("Ferie", i, item.get("name", ""))
        name = check.text(item, "name", where, 200, required=True)
        if (period := check.period(item, where)) is None:
            continue
        start, end = period
        kind = item.get("kind", "skoleferie")
        if end < start or kind not in HOLIDAY_KINDS:
            check.fail(where, "slutt før start eller ukjent type.")
            continue
        holiday = holidays.get((name, start)) or HolidayPeriod(
            organisation_id=org_id, name=name, start=start
        )
        holiday.end, holiday.kind = end, kind
        holidays[(name, start)] = holiday
        db.session.add(holiday)


def _import_dismissals(data: dict[str, Any], org_id: int, check: Checker) -> None:
    dismissed = existing_by(PeakProposalDismissal, org_id, lambda d: d.key)
    for i, item in enumerate(data.get("peak_dismissals", []), 1):
        where = f"Avvist forslag {i}"
        key = check.text(item, "key", where, 300, required=True)
        try:
            at = parse_datetime(item.get("dismissed_at"))
        except ValueError as exc:
            check.fail(where, f"{exc}.")
            continue
        row = dismissed.get(key) or PeakProposalDismissal(organisation_id=org_id, key=key)
        row.label = check.text(item, "label", where, 300)
        row.dismissed_by = check.text(item, "dismissed_by", where, 254)
        row.dismissed_at = at
        dismissed[key] = row
        db.session.add(row)
