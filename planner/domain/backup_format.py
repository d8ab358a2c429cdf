"""The JSON backup format (CONTRACTS.md) as plain rules: its version, how moments, dates and
ISO weeks are written and read, and the shape every section must have.

Shared by the export (``planner.services.exports.json_export``) and the all-or-nothing
import (``planner.services.imports.json_import``), so neither depends on the other. Pure:
no Flask, no database. Every problem is a Norwegian message saying where it is.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from planner.domain.dates import OSLO

FORMAT_VERSION = 1

# Sections the importer reads as lists; the first ones must be present.
REQUIRED_SECTIONS = ("organisation", "audiences", "channels", "posts", "peak_periods", "duty")
LIST_SECTIONS = (
    "service_areas",
    "audiences",
    "channels",
    "reach",
    "wheels",
    "posts",
    "peak_periods",
    "staff",
    "duty",
)


# --------------------------------------------------------------------------- moments


def format_moment(value: datetime, all_day: bool) -> str:
    """ISO 8601: a date for all-day values, else a date-time with the Oslo offset."""
    if all_day:
        return value.date().isoformat()
    return value.replace(tzinfo=OSLO).isoformat()


def iso_week_text(day: date) -> str:
    """``2026-W09`` for the ISO week containing ``day``."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def parse_moment(text: Any) -> tuple[datetime, bool]:
    """Parse an ISO 8601 date or date-time into a naive Oslo wall-clock datetime.

    Returns ``(value, is_date)``. Aware values are converted to Europe/Oslo.
    """
    if not isinstance(text, str):
        raise ValueError("mangler eller er ikke tekst")
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), datetime.min.time()), True
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"«{text}» er ikke en gyldig ISO 8601-dato") from exc
    if value.tzinfo is not None:
        value = value.astimezone(OSLO).replace(tzinfo=None)
    return value, False


def parse_date(text: Any) -> date:
    """A ``åååå-mm-dd`` date; ``ValueError`` with a Norwegian message otherwise."""
    if not isinstance(text, str):
        raise ValueError("mangler eller er ikke tekst")
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"«{text}» er ikke en gyldig dato (åååå-mm-dd)") from exc


def parse_week(text: Any) -> date:
    """The Monday of an ISO week written ``åååå-Wuu``."""
    try:
        year, week = str(text).split("-W")
        return date.fromisocalendar(int(year), int(week), 1)
    except ValueError as exc:
        raise ValueError(f"«{text}» er ikke en gyldig ISO-uke (åååå-Wuu)") from exc


def parse_datetime(text: Any) -> datetime:
    """A naive date-time (an offset, if any, is dropped: these are stored as written)."""
    if not isinstance(text, str):
        raise ValueError("mangler eller er ikke tekst")
    try:
        return datetime.fromisoformat(text).replace(tzinfo=None)
    except ValueError as exc:
        raise ValueError(f"«{text}» er ikke et gyldig tidspunkt") from exc


# --------------------------------------------------------------------------- shapes

