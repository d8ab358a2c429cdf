"""Reading planners' own spreadsheets (regneark): rows into post drafts with problems.

Most municipalities keep their årshjul in Excel today, and no two sheets look alike: one
has a «Dato» column, another an «Uke» column ("uke 9"), a third one column per month
with an x where something happens, and channels are typed as free text ("Facebook,
nettside og plakat"). The ``spreadsheet_*`` modules of this package are pure (no Flask, no
database): :mod:`~planner.domain.imports.spreadsheet_columns` guesses which column is
which field from Norwegian headings, this module turns each row into zero or more post
drafts and reports every problem per row and cell in Norwegian, e.g.
``Rad 7, kolonne C (Dato): «31.02.2026» er ikke en gyldig dato.``

The services (``planner.services.imports.spreadsheet_import``) match drafts against the
database and write them; the readers (:mod:`~planner.domain.imports.xlsx_reader`,
:mod:`~planner.domain.imports.csv_reader`) read the raw cells, and the file formats write
exports with the headings of ``EXPORT_COLUMNS``, so an export can be imported again
unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from planner.domain.imports.spreadsheet_cells import (
    MAX_CELL_CHARS,
    cell_text,
    dmy,
    parse_bool_value,
    parse_kind,
    parse_status,
    split_names,
)
from planner.domain.imports.spreadsheet_dates import MONTH_NAMES
from planner.domain.imports.spreadsheet_sheet import PostDraft, Problem, RowCells, RowResult
from planner.domain.imports.spreadsheet_spans import spans_for_row
from planner.domain.posts.rules import PostValues, validate_post

_FIELD_FOR_ERROR = {
    "title": ("title",),
    "start": ("start_time", "start_date"),
    "end": ("end_date", "end_time", "start_date", "week", "month"),
    "status": ("status",),
    "kind": ("kind",),
    "link": ("link",),
    "rrule": ("rrule",),
}


def interpret_rows(
    rows: Sequence[Sequence[Any]],
    header_row: int,
    mapping: Sequence[str],
    year: int,
    formulas: set[tuple[int, int]] | None = None,
    first_row_number: int = 1,
    known: Mapping[str, Sequence[str]] | None = None,
) -> list[RowResult]:
    """Turn the rows below ``header_row`` (0-based) into post drafts with problems.

    ``mapping`` gives a field (or ``""``) per column. ``formulas`` holds the (row index,
    column) of cells that were formulas in the file: they are refused. Row numbers in
    messages are the sheet's own (``first_row_number`` is the number of ``rows[0]``).
    Blank rows are skipped, and a row holding only a month name («MARS») is a section
    heading whose month applies to the rows under it that give only a day. ``known`` has
    the existing names per list field (``"channels"``, ``"audiences"``) so that names
    containing «og» or «/» are not split.
    """
    headings = rows[header_row] if header_row < len(rows) else []
    formulas = formulas or set()
    results: list[RowResult] = []
    section_month: int | None = None
    for index in range(header_row + 1, len(rows)):
        cells = rows[index]
        number = index + first_row_number
        row_formulas = {c for (r, c) in formulas if r == index}
        row = RowCells(number, cells, mapping, headings, row_formulas)
        filled = [i for i, name in enumerate(mapping) if name and cell_text(row.raw(i))]
        if not filled:
            continue
        if len(filled) == 1:
            only = cell_text(row.raw(filled[0])).casefold().rstrip(":")
            if only in MONTH_NAMES:
                section_month = MONTH_NAMES.index(only) + 1
                continue
        result = RowResult(number)
        bad_formula = False
        for column in sorted(row_formulas):
            if column < len(mapping) and mapping[column]:
                row.fail(
                    column,
                    f"Cellen inneholder en formel («{cell_text(row.raw(column))[:60]}»). "
                    "Erstatt formelen med verdien (lim inn som verdier) og prøv igjen.",
                )
                bad_formula = True
        if not bad_formula:
            result.drafts = _drafts_for_row(row, year, section_month, known or {})
        result.problems = row.problems
        results.append(result)
    _mark_duplicates(results)
    return results


def _drafts_for_row(
    row: RowCells, year: int, section_month: int | None, known: Mapping[str, Sequence[str]]
) -> list[PostDraft]:
    values: dict[str, Any] = {}
    for name, limit in (
        ("description", MAX_CELL_CHARS),
        ("responsible", 200),
        ("notes", MAX_CELL_CHARS),
        ("wheel", 200),
        ("uid", 255),
    ):
        if name in row.columns:
            values[name] = row.text(name, limit)
    if "service_area" in row.columns:
        values["service_area"] = row.text("service_area", 120) or None
    if "link" in row.columns:
        values["link"] = row.text("link", 500)
    if "rrule" in row.columns:
        values["rrule"] = row.text("rrule", 500) or None
    for name, parser in (
        ("status", parse_status),
        ("kind", parse_kind),
        ("archive_worthy", parse_bool_value),
    ):
        if row.has(name):
            parsed = row.parse(name, parser)
            if parsed is not None:
                values[name] = parsed
    for name in ("channels", "audiences"):
        if name in row.columns:
            values[name] = split_names(row.get(name), known.get(name, ()))

    title = row.text("title", 10_000) if "title" in row.columns else ""
    spans = spans_for_row(row, year, section_month)
    uid = values.pop("uid", "")
    drafts: list[PostDraft] = []
    for start, end, all_day, column, cell_title in spans:
        draft_title = title or cell_title
        drafts.append(
            PostDraft(row.number, draft_title, start, end, all_day, uid, column, dict(values))
        )
    if len(drafts) > 1 and uid:
        row.fail(
            row.columns["uid"],
            "En rad med UID kan bare gi ett innlegg, men raden har flere måneds- eller ukekryss.",
        )
        return []
    for draft in drafts:
        _validate_draft(row, draft, year)
    return drafts


def _validate_draft(row: RowCells, draft: PostDraft, year: int) -> None:
    values = PostValues(
        title=draft.title,
        start=draft.start,
        end=draft.end,
        all_day=draft.all_day,
        status=draft.values.get("status", "planlagt"),
        kind=draft.values.get("kind", "proaktiv"),
        rrule=draft.values.get("rrule"),
        link=draft.values.get("link", ""),
    )
    for name, message in validate_post(values).items():
        column = next(
            (row.columns[f] for f in _FIELD_FOR_ERROR.get(name, ()) if f in row.columns),
            draft.column,
        )
        row.fail(column, message)
    if values.rrule and "rrule" in draft.values:
        draft.values["rrule"] = values.rrule
    if draft.end.date() < date(year, 1, 1) or draft.start.date() > date(year, 12, 31):
        column = draft.column
        if column is None:
            column = next(
                (row.columns[f] for f in ("start_date", "week", "month") if f in row.columns),
                None,
            )
        row.fail(
            column,
            f"Datoen {dmy(draft.start.date())} ligger utenfor {year}. "
            "Velg riktig år for importen, eller rett datoen.",
        )


def _mark_duplicates(results: list[RowResult]) -> None:
    """Two rows for the same post (same UID, or same title and start) are an error."""
    by_uid: dict[str, int] = {}
    by_key: dict[tuple[str, datetime], int] = {}
    for result in results:
        keep: list[PostDraft] = []
        for draft in result.drafts:
            if draft.uid:
                first = by_uid.setdefault(draft.uid, result.row)
                if first != result.row:
                    result.problems.append(
                        Problem(
                            result.row,
                            f"UID-en «{draft.uid}» finnes også i rad {first}. Et ark med én rad "
                            "per forekomst kan ikke leses inn igjen; eksporter én rad per innlegg.",
                        )
                    )
                    continue
            else:
                first = by_key.setdefault(draft.key, result.row)
                if first != result.row:
                    result.problems.append(
                        Problem(
                            result.row,
                            f"«{draft.title}» {dmy(draft.start.date())} finnes også i rad "
                            f"{first} (samme tittel og dato).",
                        )
                    )
                    continue
            keep.append(draft)
        result.drafts = keep


def guess_year(rows: Sequence[Sequence[Any]], fallback: int) -> int:
    """The year most full dates in the sheet belong to (for the import form's default)."""
    counts: dict[int, int] = {}
    for row in rows[:2000]:
        for value in row:
            if isinstance(value, datetime | date):
                counts[value.year] = counts.get(value.year, 0) + 1
            elif isinstance(value, str) and (
                match := re.fullmatch(r"\s*\d{1,2}\.\d{1,2}\.(\d{4})\s*", value)
            ):
                y = int(match.group(1))
                counts[y] = counts.get(y, 0) + 1
    plausible = {y: n for y, n in counts.items() if 2000 <= y <= 2100}
    return max(plausible, key=lambda y: plausible[y]) if plausible else fallback
