"""The request's database transaction, for the view code that must end it without a
service of its own (views never touch the session directly)."""

from __future__ import annotations

from planner.extensions import db


def discard_changes() -> None:
    """Roll back the request's transaction: after an unexpected error, the error page
    renders on a clean session (a failed flush would make every later query fail)."""
    db.session.rollback()
