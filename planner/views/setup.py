"""First-run setup: create the municipality and its first administrator."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_user

from planner.services.accounts import AccountError, set_up_organisation
from planner.views.access import public, setup_done
from planner.views.auth_forms import SetupForm, default_plan_year

bp = Blueprint("setup", __name__)


@bp.route("/setup", methods=["GET", "POST"])
@public
def setup() -> Any:
    """Shown only until the first administrator exists; then it sends people to login."""
    if setup_done():
        return redirect(url_for("auth.login"))
    form = SetupForm()
    if not form.is_submitted():
        form.year.data = default_plan_year()
    if form.validate_on_submit():
        try:
            user = set_up_organisation(
                form.municipality.data or "",
                form.email.data or "",
                form.password.data or "",
                form.name.data or "",
                int(form.year.data or default_plan_year()) if form.seed.data else None,
            )
        except AccountError as exc:
            form.email.errors = [str(exc)]
        else:
            login_user(user)
            flash(_("Velkommen! Kommunen og administratoren er opprettet."), "success")
            if form.seed.data and form.year.data:
                return redirect(url_for("plan.year_list", year=int(form.year.data)))
            return redirect(url_for("plan.index"))
    return render_template("setup.html", form=form), 422 if form.errors else 200
