"""The addresses the import wizards had before they got a home of their own at /import.

Each answers a permanent redirect (308, so a POST stays a POST with its body) to the new
address, with the same query string. Like every page they need a login (so the set of
public addresses stays exactly the feeds, login, setup and health); the new address then
decides which roles may use it."""

from __future__ import annotations

from typing import Any

from flask import redirect, request, url_for

from planner.views.imports.common import bp


def _moved(endpoint: str, **values: Any) -> Any:
    """A 308 redirect to ``endpoint`` keeping the query string."""
    target = url_for(endpoint, **values)
    if request.query_string:
        target += "?" + request.query_string.decode("latin-1")
    return redirect(target, 308)


@bp.route("/eksport/import", methods=["GET", "POST"])
def moved_spreadsheet_upload() -> Any:
    """/eksport/import → /import/regneark."""
    return _moved("imports.spreadsheet_upload")


@bp.route("/eksport/import/<token>", methods=["GET", "POST"])
def moved_spreadsheet_map(token: str) -> Any:
    """/eksport/import/<token> → /import/regneark/<token>."""
    return _moved("imports.spreadsheet_map", token=token)


@bp.route("/kalenderfeeder/import", methods=["GET", "POST"])
def moved_calendar_upload() -> Any:
    """/kalenderfeeder/import → /import/kalender."""
    return _moved("imports.calendar_upload")


@bp.route("/kalenderfeeder/import/<token>", methods=["GET", "POST"])
def moved_calendar_preview(token: str) -> Any:
    """/kalenderfeeder/import/<token> → /import/kalender/<token>."""
    return _moved("imports.calendar_preview", token=token)
