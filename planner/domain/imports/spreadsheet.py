"""Reading planners' own spreadsheets (regneark): column mapping and row interpretation.

Most municipalities keep their årshjul in Excel today, and no two sheets look alike: one
has a «Dato» column, another an «Uke» column ("uke 9"), a third one column per month
with an x where something happens, and channels are typed as free text ("Facebook,
nettside og plakat"). This module is pure (no Flask, no database): it guesses which
column is which field from Norwegian headings, turns each row into zero or more post
drafts and reports every problem per row and cell in Norwegian, e.g.
``Rad 7, kolonne C (Dato): «31.02.2026» er ikke en gyldig dato.``

The services (``planner.services.imports.spreadsheet_import``) match drafts against the database
and write them; the file formats (``planner.formats.xlsx``/``csv_format``) read the raw
cells and write exports with the headings of :data:`EXPORT_COLUMNS`, so an export can be
imported again unchanged.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from planner.domain.dates import MONTH_NAMES as _DATE_MONTHS
from planner.domain.dates import weeks_in_iso_year
from planner.domain.posts.rules import KINDS, STATUSES, PostValues, validate_post

IGNORE = ""

#: The fields a column can be mapped to, with their Norwegian labels (shown in the form).
FIELD_LABELS: dict[str, str] = {
    "uid": "UID (fast ID)",
    "title": "Tittel",
    "description": "Beskrivelse",
    "start_date": "Dato (start)",
    "start_time": "Klokkeslett (start)",
    "end_date": "Sluttdato",
    "end_time": "Sluttid",
    "all_day": "Heldag (ja/nei)",
    "week": "Uke",
    "month": "Måned",
    "day": "Dag i måneden",
    "channels": "Kanaler",
    "audiences": "Målgrupper",
    "service_area": "Virksomhetsområde",
    "status": "Status",
    "kind": "Type (proaktiv/fortløpende/reaktiv)",
    "responsible": "Ansvarlig",
    "link": "Lenke",
    "archive_worthy": "Arkivverdig (ja/nei)",
    "notes": "Notater",
    "rrule": "Gjentakelse (RRULE)",
    "wheel": "Årshjul (navn)",
}

#: Headings planners use, normalised (see :func:`normalise_heading`), per field.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "uid": ("uid", "id", "fast id", "innlegg id", "innleggs id"),
    "title": (
        "tittel",
        "aktivitet",
        "aktiviteter",
        "tiltak",
        "hva",
        "innlegg",
        "emne",
        "overskrift",
        "sak",
        "hendelse",
        "tema",
        "budskap",
        "navn",
    ),
    "description": ("beskrivelse", "innhold", "tekst", "detaljer", "skildring", "omtale"),
    "start_date": (
        "dato",
        "startdato",
        "start dato",
        "fra dato",
        "fra",
        "start",
        "publiseringsdato",
        "publisering",
        "publiseres",
        "når",
        "dato start",
        "frist",
    ),
    "start_time": (
        "klokkeslett",
        "kl",
        "tid",
        "tidspunkt",
        "starttid",
        "start tid",
        "fra kl",
        "klokka",
    ),
    "end_date": ("sluttdato", "slutt dato", "til dato", "til", "slutt", "dato slutt"),
    "end_time": ("sluttid", "slutt tid", "til kl"),
    "all_day": ("heldag", "hele dagen"),
    "week": ("uke", "ukenr", "ukenummer", "uke nr", "veke", "vekenr", "veke nr", "uker"),
    "month": ("måned", "mnd", "månad", "måneder"),
    "day": ("dag", "dag i måneden", "dag i måned"),
    "channels": (
        "kanal",
        "kanaler",
        "kanalar",
        "medium",
        "medier",
        "media",
        "plattform",
        "plattformer",
        "publiseres i",
        "publiseres på",
    ),
    "audiences": ("målgruppe", "målgrupper", "mottaker", "mottakere", "mottakarar", "for hvem"),
    "service_area": (
        "virksomhetsområde",
        "virksomhet",
        "område",
        "tjenesteområde",
        "sektor",
        "enhet",
        "avdeling",
        "fagområde",
        "verksemdsområde",
    ),
    "status": ("status",),
    "kind": ("type", "art", "informasjonstype", "kommunikasjonstype"),
    "responsible": ("ansvarlig", "ansvar", "hvem", "kontaktperson", "ansvarleg", "eier"),
    "link": ("lenke", "link", "url", "nettadresse", "lenkje"),
    "archive_worthy": ("arkivverdig", "arkiv", "journalføres"),
    "notes": ("notater", "notat", "merknad", "merknader", "kommentar", "kommentarer"),
    "rrule": ("gjentakelse", "gjentas", "rrule", "gjentaking"),
    "wheel": ("årshjul",),
}
_HEADING_TO_FIELD = {syn: name for name, syns in _SYNONYMS.items() for syn in syns}

#: The columns of the XLSX/CSV export, in order: (heading, field). The importer guesses
#: exactly these fields back from the headings.
EXPORT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("UID", "uid"),
    ("Tittel", "title"),
    ("Dato", "start_date"),
    ("Klokkeslett", "start_time"),
    ("Sluttdato", "end_date"),
    ("Sluttid", "end_time"),
    ("Heldag", "all_day"),
    ("Uke", "week"),
    ("Måned", "month"),
    ("Kanaler", "channels"),
    ("Målgrupper", "audiences"),
    ("Virksomhetsområde", "service_area"),
    ("Status", "status"),
    ("Type", "kind"),
    ("Ansvarlig", "responsible"),
    ("Lenke", "link"),
    ("Arkivverdig", "archive_worthy"),
    ("Gjentakelse", "rrule"),
    ("Beskrivelse", "description"),
    ("Notater", "notes"),
    ("Årshjul", "wheel"),
)

MONTH_NAMES = _DATE_MONTHS[1:]  # januar..desember, index 0 = januar
_MONTH_WORDS: dict[str, int] = {}
for _i, _name in enumerate(MONTH_NAMES, 1):
    _MONTH_WORDS[_name] = _i
    _MONTH_WORDS[_name[:3]] = _i
_MONTH_WORDS.update(
    {
        "sept": 9,
        "okt": 10,
        "des": 12,
        "january": 1,
        "february": 2,
        "march": 3,
        "may": 5,
        "june": 6,
        "july": 7,
        "october": 10,
        "oct": 10,
        "december": 12,
        "dec": 12,
    }
)

_MARKS = {"x", "✓", "✔", "ja", "yes", "*", "•", "v"}
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

MAX_ROWS = 20_000
MAX_COLUMNS = 200
MAX_CELL_CHARS = 100_000


# --------------------------------------------------------------------------- headings


def column_letter(index: int) -> str:
    """Excel's column letter for a 0-based column index (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def normalise_heading(value: Any) -> str:
    """A heading reduced for matching: lower case, no "(er)" suffixes, punctuation or extra
    spaces ("Kanal(er):" → "kanal", "Uke nr." → "uke nr")."""
    text = unicodedata.normalize("NFC", cell_text(value)).casefold()
    text = re.sub(r"\((?:e?r|ne|ar)\)", "", text)
    text = re.sub(r"[^\w\s/]", " ", text)
    return " ".join(text.replace("_", " ").split())


