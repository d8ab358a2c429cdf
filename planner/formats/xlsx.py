"""Excel (XLSX): the plan as a workbook planners can sort and filter (``flask export
--format xlsx`` and the export page), and ``flask import plan.xlsx``.

The export has one row per post (or per occurrence) on the sheet «Innlegg», with Norwegian
headings (:data:`planner.domain.imports.spreadsheet_columns.EXPORT_COLUMNS`) and real Excel
dates, plus the catalog sheets «Kanaler» and «Målgrupper» (read back on import so new
channels keep their type) and «Om eksporten». Reading the workbook is the domain's
(:mod:`planner.domain.imports.xlsx_reader`); the import is the service's.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from planner.domain.filters import PlanFilter
from planner.domain.imports import xlsx_reader
from planner.domain.imports.spreadsheet_columns import EXPORT_COLUMNS
from planner.models import Organisation
from planner.services.exports.strategy import catalog_rows, export_info, plan_rows
from planner.services.imports.spreadsheet_import import import_for_cli

FORMAT = "xlsx"
MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXTENSION = "xlsx"

EXCEL_CELL_MAX = 32_767
DATE_FORMAT = "DD.MM.YYYY"
TIME_FORMAT = "HH:MM"


# --------------------------------------------------------------------------- export


def _put(ws: Any, row: int, column: int, value: Any) -> Any:
    """Write a value so that Excel shows it as data: text is never a formula, dates get a
    Norwegian date format, illegal control characters are dropped."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)[:EXCEL_CELL_MAX]
        cell.value = text
        cell.data_type = "s"  # a title like "=1+1" stays text, never a formula
    else:
        cell.value = value
        if isinstance(value, datetime):
            cell.number_format = f"{DATE_FORMAT} {TIME_FORMAT}"
        elif isinstance(value, date):
            cell.number_format = DATE_FORMAT
        elif isinstance(value, time):
            cell.number_format = TIME_FORMAT
    return cell


def _table_sheet(ws: Any, headings: list[str], rows: list[list[Any]], widths: list[int]) -> None:
    for column, heading in enumerate(headings, 1):
        _put(ws, 1, column, heading).font = Font(bold=True)
    for r, values in enumerate(rows, 2):
        for column, value in enumerate(values, 1):
            if value is not None and value != "":
                _put(ws, r, column, value)
    ws.freeze_panes = "A2"
    last = get_column_letter(len(headings))
    ws.auto_filter.ref = f"A1:{last}{max(len(rows) + 1, 1)}"
    for column, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(column)].width = width


_WIDTHS = {
    "uid": 20,
    "title": 45,
    "start_date": 12,
    "start_time": 11,
    "end_date": 12,
    "end_time": 9,
    "all_day": 8,
    "week": 6,
    "month": 11,
    "channels": 35,
    "audiences": 35,
    "service_area": 20,
    "status": 11,
    "kind": 12,
    "responsible": 20,
    "link": 30,
    "archive_worthy": 11,
    "rrule": 25,
    "description": 60,
    "notes": 40,
    "wheel": 16,
}


def export(
    organisation: Organisation,
    year: int,
    plan_filter: PlanFilter | None = None,
    per_occurrence: bool = False,
) -> bytes:
    """The year's plan as an XLSX workbook (one row per post, or per occurrence)."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = "Innlegg"
    rows = plan_rows(organisation.id, year, plan_filter, per_occurrence)
    fields = [name for _, name in EXPORT_COLUMNS]
    _table_sheet(
        ws,
        [heading for heading, _ in EXPORT_COLUMNS],
        [[row.get(name) for name in fields] for row in rows],
        [_WIDTHS[name] for name in fields],
    )
    for title, (headings, table) in catalog_rows(organisation.id).items():
        _table_sheet(
            workbook.create_sheet(title), headings, table, [30, 18, 14, 60, 12][: len(headings)]
        )
    info = workbook.create_sheet("Om eksporten")
    for r, (label, value) in enumerate(export_info(organisation, year, plan_filter, len(rows)), 1):
        _put(info, r, 1, label)
        _put(info, r, 2, value)
    info.column_dimensions["A"].width = 22
    info.column_dimensions["B"].width = 70
    workbook.properties.title = f"Årshjul {year} – {organisation.name}"
    workbook.properties.creator = "Årshjul"
    workbook.properties.language = "nb-NO"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- import


def detect(raw: bytes, filename: str) -> bool:
    """An Excel workbook (.xlsx/.xlsm, or an old .xls so it can be refused with a reason)."""
    return xlsx_reader.detect(raw, filename)


def import_file(raw: bytes, filename: str, organisation: Organisation | None) -> str:
    """``flask import plan.xlsx``: guessed columns, all or nothing (see the service)."""
    return import_for_cli(xlsx_reader.read_sheets(raw, filename), filename, organisation)
