"""Past one server: two app processes behind a load balancer share one PostgreSQL.

Two gunicorn servers (two workers each) run the app on their own 127.0.0.1 ports
against one fresh PostgreSQL database, with the same ``SECRET_KEY`` and nothing else
shared: no sticky sessions, no shared cache. The test shows that

* a login made through one server is valid on the other (sessions are signed cookies);
* a post saved through one server is at once in the other's list, wheel and post pages
  and in its calendar feed, and a change made back through the other is at once in the
  first one's pages and feed (every generated page and feed is keyed on the plan's
  ``data_version``, read from the database on each request);
* both servers give the feed the same ETag and Last-Modified, and each answers 304 to a
  conditional request made with the other's ETag (the feed cache is shareable).

PostgreSQL: ``DATABASE_URL`` when it points at PostgreSQL, else a server on
127.0.0.1:5432; a database of its own is created and dropped. Without PostgreSQL the
test is skipped locally, but fails when ``CI`` is set (.ci/run has PostgreSQL).
"""

from __future__ import annotations

import html
import http.client
import os
import re
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from bench import servers

HOST = "planner.storby.kommune.no"  # what the load balancer passes on to every server
SECRET = "shared-secret-of-every-app-server"
PASSWORD = "skalering-passord"
YEAR = 2026


def _postgres_or_skip() -> str:
    url = servers.postgres_admin_url()
    if url is None:
        reason = (
            "needs PostgreSQL: set DATABASE_URL to a PostgreSQL database or run one on "
            "127.0.0.1:5432 (user postgres)"
        )
        if os.environ.get("CI"):
            pytest.fail(f"CI is set, so this may not be skipped: {reason}")
        pytest.skip(reason)
    return url


