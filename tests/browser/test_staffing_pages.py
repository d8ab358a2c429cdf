"""Staffing in a real browser: team, absences, a fair rotation, a week by hand, peaks,
holidays, proposals and the load model — with axe-core on every page."""

from __future__ import annotations

import re
from typing import Any

from tests.browser.conftest import assert_accessible

PASSWORD = "et-langt-passord-123"


def tab(page: Any, name: str) -> Any:
    """A link in the staffing sub-navigation."""
    return page.locator("nav.tabs").get_by_role("link", name=name, exact=True)


def _set_up(page: Any) -> None:
    page.goto("/")
    page.get_by_label("Navn på kommunen").fill("Testvik kommune")
    page.get_by_label("E-postadresse").fill("kari@testvik.kommune.no")
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_label("År", exact=True).fill("2026")
    page.get_by_role("button").last.click()
    page.wait_for_url(re.compile(r"/plan/2026"))


def test_staffing_from_team_to_rota(page: Any) -> None:
    _set_up(page)
    page.get_by_role("link", name="Bemanning", exact=True).click()
    page.goto("/bemanning?year=2026")
    assert page.locator("h1").inner_text() == "Bemanning 2026"
    warnings = page.locator(".staffing-warning")
    assert warnings.count() > 5
    assert "Det er ingen vaktliste for 2026." in warnings.first.inner_text()
    assert (
        page.get_by_text(
            "«Søknadsfrist for barnehageplass (hovedopptak)» er søndag 01.03.2026"
        ).count()
        == 1
    )
    assert_accessible(page)

    # The team: three people by keyboard, one of them part time.
    tab(page, "Team og fravær").click()
    assert_accessible(page)
    for name, days in (("Kari", None), ("Ola", None), ("Lise", ("Torsdag", "Fredag"))):
        page.get_by_label("Navn", exact=True).fill(name)
        for day in days or ():
            page.get_by_label(day, exact=True).uncheck()
        page.get_by_label("Navn", exact=True).press("Enter")
        assert f"{name} er lagt til i teamet." in page.locator("#messages").inner_text()
    assert page.locator("table tbody tr").count() == 3
    lise_row = page.locator("tr", has_text="Lise")
    assert "man, tir, ons" in lise_row.inner_text()

    # Ola is away in fellesferie: one click, and a course by hand.
    page.get_by_role("link", name="Ola").click()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Borte i fellesferie")).click()
    assert "Ola er registrert borte i fellesferie" in page.locator("#messages").inner_text()
    page.get_by_label("Fra og med").fill("2026-03-04")
    page.get_by_label("Til og med").fill("2026-03-02")
    page.get_by_role("button", name="Registrer fravær").click()
    assert "kan ikke være før" in page.locator(".error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("Til og med").fill("2026-03-05")
    page.get_by_label("Årsak").fill("Kurs")
    page.get_by_role("button", name="Registrer fravær").click()
    assert page.locator("table", has_text="Kurs").count() == 1

    # A fair rotation for the whole year.
    tab(page, "Vaktliste").click()
    page.get_by_label("Hva skal lages").select_option("replace")
    page.get_by_label("Fra uke").fill("1")
    page.get_by_role("button", name="Lag rettferdig rotasjon for 2026").click()
    assert "Rotasjonen er laget" in page.locator("#messages").inner_text()
    week29 = page.locator("#uke-2026-29")
    assert "Ola" not in week29.inner_text().split("Fellesferie")[0]
    assert_accessible(page)

    # Week 10 by hand: Lise is main responsible; Kari takes Thursday and Friday.
    page.get_by_role("link", name="Uke 10", exact=True).click()
    assert_accessible(page)
    page.get_by_label("Hovedansvarlig hele uken").select_option(label="Lise")
    page.get_by_label("Hovedansvarlig 05.03.2026").select_option(label="Kari")
    page.get_by_label("Hovedansvarlig 06.03.2026").select_option(label="Kari")
    page.get_by_role("button", name="Lagre vakten").click()
    assert "Vakten for uke 10 er lagret" in page.locator("#messages").inner_text()
    row = page.locator("#uke-2026-10")
    assert "Lise" in row.inner_text() and "tor: Kari" in row.inner_text()

    # The overview now has no 'no rota' warning, and the filters work.
    tab(page, "Oversikt").click()
    assert page.get_by_text("Det er ingen vaktliste for 2026.").count() == 0
    page.get_by_role("link", name=re.compile(r"^Frist på helg eller helligdag")).click()
    page.wait_for_url(re.compile(r"kind=deadline_on_closed_day"))  # htmx swaps the list
    page.wait_for_function("document.querySelectorAll('.staffing-warning').length === 2")
    assert page.locator("h1").inner_text() == "Bemanning 2026"
    assert_accessible(page)


def test_peaks_holidays_proposals_and_load_model(page: Any) -> None:
    _set_up(page)
    page.goto("/bemanning/toppbelastninger?year=2026")
    assert page.get_by_role("link", name="Innspurt barnehagesøknader").count() == 1
    assert_accessible(page)
    proposal = page.locator(".proposal", has_text="Høringsfristen for kommuneplanen")
    proposal.get_by_role("button", name=re.compile("^Avvis")).click()
    assert "er avvist" in page.locator("#messages").inner_text()
    assert page.locator(".proposal", has_text="Høringsfristen").count() == 0
    page.get_by_text("1 avvist forslag").click()
    page.get_by_role("button", name=re.compile("^Angre")).click()
    proposal = page.locator(".proposal", has_text="Høringsfristen for kommuneplanen")
    proposal.get_by_role("button", name=re.compile("^Godta")).click()
    assert (
        page.get_by_role("link", name="Innspurt: Høringsfristen for kommuneplanen går ut").count()
        == 1
    )

    page.get_by_role("link", name="Innspurt barnehagesøknader").click()
    assert_accessible(page)
    page.get_by_label("Antall på vakt som trengs").fill("3")
    page.get_by_role("button", name="Lagre").click()
    assert "er lagret" in page.locator("#messages").inner_text()

    tab(page, "Ferier").click()
    assert page.get_by_role("link", name="Vinterferie").count() == 1
    assert_accessible(page)
    page.get_by_role("link", name="Vinterferie").click()
    assert "uke 8" in page.locator(".note").inner_text()
    page.get_by_label("Fra og med").fill("2026-02-16")
    page.get_by_label("Til og med").fill("2026-02-22")
    page.get_by_role("button", name="Lagre").click()
    assert page.locator("tr", has_text="Vinterferie").locator("td").nth(2).inner_text() == "uke 8"

    tab(page, "Lastmodell").click()
    assert_accessible(page)
    page.get_by_label("Faktor i toppbelastninger").fill("tre")
    page.get_by_role("button", name="Lagre vektene").click()
    assert "må være et tall" in page.locator(".error-summary").inner_text()
    page.get_by_label("Faktor i toppbelastninger").fill("2,5")
    page.get_by_role("button", name="Lagre vektene").click()
    assert "Lastmodellen er lagret" in page.locator("#messages").inner_text()
    assert page.get_by_label("Faktor i toppbelastninger").input_value() == "2,5"
