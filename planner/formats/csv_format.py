"""CSV: the plan as semicolon-separated text that Norwegian Excel opens as it is, and the
reader for CSV files planners save from their own sheets.

Export: UTF-8 with byte order mark, «;» between columns (what Excel uses with Norwegian
settings), dates as dd.mm.åååå and times as tt:mm, which Excel turns into dates. Text a
spreadsheet would run as a formula («=…», «+…», «-…», «@…») gets a leading ``'`` and the
importer removes it again.

Import: UTF-8 (with or without BOM), UTF-16 (Excel's «Unicode-tekst») or Windows-1252
(Excel's default CSV in Norway); the delimiter is sniffed (; , tab |). Cells that look
like formulas are read as plain text, with a warning.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time
from typing import Any

from planner.domain.filters import PlanFilter
from planner.domain.imports.spreadsheet import (
    EXPORT_COLUMNS,
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_ROWS,
    Problem,
    SheetData,
    escape_formula,
    looks_like_formula,
    unescape_formula,
)
from planner.formats import ImportRefused
from planner.models import Organisation
from planner.services.exports.strategy import plan_rows

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


def import_file(raw: bytes, filename: str, organisation: Organisation | None) -> str:
    """``flask import plan.csv``: guessed columns, all or nothing (see the service)."""
    from planner.services.imports.spreadsheet_import import import_for_cli

    return import_for_cli(read_sheets(raw, filename), filename, organisation)
