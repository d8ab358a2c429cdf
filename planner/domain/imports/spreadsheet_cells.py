"""Cell values of planners' spreadsheets: text, yes/no, status, kind, lists of names, and
what a spreadsheet would run as a formula (CSV injection). Pure: no Flask, no database.

Every reader here raises :class:`CellError` with a Norwegian message that quotes the cell,
which the row reader (:mod:`planner.domain.imports.spreadsheet_rows`) places at its row and
column.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

from planner.domain.posts.rules import KINDS, STATUSES

#: Limits on what is read from a file (rows with content, columns, characters per cell).
MAX_ROWS = 20_000
MAX_COLUMNS = 200
MAX_CELL_CHARS = 100_000

#: What a month or week column holds where something happens («x», «✓», «ja»).
MARKS = {"x", "✓", "✔", "ja", "yes", "*", "•", "v"}
_TRUE = {"ja", "j", "x", "1", "sant", "true", "yes", "✓", "✔"}
_FALSE = {"nei", "n", "0", "usant", "false", "no", "-"}
_STATUS_WORDS = {s: s for s in STATUSES} | {
    "ide": "idé",
    "utkast": "idé",
    "forslag": "idé",
    "planlegges": "planlagt",
    "godkjend": "godkjent",
    "klar": "godkjent",
    "publisert": "publisert",
    "gjennomført": "publisert",
    "utført": "publisert",
    "ferdig": "publisert",
    "kansellert": "avlyst",
    "avlyst": "avlyst",
    "avlyse": "avlyst",
}
_KIND_WORDS = {k: k for k in KINDS} | {
    "fortlopende": "fortløpende",
    "løpende": "fortløpende",
    "løpande": "fortløpende",
    "fortløpande": "fortløpende",
    "planlagt": "proaktiv",
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class CellError(ValueError):
    """A cell's value cannot be used; the message is Norwegian and quotes the value."""


def cell_text(value: Any) -> str:
    """A cell value as trimmed text (numbers without a needless ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nei"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y %H:%M") if value.time() != time() else dmy(value)
    if isinstance(value, date):
        return dmy(value)
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value).strip()


def dmy(day: date) -> str:
    """A date as dd.mm.åååå, the way planners write it (``01.03.2026``)."""
    return f"{day.day:02d}.{day.month:02d}.{day.year:04d}"


def normalise_heading(value: Any) -> str:
    """A heading reduced for matching: lower case, no "(er)" suffixes, punctuation or extra
    spaces ("Kanal(er):" → "kanal", "Uke nr." → "uke nr")."""
    text = unicodedata.normalize("NFC", cell_text(value)).casefold()
    text = re.sub(r"\((?:e?r|ne|ar)\)", "", text)
    text = re.sub(r"[^\w\s/]", " ", text)
    return " ".join(text.replace("_", " ").split())


def looks_like_formula(text: str) -> bool:
    """Whether a text cell would be run as a formula by a spreadsheet (CSV injection)."""
    return text.startswith("=") or (
        text.startswith(("+", "@")) and len(text) > 1 and not text[1:].strip().isdigit()
    )


def escape_formula(text: str) -> str:
    """Prefix text that a spreadsheet would take for a formula with ``'`` (for CSV export)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def unescape_formula(text: str) -> str:
    """Undo :func:`escape_formula` when reading a CSV exported by the planner."""
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(_FORMULA_START):
        return text[1:]
    return text


def parse_bool_value(value: Any) -> bool:
    """Yes or no: ja/nei, x, 1/0, sant/usant."""
    if isinstance(value, bool):
        return value
    text = cell_text(value).casefold()
    if text in _TRUE:
        return True
    if text in _FALSE or not text:
        return False
    raise CellError(f"«{cell_text(value)}» er ikke ja eller nei.")


def parse_status(value: Any) -> str:
    """A post status from the words planners use («Godkjent», «ferdig» → publisert)."""
    text = cell_text(value).casefold()
    if text in _STATUS_WORDS:
        return _STATUS_WORDS[text]
    raise CellError(f"Ukjent status «{cell_text(value)}». Gyldige: {', '.join(STATUSES)}.")


def parse_kind(value: Any) -> str:
    """A post kind (proaktiv, fortløpende, reaktiv)."""
    text = cell_text(value).casefold()
    if text in _KIND_WORDS:
        return _KIND_WORDS[text]
    raise CellError(f"Ukjent type «{cell_text(value)}». Gyldige: {', '.join(KINDS)}.")


def split_names(value: Any, known: Sequence[str] = ()) -> list[str]:
    """Free-text lists of channels or audiences: split on , ; / «og», new lines and bullets;
    duplicates (ignoring case) are dropped, order kept.

    Names in ``known`` are recognised whole first, so «Brev og SMS-varsel» or «Bolig- og
    hytteeiere» are not split at their «og».
    """
    text = cell_text(value).replace("\x00", "")
    protected: list[str] = []
    for name in sorted((n for n in known if n), key=len, reverse=True):
        pattern = re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)", re.IGNORECASE)

        def hide(match: re.Match[str], name: str = name) -> str:
            protected.append(name)
            return f"\x00{len(protected) - 1}\x00"

        text = pattern.sub(hide, text)
    parts = re.split(r"\s*(?:[,;/\n•]|\s\+\s|\s&\s|\bog\b)\s*", text)
    names: list[str] = []
    seen: set[str] = set()
    for part in parts:
        for piece in re.split(r"(\x00\d+\x00)", part):
            if piece.startswith("\x00"):
                name = protected[int(piece.strip("\x00"))]
            else:
                name = piece.strip(" .-–")
            if name and name.casefold() not in seen:
                seen.add(name.casefold())
                names.append(name)
    return names
