"""The app factory, configuration, health check and migrations."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Blueprint
from flask_migrate import upgrade
from sqlalchemy import create_engine, inspect

from planner import BLUEPRINTS, create_app, views
from planner.extensions import db, dispose_engines


def test_database_url_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path / 'env.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", url)
    app = create_app({"TESTING": True})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == url


def test_postgres_url_uses_psycopg3(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@localhost/db")
    app = create_app({"TESTING": True})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@localhost/db"


def test_default_database_is_sqlite_in_instance(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"TESTING": True})
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("instance/planner.sqlite")


def test_secret_key_is_generated_once_and_kept(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    from planner.config import _secret_key

    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = _secret_key(str(tmp_path))
    assert len(first) == 64
    assert _secret_key(str(tmp_path)) == first


def test_healthz_without_login(client: Any) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok"


def test_every_blueprint_is_in_the_one_list(app: Any) -> None:
    """Each ``bp`` in planner.views is registered through ``planner.BLUEPRINTS`` (no scan)."""
    found = set()
    for info in pkgutil.walk_packages(views.__path__, f"{views.__name__}."):
        blueprint = getattr(importlib.import_module(info.name), "bp", None)
        if isinstance(blueprint, Blueprint):
            found.add(blueprint.name)
    listed = [blueprint.name for blueprint in BLUEPRINTS]
    assert len(listed) == len(set(listed))
    assert found == set(listed) == set(app.blueprints)


def test_sqlite_enforces_foreign_keys(app: Any) -> None:
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        assert db.session.execute(db.text("PRAGMA foreign_keys")).scalar() == 1


def test_migrations_build_the_models_schema(tmp_path: Any) -> None:
    """`flask db upgrade` on an empty database gives exactly the schema the models describe."""
    import os

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = f"sqlite:///{tmp_path / 'migrated.sqlite'}"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
        upgrade()
        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(ctx, db.metadata)
            assert diff == []
            assert "post" in inspect(conn).get_table_names()
        engine.dispose()
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
        db.session.remove()
        dispose_engines()
