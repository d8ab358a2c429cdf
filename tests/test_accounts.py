"""The account service (planner.services.accounts): setup, users, login and settings, as
the views and the CLI call them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import func, select

from planner.extensions import db
from planner.models import Organisation, User, Wheel
from planner.services.accounts import (
    AccountError,
    add_user,
    any_user_exists,
    authenticate,
    get_organisation,
    load_user,
    organisation_users,
    reset_password,
    set_up_organisation,
    update_settings,
    update_user,
)
from planner.services.login_throttle import MAX_PER_EMAIL, is_locked, record_failure
from tests.conftest import PASSWORD

NEW_PASSWORD = "et-helt-nytt-passord"


def _count(model: type) -> int:
    return int(db.session.execute(select(func.count()).select_from(model)).scalar_one())


def test_set_up_organisation_creates_the_municipality_and_its_admin(app: Flask) -> None:
    assert not any_user_exists()
    user = set_up_organisation("Testvik kommune", "Ola@Testvik.no", PASSWORD, "Ola", 2027)
    assert any_user_exists()
    assert (user.email, user.role, user.name) == ("ola@testvik.no", "admin", "Ola")
    assert user.organisation.name == "Testvik kommune"
    years = db.session.execute(select(Wheel.year)).scalars().all()
    assert years and set(years) == {2027}


def test_set_up_organisation_without_seed_makes_no_wheel(app: Flask) -> None:
    set_up_organisation("Testvik kommune", "ola@testvik.no", PASSWORD, "", None)
    assert _count(Wheel) == 0


def test_set_up_organisation_saves_nothing_on_bad_input(app: Flask) -> None:
    with pytest.raises(AccountError):
        set_up_organisation("Testvik kommune", "ikke-en-adresse", PASSWORD, "", 2027)
    assert (_count(Organisation), _count(User), _count(Wheel)) == (0, 0, 0)


def test_load_user_by_session_id(app: Flask, make_user: Callable[..., User]) -> None:
    user = make_user()
    assert load_user(str(user.id)) is user
    assert load_user("ikke-et-tall") is None
    assert load_user("999999") is None


def test_authenticate_checks_email_in_any_case_password_and_active(
    app: Flask, make_user: Callable[..., User]
) -> None:
    user = make_user(email="kari@testvik.kommune.no")
    assert authenticate(" KARI@testvik.kommune.no", PASSWORD) is user
    assert authenticate("kari@testvik.kommune.no", "feil-passord-her") is None
    assert authenticate("ukjent@testvik.kommune.no", PASSWORD) is None
    user.active = False
    db.session.commit()
    assert authenticate("kari@testvik.kommune.no", PASSWORD) is None


def test_organisation_users_are_the_organisations_own_by_email(
    app: Flask,
    org: Organisation,
    make_org: Callable[..., Organisation],
    make_user: Callable[..., User],
) -> None:
    other = make_org("Annenby kommune")
    make_user(email="b@testvik.kommune.no")
    make_user(email="a@testvik.kommune.no")
    make_user(email="c@annenby.kommune.no", organisation=other)
    assert [u.email for u in organisation_users(org.id)] == [
        "a@testvik.kommune.no",
        "b@testvik.kommune.no",
    ]
    assert get_organisation(other.id) is other


def test_add_user_commits_and_refuses_a_taken_email(
    app: Flask, org: Organisation, make_user: Callable[..., User]
) -> None:
    make_user(email="kari@testvik.kommune.no")
    user = add_user(org.id, "per@testvik.kommune.no", PASSWORD, "viewer", "Per")
    db.session.rollback()  # committed: survives a rollback
    assert user.role == "viewer" and user in organisation_users(org.id)
    with pytest.raises(AccountError):
        add_user(org.id, "KARI@testvik.kommune.no", PASSWORD, "editor")
    assert _count(User) == 2


def test_update_user_changes_role_and_access(app: Flask, make_user: Callable[..., User]) -> None:
    admin, editor = make_user("admin"), make_user("editor")
    update_user(editor, "viewer", False, admin.id)
    db.session.rollback()
    assert (editor.role, editor.active) == ("viewer", False)


@pytest.mark.parametrize(("role", "active"), [("editor", True), ("admin", False)])
def test_update_user_refuses_to_remove_ones_own_admin_access(
    app: Flask, make_user: Callable[..., User], role: str, active: bool
) -> None:
    admin = make_user("admin")
    with pytest.raises(AccountError):
        update_user(admin, role, active, admin.id)
    db.session.rollback()
    assert (admin.role, admin.active) == ("admin", True)


def test_reset_password_sets_it_and_lifts_the_login_lock(
    app: Flask, make_user: Callable[..., User]
) -> None:
    user = make_user()
    for _ in range(MAX_PER_EMAIL):
        record_failure(user.email, "10.0.0.1")
    assert is_locked(user.email, "10.0.0.2")
    reset_password(user, NEW_PASSWORD)
    assert not is_locked(user.email, "10.0.0.2")
    assert authenticate(user.email, NEW_PASSWORD) is user


def test_update_settings_renames_and_keeps_embed_origins_tidy(
    app: Flask, org: Organisation, make_org: Callable[..., Organisation]
) -> None:
    org.settings = {"other": 1}
    db.session.commit()
    make_org("Annenby kommune")
    update_settings(org, "Nyvik kommune", ["https://B.no", "https://a.no", "https://b.no"])
    db.session.rollback()
    assert org.name == "Nyvik kommune"
    assert org.settings == {"other": 1, "embed_origins": ["https://a.no", "https://b.no"]}
    with pytest.raises(AccountError):
        update_settings(org, "Annenby kommune", [])
    db.session.rollback()
    assert org.name == "Nyvik kommune"
