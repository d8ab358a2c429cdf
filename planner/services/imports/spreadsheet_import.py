"""Import of planners' own spreadsheets (XLSX/CSV): preview first, then all or nothing.

The flow of the import page: the upload is kept for a day in the instance folder
(:func:`stash_upload`), the columns are guessed and can be corrected, and
:func:`build_preview` shows per row what would happen and every problem per row and cell,
in Norwegian. Unknown channels and audiences are offered to be created (or mapped to an
existing one). :func:`apply_import` writes only when the whole sheet is valid – or, when
the user explicitly chooses it, only the valid rows – in one transaction.

Re-importing the same sheet does not duplicate: a row is matched to a post by its UID
column when it has one, else by title and start within the year's wheel; matched posts
are updated with the columns the sheet has, and unchanged ones are left alone.
"""

from __future__ import annotations

import json
import re
import secrets
import time as clock
from pathlib import Path

from sqlalchemy import select

from planner.domain.catalog.values import name_key
from planner.domain.dates import now_oslo
from planner.domain.imports import csv_reader, xlsx_reader
from planner.domain.imports.errors import ImportRefused
from planner.domain.imports.spreadsheet_rows import guess_year
from planner.domain.imports.spreadsheet_sheet import SheetData
from planner.extensions import db
from planner.models import Organisation
from planner.services.imports.spreadsheet_plan import NEW, SKIP, ImportChoices, Preview
from planner.services.imports.spreadsheet_preview import build_preview
from planner.services.imports.spreadsheet_write import ImportResult, write_rows

UPLOAD_TTL_SECONDS = 24 * 3600
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


# --------------------------------------------------------------------------- uploads


def read_upload(raw: bytes, filename: str) -> list[SheetData]:
    """Read an uploaded file as sheets, by content and name (XLSX or CSV)."""
    if not raw:
        raise ImportRefused([f"«{filename}» er tom."])
    if xlsx_reader.detect(raw, filename) or raw[:4] == xlsx_reader.ZIP_MAGIC:
        return xlsx_reader.read_sheets(raw, filename)
    if csv_reader.detect(raw, filename):
        return csv_reader.read_sheets(raw, filename)
    raise ImportRefused(
        [
            f"«{filename}» har en filtype som ikke kan importeres her. Last opp et regneark "
            "som .xlsx (Excel) eller .csv."
        ]
    )


def _upload_dir(instance_path: str) -> Path:
    path = Path(instance_path) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def stash_upload(instance_path: str, org_id: int, raw: bytes, filename: str) -> str:
    """Keep an upload between the steps of the import page; returns its token.

    Files are named by organisation and a random token, and removed after a day.
    """
    folder = _upload_dir(instance_path)
    now = clock.time()
    for old in folder.glob("*.bin"):
        if now - old.stat().st_mtime > UPLOAD_TTL_SECONDS:
            old.unlink(missing_ok=True)
            old.with_suffix(".json").unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    (folder / f"{org_id}-{token}.bin").write_bytes(raw)
    (folder / f"{org_id}-{token}.json").write_text(
        json.dumps({"filename": filename[-255:]}), encoding="utf-8"
    )
    return token


def load_upload(instance_path: str, org_id: int, token: str) -> tuple[bytes, str] | None:
    """The stashed upload of this organisation, or None (unknown, expired or not theirs)."""
    if not _TOKEN.fullmatch(token or ""):
        return None
    folder = _upload_dir(instance_path)
    data = folder / f"{org_id}-{token}.bin"
    if not data.exists() or clock.time() - data.stat().st_mtime > UPLOAD_TTL_SECONDS:
        return None
    try:
        meta = json.loads((folder / f"{org_id}-{token}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        meta = {}
    return data.read_bytes(), str(meta.get("filename") or "regneark")


def discard_upload(instance_path: str, org_id: int, token: str) -> None:
    """Remove a stashed upload (after a successful import)."""
    if _TOKEN.fullmatch(token or ""):
        folder = _upload_dir(instance_path)
        (folder / f"{org_id}-{token}.bin").unlink(missing_ok=True)
        (folder / f"{org_id}-{token}.json").unlink(missing_ok=True)


# --------------------------------------------------------------------------- writing


def apply_import(
    org_id: int, sheets: list[SheetData], choices: ImportChoices, filename: str = ""
) -> tuple[ImportResult, Preview]:
    """Write the import, all or nothing (or only the valid rows when chosen). Commits.

    Raises ImportRefused (nothing written) when the mapping is unusable, when any row has
    an error and ``choices.only_valid`` is false, or when no row is left to import.
    """
    preview = build_preview(org_id, sheets, choices, filename)
    if preview.mapping_problems:
        raise ImportRefused(preview.mapping_problems)
    if preview.errors and not choices.only_valid:
        raise ImportRefused(preview.errors)
    rows = preview.valid_rows
    if not any(r.posts for r in rows):
        raise ImportRefused(["Ingen gyldige rader å importere."])
    try:
        with db.session.no_autoflush:
            result = write_rows(org_id, preview, rows)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return result, preview


# --------------------------------------------------------------------------- command line


def import_for_cli(
    sheets: list[SheetData], filename: str, organisation: Organisation | None
) -> str:
    """``flask import sheet.xlsx``: guessed mapping, the year from the file name or the
    dates in the sheet, unknown channels and audiences created; all or nothing."""
    if organisation is None:
        orgs = list(db.session.execute(select(Organisation).limit(2)).scalars())
        if len(orgs) != 1:
            raise ImportRefused(
                ["Oppgi hvilken kommune regnearket skal importeres til (--municipality NAVN)."]
            )
        organisation = orgs[0]
    match = re.search(r"(?<!\d)(20\d\d)(?!\d)", filename)
    rows = sheets[0].rows if sheets else []
    year = int(match.group(1)) if match else guess_year(rows, now_oslo().year)
    result, _ = apply_import(organisation.id, sheets, ImportChoices(year=year), filename)
    return result.summary(organisation.name)


__all__ = [
    "NEW",
    "SKIP",
    "ImportChoices",
    "ImportResult",
    "Preview",
    "apply_import",
    "build_preview",
    "discard_upload",
    "import_for_cli",
    "load_upload",
    "name_key",
    "read_upload",
    "stash_upload",
]