def grid_field(heading: Any) -> str:
    """``"month:3"`` for a month column («Mars», «mar.»), ``"week:9"`` for a week column
    («uke 9», «U9», «veke 9»), else ``""``."""
    text = normalise_heading(heading)
    match = re.fullmatch(r"(?:uke|veke|u|week|w)\s*(\d{1,2})(?:\s+\d{4})?", text)
    if match and 1 <= int(match.group(1)) <= 53:
        return f"week:{int(match.group(1))}"
    match = re.fullmatch(r"([a-zæøå]+)(?:\s+\d{4})?", text)
    if match and match.group(1) in _MONTH_WORDS:
        return f"month:{_MONTH_WORDS[match.group(1)]}"
    return ""


def guess_field(heading: Any) -> str:
    """The field a heading most likely stands for, or ``""`` (ignore the column)."""
    text = normalise_heading(heading)
    if not text:
        return IGNORE
    if text in _HEADING_TO_FIELD:
        return _HEADING_TO_FIELD[text]
    grid = grid_field(heading)
    if grid:
        return grid
    # "Kanal (FB, web …)" or "Dato for publisering": try the first word(s).
    words = text.split()
    for n in (2, 1):
        if len(words) > n and " ".join(words[:n]) in _HEADING_TO_FIELD:
            return _HEADING_TO_FIELD[" ".join(words[:n])]
    return IGNORE


