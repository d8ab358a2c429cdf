"""Serving a feed at ``/feeds/<token>.ics``: the Flask view ``feeds.serve`` and the fast
path in front of it.

The view is public (no login: the token is the secret), never touches the session, and
answers with conditional GET and gzip; an unknown or revoked token is a plain 404 that
says nothing about which.

Calendar clients poll their feeds all day, mostly asking «has it changed?»
(If-None-Match). When the feed is already built for the plan's current version, the fast
path (a WSGI layer, :class:`FeedFastPath`) answers from the feed cache after one light
query, without Flask's request machinery; anything else (a change to build, an unknown
address, an error) goes on to the view. Both build their answer with
:func:`feed_response`, so they answer alike (a test compares them), and both find the
feed through :mod:`planner.services.feeds.lookup` (one token pattern, one lookup).
``FEED_FAST_PATH = False`` in the configuration turns the fast path off.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from flask import Flask, current_app, request
from flask_babel import gettext as _
from werkzeug.http import http_date, is_resource_modified
from werkzeug.wrappers import Request

from planner.security import add_common_headers, https_enabled
from planner.services.feeds import serving
from planner.services.feeds.cache import FeedBody
from planner.services.feeds.lookup import TOKEN_PATTERN
from planner.views.access import public
from planner.views.feeds import bp

_FEED_PATH = re.compile(rf"/feeds/({TOKEN_PATTERN})\.ics")


def _not_found() -> Any:
    """The same plain answer for unknown and revoked tokens: it says nothing about which."""
    response = current_app.response_class(
        _("Fant ikke kalenderen. Adressen er feil, eller kalenderen er trukket tilbake.") + "\n",
        status=404,
        content_type="text/plain; charset=utf-8",
    )
    response.cache_control.no_store = True
    return response


def feed_response(generated: FeedBody, public: bool, gzipped: bool) -> Any:
    """The feed's answer (before conditional handling): the body, gzip when asked for, its
    validators and caching rules. Shared by the view and the fast path
    (:class:`FeedFastPath`), so both answer alike."""
    response = current_app.response_class(
        generated.gzipped if gzipped else generated.body,
        status=200,
        content_type="text/calendar; charset=utf-8",
    )
    if gzipped:
        response.content_encoding = "gzip"
    response.set_etag(generated.gzip_etag if gzipped else generated.etag)
    response.last_modified = generated.last_modified
    response.vary.add("Accept-Encoding")
    if public:
        response.cache_control.public = True
        response.cache_control.max_age = 300
    else:
        response.cache_control.private = True
        response.cache_control.no_cache = True
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@bp.get("/feeds/<token>.ics")
@public
def serve(token: str) -> Any:
    """The iCal feed: no login (the token is the secret), never touches the session."""
    found = serving.served_feed(token, request.host_url)
    if found is None:
        return _not_found()
    generated, is_public = found
    response = feed_response(generated, is_public, request.accept_encodings["gzip"] > 0)
    return response.make_conditional(request)


# --------------------------------------------------------------------------- the fast path


class FeedFastPath:
    """WSGI middleware in front of ``app.wsgi_app`` for ``GET /feeds/<token>.ics``."""

    def __init__(self, app: Flask, wsgi_app: Any):
        self.app = app
        self.wsgi_app = wsgi_app
        self.https = https_enabled(app)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            match = _FEED_PATH.fullmatch(environ.get("PATH_INFO", ""))
            # Trusted-host checks are Flask's business: with them configured, go through it.
            if (
                match
                and self.app.config.get("FEED_FAST_PATH", True)
                and not self.app.config.get("TRUSTED_HOSTS")
            ):
                answer = self._answer(environ, start_response, match.group(1))
                if answer is not None:
                    return answer
        return self.wsgi_app(environ, start_response)  # type: ignore[no-any-return]

    def _answer(
        self, environ: dict[str, Any], start_response: Any, token: str
    ) -> Iterable[bytes] | None:
        request = Request(environ)
        try:
            with self.app.app_context():
                found = serving.cached_feed(token, request.host_url)
                if found is None:
                    return None
                generated, public = found
                gzipped = request.accept_encodings["gzip"] > 0
                etag = generated.gzip_etag if gzipped else generated.etag
                if (
                    "HTTP_IF_MATCH" not in environ
                    and "HTTP_RANGE" not in environ
                    and not is_resource_modified(
                        environ, etag, last_modified=generated.last_modified
                    )
                ):
                    headers = self._not_modified_headers(environ, generated, public, gzipped)
                    start_response("304 NOT MODIFIED", [*headers, ("Date", http_date())])
                    return []
                response = self._response(generated, public, gzipped)
        except Exception:  # noqa: BLE001 - the Flask view answers errors, in Norwegian
            return None
        return response.make_conditional(request)(environ, start_response)  # type: ignore[no-any-return]

    def _response(self, generated: FeedBody, public: bool, gzipped: bool) -> Any:
        """The full answer, with the headers every response of the app gets."""
        response = feed_response(generated, public, gzipped)
        add_common_headers(response.headers, self.https)
        return response

    def _not_modified_headers(
        self, environ: dict[str, Any], generated: FeedBody, public: bool, gzipped: bool
    ) -> list[tuple[str, str]]:
        """The 304's headers as the full response would give them, made once per body."""
        key = (public, gzipped)
        headers: list[tuple[str, str]] | None = generated.not_modified_headers.get(key)
        if headers is None:
            response = self._response(generated, public, gzipped)
            response.status_code = 304
            headers = [
                (name, value)
                for name, value in response.get_wsgi_headers(environ).to_wsgi_list()
                if name.lower() != "date"
            ]
            generated.not_modified_headers[key] = headers
        return headers


def init_feed_fastpath(app: Flask) -> None:
    """Put the fast path in front of the app (inside any proxy fix, which wraps it later)."""
    app.wsgi_app = FeedFastPath(app, app.wsgi_app)  # type: ignore[method-assign]