class Client:
    """One browser: cookies kept across servers, the load balancer's Host header."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(
        self,
        port: int,
        method: str,
        path: str,
        form: list[tuple[str, str]] | None = None,
        **headers: str,
    ) -> tuple[int, dict[str, str], str]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        sent = {"Host": HOST, **{k.replace("_", "-"): v for k, v in headers.items()}}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            data = response.read().decode("utf-8", "replace")
            for value in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, {k.lower(): v for k, v in response.getheaders()}, data
        finally:
            conn.close()

    def csrf(self, port: int, path: str) -> str:
        status, _headers, page = self.request(port, "GET", path)
        assert status == 200, (path, status)
        match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
        assert match, f"no CSRF token on {path}"
        return html.unescape(match.group(1))


def _prepare(url: str) -> dict[str, Any]:
    """Schema, a municipality with an administrator, a channel, a wheel and a feed."""
    from planner import create_app
    from planner.extensions import db, dispose_engines
    from planner.models import Channel, Organisation, User, Wheel
    from planner.services.feeds.management import create_feed

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET})
    with app.app_context():
        db.create_all()
        org = Organisation(name="Skalerby kommune")
        db.session.add(org)
        db.session.flush()
        user = User(organisation_id=org.id, email="admin@skalerby.no", role="admin")
        user.set_password(PASSWORD)
        channel = Channel(organisation_id=org.id, name="Nettside", type="nettside")
        wheel = Wheel(organisation_id=org.id, year=YEAR, name=f"Årshjul {YEAR}")
        db.session.add_all([user, channel, wheel])
        db.session.commit()
        feed = create_feed(org.id, "Hele planen")
        ids = {"wheel": wheel.id, "channel": channel.id, "feed": f"/feeds/{feed.token}.ics"}
        db.session.remove()
        dispose_engines()
    return ids


@pytest.fixture
def two_servers(tmp_path: Path) -> Iterator[tuple[int, int, dict[str, Any]]]:
    """Two app servers on one fresh PostgreSQL database."""
    _postgres_or_skip()
    with ExitStack() as stack:
        url = stack.enter_context(
            servers.fresh_database("postgresql", tmp_path, "planner_scaleout")
        )
        ids = _prepare(url)
        env = {"DATABASE_URL": url, "SECRET_KEY": SECRET}
        first, second = (
            stack.enter_context(
                servers.gunicorn("planner:create_app()", env, probe="/healthz", log_folder=tmp_path)
            )
            for _ in range(2)
        )
        yield first.port, second.port, ids


def _post_form(
    client: Client, port: int, ids: dict[str, Any], title: str, **extra: str
) -> list[tuple[str, str]]:
    return [
        ("title", title),
        ("wheel", str(ids["wheel"])),
        ("all_day", "y"),
        ("start_date", f"{YEAR}-03-02"),
        ("end_date", f"{YEAR}-03-02"),
        ("repeat", ""),
        ("status", "planlagt"),
        ("kind", "proaktiv"),
        ("service_area", "0"),
        ("channels", str(ids["channel"])),
        ("link", "https://www.skalerby.kommune.no/barnehage"),
        *extra.items(),
    ]


def test_a_change_through_one_server_is_at_once_in_the_others_pages_and_feed(
    two_servers: tuple[int, int, dict[str, Any]],
) -> None:
    a, b, ids = two_servers
    feed = ids["feed"]
    client = Client()

    # Log in through A; the signed session cookie is valid on B too.
    token = client.csrf(a, "/login")
    status, _h, _p = client.request(
        a,
        "POST",
        "/login",
        [("email", "admin@skalerby.no"), ("password", PASSWORD), ("csrf_token", token)],
    )
    assert status == 302
    status, _h, page = client.request(b, "GET", f"/plan/{YEAR}")
    assert status == 200 and "Søknadsfrist barnehage" not in page

    status, before, _body = client.request(b, "GET", feed)
    assert status == 200

    # Save a post through A: at once in B's pages and feed.
    token = client.csrf(a, "/posts/ny")
    status, headers, _p = client.request(
        a,
        "POST",
        "/posts/ny",
        [*_post_form(client, a, ids, "Søknadsfrist barnehage"), ("csrf_token", token)],
    )
    assert status == 302, status
    post_path = headers["location"].replace(f"http://{HOST}", "")
    assert re.fullmatch(r"/posts/\d+", post_path)
    for path in (f"/plan/{YEAR}", f"/plan/{YEAR}/maned/3", post_path, f"/arshjul/{YEAR}"):
        status, _h, page = client.request(b, "GET", path)
        assert status == 200 and "Søknadsfrist barnehage" in page, path
    status, after_b, body_b = client.request(b, "GET", feed, If_None_Match=before["etag"])
    assert status == 200 and "SUMMARY:Søknadsfrist barnehage" in body_b
    assert after_b["etag"] != before["etag"]

    # The feed cache is shareable: A and B answer with the same entity, and each one
    # confirms the other's ETag with a 304.
    status, after_a, body_a = client.request(a, "GET", feed)
    assert status == 200 and body_a == body_b
    assert (after_a["etag"], after_a["last-modified"]) == (
        after_b["etag"],
        after_b["last-modified"],
    )
    assert client.request(a, "GET", feed, If_None_Match=after_b["etag"])[0] == 304
    assert client.request(b, "GET", feed, If_None_Match=after_a["etag"])[0] == 304

    # And back: a change through B is at once in A's pages and feed.
    status, _h, form_page = client.request(b, "GET", f"{post_path}/rediger")
    assert status == 200
    version = re.search(r'name="version" type="hidden" value="(\d+)"', form_page)
    assert version, "no version field in the edit form"
    token = client.csrf(b, f"{post_path}/rediger")
    status, _h, _p = client.request(
        b,
        "POST",
        f"{post_path}/rediger",
        [
            *_post_form(client, b, ids, "Søknadsfrist barnehage – utsatt"),
            ("version", version.group(1)),
            ("csrf_token", token),
        ],
    )
    assert status == 302, status
    for path in (f"/plan/{YEAR}", post_path, f"/arshjul/{YEAR}"):
        status, _h, page = client.request(a, "GET", path)
        assert status == 200 and "Søknadsfrist barnehage – utsatt" in page, path
    status, _h, body = client.request(a, "GET", feed, If_None_Match=after_a["etag"])
    assert status == 200 and "Søknadsfrist barnehage – utsatt" in body.replace("\r\n ", "")


def test_without_postgresql_it_is_skipped_locally_but_fails_on_ci(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(servers, "postgres_admin_url", lambda: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="needs PostgreSQL"):
        _postgres_or_skip()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        _postgres_or_skip()
