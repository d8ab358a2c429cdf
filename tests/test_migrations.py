"""Migrations keep data: a database made by the first migration, with data in it, is
upgraded to the newest schema and nothing is lost."""

from __future__ import annotations

import os
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import text

from planner import create_app
from planner.extensions import db, dispose_engines

FIRST_REVISION = "669a154f4b84"


def test_upgrade_from_first_migration_keeps_data(tmp_path: Path) -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade(revision=FIRST_REVISION)
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO organisation (id, name, created_at) VALUES (1, 'Gamle Testvik', '2026-01-01 00:00:00')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO user_account (id, organisation_id, email, name, password_hash, role, active, created_at) "
                    "VALUES (1, 1, 'a@testvik.no', 'A', 'x', 'admin', true, '2026-01-01 00:00:00')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO wheel (id, organisation_id, name, year, created_at, updated_at) VALUES (1, 1, 'Årshjul 2026', 2026, '2026-01-01', '2026-01-01')"
                )
            )
            conn.execute(
                text(
                    'INSERT INTO post (id, organisation_id, uid, wheel_id, title, description, start, "end", all_day, '
                    "status, kind, responsible, link, archive_worthy, notes, version, created_at, updated_at) VALUES "
                    "(1, 1, 'u1@arshjul', 1, 'Søknadsfrist', '', '2026-03-01 00:00:00', '2026-03-01 00:00:00', true, "
                    "'planlagt', 'proaktiv', '', '', false, '', 3, '2026-01-01', '2026-01-01')"
                )
            )
        upgrade()  # to head
        with db.engine.connect() as conn:
            org = conn.execute(text("SELECT name, data_version, settings FROM organisation")).one()
            post = conn.execute(text("SELECT uid, title, version, deleted_at FROM post")).one()
            email = conn.execute(text("SELECT email FROM user_account")).scalar_one()
        assert org[0] == "Gamle Testvik" and org[1] == 1
        assert org[2] in ({}, "{}")
        assert tuple(post) == ("u1@arshjul", "Søknadsfrist", 3, None)
        assert email == "a@testvik.no"
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.session.remove()
        dispose_engines()
