"""Hardened HTTP: headers, CSP, cookies, login throttling, password reset, error pages, bin."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from planner import create_app
from planner.extensions import db
from planner.models import Post
from planner.models.history import HistoryEntry
from planner.views.access import public
from tests.conftest import PASSWORD, login


def test_security_headers_and_strict_csp(client: Any, make_user: Any) -> None:
    login(client, make_user("viewer"))
    response = client.get("/plan/2026")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    assert "<script>" not in html and ' style="' not in html and "onclick" not in html


def test_session_cookie_flags(client: Any, make_user: Any, tmp_path: Any, monkeypatch: Any) -> None:
    user = make_user("viewer")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    monkeypatch.setenv("PLANNER_HTTPS", "1")
    secure_app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert secure_app.config["SESSION_COOKIE_SECURE"] is True
    assert secure_app.test_client().get("/healthz").headers["Strict-Transport-Security"]


def test_login_is_throttled_without_revealing_accounts(client: Any, make_user: Any) -> None:
    user = make_user("viewer")
    for _ in range(5):
        assert (
            client.post(
                "/login", data={"email": user.email, "password": "feil-feil-feil"}
            ).status_code
            == 422
        )
    locked = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert locked.status_code == 429
    assert "For mange mislykkede innlogginger" in locked.get_data(as_text=True)
    for _ in range(5):
        client.post("/login", data={"email": "finnes.ikke@x.no", "password": "feil-feil-feil"})
    ghost = client.post("/login", data={"email": "finnes.ikke@x.no", "password": "feil-feil-feil"})
    assert ghost.status_code == 429  # the same answer for an email that does not exist


def test_admin_resets_password_and_unlocks(client: Any, make_user: Any) -> None:
    user = make_user("editor")
    for _ in range(5):
        client.post("/login", data={"email": user.email, "password": "feil-feil-feil"})
    admin_client = client.application.test_client()
    login(admin_client, make_user("admin"))
    weak = admin_client.post(f"/admin/users/{user.id}/password", data={"password": "kort"})
    assert weak.status_code == 422 and "minst 10 tegn" in weak.get_data(as_text=True)
    assert (
        admin_client.post(
            f"/admin/users/{user.id}/password", data={"password": "helt-nytt-passord"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            "/login", data={"email": user.email, "password": "helt-nytt-passord"}
        ).status_code
        == 302
    )


def test_error_pages_are_norwegian_and_leak_nothing(client: Any, make_user: Any) -> None:
    login(client, make_user("viewer"))
    missing = client.get("/finnes-ikke")
    assert missing.status_code == 404 and "Fant ikke siden" in missing.get_data(as_text=True)
    forbidden = client.get("/admin/users")
    assert forbidden.status_code == 403 and "Ingen tilgang" in forbidden.get_data(as_text=True)
    not_allowed = client.put("/healthz")
    assert not_allowed.status_code == 405 and "Ikke tillatt" in not_allowed.get_data(as_text=True)


def test_500_page_leaks_no_internals() -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"})

    @app.get("/__boom")
    @public
    def boom() -> str:
        raise RuntimeError("hemmelig intern detalj")

    crashed = app.test_client().get("/__boom")
    body = crashed.get_data(as_text=True)
    assert crashed.status_code == 500 and "Noe gikk galt" in body
    assert "hemmelig" not in body and "Traceback" not in body


def test_too_large_upload_is_413(client: Any, make_user: Any, app: Any) -> None:
    login(client, make_user("admin"))
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = client.post("/admin/settings", data={"name": "x" * 5000})
    assert response.status_code == 413 and "For stor" in response.get_data(as_text=True)


def test_only_admin_empties_the_bin_and_history_keeps_it(
    client: Any, make_user: Any, make_post: Any
) -> None:
    post = make_post(title="Slettes", deleted_at=datetime(2026, 1, 1))
    login(client, make_user("editor"))
    assert client.post("/papirkurv/tom").status_code == 403
    admin = client.application.test_client()
    login(admin, make_user("admin"))
    assert admin.post("/papirkurv/tom").status_code == 302
    assert db.session.execute(select(func.count(Post.id))).scalar_one() == 0
    deleted = db.session.execute(
        select(HistoryEntry).where(
            HistoryEntry.entity_id == post.id, HistoryEntry.action == "delete"
        )
    ).scalar_one()
    assert deleted.label == "Slettes"


def test_wheel_can_be_embedded_only_where_the_admin_allows(client: Any, make_user: Any) -> None:
    login(client, make_user("admin"))
    assert (
        "frame-ancestors 'none'" in client.get("/arshjul/2026").headers["Content-Security-Policy"]
    )
    bad = client.post(
        "/admin/settings", data={"name": "Testvik kommune", "embed_origins": "javascript:alert(1)"}
    )
    assert bad.status_code == 422 and "ikke en gyldig adresse" in bad.get_data(as_text=True)
    ok = client.post(
        "/admin/settings",
        data={"name": "Testvik kommune", "embed_origins": "https://intranett.testvik.kommune.no"},
    )
    assert ok.status_code == 302
    wheel = client.get("/arshjul/2026")
    assert (
        "frame-ancestors 'self' https://intranett.testvik.kommune.no"
        in wheel.headers["Content-Security-Policy"]
    )
    assert "X-Frame-Options" not in wheel.headers
    other_page = client.get("/plan/2026")
    assert "frame-ancestors 'none'" in other_page.headers["Content-Security-Policy"]
    assert other_page.headers["X-Frame-Options"] == "DENY"
