"""The catalog pages in a real browser: axe-core on every page and state (forms with
errors, inline edit rows, confirm pages), keyboard-only editing of the reach matrix and
of audiences with htmx, and the matrix saved as a whole without JavaScript."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect
from sqlalchemy import select

from planner.extensions import db
from planner.models import Audience, Channel, Organisation, Reach, User
from planner.services.posts.seeding import seed_year
from tests.browser.conftest import assert_accessible

EMAIL = "redaktor@testvik.kommune.no"
PASSWORD = "et-langt-passord-123"


def _seed(live_app: Any, role: str = "editor") -> None:
    """The recommended årshjul (audiences, channels, reach, service areas) and a user."""
    with live_app.app_context():
        org = Organisation(name="Testvik kommune")
        db.session.add(org)
        db.session.flush()
        seed_year(org, 2026)
        user = User(organisation_id=org.id, email=EMAIL, role=role, name="Kari")
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


def _ids(live_app: Any, audience: str, channel: str) -> tuple[int, int]:
    with live_app.app_context():
        a = db.session.execute(select(Audience.id).filter_by(name=audience)).scalar_one()
        c = db.session.execute(select(Channel.id).filter_by(name=channel)).scalar_one()
        db.session.remove()
    return a, c


def _level(live_app: Any, audience_id: int, channel_id: int) -> int:
    with live_app.app_context():
        level = db.session.execute(
            select(Reach.level).filter_by(audience_id=audience_id, channel_id=channel_id)
        ).scalar()
        db.session.remove()
    return level or 0


def _tab_to(page: Any, element_id: str, limit: int = 400) -> None:
    """Press Tab until the element with ``element_id`` has focus (keyboard only)."""
    for _ in range(limit):
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"#{element_id} never got focus by Tab")


def test_every_catalog_page_is_accessible(page: Any, live_app: Any) -> None:
    _seed(live_app)
    _login(page)
    page.get_by_role("link", name="Målgrupper og kanaler").click()
    assert page.locator("h1").inner_text() == "Målgrupper"
    assert page.locator("#audience-table tbody tr").count() == 14
    assert_accessible(page)

    # The create form with errors (duplicate name) – a full page with 422.
    page.get_by_label("Navn", exact=True).fill("Ungdom 13–19 år")
    page.get_by_role("button", name="Legg til målgruppe").click()
    assert (
        "Det finnes allerede en målgruppe som heter «Ungdom 13–19 år»."
        in page.locator("#name-error").inner_text()
    )
    assert_accessible(page)

    # An inline edit row (htmx) with an error in it.
    page.get_by_role("link", name="Endre Eldre innbyggere og pårørende").click()
    row_form = page.locator("tr.editing form")
    name_field = row_form.get_by_label("Navn", exact=True)
    expect(name_field).to_be_focused()
    name_field.fill("")
    name_field.press("Enter")
    expect(row_form.locator(".error")).to_have_text("Skriv inn et navn på målgruppen.")
    expect(name_field).to_be_focused()
    assert_accessible(page)

    page.get_by_role("link", name="Kanaler", exact=True).click()
    assert page.locator("h1").inner_text() == "Kanaler"
    assert_accessible(page)
    page.get_by_label("Navn", exact=True).fill("Nabolagsappen")
    page.get_by_label("Type kanal").select_option("nettsamfunn")
    page.get_by_label("Svartid i timer").fill("8")
    page.get_by_label("Farge").fill("#ffcc00")
    page.get_by_role("button", name="Legg til kanal").click()
    assert "for lav kontrast mot hvit bakgrunn" in page.locator("#colour-error").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Fyll inn standardtekst fra svartiden").click()
    assert (
        "innen 8 timer på hverdager"
        in page.get_by_label("Tekst til kanalens profilside").input_value()
    )
    assert_accessible(page)

    page.get_by_role("link", name="Endre Facebook").click()
    expect(page.locator("tr.editing legend")).to_have_text("Endre kanalen «Facebook»")
    assert_accessible(page)
    page.locator("tr.editing").get_by_role("link", name="Avbryt").click()
    expect(page.locator("tr.editing")).to_have_count(0)
    expect(page.get_by_role("link", name="Endre Facebook")).to_be_focused()

    page.get_by_role("link", name="Rekkevidde").click()
    assert page.locator("h1").inner_text() == "Rekkevidde"
    assert_accessible(page)

    page.get_by_role("link", name="Virksomhetsområder").click()
    assert page.locator("h1").inner_text() == "Virksomhetsområder"
    assert_accessible(page)
    page.get_by_role("button", name="Slett Oppvekst").click()
    assert page.locator("h1").inner_text() == "Slette virksomhetsområdet «Oppvekst»?"
    assert "målgrupper" in page.locator(".confirm-box").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Avbryt").click()

    # The edit pages of their own (what a browser without JavaScript gets).
    page.goto(page.url.split("#")[0].rsplit("/", 1)[0] + "/kanaler")
    href = page.get_by_role("link", name="Endre Facebook").get_attribute("href")
    page.goto(href)
    assert page.locator("h1").inner_text() == "Endre kanalen «Facebook»"
    assert_accessible(page)


def test_keyboard_only_reach_matrix_edit(page: Any, live_app: Any) -> None:
    _seed(live_app)
    youth, facebook = _ids(live_app, "Ungdom 13–19 år", "Facebook")
    assert _level(live_app, youth, facebook) == 1
    _login(page)
    page.goto("/rekkevidde")
    cell = f"r-{youth}-{facebook}"
    select_el = page.locator(f"#{cell}")
    assert page.get_by_label("Facebook når Ungdom 13–19 år").get_attribute("id") == cell

    _tab_to(page, cell)
    page.keyboard.press("ArrowDown")  # noe → god, saved at once (htmx)
    page.wait_for_function(
        "() => document.querySelector('#messages').textContent.includes('Lagret: Facebook når Ungdom 13–19 år – god.')"
    )
    assert _level(live_app, youth, facebook) == 2
    assert select_el.evaluate("el => el === document.activeElement")
    assert select_el.input_value() == "2"
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")  # → ingen
    page.wait_for_function(
        "() => document.querySelector('#messages').textContent.includes('– ingen.')"
    )
    assert _level(live_app, youth, facebook) == 0
    assert_accessible(page)

    # The whole matrix with the save button, still by keyboard only.
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # → svært god
    page.wait_for_function(
        "() => document.querySelector('#messages').textContent.includes('– svært god.')"
    )
    _tab_to(page, "reach-save")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Rekkevidden er lagret" in page.locator("#messages").inner_text()
    assert _level(live_app, youth, facebook) == 3


def test_poorly_reached_audience_is_flagged_and_cleared(page: Any, live_app: Any) -> None:
    _seed(live_app)
    _login(page)
    page.goto("/rekkevidde")
    # A new audience is reached by no channel: warned at the top and in its row.
    page.goto("/malgrupper")
    page.get_by_label("Navn", exact=True).fill("Hytteturister")
    page.get_by_role("button", name="Legg til målgruppe").click()
    page.goto("/rekkevidde")
    summary = page.locator("#reach-summary")
    assert "Hytteturister" in summary.inner_text()
    audience, web = _ids(live_app, "Hytteturister", "Kommunens nettside")
    status = page.locator(f"#reach-status-{audience}")
    assert "ingen kanal når målgruppen godt" in status.inner_text()
    page.get_by_label("Kommunens nettside når Hytteturister").select_option("2")
    expect(status).to_contain_text("Ja (god)")
    expect(summary).not_to_contain_text("Hytteturister")
    assert _level(live_app, audience, web) == 2
    assert_accessible(page)


def test_audiences_inline_edit_and_reorder_by_keyboard(page: Any, live_app: Any) -> None:
    _seed(live_app)
    _login(page)
    page.goto("/malgrupper")
    youth = _ids(live_app, "Ungdom 13–19 år", "Facebook")[0]

    _tab_to(page, f"audience-{youth}-edit")
    page.keyboard.press("Enter")
    name_field = page.locator(f"#audience-{youth}-name")
    expect(name_field).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("Ungdom")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('#messages').textContent.includes('Målgruppen «Ungdom» er lagret.')"
    )
    expect(page.locator(f"#audience-{youth}-edit")).to_be_focused()
    expect(page.locator(f"#audience-{youth} th")).to_have_text("Ungdom")

    row = page.locator(f"#audience-{youth} td").first
    assert row.inner_text() == "6"
    _tab_to(page, f"audience-{youth}-up")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('#messages').textContent.includes('har nå prioritet 5')"
    )
    # The table was swapped; focus stays on the same button, so it can be pressed again.
    expect(page.locator(f"#audience-{youth}-up")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('#messages').textContent.includes('har nå prioritet 4')"
    )
    expect(page.locator(f"#audience-{youth} td").first).to_have_text("4")
    assert_accessible(page)


def test_viewer_reads_the_matrix_without_controls(page: Any, live_app: Any) -> None:
    _seed(live_app, role="viewer")
    _login(page)
    page.goto("/rekkevidde")
    assert page.locator("select").count() == 0
    assert page.get_by_role("button", name="Lagre hele rekkevidden").count() == 0
    assert_accessible(page)
    page.goto("/malgrupper")
    assert page.get_by_role("button", name=re.compile("Flytt opp")).count() == 0
    assert_accessible(page)


def test_matrix_saves_as_a_whole_without_javascript(browser: Any, live_app: Any) -> None:
    _seed(live_app)
    youth, facebook = _ids(live_app, "Ungdom 13–19 år", "Facebook")
    _, web = _ids(live_app, "Ungdom 13–19 år", "Kommunens nettside")
    context = browser.new_context(
        base_url=live_app.config["LIVE_URL"], locale="nb-NO", java_script_enabled=False
    )
    try:
        page = context.new_page()
        _login(page)
        page.goto("/rekkevidde")
        page.get_by_label("Facebook når Ungdom 13–19 år").select_option("3")
        page.get_by_label("Kommunens nettside når Ungdom 13–19 år").select_option("0")
        assert _level(live_app, youth, facebook) == 1  # nothing saved before the button
        page.get_by_role("button", name="Lagre hele rekkevidden").click()
        assert "Rekkevidden er lagret (2 endringer)." in page.locator("#messages").inner_text()
        assert _level(live_app, youth, facebook) == 3
        assert _level(live_app, youth, web) == 0
        # Inline "Endre" is a plain link to the edit page without JavaScript.
        page.goto("/malgrupper")
        page.get_by_role("link", name="Endre Ungdom 13–19 år").click()
        assert page.locator("h1").inner_text() == "Endre målgruppen «Ungdom 13–19 år»"
        page.get_by_label("Navn", exact=True).fill("Ungdom")
        page.get_by_role("button", name="Lagre").click()
        assert "Målgruppen «Ungdom» er lagret." in page.locator("#messages").inner_text()
    finally:
        context.close()
