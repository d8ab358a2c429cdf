"""The feed's fast path (``planner.views.feeds_serving``): calendar clients' polls are answered
from the feed cache without Flask's request machinery — exactly as the Flask view would
answer them, never with a revoked or stale feed, and through a dropped database
connection on PostgreSQL."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
from flask import Flask

from planner.domain.dates import OSLO
from planner.extensions import FEED_ENGINE_KEY, db
from planner.models import Organisation
from planner.services.feeds import serving
from planner.services.feeds.management import create_feed, revoke_feed

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=OSLO)


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(serving, "now_oslo", lambda: NOW)


@pytest.fixture
def view_calls(app: Flask) -> Iterator[list[str]]:
    """Records every request that reached the Flask view rather than the fast path."""
    calls: list[str] = []
    view = app.view_functions["feeds.serve"]

    @functools.wraps(view)  # keeps the view's «public» mark
    def counting(token: str) -> Any:
        calls.append(token)
        return view(token)

    app.view_functions["feeds.serve"] = counting
    yield calls
    app.view_functions["feeds.serve"] = view


def _headers(response: Any) -> list[tuple[str, str]]:
    return sorted((k, v) for k, v in response.headers.items() if k.lower() != "date")


@pytest.mark.parametrize("public", [False, True])
def test_fast_path_answers_exactly_like_the_view(
    app: Flask, client: Any, make_post: Any, org: Organisation, view_calls: list[str], public: bool
) -> None:
    make_post()
    feed = create_feed(org.id, "Alt", public=public)
    first = client.get(feed.path, headers={"Accept-Encoding": "gzip"})
    assert first.status_code == 200 and len(view_calls) == 1  # built by the view
    plain = client.get(feed.path)
    etag, gz_etag = plain.headers["ETag"], first.headers["ETag"]
    requests: list[tuple[str, dict[str, str]]] = [
        ("GET", {}),
        ("GET", {"Accept-Encoding": "gzip"}),
        ("GET", {"If-None-Match": etag}),
        ("GET", {"If-None-Match": gz_etag, "Accept-Encoding": "gzip"}),
        ("GET", {"If-None-Match": etag, "Accept-Encoding": "gzip"}),  # wrong variant: 200
        ("GET", {"If-Modified-Since": plain.headers["Last-Modified"]}),
        ("GET", {"If-None-Match": '"noe-annet"'}),
        ("HEAD", {"If-None-Match": etag}),
        ("HEAD", {}),
    ]
    for method, headers in requests:
        calls_before = len(view_calls)
        fast = client.open(feed.path, method=method, headers=headers)
        assert len(view_calls) == calls_before, (method, headers)  # the fast path answered
        app.config["FEED_FAST_PATH"] = False
        slow = client.open(feed.path, method=method, headers=headers)
        app.config["FEED_FAST_PATH"] = True
        assert len(view_calls) == calls_before + 1
        assert (fast.status_code, _headers(fast), fast.data) == (
            slow.status_code,
            _headers(slow),
            slow.data,
        ), (method, headers)
        assert "Date" in fast.headers
    assert client.get(feed.path, headers={"If-None-Match": etag}).status_code == 304


def test_a_change_is_served_at_once_and_a_revoked_feed_never(
    client: Any, make_post: Any, org: Organisation, view_calls: list[str]
) -> None:
    post = make_post()
    feed = create_feed(org.id, "Alt")
    etag = client.get(feed.path).headers["ETag"]
    assert client.get(feed.path, headers={"If-None-Match": etag}).status_code == 304
    post.title = "Søknadsfrist SFO"
    db.session.commit()
    changed = client.get(feed.path, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "Søknadsfrist SFO" in changed.get_data(as_text=True)
    assert changed.headers["ETag"] != etag
    path = feed.path
    calls_before = len(view_calls)
    assert client.get(path, headers={"If-None-Match": changed.headers["ETag"]}).status_code == 304
    assert len(view_calls) == calls_before
    revoke_feed(feed)  # the built body is still in the cache
    for headers in ({}, {"If-None-Match": changed.headers["ETag"]}):
        gone = client.get(path, headers=headers)
        assert gone.status_code == 404 and "Fant ikke kalenderen" in gone.get_data(as_text=True)


def test_errors_in_the_fast_path_are_answered_by_the_view(
    app: Flask, client: Any, make_post: Any, org: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False  # answer as in production: the error page
    make_post()
    feed = create_feed(org.id, "Alt")
    assert client.get(feed.path).status_code == 200

    def broken(*_args: Any) -> Any:
        raise RuntimeError("the cache is broken")

    monkeypatch.setattr(serving, "cached_feed", broken)
    monkeypatch.setattr(serving, "served_feed", broken)
    answer = client.get(feed.path)
    assert answer.status_code == 500
    assert "text/html" in answer.headers["Content-Type"]
    assert "the cache is broken" not in answer.get_data(as_text=True)


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the feed lookup's own pool (no pre-ping) exists on PostgreSQL only",
)
def test_feed_lookup_survives_connections_dropped_by_the_server(
    app: Flask, client: Any, make_post: Any, org: Organisation
) -> None:
    make_post()
    feed = create_feed(org.id, "Alt")
    etag = client.get(feed.path).headers["ETag"]
    assert FEED_ENGINE_KEY in app.extensions  # the lookup's own pool, without pre-ping
    terminate: Callable[[], int] = lambda: len(  # noqa: E731
        db.session.execute(
            db.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).all()
    )
    assert terminate() >= 1  # the lookup pool's connection, among others
    db.session.commit()
    # The lookup itself recovers (the fast path's fallback to the view is not needed).
    assert serving.cached_feed(feed.token, "http://localhost/") is not None
    terminate()
    db.session.commit()
    assert client.get(feed.path, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(feed.path).status_code == 200
