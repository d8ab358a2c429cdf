"""JSON: the lossless backup format (CONTRACTS.md)."""

from __future__ import annotations

import json

from planner.domain.filters import PlanFilter
from planner.domain.imports.errors import ImportRefused
from planner.models import Organisation
from planner.services.exports.json_export import export_json
from planner.services.imports.json_import import ImportProblems, import_json

FORMAT = "json"
MEDIA_TYPE = "application/json"


def export(organisation: Organisation, year: int, plan_filter: PlanFilter | None = None) -> bytes:
    """The whole year as the JSON backup document (the filter does not apply: it is a backup)."""
    document = export_json(organisation, year)
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def detect(raw: bytes, filename: str) -> bool:
    """A JSON document (by name, or content starting with ``{`` or ``[``)."""
    head = raw[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    return filename.lower().endswith(".json") or head[:1] in (b"{", b"[")


def import_file(raw: bytes, filename: str, organisation: Organisation | None) -> str:
    """Import an export document, all or nothing."""
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportRefused(
            [f"{filename}: filen er ikke en gyldig JSON-eksport fra årshjulet ({exc})."]
        ) from exc
    try:
        org = import_json(data, organisation)
    except ImportProblems as exc:
        raise ImportRefused(exc.problems) from exc
    return f"Importerte {len(data.get('posts', []))} innlegg til {org.name}."