def guess_mapping(headings: Sequence[Any]) -> list[str]:
    """A field for each column; a field other than month/week columns is used at most once."""
    used: set[str] = set()
    mapping: list[str] = []
    for heading in headings:
        name = guess_field(heading)
        if name and not name.startswith(("month:", "week:")):
            if name in used:
                name = IGNORE
            used.add(name)
        mapping.append(name)
    return mapping


def find_header_row(rows: Sequence[Sequence[Any]], scan: int = 15) -> int:
    """The 0-based index of the heading row: the first of the first rows with at least two
    recognised headings (sheets often start with a title and a blank row), else 0."""
    for index, row in enumerate(rows[:scan]):
        if sum(1 for value in row if guess_field(value)) >= 2:
            return index
    return 0


def mapping_problems(mapping: Sequence[str]) -> list[str]:
    """Problems with a column mapping as a whole (Norwegian), empty when usable."""
    problems: list[str] = []
    seen: dict[str, int] = {}
    for index, name in enumerate(mapping):
        if not name or name.startswith(("month:", "week:")):
            continue
        if name in seen:
            problems.append(
                f"Feltet «{FIELD_LABELS.get(name, name)}» er valgt for både kolonne "
                f"{column_letter(seen[name])} og {column_letter(index)}. Velg det for én kolonne."
            )
        seen[name] = index
    grid = any(name.startswith(("month:", "week:")) for name in mapping)
    if "title" not in seen and not grid:
        problems.append("Velg hvilken kolonne som inneholder tittelen.")
    if not ({"start_date", "week", "month"} & seen.keys()) and not grid:
        problems.append(
            "Velg minst én kolonne med tidspunkt: Dato, Uke, Måned, eller måneds- eller ukekolonner."
        )
    return problems


# --------------------------------------------------------------------------- cell values


def cell_text(value: Any) -> str:
    """A cell value as trimmed text (numbers without a needless ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nei"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y %H:%M") if value.time() != time() else _dmy(value)
    if isinstance(value, date):
        return _dmy(value)
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value).strip()


def _dmy(day: date) -> str:
    return f"{day.day:02d}.{day.month:02d}.{day.year:04d}"


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


_DATE_DMY = re.compile(r"(\d{1,2})[./](\d{1,2})(?:[./](\d{2}|\d{4}))?\.?")
_DATE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DATE_WORDS = re.compile(r"(\d{1,2})\.?\s*([a-zæøå]+)\.?(?:\s+(\d{4}))?")
_TIME = re.compile(r"(?:kl\.?\s*)?(\d{1,2})(?:[:.](\d{2}))?")
_WEEKDAY_PREFIX = re.compile(
    r"^(?:man|tir|ons|tor|fre|lør|søn)[a-zæøå]*\.?\s+", re.IGNORECASE | re.UNICODE
)


class CellError(ValueError):
    """A cell's value cannot be used; the message is Norwegian and quotes the value."""


