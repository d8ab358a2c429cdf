"""First run to plan in a real browser, by keyboard, with axe-core on every page."""

from __future__ import annotations

import re
from typing import Any

from tests.browser.conftest import assert_accessible

PASSWORD = "et-langt-passord-123"


def _setup_by_keyboard(page: Any) -> None:
    page.goto("/")
    assert page.url.endswith("/setup")
    assert_accessible(page)
    # Skip link first, then into the form with Tab only.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "municipality"
    page.keyboard.type("Testvik kommune")
    page.keyboard.press("Tab")
    page.keyboard.type("Kari Nordmann")
    page.keyboard.press("Tab")
    page.keyboard.type("kari@testvik.kommune.no")
    page.keyboard.press("Tab")
    page.keyboard.type("kort")  # too short: the form must say so, in Norwegian
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    error = page.locator("#password-error")
    assert "minst 10 tegn" in error.inner_text()
    assert page.locator("#password").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    page.locator("#password").focus()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "seed"
    assert page.locator("#seed").is_checked()
    page.keyboard.press("Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("2026")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/plan/2026"))


def test_first_run_setup_seed_and_plan_list(page: Any) -> None:
    _setup_by_keyboard(page)
    assert page.locator("h1").inner_text() == "Plan for 2026"
    assert "Kommunen og administratoren er opprettet" in page.locator("#messages").inner_text()
    march = page.locator("section", has=page.locator("h2", has_text="Mars 2026"))
    row = march.locator("tr", has_text="Søknadsfrist for barnehageplass")
    assert "01.03.2026" in row.inner_text() and "uke 9" in row.inner_text()
    assert page.locator("section.month").count() == 12
    assert_accessible(page)

    row.get_by_role("link").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/posts/\d+"))
    assert "Søknadsfrist for barnehageplass" in page.locator("h1").inner_text()
    assert_accessible(page)


def test_admin_pages_and_login_are_accessible(page: Any) -> None:
    _setup_by_keyboard(page)
    page.get_by_role("link", name="Administrasjon").click()
    assert page.locator("h1").inner_text() == "Brukere"
    assert_accessible(page)
    page.get_by_label("E-postadresse").fill("ikke-en-epost")
    page.get_by_label("Midlertidig passord").fill("kort")
    page.get_by_role("button", name="Opprett bruker").click()
    assert "gyldig e-postadresse" in page.locator("#email-error").inner_text()
    assert_accessible(page)
    page.get_by_label("E-postadresse").fill("ola@testvik.kommune.no")
    page.get_by_label("Rolle").select_option("viewer")
    page.get_by_label("Midlertidig passord").fill(PASSWORD)
    page.get_by_role("button", name="Opprett bruker").click()
    assert "ola@testvik.kommune.no er opprettet" in page.locator("#messages").inner_text()
    page.get_by_role("link", name=re.compile("Endre ola@")).click()
    assert_accessible(page)
    page.get_by_role("link", name="Innstillinger").click()
    assert page.get_by_label("Navn på kommunen").input_value() == "Testvik kommune"
    assert_accessible(page)

    page.goto("/finnes-ikke")
    assert page.locator("h1").inner_text() == "Fant ikke siden"
    assert_accessible(page)

    page.get_by_role("button", name="Logg ut").click()
    assert page.url.endswith("/login")
    assert_accessible(page)
    page.get_by_label("E-postadresse").fill("ola@testvik.kommune.no")
    page.get_by_label("Passord").fill("feil-passord-!!")
    page.get_by_label("Passord").press("Enter")
    assert "Feil e-postadresse eller passord." in page.locator("#password-error").inner_text()
    assert_accessible(page)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_label("Passord").press("Enter")
    page.wait_for_url(re.compile(r"/plan/\d{4}"))
    # A viewer sees the plan but not user administration.
    assert page.get_by_role("link", name="Administrasjon").count() == 0
