"""Reading CSV files planners save from their own sheets, as one plain sheet of text cells.

Encodings: UTF-8 (with or without BOM), UTF-16 (Excel's «Unicode-tekst») or Windows-1252
(Excel's default CSV in Norway); the delimiter is sniffed (; , tab |). Cells that look like
formulas are read as plain text, with a warning; the ``'`` our own export puts before such
text is removed again. An Excel or binary file, a broken CSV and more than ``MAX_ROWS``
rows are refused with :class:`~planner.domain.imports.errors.ImportRefused` and a
Norwegian reason. Pure: no Flask, no database.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from planner.domain.imports.errors import ImportRefused
from planner.domain.imports.spreadsheet_cells import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_ROWS,
    looks_like_formula,
    unescape_formula,
)
from planner.domain.imports.spreadsheet_sheet import Problem, SheetData

#: The delimiter when sniffing finds none (what Excel uses with Norwegian settings).
DELIMITER = ";"


def detect(raw: bytes, filename: str) -> bool:
    """A CSV or tab-separated file (by its name; other formats claim .txt by content)."""
    return filename.lower().endswith((".csv", ".tsv"))


def _decode(raw: bytes, filename: str) -> str:
    if raw[:4] == b"PK\x03\x04" or raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportRefused(
            [f"«{filename}» er en Excel-fil, ikke CSV. Gi den filendelsen .xlsx og prøv igjen."]
        )
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ImportRefused([f"«{filename}» er ikke gyldig UTF-16-tekst."]) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise ImportRefused(
                [
                    f"«{filename}» er ikke en tekstfil (CSV). Lagre arket som "
                    "«CSV UTF-8 (kommadelt)» eller som .xlsx og prøv igjen."
                ]
            ) from exc
    if "\x00" in text or sum(1 for ch in text[:4096] if ord(ch) < 9) > 0:
        raise ImportRefused(
            [f"«{filename}» ser ut som en binærfil, ikke en CSV-fil. Last opp en .csv eller .xlsx."]
        )
    return text


def _delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t|").delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample else ""
        return max(";,\t|", key=first.count) if first else DELIMITER


def read_sheets(raw: bytes, filename: str) -> list[SheetData]:
    """The file as one sheet of text cells. Formula-like cells are kept as text and warned
    about; more than ``MAX_ROWS`` rows is refused."""
    text = _decode(raw, filename)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    rows: list[list[Any]] = []
    warnings: list[Problem] = []
    filled = 0
    try:
        for index, record in enumerate(reader):
            cells: list[Any] = []
            for column, value in enumerate(record[:MAX_COLUMNS]):
                value = value.strip()[:MAX_CELL_CHARS]
                escaped = unescape_formula(value)
                if escaped == value and looks_like_formula(value):
                    warnings.append(
                        Problem(
                            index + 1,
                            f"«{value[:60]}» ser ut som en formel og leses som vanlig tekst.",
                            column,
                            warning=True,
                        )
                    )
                cells.append(escaped)
            while cells and cells[-1] == "":
                cells.pop()
            if cells:
                filled += 1
                if filled > MAX_ROWS + 1:
                    raise ImportRefused(
                        [
                            f"«{filename}» har mer enn {MAX_ROWS:,} rader. ".replace(",", " ")
                            + "Del filen opp og importer én del om gangen."
                        ]
                    )
            rows.append(cells)
    except csv.Error as exc:
        raise ImportRefused(
            [f"«{filename}» kan ikke leses som CSV (rad {reader.line_num}): {exc}."]
        ) from exc
    while rows and not rows[-1]:
        rows.pop()
    if not rows:
        raise ImportRefused([f"«{filename}» er tom."])
    return [SheetData(filename, rows, set(), warnings)]
