"""Which column of a planner's spreadsheet is which field: the Norwegian headings planners
use («Dato», «Kanal(er)», «Uke nr.», one column per month), the columns of our own export,
and problems with a mapping as a whole. Pure: no Flask, no database.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from planner.domain.imports.spreadsheet_cells import normalise_heading
from planner.domain.imports.spreadsheet_dates import MONTH_WORDS

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


def column_letter(index: int) -> str:
    """Excel's column letter for a 0-based column index (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def grid_field(heading: Any) -> str:
    """``"month:3"`` for a month column («Mars», «mar.»), ``"week:9"`` for a week column
    («uke 9», «U9», «veke 9»), else ``""``."""
    text = normalise_heading(heading)
    match = re.fullmatch(r"(?:uke|veke|u|week|w)\s*(\d{1,2})(?:\s+\d{4})?", text)
    if match and 1 <= int(match.group(1)) <= 53:
        return f"week:{int(match.group(1))}"
    match = re.fullmatch(r"([a-zæøå]+)(?:\s+\d{4})?", text)
    if match and match.group(1) in MONTH_WORDS:
        return f"month:{MONTH_WORDS[match.group(1)]}"
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