# The JSON types every field must have (None allowed where the export writes null).
_TEXT, _TEXT_OR_NULL, _INT, _BOOL = (str,), (str, type(None)), (int,), (bool,)
SHAPES: dict[str, dict[str, tuple[type, ...]]] = {
    "service_areas": {"name": _TEXT},
    "audiences": {
        "name": _TEXT,
        "description": _TEXT,
        "service_area": _TEXT_OR_NULL,
        "priority": _INT,
    },
    "channels": {
        "name": _TEXT,
        "type": _TEXT,
        "response_hours": _INT,
        "profile_text": _TEXT,
        "colour": _TEXT,
    },
    "reach": {"channel": _TEXT, "audience": _TEXT, "level": _INT},
    "wheels": {"name": _TEXT, "year": _INT},
    "posts": {
        "uid": _TEXT,
        "wheel": _TEXT,
        "title": _TEXT,
        "description": _TEXT,
        "start": _TEXT,
        "end": _TEXT,
        "all_day": _BOOL,
        "status": _TEXT,
        "kind": _TEXT,
        "channels": (list,),
        "audiences": (list,),
        "service_area": _TEXT_OR_NULL,
        "rrule": _TEXT_OR_NULL,
        "exceptions": (list,),
        "responsible": _TEXT,
        "link": _TEXT,
        "archive_worthy": _BOOL,
        "notes": _TEXT,
        "seed_key": _TEXT_OR_NULL,
        "version": _INT,
    },
    "peak_periods": {
        "name": _TEXT,
        "start": _TEXT,
        "end": _TEXT,
        "required_staff": _INT,
        "reason": _TEXT,
        "posts": (list,),
        "seed_key": _TEXT_OR_NULL,
    },
    "staff": {
        "name": _TEXT,
        "email": _TEXT,
        "working_days": (list,),
        "active": _BOOL,
        "absences": (list,),
    },
    "duty": {"person": _TEXT, "week": _TEXT, "day": _TEXT_OR_NULL, "role": _TEXT},
}
_LIST_ITEMS: dict[tuple[str, str], type] = {
    ("posts", "channels"): str,
    ("posts", "audiences"): str,
    ("posts", "exceptions"): dict,
    ("peak_periods", "posts"): str,
    ("staff", "working_days"): int,
    ("staff", "absences"): dict,
}
_TYPE_NAMES = {
    str: "tekst",
    int: "et helt tall",
    bool: "true/false",
    list: "en liste",
    dict: "et objekt",
}


def document_problems(data: Any) -> list[str]:
    """What makes ``data`` no export document at all, checked in stages (is it an object,
    of our format version, with its sections as lists, an organisation object, every field
    of the right type); the problems of the first stage that fails, or an empty list."""
    if not isinstance(data, dict):
        return ["Filen er ikke en JSON-eksport fra årshjulet (forventet et objekt)."]
    if data.get("format_version") != FORMAT_VERSION:
        return [f"Ukjent formatversjon «{data.get('format_version')}» (støttet: {FORMAT_VERSION})."]
    problems = [f"Filen: mangler «{key}»." for key in REQUIRED_SECTIONS if key not in data]
    problems += [
        f"Filen: «{key}» må være en liste."
        for key in LIST_SECTIONS
        if not isinstance(data.get(key, []), list)
    ]
    if problems:
        return problems
    if not isinstance(data.get("organisation"), dict):
        return ["«organisation» må være et objekt med navnet på kommunen."]
    return shape_problems(data)


def shape_problems(data: dict[str, Any]) -> list[str]:
    """Type-check every known field before anything is read, so a mangled file gets a
    clear message per place instead of an error deep inside the import."""
    problems: list[str] = []
    for section, fields in SHAPES.items():
        for i, item in enumerate(data.get(section, []) or [], 1):
            where = f"«{section}» nr. {i}"
            if not isinstance(item, dict):
                problems.append(f"{where}: må være et objekt.")
                continue
            problems += _field_problems(section, item, fields, where)
    for i, post in enumerate(data.get("posts", []) or [], 1):
        if isinstance(post, dict) and isinstance(post.get("exceptions"), list):
            for j, exc in enumerate(post["exceptions"], 1):
                if isinstance(exc, dict) and not all(
                    isinstance(exc.get(k), (str, type(None)))
                    for k in ("recurrence_id", "start", "end")
                ):
                    problems.append(f"«posts» nr. {i}, unntak {j}: datoene må være tekst.")
    return problems


def _field_problems(
    section: str, item: dict[str, Any], fields: dict[str, tuple[type, ...]], where: str
) -> list[str]:
    """The type problems of one item's known fields (and of the members of its lists)."""
    problems: list[str] = []
    for key, types in fields.items():
        if key not in item:
            continue
        value: Any = item[key]
        # bool is an int in Python: an int field must not accept true/false
        if not isinstance(value, types) or (bool not in types and isinstance(value, bool)):
            wanted = " eller ".join(_TYPE_NAMES.get(t, "null") for t in types)
            problems.append(f"{where}: «{key}» må være {wanted}.")
            continue
        inner = _LIST_ITEMS.get((section, key))
        members: list[Any] = value if isinstance(value, list) else []
        if inner is not None and any(
            not isinstance(v, inner) or (inner is int and isinstance(v, bool)) for v in members
        ):
            problems.append(f"{where}: «{key}» må være en liste av {_TYPE_NAMES[inner]}.")
    return problems
