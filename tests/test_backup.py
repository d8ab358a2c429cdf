"""Backup and restore: back up, destroy, restore, compare."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from planner.extensions import db
from planner.models import User
from planner.services.exports.json_export import export_json
from tests.conftest import PASSWORD


def _snapshot() -> dict[str, Any]:
    from planner.models import Organisation

    docs = {}
    for org in db.session.execute(select(Organisation).order_by(Organisation.name)).scalars():
        doc = export_json(org, 2026)
        doc.pop("exported_at")
        docs[org.name] = doc
    users = sorted(
        (u.email, u.role, u.password_hash) for u in db.session.execute(select(User)).scalars()
    )
    return {"docs": docs, "users": users}


@pytest.mark.parametrize("fmt", ["auto", "json"])
def test_backup_destroy_restore_compare(
    runner: Any, app: Any, make_user: Any, tmp_path: Path, fmt: str
) -> None:
    assert (
        runner.invoke(
            args=["seed", "--year", "2026", "--municipality", "Testvik kommune"]
        ).exit_code
        == 0
    )
    make_user("admin")
    before = _snapshot()
    target = tmp_path / "backup.bin"
    result = runner.invoke(args=["backup", "-o", str(target), "--format", fmt])
    assert result.exit_code == 0, result.output
    is_sqlite = app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    if fmt == "json" or not is_sqlite:
        assert json.loads(target.read_text(encoding="utf-8"))["kind"] == "arshjul-backup"
    # destroy
    db.session.remove()
    db.drop_all()
    db.create_all()
    assert _snapshot()["docs"] == {}
    result = runner.invoke(args=["restore", str(target)])
    assert result.exit_code == 0, result.output
    db.session.remove()
    assert _snapshot() == before
    user = db.session.execute(select(User)).scalars().first()
    assert user.check_password(PASSWORD)


def test_json_restore_needs_an_empty_database(runner: Any, tmp_path: Path) -> None:
    runner.invoke(args=["seed", "--year", "2026", "--municipality", "Testvik kommune"])
    target = tmp_path / "b.json"
    runner.invoke(args=["backup", "-o", str(target), "--format", "json"])
    result = runner.invoke(args=["restore", str(target)])
    assert result.exit_code == 1 and "ikke tom" in result.output


def test_restore_rejects_other_files(runner: Any, tmp_path: Path) -> None:
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"\x00\x01 garbage")
    result = runner.invoke(args=["restore", str(junk)])
    assert result.exit_code != 0 and "verken" in result.output
