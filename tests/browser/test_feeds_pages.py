"""Calendar feed and .ics import pages in a real browser: axe-core on every page and
state, the copy buttons (JavaScript, by keyboard), the new-feed form, and the upload →
preview → import flow."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import expect
from sqlalchemy import select

from planner.domain.dates import now_oslo
from planner.extensions import db
from planner.models import ExternalEvent, Feed, Organisation, Post, User
from planner.services.posts.seeding import seed_year
from tests.browser.conftest import assert_accessible

EMAIL = "redaktor@testvik.kommune.no"
PASSWORD = "et-langt-passord-123"
DATA = Path(__file__).resolve().parents[1] / "data"


def _seed(live_app: Any) -> None:
    with live_app.app_context():
        org = Organisation(name="Testvik kommune")
        db.session.add(org)
        db.session.flush()
        seed_year(org, now_oslo().year)
        user = User(organisation_id=org.id, email=EMAIL, role="editor", name="Kari")
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        db.session.remove()


def _login(page: Any) -> None:
    page.goto("/login")
    page.get_by_label("E-postadresse").fill(EMAIL)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_label("Passord").press("Enter")
    page.wait_for_url(re.compile(r"/plan/\d{4}"))


def test_create_feed_copy_links_and_subscribe(page: Any, live_app: Any) -> None:
    _seed(live_app)
    _login(page)
    page.get_by_role("link", name="Kalenderfeeder").first.click()
    expect(page.locator("h1")).to_have_text("Kalenderfeeder")
    assert "8. til 24. time" in page.locator(".howto").inner_text()
    assert_accessible(page)

    # An empty name: field-level error, focusable summary, still accessible.
    page.get_by_role("button", name="Lag feed").click()
    expect(page.locator("#name-error")).to_contain_text("Gi feeden et navn")
    assert page.locator("#name").get_attribute("aria-invalid") == "true"
    assert_accessible(page)

    # Duty feeds ask for a person instead of the plan filter (JavaScript shows the part).
    page.get_by_label("Vaktlisten (hovedansvarlig og backup)").check()
    expect(page.get_by_label("Hvem sine vakter?")).to_be_visible()
    expect(page.get_by_role("group", name="Kanaler")).to_be_hidden()
    page.get_by_label("Innlegg i planen").check()
    expect(page.get_by_role("group", name="Kanaler")).to_be_visible()

    page.get_by_label("Navn på kalenderen").fill("Oppvekst – Facebook")
    page.get_by_role("group", name="Kanaler").get_by_label("Facebook", exact=True).check()
    page.get_by_label("Påminnelse").select_option("2")
    page.get_by_role("button", name="Lag feed").click()
    expect(page.locator("#messages")).to_contain_text("Feeden «Oppvekst – Facebook» er opprettet")
    assert_accessible(page)

    with live_app.app_context():
        feed = db.session.execute(select(Feed)).scalar_one()
        token, path = feed.token, feed.path
        db.session.remove()
    https = page.locator("input[id^='https-']")
    expect(https).to_have_value(re.compile(rf"^http://127\.0\.0\.1:\d+/feeds/{token}\.ics$"))
    expect(page.locator("input[id^='webcal-']")).to_have_value(
        re.compile(r"^webcal://127\.0\.0\.1")
    )

    # The copy button works from the keyboard and says so to screen readers.
    page.context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=live_app.config["LIVE_URL"]
    )
    button = page.get_by_role("button", name=re.compile("Kopier https-adressen"))
    expect(button).to_be_visible()
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#copy-status")).to_contain_text("Adressen er kopiert")
    assert page.evaluate("navigator.clipboard.readText()") == https.input_value()

    # The feed itself: no login needed, a calendar.
    response = page.request.get(path)
    assert response.status == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert "BEGIN:VCALENDAR" in response.text() and "Oppvekst – Facebook" in response.text()

    # Revoking asks for nothing more and the address stops working.
    page.get_by_role("button", name="Trekk tilbake Oppvekst – Facebook").click()
    expect(page.locator("#messages")).to_contain_text("er trukket tilbake")
    assert page.request.get(path).status == 404
    assert_accessible(page)


def test_import_preview_and_choice(page: Any, live_app: Any) -> None:
    _seed(live_app)
    _login(page)
    page.goto("/import/kalender")
    expect(page.locator("h1")).to_have_text("Importer kalenderfil (.ics)")
    assert_accessible(page)

    page.get_by_label("Kalenderfil (.ics)").set_input_files(str(DATA / "wrong_encoding_latin1.ics"))
    page.get_by_role("button", name="Les filen").click()
    expect(page.locator(".error-summary")).to_contain_text("UTF-8")
    assert_accessible(page)

    page.get_by_label("Kalenderfil (.ics)").set_input_files(str(DATA / "council_meetings_utc.ics"))
    page.get_by_role("button", name="Les filen").click()
    page.wait_for_url(re.compile(r"/import/kalender/"))
    expect(page.locator("h1")).to_have_text("Velg hva som skal importeres")
    expect(page.get_by_label("Navn på den eksterne kalenderen")).to_have_value(
        "Politiske møter i Testvik"
    )
    assert_accessible(page)

    page.get_by_role("button", name="Ikke importer").click()
    for select_box in page.locator("select.import-choice").all():
        expect(select_box).to_have_value("skip")
    page.get_by_label("Hva skal skje med «Kommunestyret»?").select_option("external")
    page.get_by_label(
        "Hva skal skje med «Formannskapet – innstilling til budsjett 2027»?"
    ).select_option("post")
    page.get_by_label("Hva slags kalender?").select_option("møter")
    page.get_by_role("button", name="Importer valgte hendelser").click()
    page.wait_for_url(re.compile(r"/import/kalender$"))
    expect(page.locator("#messages")).to_contain_text("1 nye og 0 oppdaterte innlegg")
    expect(page.locator("table")).to_contain_text("Politiske møter i Testvik")
    assert_accessible(page)
    with live_app.app_context():
        assert db.session.execute(select(ExternalEvent.summary)).scalars().all() == [
            "Kommunestyret"
        ]
        titles = db.session.execute(select(Post.title)).scalars().all()
        assert "Formannskapet – innstilling til budsjett 2027" in titles
        db.session.remove()
