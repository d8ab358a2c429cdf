"""Log in and out."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from planner.services.accounts import authenticate
from planner.services.login_throttle import clear_failures, is_locked, record_failure
from planner.views.access import public, setup_done
from planner.views.auth_forms import LoginForm

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only follow ``next`` to a path on this site (no open redirects)."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and not urlsplit(target).netloc
    ):
        return target
    return url_for("plan.index")


@bp.route("/login", methods=["GET", "POST"])
@public
def login() -> Any:
    """The login page. The message for a failed login never says which part was wrong."""
    if not setup_done():
        return redirect(url_for("setup.setup"))
    if current_user.is_authenticated:
        return redirect(url_for("plan.index"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        email = (form.email.data or "").strip().lower()
        ip = request.remote_addr or ""
        if is_locked(email, ip):
            form.password.errors = [
                _(
                    "For mange mislykkede innlogginger. Vent 15 minutter og prøv igjen, eller be en administrator om å sette nytt passord."
                )
            ]
            return render_template("auth/login.html", form=form), 429
        user = authenticate(email, form.password.data or "")
        if user is not None:
            clear_failures(email, ip)
            login_user(user, remember=bool(form.remember.data))
            return redirect(_safe_next(request.args.get("next")))
        record_failure(email, ip)
        form.password.errors = [_("Feil e-postadresse eller passord.")]
    if form.errors:
        status = 422
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
def logout() -> Any:
    """Log out (POST with CSRF token, so a link elsewhere cannot log you out)."""
    logout_user()
    flash(_("Du er logget ut."), "info")
    return redirect(url_for("auth.login"))
