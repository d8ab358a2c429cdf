"""Every route in ``app.url_map``, for anonymous users, viewers, editors, administrators and
a user of another organisation: the expected outcome, and never a 500.

Adding a route means deciding here who may use it (the tables below must name every
endpoint that is not open to every logged-in reader)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from flask import Flask, url_for
from sqlalchemy import select

from planner.extensions import db
from planner.models import (
    Absence,
    Audience,
    Channel,
    ExternalCalendar,
    HolidayPeriod,
    Organisation,
    PeakPeriod,
    Post,
    ServiceArea,
    StaffMember,
    User,
)
from planner.models.staffing import PeakProposalDismissal
from planner.services.feeds.management import create_feed
from planner.services.posts.seeding import seed_year
from tests.conftest import PASSWORD

PUBLIC = {"health.healthz", "health.favicon", "auth.login", "setup.setup", "feeds.serve", "static"}
# Pages whose GET shows a form for changing something: editors and admins only.
EDITOR_GET = {
    "plan.post_new",
    "plan.post_edit",
    "plan.post_delete",
    "plan.occurrence_edit",
    "plan.roll_forward_view",
    "catalog.audience_delete",
    "catalog.audience_edit",
    "catalog.channel_delete",
    "catalog.channel_edit",
    "catalog.service_area_delete",
    "catalog.service_area_edit",
    "imports.index",
    "imports.spreadsheet_upload",
    "imports.spreadsheet_map",
    "imports.calendar_upload",
    "imports.calendar_preview",
    "staffing.holiday_delete",
    "staffing.peak_delete",
    "staffing.person_delete",
}
ADMIN_ONLY = {
    "admin.settings",
    "admin.user_edit",
    "admin.user_password",
    "admin.users",
    "exports.backup",
    "exports.backup_download",
    "imports.restore",
    "plan.bin_empty",
}
# Changes that are not editing the plan: any logged-in user may do them.
OPEN_POST = {"auth.logout", "auth.login", "setup.setup", "feeds.index"}
# A user's own private feeds: others (below admin) do not see them at all, so 404.
OWNER_ONLY = {"feeds.revoke", "feeds.rotate", "feeds.delete"}
# Routes that address an upload by a token we cannot guess here: 404 for everyone.
TOKEN_ROUTES = {"imports.spreadsheet_map", "imports.calendar_preview", "feeds.serve"}
# Old addresses of pages that moved: a permanent redirect (308) for everyone logged in;
# the new address decides who may use it.
MOVED = {
    "imports.moved_spreadsheet_upload",
    "imports.moved_spreadsheet_map",
    "imports.moved_calendar_upload",
    "imports.moved_calendar_preview",
}


def _world(org: Organisation) -> dict[str, int]:
    """One of everything a route can address, in ``org``."""
    seed_year(org, 2026)
    staff = StaffMember(organisation_id=org.id, name=f"Kari {org.id}")
    staff.absences.append(
        Absence(organisation_id=org.id, start=date(2026, 7, 6), end=date(2026, 7, 24))
    )
    calendar = ExternalCalendar(organisation_id=org.id, name="Politiske møter", kind="møter")
    dismissal = PeakProposalDismissal(organisation_id=org.id, key=f"tett:2026-W14:{org.id}")
    db.session.add_all([staff, calendar, dismissal])
    db.session.commit()
    feed = create_feed(org.id, "Hele planen")

    def first(model: Any, *where: Any) -> int:
        return (
            db.session.execute(
                select(model.id).where(model.organisation_id == org.id, *where).order_by(model.id)
            )
            .scalars()
            .first()
        )

    return {
        "post_id": first(Post, Post.rrule.is_not(None)),
        "user_id": first(User) or 0,
        "audience_id": first(Audience),
        "channel_id": first(Channel),
        "area_id": first(ServiceArea),
        "peak_id": first(PeakPeriod),
        "holiday_id": first(HolidayPeriod),
        "staff_id": staff.id,
        "absence_id": staff.absences[0].id,
        "dismissal_id": dismissal.id,
        "feed_id": feed.id,
        "calendar_id": calendar.id,
    }


SAMPLE = {"year": 2026, "iso_year": 2026, "week": 9, "month": 3, "fmt": "csv", "token": "ukjent"}


def _url(app: Flask, rule: Any, ids: dict[str, int]) -> str:
    if rule.endpoint == "static":
        values: dict[str, Any] = {"filename": "css/app.css"}
    else:
        values = {arg: ids.get(arg, SAMPLE.get(arg)) for arg in rule.arguments}
    with app.test_request_context():
        url = url_for(rule.endpoint, **values)
    if rule.endpoint == "plan.occurrence_edit":
        post = db.session.get(Post, ids["post_id"])
        url += f"?id={post.start.isoformat()}"
    return url


@pytest.fixture
def worlds(app: Flask) -> dict[str, Any]:
    home, other = Organisation(name="Testvik kommune"), Organisation(name="Nabokommune")
    db.session.add_all([home, other])
    db.session.commit()
    users = {}
    for role in ("viewer", "editor", "admin"):
        user = User(organisation_id=home.id, email=f"{role}@testvik.no", role=role)
        user.set_password(PASSWORD)
        users[role] = user
    stranger = User(organisation_id=other.id, email="admin@nabo.no", role="admin")
    stranger.set_password(PASSWORD)
    db.session.add_all([*users.values(), stranger])
    db.session.commit()
    return {"home": _world(home), "other": _world(other), "users": users, "stranger": stranger}


def _client(app: Flask, user: User | None) -> Any:
    client = app.test_client()
    if user is not None:
        assert (
            client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code
            == 302
        )
    return client


def _rules(app: Flask) -> list[Any]:
    return sorted(app.url_map.iter_rules(), key=lambda r: r.rule)


def test_every_endpoint_is_classified(app: Flask) -> None:
    known = PUBLIC | EDITOR_GET | ADMIN_ONLY | OPEN_POST | OWNER_ONLY | MOVED
    for rule in _rules(app):
        assert rule.endpoint in app.view_functions
    assert known - set(app.view_functions) == set(), (
        "the tables name endpoints that no longer exist"
    )


@pytest.mark.parametrize("role", [None, "viewer", "editor", "admin"])
def test_get_outcome_for_each_role(app: Flask, worlds: dict[str, Any], role: str | None) -> None:
    client = _client(app, worlds["users"].get(role) if role else None)
    for rule in _rules(app):
        if "GET" not in (rule.methods or set()):
            continue
        response = client.get(_url(app, rule, worlds["home"]))
        response.close()
        status, where = response.status_code, (rule.endpoint, role)
        assert status != 500, where
        if rule.endpoint in MOVED and role is not None:
            assert status == 308, where
        elif rule.endpoint in TOKEN_ROUTES:
            assert status in (302, 403, 404), where
        elif rule.endpoint in PUBLIC:
            assert status in (200, 302), where
        elif role is None:
            assert status == 302 and "/login" in response.headers["Location"], where
        elif rule.endpoint in ADMIN_ONLY:
            assert status == (200 if role == "admin" else 403), where
        elif rule.endpoint in EDITOR_GET:
            assert status == (403 if role == "viewer" else 200), where
        else:
            assert status in (200, 302), where


def test_viewers_cannot_change_anything(app: Flask, worlds: dict[str, Any]) -> None:
    client = _client(app, worlds["users"]["viewer"])
    for rule in _rules(app):
        if "POST" not in (rule.methods or set()) or rule.endpoint in OPEN_POST | TOKEN_ROUTES:
            continue
        response = client.post(_url(app, rule, worlds["home"]), data={})
        expected = 404 if rule.endpoint in OWNER_ONLY else 308 if rule.endpoint in MOVED else 403
        assert response.status_code == expected, rule.endpoint


def test_editors_cannot_do_admin_things(app: Flask, worlds: dict[str, Any]) -> None:
    client = _client(app, worlds["users"]["editor"])
    for rule in _rules(app):
        if "POST" in (rule.methods or set()) and rule.endpoint in ADMIN_ONLY:
            response = client.post(_url(app, rule, worlds["home"]), data={})
            assert response.status_code == 403, rule.endpoint


def test_other_organisations_objects_are_404(app: Flask, worlds: dict[str, Any]) -> None:
    """An administrator of another municipality gets 404 (not 403) for every object."""
    client = _client(app, worlds["stranger"])
    checked = 0
    for rule in _rules(app):
        if not set(rule.arguments) & set(worlds["home"]) or rule.endpoint in TOKEN_ROUTES:
            continue
        url = _url(app, rule, worlds["home"])
        for method in sorted((rule.methods or set()) & {"GET", "POST"}):
            response = client.open(url, method=method, data={})
            assert response.status_code == 404, (rule.endpoint, method, response.status_code)
            checked += 1
    assert checked > 40
