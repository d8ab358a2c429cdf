"""Administration: users and roles (admins only)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from planner.models import Role, User
from planner.services.accounts import (
    AccountError,
    add_user,
    get_organisation,
    organisation_users,
    reset_password,
    update_settings,
    update_user,
)
from planner.services.conflicts import changes_since, parse, snapshot
from planner.services.scope import current_org_id, get_scoped_or_404
from planner.views.access import role_required
from planner.views.admin_forms import PasswordResetForm, SettingsForm, UserCreateForm, UserRoleForm

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def users() -> Any:
    """List the organisation's users and create new ones."""
    form = UserCreateForm()
    if form.validate_on_submit():
        try:
            user = add_user(
                current_org_id(),
                form.email.data or "",
                form.password.data or "",
                form.role.data or "viewer",
                form.name.data or "",
            )
        except AccountError as exc:
            form.email.errors = [str(exc)]
        else:
            flash(_("Brukeren %(email)s er opprettet.", email=user.email), "success")
            return redirect(url_for("admin.users"))
    status = 422 if form.errors else 200
    return render_template(
        "admin/users.html", form=form, users=organisation_users(current_org_id())
    ), status


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def user_edit(user_id: int) -> Any:
    """Change a user's role or deactivate them (their history stays attributed)."""
    user = get_scoped_or_404(User, user_id)
    form = UserRoleForm(obj=user)
    if form.validate_on_submit():
        try:
            update_user(user, form.role.data or user.role, bool(form.active.data), current_user.id)
        except AccountError as exc:
            form.role.errors = [str(exc)]
        else:
            flash(_("Endringene for %(email)s er lagret.", email=user.email), "success")
            return redirect(url_for("admin.users"))
    status = 422 if form.errors else 200
    return render_template("admin/user_edit.html", form=form, user=user), status


@bp.route("/settings", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def settings() -> Any:
    """The municipality's settings (name); more settings join this page as features land."""
    org = get_organisation(current_org_id())
    form = SettingsForm(obj=org)
    if not form.is_submitted():
        form.embed_origins.data = "\n".join(org.settings.get("embed_origins", []))
    conflict: list[str] = []
    if form.validate_on_submit():
        name = (form.name.data or "").strip()
        conflict = changes_since(
            parse(request.form.get("original")),
            {"name": org.name},
            lambda _key, before, after: _("Navnet: %(b)s → %(a)s", b=before, a=after),
        )
    if conflict:
        form.name.errors = [_("Noen andre har endret innstillingene mens du redigerte.")]
        return render_template(
            "admin/settings.html",
            form=form,
            conflict=conflict,
            original=snapshot({"name": org.name}),
        ), 409
    if form.validate_on_submit():
        try:
            update_settings(org, name, (form.embed_origins.data or "").split())
        except AccountError as exc:
            form.name.errors = [str(exc)]
        else:
            flash(_("Innstillingene er lagret."), "success")
            return redirect(url_for("admin.settings"))
    status = 422 if form.errors else 200
    return render_template(
        "admin/settings.html", form=form, original=snapshot({"name": org.name})
    ), status


@bp.route("/users/<int:user_id>/password", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def user_password(user_id: int) -> Any:
    """Set a new temporary password for a user who has forgotten theirs (and unlock login)."""
    user = get_scoped_or_404(User, user_id)
    form = PasswordResetForm()
    if form.validate_on_submit():
        reset_password(user, form.password.data or "")
        flash(
            _(
                "Nytt passord er satt for %(email)s. Gi det til brukeren på en trygg måte.",
                email=user.email,
            ),
            "success",
        )
        return redirect(url_for("admin.user_edit", user_id=user.id))
    status = 422 if form.errors else 200
    return render_template("admin/user_password.html", form=form, user=user), status