def parse_date_value(value: Any, year: int) -> tuple[date, time | None]:
    """A date (and a time if the cell had one) from a cell: Excel dates, «01.03.2026»,
    «1.3.26», «1.3.» (the import year), «2026-03-01», «1. mars», «man. 2.3.2026»."""
    if isinstance(value, datetime):
        return value.date(), (value.time() if value.time() != time() else None)
    if isinstance(value, date):
        return value, None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 36526 <= value <= 73051:  # an Excel serial date between 2000 and 2100
            moment = datetime(1899, 12, 30) + timedelta(days=float(value))
            return moment.date(), None
        raise CellError(f"«{cell_text(value)}» er ikke en gyldig dato.")
    text = _WEEKDAY_PREFIX.sub("", cell_text(value)).casefold()
    clock: time | None = None
    if " " in text and re.search(r"\d[:.]\d{2}$", text):
        text, _, clock_text = text.rpartition(" ")
        clock = parse_time_value(clock_text)[0]
        text = text.removesuffix(" kl.").removesuffix(" kl").strip()
    original = cell_text(value)
    try:
        if match := _DATE_ISO.fullmatch(text):
            y, m, d = (int(g) for g in match.groups())
        elif match := _DATE_DMY.fullmatch(text):
            d, m = int(match.group(1)), int(match.group(2))
            y = int(match.group(3)) if match.group(3) else year
            if y < 100:
                y += 2000
        elif (match := _DATE_WORDS.fullmatch(text)) and match.group(2) in _MONTH_WORDS:
            d, m = int(match.group(1)), _MONTH_WORDS[match.group(2)]
            y = int(match.group(3)) if match.group(3) else year
        else:
            raise CellError(
                f"«{original}» er ikke en gyldig dato. Skriv datoen som dd.mm.åååå, "
                "for eksempel 01.03.2026."
            )
        return date(y, m, d), clock
    except ValueError as exc:
        if isinstance(exc, CellError):
            raise
        raise CellError(f"«{original}» er ikke en gyldig dato.") from None


