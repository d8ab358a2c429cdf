"""CSV: the plan as semicolon-separated text that Norwegian Excel opens as it is (``flask
export --format csv`` and the export page), and ``flask import plan.csv``.

Export: UTF-8 with byte order mark, «;» between columns (what Excel uses with Norwegian
settings), dates as dd.mm.åååå and times as tt:mm, which Excel turns into dates. Text a
spreadsheet would run as a formula («=…», «+…», «-…», «@…») gets a leading ``'`` and the
importer removes it again.

Reading CSV files is the domain's (:mod:`planner.domain.imports.csv_reader`); the import
is the service's.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time
from typing import Any

from planner.domain.filters import PlanFilter
from planner.domain.imports import csv_reader
from planner.domain.imports.spreadsheet_cells import escape_formula
from planner.domain.imports.spreadsheet_columns import EXPORT_COLUMNS
from planner.models import Organisation
from planner.services.exports.strategy import plan_rows
from planner.services.imports.spreadsheet_import import import_for_cli

FORMAT = "csv"
MEDIA_TYPE = "text/csv; charset=utf-8"
EXTENSION = "csv"
DELIMITER = ";"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return escape_formula(str(value))


def export(
    organisation: Organisation,
    year: int,
    plan_filter: PlanFilter | None = None,
    per_occurrence: bool = False,
) -> bytes:
    """The year's plan as CSV (one row per post, or per occurrence)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerow([heading for heading, _ in EXPORT_COLUMNS])
    for row in plan_rows(organisation.id, year, plan_filter, per_occurrence):
        writer.writerow([_text(row.get(name)) for _, name in EXPORT_COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# --------------------------------------------------------------------------- import


def detect(raw: bytes, filename: str) -> bool:
    """A CSV or tab-separated file (by its name; other formats claim .txt by content)."""
    return csv_reader.detect(raw, filename)


def import_file(raw: bytes, filename: str, organisation: Organisation | None) -> str:
    """``flask import plan.csv``: guessed columns, all or nothing (see the service)."""
    return import_for_cli(csv_reader.read_sheets(raw, filename), filename, organisation)
