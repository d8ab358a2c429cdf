"""Shared fixtures: an app with a fresh database per test, clients, and builders.

The database is SQLite in a temporary folder by default; when ``DATABASE_URL`` points
at PostgreSQL (as in ``.ci/run``) the same tests run there, on tables created afresh
for every test.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
from flask import Flask, g
from flask.testing import FlaskClient, FlaskCliRunner

from planner import create_app
from planner.extensions import db, dispose_engines
from planner.models import Audience, Channel, Organisation, Post, User, Wheel

PASSWORD = "riktig-hemmelig-passord"


def _database_url(tmp_path: Any) -> str:
    url = os.environ.get("DATABASE_URL")
    if url and url.startswith("postgres"):
        return url
    return f"sqlite:///{tmp_path / 'test.sqlite'}"


def make_app(tmp_path: Any, **overrides: Any) -> Flask:
    """Create an app on a fresh, empty schema."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path),
        "WTF_CSRF_ENABLED": False,
    }
    config.update(overrides)
    app = create_app(config)

    def _forget_cached_user() -> None:
        # Tests keep one app context open, so ``g`` outlives a request; Flask-Login caches
        # the user in ``g``. Forget it so each request is authenticated by its own cookie.
        g.pop("_login_user", None)

    app.before_request_funcs.setdefault(None, []).insert(0, _forget_cached_user)
    with app.app_context():
        db.drop_all()
        db.create_all()
    return app


@pytest.fixture
def app(tmp_path: Any) -> Iterator[Flask]:
    """An app with a fresh database; CSRF is off here (``csrf_app`` has it on)."""
    app = make_app(tmp_path)
    with app.app_context():
        yield app
        db.session.remove()
        db.drop_all()
        dispose_engines()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def make_org(app: Flask) -> Callable[..., Organisation]:
    """Builder: an organisation."""

    def build(name: str = "Testvik kommune") -> Organisation:
        org = Organisation(name=name)
        db.session.add(org)
        db.session.commit()
        return org

    return build


@pytest.fixture
def org(make_org: Callable[..., Organisation]) -> Organisation:
    return make_org()


@pytest.fixture
def make_user(app: Flask, org: Organisation) -> Callable[..., User]:
    """Builder: a user with a role (password ``PASSWORD``)."""
    counter = iter(range(1, 10_000))

    def build(role: str = "editor", organisation: Organisation | None = None, **kw: Any) -> User:
        user = User(
            organisation_id=(organisation or org).id,
            email=kw.pop("email", f"{role}{next(counter)}@testvik.kommune.no"),
            role=role,
            **kw,
        )
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        return user

    return build


@pytest.fixture
def make_post(app: Flask, org: Organisation) -> Callable[..., Post]:
    """Builder: a post in the organisation's 2026 wheel, with overridable fields."""

    def build(**overrides: Any) -> Post:
        organisation = overrides.pop("organisation", org)
        wheel = db.session.execute(
            db.select(Wheel).filter_by(organisation_id=organisation.id, year=2026)
        ).scalar()
        if wheel is None:
            wheel = Wheel(organisation_id=organisation.id, year=2026, name="Årshjul 2026")
            db.session.add(wheel)
        values: dict[str, Any] = {
            "title": "Søknadsfrist barnehage",
            "start": datetime(2026, 3, 1),
            "end": datetime(2026, 3, 1),
            "all_day": True,
        }
        values.update(overrides)
        post = Post(organisation_id=organisation.id, wheel=wheel, **values)
        db.session.add(post)
        db.session.commit()
        return post

    return build


@pytest.fixture
def make_channel(app: Flask, org: Organisation) -> Callable[..., Channel]:
    def build(name: str = "Facebook", type: str = "nettsamfunn", **kw: Any) -> Channel:
        channel = Channel(
            organisation_id=kw.pop("organisation", org).id, name=name, type=type, **kw
        )
        db.session.add(channel)
        db.session.commit()
        return channel

    return build


@pytest.fixture
def make_audience(app: Flask, org: Organisation) -> Callable[..., Audience]:
    def build(name: str = "Foreldre", **kw: Any) -> Audience:
        audience = Audience(organisation_id=kw.pop("organisation", org).id, name=name, **kw)
        db.session.add(audience)
        db.session.commit()
        return audience

    return build


def login(client: FlaskClient, user: User) -> None:
    """Log ``user`` in through the real login form."""
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)


def csrf_token_from(html: str) -> str:
    """Pull the CSRF token out of a rendered form."""
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no CSRF token in page"
    return match.group(1)
