"""Login everywhere, roles, CSRF and isolation between organisations."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from planner.extensions import db, dispose_engines
from planner.models import User
from tests.conftest import PASSWORD, csrf_token_from, login, make_app

PUBLIC_ENDPOINTS = {
    "health.healthz",
    "health.favicon",
    "auth.login",
    "setup.setup",
    "static",
    "feeds.serve",
}


def _sample_url(app: Flask, rule: Any) -> str:
    values = {arg: (2026 if arg == "year" else 1) for arg in rule.arguments}
    if rule.endpoint == "static":
        values = {"filename": "css/app.css"}
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


def test_every_route_requires_login_except_the_public_ones(
    app: Flask, client: Any, make_user: Any
) -> None:
    make_user("admin")  # setup is done, so anonymous users are sent to login
    rules = [r for r in app.url_map.iter_rules()]
    assert len(rules) > 5
    for rule in rules:
        url = _sample_url(app, rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            response.close()
            if rule.endpoint in PUBLIC_ENDPOINTS:
                # a feed with a made-up token is a plain 404 (no hint whether it existed)
                assert response.status_code in (200, 302, 404, 422), (rule.endpoint, method)
            else:
                assert response.status_code == 302, (rule.endpoint, method, response.status_code)
                assert "/login" in response.headers["Location"], (rule.endpoint, method)


def test_public_endpoints_are_exactly_the_expected_ones(app: Flask) -> None:
    public = {
        endpoint
        for endpoint, view in app.view_functions.items()
        if getattr(view, "is_public", False)
    }
    assert public == PUBLIC_ENDPOINTS - {"static"}


def test_htmx_request_without_login_gets_hx_redirect(client: Any, make_user: Any) -> None:
    make_user("admin")
    response = client.get("/plan/2026", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/login")


def test_first_visit_goes_to_setup(client: Any) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/setup")
    assert client.get("/login").headers["Location"].endswith("/setup")


def test_login_with_wrong_password_says_nothing_about_which_part(
    client: Any, make_user: Any
) -> None:
    user = make_user("viewer")
    wrong_pw = client.post("/login", data={"email": user.email, "password": "feil-passord-123"})
    no_user = client.post(
        "/login", data={"email": "finnes.ikke@x.no", "password": "feil-passord-123"}
    )
    assert wrong_pw.status_code == no_user.status_code == 422
    assert "Feil e-postadresse eller passord." in wrong_pw.get_data(as_text=True)
    assert "Feil e-postadresse eller passord." in no_user.get_data(as_text=True)


def test_deactivated_user_cannot_log_in(client: Any, make_user: Any) -> None:
    user = make_user("editor", active=False)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 422


def test_login_next_is_only_followed_on_this_site(client: Any, make_user: Any) -> None:
    user = make_user("viewer")
    response = client.post(
        "/login?next=https://evil.example/", data={"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize(("role", "status"), [("viewer", 403), ("editor", 403), ("admin", 200)])
def test_user_admin_is_for_admins_only(client: Any, make_user: Any, role: str, status: int) -> None:
    login(client, make_user(role))
    assert client.get("/admin/users").status_code == status
    response = client.post(
        "/admin/users",
        data={"email": "ny@testvik.kommune.no", "role": "admin", "password": "et-langt-passord"},
    )
    assert response.status_code == (302 if role == "admin" else 403)


def test_admin_creates_user_who_can_log_in(client: Any, make_user: Any, app: Flask) -> None:
    admin = make_user("admin")
    login(client, admin)
    response = client.post(
        "/admin/users",
        data={
            "name": "Kari",
            "email": "Kari@Testvik.Kommune.no",
            "role": "editor",
            "password": "et-langt-passord",
        },
    )
    assert response.status_code == 302
    kari = db.session.execute(
        db.select(User).filter_by(email="kari@testvik.kommune.no")
    ).scalar_one()
    assert kari.role == "editor" and kari.organisation_id == admin.organisation_id
    client.post("/logout")
    assert (
        client.post(
            "/login", data={"email": "kari@testvik.kommune.no", "password": "et-langt-passord"}
        ).status_code
        == 302
    )


def test_admin_user_form_errors_are_norwegian_and_nothing_saved(
    client: Any, make_user: Any
) -> None:
    login(client, make_user("admin"))
    response = client.post(
        "/admin/users", data={"email": "ikke-epost", "role": "editor", "password": "kort"}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Skriv en gyldig e-postadresse" in html
    assert "Passordet må ha minst 10 tegn." in html
    assert 'aria-describedby="email-error"' in html
    assert db.session.execute(db.select(db.func.count(User.id))).scalar() == 1


def test_admin_cannot_remove_own_admin_role(client: Any, make_user: Any) -> None:
    admin = make_user("admin")
    login(client, admin)
    response = client.post(f"/admin/users/{admin.id}", data={"role": "viewer", "active": "y"})
    assert response.status_code == 422
    db.session.refresh(admin)
    assert admin.role == "admin"


def test_csrf_token_required_for_state_changes(tmp_path: Any) -> None:
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    with app.app_context():
        from planner.models import Organisation

        org = Organisation(name="Testvik kommune")
        db.session.add(org)
        db.session.flush()
        user = User(organisation_id=org.id, email="a@testvik.kommune.no", role="admin")
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        client = app.test_client()
        refused = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert refused.status_code == 400
        assert "sikkerhetsnøkkel" in refused.get_data(as_text=True)
        token = csrf_token_from(client.get("/login").get_data(as_text=True))
        ok = client.post(
            "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
        )
        assert ok.status_code == 302
        # htmx sends the token in a header (hx-headers on <body>)
        page = client.get("/admin/users").get_data(as_text=True)
        assert 'hx-headers=\'{"X-CSRFToken": "' in page
        header_token = csrf_token_from(page)
        assert client.post("/logout").status_code == 400
        assert client.post("/logout", headers={"X-CSRFToken": header_token}).status_code == 302
        db.session.remove()
        db.drop_all()
        dispose_engines()


def test_other_organisations_objects_are_404(
    client: Any, make_user: Any, make_org: Any, make_post: Any
) -> None:
    other = make_org("Nabokommune")
    foreign_post = make_post(organisation=other, title="Hemmelig nabopost")
    foreign_admin = make_user("admin", organisation=other)
    login(client, make_user("admin"))
    assert client.get(f"/posts/{foreign_post.id}").status_code == 404
    assert client.get(f"/admin/users/{foreign_admin.id}").status_code == 404
    assert "Hemmelig nabopost" not in client.get("/plan/2026").get_data(as_text=True)
    assert foreign_admin.email not in client.get("/admin/users").get_data(as_text=True)
    mine = make_post(title="Egen post")
    assert client.get(f"/posts/{mine.id}").status_code == 200


def test_admin_renames_municipality(client: Any, make_user: Any, make_org: Any, org: Any) -> None:
    make_org("Nabokommune")
    login(client, make_user("admin"))
    assert client.get("/admin/settings").status_code == 200
    taken = client.post("/admin/settings", data={"name": "Nabokommune"})
    assert taken.status_code == 422 and "allerede i bruk" in taken.get_data(as_text=True)
    assert client.post("/admin/settings", data={"name": "Nye Testvik kommune"}).status_code == 302
    db.session.refresh(org)
    assert org.name == "Nye Testvik kommune"