def parse_time_value(value: Any) -> tuple[time, time | None]:
    """A time of day, or a range «09:00–10:30» (start, end); Excel times are accepted."""
    if isinstance(value, datetime):
        return value.time().replace(second=0, microsecond=0), None
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0), None
    if isinstance(value, float) and 0 <= value < 1:
        minutes = round(value * 24 * 60)
        return time(minutes // 60 % 24, minutes % 60), None
    text = cell_text(value).casefold()
    parts = [p.strip() for p in re.split(r"\s*[–—-]\s*|\s+til\s+", text) if p.strip()]
    if not 1 <= len(parts) <= 2:
        raise CellError(f"«{cell_text(value)}» er ikke et gyldig klokkeslett (skriv 09:00).")
    found: list[time] = []
    for part in parts:
        match = _TIME.fullmatch(part)
        if not match or int(match.group(1)) > 23 or int(match.group(2) or 0) > 59:
            raise CellError(f"«{cell_text(value)}» er ikke et gyldig klokkeslett (skriv 09:00).")
        found.append(time(int(match.group(1)), int(match.group(2) or 0)))
    return found[0], (found[1] if len(found) == 2 else None)


def parse_week_value(value: Any, year: int) -> tuple[int, int]:
    """An ISO week or a range of weeks: 9, «uke 9», «U9», «2026-W09», «uke 8–9»."""
    original = cell_text(value)
    text = original.casefold()
    if match := re.fullmatch(r"(\d{4})-?w(\d{1,2})", text):
        text = match.group(2)
    text = re.sub(r"^(?:uke|veke|week|u|w)\.?\s*", "", text)
    match = re.fullmatch(
        r"(\d{1,2})(?:\s*(?:[–—/-]|og|til)\s*(?:uke\s*|veke\s*|u)?(\d{1,2}))?", text
    )
    if not match:
        raise CellError(f"«{original}» er ikke et gyldig ukenummer (skriv for eksempel 9).")
    first = int(match.group(1))
    last = int(match.group(2)) if match.group(2) else first
    top = weeks_in_iso_year(year)
    for week in (first, last):
        if not 1 <= week <= top:
            raise CellError(f"«{original}»: uke {week} finnes ikke i {year}.")
    if last < first:
        raise CellError(f"«{original}»: siste uke kan ikke være før første uke.")
    return first, last


def parse_month_value(value: Any) -> int:
    """A month from a number (1–12) or a Norwegian month name («mars», «Mar.»)."""
    if isinstance(value, datetime | date):
        return value.month
    text = normalise_heading(value)
    if text.isdigit() and 1 <= int(text) <= 12:
        return int(text)
    first = text.split()[0] if text else ""
    if first in _MONTH_WORDS:
        return _MONTH_WORDS[first]
    raise CellError(f"«{cell_text(value)}» er ikke en måned (skriv for eksempel mars eller 3).")


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


# --------------------------------------------------------------------------- rows


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


_FIELD_FOR_ERROR = {
    "title": ("title",),
    "start": ("start_time", "start_date"),
    "end": ("end_date", "end_time", "start_date", "week", "month"),
    "status": ("status",),
    "kind": ("kind",),
    "link": ("link",),
    "rrule": ("rrule",),
}


class _Row:
    """Helper to read the mapped cells of one row and collect problems."""

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
        text = cell_text(self.headings[column]) if column < len(self.headings) else ""
        return text or FIELD_LABELS.get(self.mapping[column], "")

    def fail(self, column: int | None, message: str, warning: bool = False) -> None:
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
        value = self.cells[column] if column < len(self.cells) else None
        if isinstance(value, str):
            value = value.strip()
        return value

    def has(self, name: str) -> bool:
        return name in self.columns and cell_text(self.raw(self.columns[name])) != ""

    def get(self, name: str) -> Any:
        return self.raw(self.columns[name])

    def text(self, name: str, limit: int) -> str:
        value = cell_text(self.get(name)) if name in self.columns else ""
        if len(value) > limit:
            self.fail(self.columns[name], f"Teksten er for lang (høyst {limit} tegn).")
            return value[:limit]
        return value

    def parse(self, name: str, parser: Any, *args: Any) -> Any:
        try:
            return parser(self.get(name), *args)
        except CellError as exc:
            self.fail(self.columns[name], str(exc))
            return None


def _month_span(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _week_span(year: int, first: int, last: int) -> tuple[date, date]:
    return date.fromisocalendar(year, first, 1), date.fromisocalendar(year, last, 7)


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
        row = _Row(number, cells, mapping, headings, row_formulas)
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
    row: _Row, year: int, section_month: int | None, known: Mapping[str, Sequence[str]]
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
    spans = _spans_for_row(row, year, section_month)
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


def _spans_for_row(
    row: _Row, year: int, section_month: int | None
) -> list[tuple[datetime, datetime, bool, int | None, str]]:
    """(start, end, all_day, grid column, title from a grid cell) for each post of the row."""
    start_day: date | None = None
    end_day: date | None = None
    clock: time | None = None
    end_clock: time | None = None
    date_column = None
    period = _period_in_date_cell(row.get("start_date"), year) if row.has("start_date") else None
    if period is not None:
        # «uke 9» or «mars» in the date column: the whole week or month.
        start_day, end_day = period
    elif row.has("start_date"):
        date_column = row.columns["start_date"]
        parsed = row.parse("start_date", parse_date_value, year)
        if parsed is None:
            return []
        start_day, clock = parsed
    elif row.has("week"):
        weeks = row.parse("week", parse_week_value, year)
        if weeks is None:
            return []
        start_day, end_day = _week_span(year, *weeks)
    elif row.has("month") or (row.has("day") and section_month):
        month = row.parse("month", parse_month_value) if row.has("month") else section_month
        if month is None:
            return []
        if row.has("day"):
            day_text = cell_text(row.get("day"))
            try:
                start_day = date(year, month, int(day_text))
            except ValueError:
                row.fail(row.columns["day"], f"«{day_text}» er ikke en gyldig dag i måneden.")
                return []
        else:
            start_day, end_day = _month_span(year, month)
    if start_day is not None:
        _check_week_and_month(row, start_day, date_column)
    if start_day is None:
        grid = _grid_spans(row, year)
        if grid or row.problems:
            return grid
        target = next(
            (row.columns[n] for n in ("start_date", "week", "month") if n in row.columns), None
        )
        row.fail(target, "Raden mangler tidspunkt: fyll ut dato, uke eller måned.")
        return []

    if row.has("end_date"):
        parsed_end = row.parse("end_date", parse_date_value, year)
        if parsed_end is None:
            return []
        end_day, end_clock = parsed_end
    if row.has("start_time"):
        parsed_time = row.parse("start_time", parse_time_value)
        if parsed_time is None:
            return []
        clock, range_end = parsed_time
        end_clock = range_end or end_clock
    if row.has("end_time"):
        parsed_time = row.parse("end_time", parse_time_value)
        if parsed_time is None:
            return []
        end_clock = parsed_time[0]
    if row.has("all_day") and row.parse("all_day", parse_bool_value):
        clock = end_clock = None
    end_day = end_day or start_day
    if clock is None:
        if end_clock is not None:
            row.fail(row.columns.get("end_time"), "Sluttid uten klokkeslett for start.")
            return []
        return [(_midnight(start_day), _midnight(end_day), True, None, "")]
    start = datetime.combine(start_day, clock)
    end = (
        datetime.combine(end_day, end_clock)
        if end_clock is not None
        else (
            start + timedelta(hours=1) if end_day == start_day else datetime.combine(end_day, clock)
        )
    )
    return [(start, end, False, None, "")]


def _period_in_date_cell(value: Any, year: int) -> tuple[date, date] | None:
    """A week («uke 9», «uke 8–9») or a month name («mars») written in a date column."""
    if not isinstance(value, str):
        return None
    text = value.strip().casefold()
    if re.match(r"(?:uke|veke)\b", text):
        try:
            return _week_span(year, *parse_week_value(text, year))
        except CellError:
            return None
    if text.rstrip(".") in _MONTH_WORDS:
        return _month_span(year, _MONTH_WORDS[text.rstrip(".")])
    return None


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time())


def _check_week_and_month(row: _Row, start_day: date, date_column: int | None) -> None:
    """Warn when a «Uke»/«Måned» column disagrees with the date (the date wins)."""
    if date_column is None:
        return
    week = start_day.isocalendar().week
    if row.has("week"):
        try:
            first, last = parse_week_value(row.get("week"), start_day.isocalendar().year)
        except CellError:
            first = last = -1
        if not first <= week <= last:
            row.fail(
                row.columns["week"],
                f"Uke «{cell_text(row.get('week'))}» stemmer ikke med datoen {_dmy(start_day)} "
                f"(uke {week}); datoen brukes.",
                warning=True,
            )
    if row.has("month"):
        try:
            month = parse_month_value(row.get("month"))
        except CellError:
            month = -1
        if month != start_day.month:
            row.fail(
                row.columns["month"],
                f"Måned «{cell_text(row.get('month'))}» stemmer ikke med datoen "
                f"{_dmy(start_day)}; datoen brukes.",
                warning=True,
            )


def _grid_spans(row: _Row, year: int) -> list[tuple[datetime, datetime, bool, int | None, str]]:
    """Posts from month columns («Mars» with x, a day number or a date) and week columns."""
    spans: list[tuple[datetime, datetime, bool, int | None, str]] = []
    for column, name in enumerate(row.mapping):
        if not name.startswith(("month:", "week:")):
            continue
        value = row.raw(column)
        text = cell_text(value)
        if not text:
            continue
        kind, number = name.split(":")
        cell_title = "" if text.casefold() in _MARKS else text
        if kind == "month":
            month = int(number)
            if isinstance(value, datetime | date):
                day = value if not isinstance(value, datetime) else value.date()
                spans.append((_midnight(day), _midnight(day), True, column, ""))
                continue
            if text.isdigit():
                try:
                    day = date(year, month, int(text))
                except ValueError:
                    row.fail(column, f"«{text}» er ikke en gyldig dag i {MONTH_NAMES[month - 1]}.")
                    continue
                spans.append((_midnight(day), _midnight(day), True, column, ""))
                continue
            first, last = _month_span(year, month)
        else:
            week = int(number)
            if week > weeks_in_iso_year(year):
                row.fail(column, f"Uke {week} finnes ikke i {year}.")
                continue
            first, last = _week_span(year, week, week)
        for line in cell_title.splitlines() or [""]:
            spans.append((_midnight(first), _midnight(last), True, column, line.strip()))
    return spans


def _validate_draft(row: _Row, draft: PostDraft, year: int) -> None:
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
            f"Datoen {_dmy(draft.start.date())} ligger utenfor {year}. "
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
                            f"«{draft.title}» {_dmy(draft.start.date())} finnes også i rad "
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
