"""The wheel page in a real browser: axe-core, keyboard only, tooltip, filter, zoom, the
planChanged refresh and the A3 print."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from planner.extensions import db
from planner.models import (
    Audience,
    Channel,
    HolidayPeriod,
    Organisation,
    PeakPeriod,
    Post,
    User,
    Wheel,
)
from tests.browser.conftest import assert_accessible

PASSWORD = "et-langt-passord-123"


def _plan(app: Any) -> dict[str, int]:
    """A small municipality: three channels, two audiences, posts in every quarter."""
    with app.app_context():
        org = Organisation(name="Testvik kommune")
        db.session.add(org)
        db.session.flush()
        user = User(organisation_id=org.id, email="kari@testvik.kommune.no", role="editor")
        user.set_password(PASSWORD)
        fb = Channel(organisation_id=org.id, name="Facebook", type="nettsamfunn", colour="#1b4f9c")
        web = Channel(organisation_id=org.id, name="Nettsiden", type="nettside", colour="#00594f")
        paper = Channel(
            organisation_id=org.id, name="Lokalavisen", type="annonse_lokalavis", colour="#8a4b00"
        )
        parents = Audience(organisation_id=org.id, name="Foreldre", priority=1)
        youth = Audience(organisation_id=org.id, name="Ungdom", priority=2)
        wheel = Wheel(organisation_id=org.id, year=2026, name="Årshjul 2026")
        db.session.add_all([user, fb, web, paper, parents, youth, wheel])

        def post(
            title: str, day: datetime, channels: list[Channel], audiences: list[Audience], **kw: Any
        ) -> Post:
            p = Post(
                organisation_id=org.id,
                wheel=wheel,
                title=title,
                start=day,
                end=kw.pop("end", day),
                channels=channels,
                audiences=audiences,
                **kw,
            )
            db.session.add(p)
            return p

        first = post("Søknadsfrist barnehage", datetime(2026, 1, 5), [fb, web], [parents])
        post(
            "Vinterferie-åpningstider", datetime(2026, 2, 16), [web], [parents, youth], status="idé"
        )
        post(
            "Eiendomsskatt utlegging",
            datetime(2026, 3, 2),
            [paper, web],
            [parents],
            end=datetime(2026, 3, 23),
        )
        post("Sommerjobb for ungdom", datetime(2026, 4, 20), [fb], [youth])
        post("Skolestart", datetime(2026, 8, 17), [fb, web, paper], [parents])
        for n in range(5):
            post(f"Budsjettmøte {n + 1}", datetime(2026, 11, 9 + n), [web], [youth])
        db.session.add_all(
            [
                PeakPeriod(
                    organisation_id=org.id,
                    name="Innspurt barnehage",
                    start=date(2026, 2, 15),
                    end=date(2026, 3, 1),
                ),
                HolidayPeriod(
                    organisation_id=org.id,
                    name="Vinterferie",
                    start=date(2026, 2, 16),
                    end=date(2026, 2, 20),
                ),
            ]
        )
        db.session.commit()
        return {"first": first.id, "fb": fb.id, "web": web.id, "org": org.id}


def _login(page: Any) -> None:
    page.goto("/login")
    page.get_by_label("E-postadresse").fill("kari@testvik.kommune.no")
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_label("Passord").press("Enter")
    page.wait_for_load_state()


def test_wheel_is_accessible_and_works_by_keyboard(page: Any, live_app: Any) -> None:
    ids = _plan(live_app)
    _login(page)
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Årshjul").click()
    page.wait_for_url(re.compile(r"/arshjul/\d{4}"))
    page.goto("/arshjul/2026")
    assert page.locator("h1").inner_text() == "Årshjul 2026"
    assert_accessible(page)
    # The filter and the ring chooser, opened, are accessible too.
    page.get_by_text("Filter", exact=True).click()
    page.get_by_text("Velg og ordne ringene").click()
    assert_accessible(page)

    # Keyboard only: the skip link before the picture, then Tab to the first mark.
    page.locator(".skip-wheel").focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused.startswith("Søknadsfrist barnehage, 05.01.2026, uke 2.")
    assert "Kanaler: Facebook, Nettsiden" in focused and "Målgrupper: Foreldre" in focused
    tooltip = page.locator("#wheel-tooltip")
    assert tooltip.is_visible()
    assert "Søknadsfrist barnehage" in tooltip.inner_text() and "Foreldre" in tooltip.inner_text()
    assert (
        page.evaluate("document.activeElement.closest('[data-ring]').getAttribute('aria-label')")
        == "Kanal: Facebook"
    )
    # Arrow keys: right to the next mark in the ring, down to the ring inside.
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')").startswith(
        "Sommerjobb for ungdom"
    )
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowDown")
    inner = page.evaluate(
        "document.activeElement.closest('[data-ring]').getAttribute('aria-label')"
    )
    assert inner == "Kanal: Lokalavisen" or inner == "Kanal: Nettsiden"
    page.keyboard.press("Escape")
    assert not tooltip.is_visible()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Home")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')").startswith(
        "Søknadsfrist"
    )
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/posts/{ids['first']}$"))
    assert "Søknadsfrist barnehage" in page.locator("h1").inner_text()


def test_hover_shows_the_post_and_busy_week_shows_a_count(page: Any, live_app: Any) -> None:
    _plan(live_app)
    _login(page)
    page.goto("/arshjul/2026")
    mark = page.locator("a.wheel-mark", has_text="5")
    assert mark.count() == 1
    assert mark.get_attribute("aria-label").startswith("Nettsiden, uke 46")
    mark.hover()
    assert "5 innlegg i Nettsiden" in page.locator("#wheel-tooltip").inner_text()
    mark.click()
    page.wait_for_url(re.compile(r"/arshjul/2026/liste\?.*uke=2026-46"))
    assert page.locator("#uke-2026-46 li").count() == 5
    assert_accessible(page)


def test_filter_zoom_and_rings_with_htmx(page: Any, live_app: Any) -> None:
    ids = _plan(live_app)
    _login(page)
    page.goto("/arshjul/2026")
    total = page.locator(".wheel-mark").count()
    page.get_by_text("Filter", exact=True).click()
    page.get_by_label("Søk", exact=True).fill("sommerjobb")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url(re.compile(r"q=sommerjobb"))
    page.wait_for_function("document.querySelectorAll('.wheel-mark').length === 1")
    assert page.locator(".wheel-mark").first.get_attribute("aria-label").startswith("Sommerjobb")
    assert page.locator("#wheel-filter").get_attribute("open") is not None
    page.get_by_role("link", name="Nullstill filter").click()
    page.wait_for_function(f"document.querySelectorAll('.wheel-mark').length === {total}")

    page.locator("#zoom-k1").click()
    page.wait_for_url(re.compile(r"zoom=k1"))
    assert page.locator("h1").inner_text() == "Årshjul 2026 – 1. kvartal"
    assert page.evaluate("document.activeElement.id") == "zoom-k1"  # focus kept after the swap
    assert_accessible(page)
    page.locator("#zoom-m3").click()
    page.wait_for_url(re.compile(r"zoom=m3"))
    assert page.locator("h1").inner_text() == "Årshjul 2026 – mars"

    page.get_by_role("link", name="Målgruppe", exact=True).click()
    page.wait_for_url(re.compile(r"ring=malgruppe"))
    groups = page.locator("svg [data-ring]")
    assert groups.first.get_attribute("aria-label") == "Målgruppe: Foreldre"
    page.get_by_text("Velg og ordne ringene").click()
    page.get_by_role("link", name="Flytt ut Ungdom").click()
    page.wait_for_url(re.compile(r"vis="))
    page.wait_for_function("document.getElementById('wheel-ring-chooser').open")
    assert page.locator("svg [data-ring]").first.get_attribute("aria-label") == "Målgruppe: Ungdom"
    # Without JavaScript the same URL gives the full page.
    assert page.request.get(page.url).text().lstrip().lower().startswith("<!doctype html>")
    del ids


def test_new_post_appears_on_plan_changed(page: Any, live_app: Any) -> None:
    ids = _plan(live_app)
    _login(page)
    page.goto("/arshjul/2026?zoom=k2")
    before = page.locator(".wheel-mark").count()
    with live_app.app_context():
        wheel = db.session.execute(db.select(Wheel)).scalar_one()
        fb = db.session.get(Channel, ids["fb"])
        db.session.add(
            Post(
                organisation_id=ids["org"],
                wheel=wheel,
                title="Ny post fra dialogen",
                start=datetime(2026, 5, 5),
                end=datetime(2026, 5, 5),
                channels=[fb],
            )
        )
        db.session.commit()
    page.evaluate("htmx.trigger(document.body, 'planChanged')")
    page.wait_for_function(f"document.querySelectorAll('.wheel-mark').length === {before + 1}")
    labels = page.locator(".wheel-mark").evaluate_all(
        "els => els.map(e => e.getAttribute('aria-label'))"
    )
    assert any(label.startswith("Ny post fra dialogen, 05.05.2026, uke 19") for label in labels)
    assert page.url.endswith("/arshjul/2026?zoom=k2")


def test_prints_on_one_a3_landscape_sheet(page: Any, live_app: Any) -> None:
    _plan(live_app)
    _login(page)
    page.goto("/arshjul/2026")
    page.emulate_media(media="print")
    assert not page.locator(".wheel-controls").is_visible()
    assert page.locator(".wheel-svg").is_visible() and page.locator(".wheel-legend").is_visible()
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    pages = re.findall(rb"/Type\s*/Page[^s]", pdf)
    assert len(pages) == 1
    box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    width, height = float(box.group(1)), float(box.group(2))
    assert round(width) == 1191 and round(height) == 842  # A3 landscape in points


def test_works_under_the_strict_content_security_policy(browser: Any, live_app: Any) -> None:
    """No inline script or style: the tooltip and arrow keys work with the CSP enforced."""
    _plan(live_app)
    context = browser.new_context(base_url=live_app.config["LIVE_URL"], locale="nb-NO")
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on(
        "console",
        lambda msg: problems.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    try:
        _login(page)
        response = page.goto("/arshjul/2026")
        assert "script-src 'self'" in response.headers.get("content-security-policy", "")
        page.locator(".wheel-mark").first.focus()
        assert page.locator("#wheel-tooltip").is_visible()
        page.keyboard.press("ArrowRight")
        assert page.locator("#wheel-tooltip").inner_text().startswith("Sommerjobb for ungdom")
        page.locator("#zoom-k2").click()
        page.wait_for_url(re.compile(r"zoom=k2"))
        assert page.locator("h1").inner_text() == "Årshjul 2026 – 2. kvartal"
        assert problems == []
    finally:
        context.close()


def test_create_a_post_from_the_wheel_by_keyboard(page: Any, live_app: Any) -> None:
    """The planner's daily task end to end: new post from the wheel, in the dialog, with
    a validation error first; it appears in its ring and month without a page reload."""
    _plan(live_app)
    _login(page)
    page.goto("/arshjul/2026")
    page.evaluate("window.__noReload = true")
    page.get_by_role("link", name="Nytt innlegg").focus()
    page.keyboard.press("Enter")
    page.locator("dialog#post-dialog[open]").wait_for()
    page.locator("#start_date").fill("2026-06-16")
    page.locator("#start_date").press("Enter")  # no title yet
    page.locator("#title-error").wait_for()
    assert_accessible(page)
    page.locator("#title").fill("Sommerstengt bibliotek")
    page.get_by_role("checkbox", name="Facebook").check()
    page.locator("#title").press("Enter")
    page.locator("dialog#post-dialog").wait_for(state="hidden")
    facebook_ring = page.locator('svg g[role="group"][aria-label="Kanal: Facebook"]')
    mark = facebook_ring.locator('.wheel-mark[aria-label^="Sommerstengt bibliotek"]')
    mark.wait_for()
    assert "16.06.2026, uke 25" in (mark.get_attribute("aria-label") or "")
    assert "er lagret" in page.locator("#messages").inner_text()
    assert page.evaluate("window.__noReload") is True
