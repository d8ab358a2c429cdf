"""The import area in a real browser: the overview at /import (reached from the menu, each
import explained), its own tabs, and the mapping form's errors next to the fields – each
state checked with axe-core, on a wide and a phone-sized screen."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.browser.test_foundation_pages import _setup_by_keyboard

SHEET = "Dato;Aktivitet;Kanal(er)\n03.03.2026;Påminnelse om eiendomsskatt;Facebook\n"


def test_import_overview_from_the_menu(page: Any) -> None:
    _setup_by_keyboard(page)  # the first administrator
    page.get_by_role("link", name="Import", exact=True).click()
    page.wait_for_url(re.compile(r"/import$"))
    expect(page.locator("h1")).to_have_text("Import")
    headings = page.locator("main h2").all_inner_texts()
    assert headings == [
        "Regneark: årshjulet fra Excel eller CSV",
        "Kalenderfil: møter, skoleferier og andre kalendere",
        "Sikkerhetskopi",
    ]
    assert "høyst 20 MB og 20 000 rader" in page.locator("main").inner_text()
    expect(page.get_by_role("link", name="Oversikt")).to_have_attribute("aria-current", "page")
    assert_accessible(page)

    page.get_by_role("link", name="Importer kalenderfil (.ics)").click()
    expect(page.locator("h1")).to_have_text("Importer kalenderfil (.ics)")
    expect(page.get_by_role("link", name="Kalenderfil", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    page.get_by_role("link", name="Oversikt").click()
    page.get_by_role("link", name="Gjenopprett en sikkerhetskopi").click()
    expect(page.locator("h1")).to_have_text("Gjenopprett en sikkerhetskopi")
    assert_accessible(page)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/import")
    # The page itself fits a phone (the site menu above it is another matter).
    too_wide = page.evaluate(
        "() => [...document.querySelectorAll('main *')]"
        ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).length"
    )
    assert too_wide == 0
    assert_accessible(page)


def test_mapping_errors_next_to_the_fields(page: Any) -> None:
    _setup_by_keyboard(page)
    page.goto("/import/regneark")
    page.get_by_label("Regneark (.xlsx eller .csv)").set_input_files(
        {"name": "plan.csv", "mimeType": "text/csv", "buffer": SHEET.encode("utf-8")}
    )
    page.get_by_role("button", name="Last opp og velg kolonner").click()
    page.wait_for_url(re.compile(r"/import/regneark/[\w-]+"))
    expect(page.get_by_label("Kolonne B («Aktivitet») importeres som")).to_have_value("title")

    page.locator("#ar").fill("1800")
    page.get_by_role("button", name="Oppdater forhåndsvisningen").click()
    expect(page.locator("#ar-error")).to_have_text("Året må være mellom 2000 og 2100.")
    assert page.locator("#ar").get_attribute("aria-invalid") == "true"
    expect(page.locator(".error-summary")).to_contain_text("År: Året må være mellom")
    assert_accessible(page)
