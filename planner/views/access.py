"""Login and role enforcement for every view.

Login is required by default: a view is reachable anonymously only when marked
``@public``. That way a new blueprint cannot forget to protect itself.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user

from planner.extensions import htmx
from planner.models import Role
from planner.services.accounts import any_user_exists

F = TypeVar("F", bound=Callable[..., Any])


def public(view: F) -> F:
    """Mark a view as reachable without login (login, setup, health, feeds)."""
    view.is_public = True  # type: ignore[attr-defined]
    return view


def role_required(role: Role) -> Callable[[F], F]:
    """Allow the view only to users with at least ``role``; others get 403."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                abort(401)
            if not current_user.has_role(role):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def setup_done() -> bool:
    """Whether the first administrator exists (the setup page is then closed)."""
    return any_user_exists()


def enforce_login() -> Any:
    """``before_request`` hook: send anonymous users to setup (first run) or login."""
    if request.endpoint is None or request.endpoint == "static":
        return None
    view = current_app.view_functions.get(request.endpoint)
    if view is not None and getattr(view, "is_public", False):
        return None
    if current_user.is_authenticated:
        return None
    target = (
        url_for("setup.setup")
        if not setup_done()
        else url_for("auth.login", next=request.full_path)
    )
    if htmx:
        response = current_app.response_class(status=401)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target)
