"""Real-browser fixtures: the app served on 127.0.0.1 and Debian's Chromium driven by Playwright.

``make test`` runs these when /usr/bin/chromium is present and says plainly when it is
not; in CI (``CI=true``) a missing Chromium is an error, never a skip.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from planner.extensions import db, dispose_engines
from tests.conftest import make_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE_PATH = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _require_browser() -> None:
    missing = [str(p) for p in (Path(CHROMIUM), AXE_PATH) if not p.exists()]
    if not missing:
        return
    message = f"browser tests need {', '.join(missing)} (apt-get install chromium; npm ci)"
    if os.environ.get("CI"):
        pytest.fail("CI must run the browser tests, but " + message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session."""
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def live_app(tmp_path: Any) -> Iterator[Any]:
    """The app with CSRF on and an empty database, served by Werkzeug in a thread."""
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["LIVE_URL"] = f"http://127.0.0.1:{server.server_port}"
    try:
        yield app
    finally:
        server.shutdown()
        thread.join(timeout=5)
        with app.app_context():
            db.session.remove()
            db.drop_all()
            dispose_engines()


@pytest.fixture
def page(browser: Any, live_app: Any) -> Iterator[Any]:
    """A fresh browser context and page pointed at the live app."""
    context = browser.new_context(
        base_url=live_app.config["LIVE_URL"], locale="nb-NO", bypass_csp=True
    )
    context.set_default_timeout(10_000)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core (from its npm package) on the page: WCAG 2.1 A and AA rules."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, which the page's CSP does not govern.
        page.evaluate(AXE_PATH.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS,
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]


def assert_accessible(page: Any) -> None:
    """Fail with axe-core's findings if the current page has WCAG 2.1 AA violations."""
    violations = axe_violations(page)
    assert violations == [], f"axe-core found WCAG 2.1 AA violations on {page.url}: {violations}"
