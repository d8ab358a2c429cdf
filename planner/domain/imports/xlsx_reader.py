"""Reading Excel workbooks (.xlsx) as plain sheets of cell values, defensively.

Files come from anywhere, so reading is bounded: an old .xls is refused with how to save it
as .xlsx, the zip is checked before it is unpacked (its parts, and a cap on how large it
unpacks: no zip bombs), the workbook is opened in read-only mode without evaluating
formulas (formula cells are noted, and refused later where they are used), the declared
sheet size is not trusted, and more than ``MAX_ROWS`` rows is refused. Every refusal is an
:class:`~planner.domain.imports.errors.ImportRefused` with a Norwegian reason. Pure: no
Flask, no database.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from openpyxl import load_workbook

from planner.domain.imports.errors import ImportRefused
from planner.domain.imports.spreadsheet_cells import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_ROWS,
    cell_text,
)
from planner.domain.imports.spreadsheet_sheet import SheetData

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
MAX_UNPACKED_BYTES = 300 * 1024 * 1024


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
