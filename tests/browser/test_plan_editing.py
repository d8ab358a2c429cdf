"""Editing the plan in a real browser: the dialog, inline errors, no reloads, filters,
month and week views — by keyboard, with axe-core on each state."""

from __future__ import annotations

import re
from typing import Any

from planner.extensions import db
from planner.models import Organisation, User
from planner.services.posts.seeding import seed_year
from tests.browser.conftest import assert_accessible

PASSWORD = "et-langt-passord-123"


def _seeded_editor(live_app: Any, role: str = "editor") -> str:
    with live_app.app_context():
        org = Organisation(name="Testvik kommune")
        db.session.add(org)
        db.session.flush()
        seed_year(org, 2026)
        user = User(organisation_id=org.id, email=f"{role}@testvik.no", role=role)
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        return user.email


def _login(page: Any, email: str) -> None:
    page.goto("/login")
    page.get_by_label("E-postadresse").fill(email)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_label("Passord").press("Enter")
    page.wait_for_url(re.compile(r"/plan/\d{4}"))


def test_create_post_in_dialog_by_keyboard_without_reload(page: Any, live_app: Any) -> None:
    _login(page, _seeded_editor(live_app))
    page.goto("/plan/2026")
    assert_accessible(page)
    page.evaluate("window.__noReload = true")

    new_button = page.get_by_role("link", name="Nytt innlegg")
    new_button.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("dialog#post-dialog[open]")
    dialog.wait_for()
    assert page.evaluate("document.activeElement.id") == "title"
    assert_accessible(page)

    # Submit with no title: the error is shown next to the field, nothing is saved.
    page.keyboard.press("Enter")
    page.locator("#title-error").wait_for()
    assert "Innlegget må ha en tittel." in page.locator("#title-error").inner_text()
    assert page.locator("#title").get_attribute("aria-invalid") == "true"
    assert page.evaluate("document.activeElement.id") == "title"
    assert_accessible(page)

    page.keyboard.type("Sommerjobb for ungdom – søk nå")
    page.locator("#start_date").fill("2026-04-14")
    page.locator("#start_date").press("Enter")
    dialog.wait_for(state="detached")
    assert "er lagret" in page.locator("#messages").inner_text()
    april = page.locator("section", has=page.locator("h2", has_text="April 2026"))
    april.get_by_role("link", name="Sommerjobb for ungdom – søk nå").wait_for()
    assert page.evaluate("window.__noReload") is True  # no full page load happened
    # focus went back to the button that opened the dialog
    assert page.evaluate("document.activeElement.textContent").strip() == "Nytt innlegg"


def test_filters_live_in_the_url(page: Any, live_app: Any) -> None:
    _login(page, _seeded_editor(live_app, role="viewer"))
    page.goto("/plan/2026")
    assert page.get_by_role("link", name="Nytt innlegg").count() == 0  # viewers only read
    page.get_by_label("Søk").fill("barnehage")
    page.get_by_label("Søk").press("Enter")
    page.wait_for_url(re.compile(r"q=barnehage"))
    titles = page.locator("table.plan-table tbody th").all_inner_texts()
    assert titles and all("arnehage" in t for t in titles)
    shared = page.url
    page.goto("/plan/2026")
    page.goto(shared)  # a shared link gives the same filtered view
    assert page.locator("table.plan-table tbody th").all_inner_texts() == titles
    assert_accessible(page)


def test_month_week_post_and_delete_pages(page: Any, live_app: Any) -> None:
    _login(page, _seeded_editor(live_app))
    page.goto("/plan/2026/maned/3")
    assert "Søknadsfrist for barnehageplass" in page.locator("table.month-grid").inner_text()
    assert_accessible(page)
    page.goto("/plan/uke/2026/9")
    assert "Søndag 01.03.2026" in page.locator("main").inner_text()
    assert_accessible(page)
    page.goto("/plan/2026/maned/3")
    page.get_by_role("link", name="Søknadsfrist for barnehageplass").first.click()
    page.wait_for_url(re.compile(r"/posts/\d+$"))
    assert_accessible(page)
    page.get_by_role("link", name="Slett").click()
    page.locator("dialog#post-dialog[open]").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Flytt til papirkurven").click()
    page.wait_for_url(re.compile(r"/plan/2026$"))
    assert "flyttet til papirkurven" in page.locator("#messages").inner_text()
    page.goto("/papirkurv")
    assert "Søknadsfrist for barnehageplass" in page.locator("main").inner_text()
    assert_accessible(page)


