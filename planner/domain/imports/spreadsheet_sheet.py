"""A sheet as read from a file, the drafts and problems its rows give, and the reader of
one row's mapped cells. Pure: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from planner.domain.imports.spreadsheet_cells import CellError, cell_text
from planner.domain.imports.spreadsheet_columns import FIELD_LABELS, column_letter


@dataclass(frozen=True)
class Problem:
    """A problem in a row (and cell); ``warning`` problems do not stop the import."""

    row: int
    message: str
    column: int | None = None
    heading: str = ""
    warning: bool = False

    def text(self) -> str:
        """``Rad 7, kolonne C (Dato): «31.02.2026» er ikke en gyldig dato.``"""
        where = f"Rad {self.row}"
        if self.column is not None:
            where += f", kolonne {column_letter(self.column)}"
            if self.heading:
                where += f" ({self.heading})"
        return f"{where}: {self.message}"


@dataclass
class PostDraft:
    """A post read from a row: the values to write, and only the fields the sheet has."""

    row: int
    title: str
    start: datetime
    end: datetime
    all_day: bool
    uid: str = ""
    column: int | None = None  # the month/week column it came from, if any
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, datetime]:
        """What identifies a post without a UID: its title (ignoring case) and start."""
        return (self.title.strip().casefold(), self.start)


@dataclass
class RowResult:
    """Everything a row gave: its drafts and its problems."""

    row: int
    drafts: list[PostDraft] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No errors (warnings allowed)."""
        return not any(not p.warning for p in self.problems)


@dataclass
class SheetData:
    """One sheet as read from a file: raw cell values per row (Excel dates as ``datetime``),
    the (row index, column) of formula cells, and problems found while reading."""

    name: str
    rows: list[list[Any]]
    formulas: set[tuple[int, int]] = field(default_factory=set)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def width(self) -> int:
        """The number of columns (the longest row)."""
        return max((len(r) for r in self.rows), default=0)


class RowCells:
    """The mapped cells of one row, read by field name, and the problems found in them.

    ``number`` is the row's number in the sheet; ``columns`` maps a field to its column.
    """

    def __init__(
        self,
        number: int,
        cells: Sequence[Any],
        mapping: Sequence[str],
        headings: Sequence[Any],
        formulas: set[int],
    ):
        self.number = number
        self.cells = cells
        self.mapping = mapping
        self.headings = headings
        self.formulas = formulas
        self.columns = {name: i for i, name in enumerate(mapping) if name}
        self.problems: list[Problem] = []

    def heading(self, column: int) -> str:
        """The column's heading in the sheet, or the label of the field it is mapped to."""
        text = cell_text(self.headings[column]) if column < len(self.headings) else ""
        return text or FIELD_LABELS.get(self.mapping[column], "")

    def fail(self, column: int | None, message: str, warning: bool = False) -> None:
        """Record a problem (an error, or a warning that does not stop the import)."""
        self.problems.append(
            Problem(
                self.number,
                message,
                column,
                self.heading(column) if column is not None else "",
                warning,
            )
        )

    def raw(self, column: int) -> Any:
        """The cell's value as read (text trimmed), ``None`` past the end of the row."""
        value = self.cells[column] if column < len(self.cells) else None
        if isinstance(value, str):
            value = value.strip()
        return value

    def has(self, name: str) -> bool:
        """Whether the field has a column and the row has something in it."""
        return name in self.columns and cell_text(self.raw(self.columns[name])) != ""

    def get(self, name: str) -> Any:
        """The value of a mapped field (the field must have a column)."""
        return self.raw(self.columns[name])

    def text(self, name: str, limit: int) -> str:
        """A field as text, cut at ``limit`` characters with a problem when longer."""
        value = cell_text(self.get(name)) if name in self.columns else ""
        if len(value) > limit:
            self.fail(self.columns[name], f"Teksten er for lang (høyst {limit} tegn).")
            return value[:limit]
        return value

    def parse(self, name: str, parser: Any, *args: Any) -> Any:
        """A field read by ``parser``; ``None`` with the cell's problem when it cannot be."""
        try:
            return parser(self.get(name), *args)
        except CellError as exc:
            self.fail(self.columns[name], str(exc))
            return None
