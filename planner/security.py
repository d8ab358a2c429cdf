"""HTTP hardening: security headers (a strict Content-Security-Policy with no inline script
or style), secure cookies behind HTTPS, and the proxy set-up.

Configuration (environment):
- ``PLANNER_HTTPS=1`` – the app is served over HTTPS: cookies get ``Secure``, and HSTS is sent.
- ``PLANNER_BEHIND_PROXY=1`` – trust one reverse proxy's ``X-Forwarded-*`` headers.
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def _flag(name: str) -> bool:
    return os.environ.get(name, "").lower() in ("1", "true", "yes", "ja")


EMBEDDABLE_ENDPOINTS = {"wheel.wheel_year", "wheel.wheel_svg", "wheel.wheel_list"}


def _embed_origins() -> list[str]:
    """The origins allowed to frame this response: only the read-only wheel views, and
    only those the administrator listed in the settings."""
    if request.endpoint not in EMBEDDABLE_ENDPOINTS or request.method != "GET":
        return []
    if not getattr(current_user, "is_authenticated", False):
        return []
    settings = current_user.organisation.settings or {}
    return [str(o) for o in settings.get("embed_origins", [])]


#: Endpoints that never have a session: their answers say nothing about cookies.
SESSIONLESS_ENDPOINTS = {"feeds.serve"}


class SessionInterface(SecureCookieSessionInterface):
    """Signed-cookie sessions, except for the calendar feed: Flask-Login looks at the session
    after every request, which would add ``Vary: Cookie`` (and could refresh a cookie) on
    a feed that calendar clients and shared caches fetch without any."""

    def save_session(self, app: Flask, session: Any, response: Any) -> None:
        if request.endpoint in SESSIONLESS_ENDPOINTS:
            return
        super().save_session(app, session, response)


def https_enabled(app: Flask) -> bool:
    """Whether the app is served over HTTPS (``PLANNER_HTTPS``)."""
    return _flag("PLANNER_HTTPS") or bool(app.config.get("PLANNER_HTTPS"))


def add_common_headers(headers: Any, https: bool) -> None:
    """The headers every response gets, pages or not (also the feed's fast path)."""
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if https:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")


def init_security(app: Flask) -> None:
    """Set cookie flags and attach the security headers to every response."""
    https = https_enabled(app)
    app.session_interface = SessionInterface()
    if https:
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
    if _flag("PLANNER_BEHIND_PROXY"):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]

    @app.after_request
    def _security_headers(response: Any) -> Any:
        """Headers for every response; the CSP for pages (feeds and files need none)."""
        headers = response.headers
        add_common_headers(headers, https)
        if response.mimetype in ("text/html", "image/svg+xml"):
            origins = _embed_origins()
            if origins:
                # Opt-in: the read-only wheel may be framed by the municipality's intranet.
                csp = CSP.replace(
                    "frame-ancestors 'none'", "frame-ancestors 'self' " + " ".join(origins)
                )
                headers.setdefault("Content-Security-Policy", csp)
            else:
                headers.setdefault("Content-Security-Policy", CSP)
                headers.setdefault("X-Frame-Options", "DENY")
        if request.endpoint != "static" and response.mimetype == "text/html":
            headers.setdefault("Cache-Control", "no-store")
        return response