def test_two_advisers_editing_the_same_post(browser: Any, page: Any, live_app: Any) -> None:
    email = _seeded_editor(live_app)
    with live_app.app_context():
        second = User(organisation_id=1, email="kollega@testvik.no", role="editor")
        second.set_password(PASSWORD)
        db.session.add(second)
        db.session.commit()
    other_context = browser.new_context(base_url=live_app.config["LIVE_URL"], locale="nb-NO")
    other = other_context.new_page()
    try:
        _login(page, email)
        _login(other, "kollega@testvik.no")
        for p in (page, other):
            p.goto("/plan/2026/maned/3")
            p.get_by_role("link", name="Søknadsfrist for barnehageplass").first.click()
            p.get_by_role("link", name="Rediger").click()
            p.locator("dialog#post-dialog[open]").wait_for()
        page.get_by_label("Tittel").fill("Søknadsfrist barnehage – endret av meg")
        page.get_by_role("button", name="Lagre").click()
        page.locator("dialog#post-dialog").wait_for(state="hidden")
        other.get_by_label("Tittel").fill("Søknadsfrist barnehage – endret av kollega")
        other.get_by_role("button", name="Lagre").click()
        alert = other.locator("dialog#post-dialog [role=alert]")
        alert.wait_for()
        assert "Noen andre har endret innlegget" in alert.inner_text()
        assert_accessible(other)
        page.reload()
        assert "endret av meg" in page.locator("h1").inner_text()
    finally:
        other_context.close()


def test_repeat_choice_in_plain_words_and_times_only_when_not_all_day(
    page: Any, live_app: Any
) -> None:
    _login(page, _seeded_editor(live_app))
    page.goto("/posts/ny?dato=2026-03-17")
    # All day by default: no time fields, no empty reach box, the rule text tucked away.
    assert page.locator("#all_day").is_checked()
    assert page.locator("#start_time").is_hidden() and page.locator("#end_time").is_hidden()
    assert page.locator("#reach-warnings").is_hidden()
    assert page.locator("#rrule_custom").is_hidden()
    assert page.locator("details.advanced-rule").get_attribute("open") is None
    assert "RFC" not in page.locator("#repeat").inner_text()
    page.locator("#all_day").uncheck()
    assert page.locator("#start_time").is_visible() and page.locator("#end_time").is_visible()
    page.locator("#all_day").check()
    assert page.locator("#start_time").is_hidden()
    assert_accessible(page)

    # The monthly weekday choices follow the start date.
    assert page.locator("#repeat option[value='maned-nte']").inner_text() == (
        "3. tirsdag i måneden"
    )
    page.locator("#start_date").fill("2026-03-10")
    page.locator("#start_date").dispatch_event("change")
    assert page.locator("#repeat option[value='maned-nte']").inner_text() == (
        "2. tirsdag i måneden"
    )
    assert page.locator("#repeat_until").is_hidden()  # «Gjentas ikke» has no end
    page.get_by_label("Tittel").fill("Møte i eldrerådet")
    page.get_by_label("Gjentakelse").select_option(label="2. tirsdag i måneden")
    assert page.locator("#repeat_until").is_visible()
    assert page.locator("#repeat_weekdays-0").is_hidden()  # weekdays are for weekly repeats
    page.get_by_label("Gjenta til og med").fill("2026-12-31")
    assert_accessible(page)
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_url(re.compile(r"/posts/\d+$"))
    post_url = page.url

    page.goto(post_url + "/rediger")
    assert page.locator("#repeat").input_value() == "maned-nte"
    assert page.locator("#repeat option:checked").inner_text() == "2. tirsdag i måneden"
    assert page.locator("#repeat_until").input_value() == "2026-12-31"
    assert page.locator("details.advanced-rule").get_attribute("open") is None

    # A weekly repeat shows its weekdays.
    page.get_by_label("Gjentakelse").select_option(label="Hver uke")
    assert page.locator("#repeat_weekdays-1").is_visible()


def test_month_view_shows_periods_and_channels_and_reflows(page: Any, live_app: Any) -> None:
    """February–March 2026: the kindergarten peak and the winter holiday as bands in words,
    Easter named, entries with their channel; a post page with its periods and warnings;
    nothing scrolls sideways at 320 px."""
    _login(page, _seeded_editor(live_app))
    page.goto("/plan/2026/maned/2")
    grid = page.locator("table.month-grid")
    assert "Toppbelastning: Innspurt barnehagesøknader" in grid.inner_text()
    assert "Skoleferie: Vinterferie" in grid.inner_text()
    # Every covered day has the period in words, visible or for screen readers.
    covered = grid.locator("li.period-peak")
    assert covered.count() >= 7
    for i in range(covered.count()):
        assert (covered.nth(i).text_content() or "").startswith("Toppbelastning: ")
    assert grid.locator(".item-channel").count() > 0
    assert_accessible(page)
    page.goto("/plan/2026/maned/4")
    assert "Første påskedag" in page.locator("table.month-grid").inner_text()
    for width in (320, 1440):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/plan/2026/maned/2")
        assert page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        ), f"the month grid scrolls sideways at {width} px"
    page.goto("/plan/2026/maned/3")
    page.get_by_role("link", name="Søknadsfrist for barnehageplass").first.click()
    page.wait_for_url(re.compile(r"/posts/\d+$"))
    periods = page.locator("section.post-periods")
    assert "Toppbelastning: Innspurt barnehagesøknader" in periods.inner_text()
    assert "Frist på helg eller helligdag" in periods.inner_text()
    assert_accessible(page)
