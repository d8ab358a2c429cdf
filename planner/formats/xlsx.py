"""Excel (XLSX): the plan as a workbook planners can sort and filter, and the reader for the
sheets municipalities keep their årshjul in today.

The export has one row per post (or per occurrence) on the sheet «Innlegg», with Norwegian
headings (:data:`planner.domain.imports.spreadsheet.EXPORT_COLUMNS`) and real Excel dates, plus the
catalogue sheets «Kanaler» and «Målgrupper» (read back on import so new channels keep their
type) and «Om eksporten». Reading is defensive: read-only mode, no formulas, a cap on rows
and on how large the zip may unpack.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time
from typing import Any

from planner.domain.filters import PlanFilter
from planner.domain.imports.spreadsheet import (
    EXPORT_COLUMNS,
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_ROWS,
    SheetData,
    cell_text,
)
from planner.formats import ImportRefused
from planner.models import Organisation
from planner.services.exports.strategy import catalogue_rows, export_info, plan_rows

FORMAT = "xlsx"
MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXTENSION = "xlsx"

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
EXCEL_CELL_MAX = 32_767
DATE_FORMAT = "DD.MM.YYYY"
TIME_FORMAT = "HH:MM"


# --------------------------------------------------------------------------- export


def _put(ws: Any, row: int, column: int, value: Any) -> Any:
    """Write a value so that Excel shows it as data: text is never a formula, dates get a
    Norwegian date format, illegal control characters are dropped."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

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
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

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
    from openpyxl import Workbook

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
    for title, (headings, table) in catalogue_rows(organisation.id).items():
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
    name = filename.lower()
    if name.endswith((".xlsx", ".xlsm", ".xls")):
        return True
    return raw[:8] == OLE_MAGIC or (raw[:4] == ZIP_MAGIC and b"xl/" in raw[:4096])


def _check_zip(raw: bytes, filename: str) -> None:
    if raw[:8] == OLE_MAGIC:
        raise ImportRefused(
            [
                f"«{filename}» er i det gamle Excel-formatet (.xls). Åpne filen i Excel, "
                "velg Lagre som → Excel-arbeidsbok (.xlsx), og last opp den nye filen."
            ]
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ImportRefused(
            [
                f"«{filename}» kan ikke leses som en Excel-fil (.xlsx): filen er skadet "
                "eller ikke et Excel-ark. Åpne den i Excel og lagre den på nytt som .xlsx."
            ]
        ) from exc
    with archive:
        try:
            infos = archive.infolist()
        except (zipfile.BadZipFile, ValueError, OSError) as exc:  # pragma: no cover
            raise ImportRefused([f"«{filename}» er en skadet ZIP-fil."]) from exc
        names = {info.filename for info in infos}
        if "xl/workbook.xml" not in names:
            raise ImportRefused(
                [
                    f"«{filename}» er ikke en Excel-arbeidsbok (fant ikke regnearket i filen). "
                    "Last opp en .xlsx-fil fra Excel eller LibreOffice Calc."
                ]
            )
        if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
            raise ImportRefused(
                [
                    f"«{filename}» pakker seg ut til mer enn "
                    f"{MAX_UNPACKED_BYTES // (1024 * 1024)} MB og avvises."
                ]
            )


def read_sheets(raw: bytes, filename: str) -> list[SheetData]:
    """Every worksheet's cell values (read-only mode; formulas are noted, never evaluated).

    Raises ImportRefused with a Norwegian message for old .xls files, broken zips, files
    that are not workbooks, zip bombs and sheets with more than ``MAX_ROWS`` rows.
    """
    _check_zip(raw, filename)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds for malformed parts
        raise ImportRefused(
            [
                f"«{filename}» kan ikke leses som en Excel-fil (.xlsx): {type(exc).__name__}. "
                "Åpne den i Excel og lagre den på nytt som .xlsx."
            ]
        ) from exc
    sheets: list[SheetData] = []
    try:
        for ws in workbook.worksheets:
            sheets.append(_read_sheet(ws, filename))
    except ImportRefused:
        raise
    except Exception as exc:
        raise ImportRefused(
            [f"«{filename}» er skadet og kan ikke leses ({type(exc).__name__})."]
        ) from exc
    finally:
        workbook.close()
    if not sheets:
        raise ImportRefused([f"«{filename}» har ingen regneark."])
    return sheets


def _read_sheet(ws: Any, filename: str) -> SheetData:
    ws.reset_dimensions()  # do not trust the declared size (it may claim a million rows)
    rows: list[list[Any]] = []
    formulas: set[tuple[int, int]] = set()
    filled = 0
    for r_index, row in enumerate(ws.iter_rows()):
        values: list[Any] = []
        for c_index, cell in enumerate(row[:MAX_COLUMNS]):
            value = getattr(cell, "value", None)
            if getattr(cell, "data_type", None) == "f":
                formulas.add((r_index, c_index))
                value = cell_text(value) if not isinstance(value, str) else value
            elif isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                value = value[:MAX_CELL_CHARS]
            values.append(value)
        while values and (values[-1] is None or values[-1] == ""):
            values.pop()
        if values:
            filled += 1
            if filled > MAX_ROWS + 1:
                raise ImportRefused(
                    [
                        f"Arket «{ws.title}» i «{filename}» har mer enn {MAX_ROWS:,} rader. ".replace(
                            ",", " "
                        )
                        + "Del det opp i flere filer og importer én om gangen."
                    ]
                )
        rows.append(values)
    while rows and not rows[-1]:
        rows.pop()
    return SheetData(ws.title, rows, formulas)


def import_file(raw: bytes, filename: str, organisation: Organisation | None) -> str:
    """``flask import plan.xlsx``: guessed columns, all or nothing (see the service)."""
    from planner.services.imports.spreadsheet_import import import_for_cli

    return import_for_cli(read_sheets(raw, filename), filename, organisation)
