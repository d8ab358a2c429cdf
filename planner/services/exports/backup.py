"""Backup and restore of the whole installation.

- SQLite: an online copy with SQLite's backup API (consistent while the app runs), and
  restore by copying it back the same way.
- Any database (also PostgreSQL): a JSON backup of every organisation — its users (with
  password hashes) and the JSON export of every year it has — restored into an empty
  database through the normal all-or-nothing importer. For PostgreSQL, ``pg_dump`` is the
  better tool for large installations (see README).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select

from planner.extensions import db
from planner.models import Organisation, User, Wheel
from planner.services.exports.json_export import export_json
from planner.services.imports.json_import import ImportProblems, import_json

BACKUP_KIND = "arshjul-backup"
SQLITE_MAGIC = b"SQLite format 3\x00"


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other databases."""
    if not url.startswith("sqlite:///"):
        return None
    return Path(url.removeprefix("sqlite:///"))


def backup_sqlite(db_file: Path, target: Path) -> None:
    """Copy the live SQLite database to ``target`` with the online backup API."""
    src = sqlite3.connect(db_file)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def restore_sqlite(backup_file: Path, db_file: Path) -> None:
    """Replace the SQLite database's content with the backup's."""
    with open(backup_file, "rb") as fh:
        if fh.read(16) != SQLITE_MAGIC:
            raise ValueError("Filen er ikke en SQLite-sikkerhetskopi.")
    db.session.remove()
    db.engine.dispose()
    src = sqlite3.connect(backup_file)
    dst = sqlite3.connect(db_file)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def backup_json() -> dict[str, Any]:
    """Every organisation with its users and all its years, as one JSON document."""
    organisations = []
    for org in db.session.execute(select(Organisation).order_by(Organisation.name)).scalars():
        years = db.session.execute(
            select(Wheel.year)
            .where(Wheel.organisation_id == org.id)
            .distinct()
            .order_by(Wheel.year)
        ).scalars()
        users = db.session.execute(
            select(User).where(User.organisation_id == org.id).order_by(User.email)
        ).scalars()
        organisations.append(
            {
                "name": org.name,
                "settings": org.settings,
                "users": [
                    {
                        "email": u.email,
                        "name": u.name,
                        "role": u.role,
                        "active": u.active,
                        "password_hash": u.password_hash,
                    }
                    for u in users
                ],
                "years": {str(year): export_json(org, year) for year in years},
            }
        )
    return {"kind": BACKUP_KIND, "format_version": 1, "organisations": organisations}


def restore_json(document: Any) -> int:
    """Restore a JSON backup into an empty database; returns the number of organisations."""
    if not isinstance(document, dict) or document.get("kind") != BACKUP_KIND:
        raise ImportProblems(["Filen er ikke en sikkerhetskopi fra årshjulet."])
    if db.session.execute(select(Organisation.id).limit(1)).first() is not None:
        raise ImportProblems(["Databasen er ikke tom. Gjenoppretting krever en tom database."])
    count = 0
    try:
        for item in document.get("organisations", []):
            org: Organisation | None = None
            for year_doc in item.get("years", {}).values():
                org = import_json(year_doc, org)  # all or nothing per year, commits
            if org is None:
                org = Organisation(name=item["name"])
                db.session.add(org)
                db.session.flush()
            org.settings = item.get("settings") or {}
            users = [
                {
                    "organisation_id": org.id,
                    "email": user["email"],
                    "name": user.get("name", ""),
                    "role": user["role"],
                    "active": bool(user.get("active", True)),
                    "password_hash": user["password_hash"],
                }
                for user in item.get("users", [])
            ]
            if users:
                # Core insert: restoring accounts is not a change to record in the history
                # (their creation is already in the restored history).
                db.session.execute(insert(User.__table__), users)
            db.session.commit()
            count += 1
    except BaseException:
        # The database was empty: put it back that way (cascades remove everything).
        db.session.rollback()
        db.session.execute(delete(Organisation))
        db.session.commit()
        raise
    return count


def write_json(path: Path) -> None:
    """Write the JSON backup to ``path``."""
    path.write_text(json.dumps(backup_json(), ensure_ascii=False, indent=1), encoding="utf-8")
