"""Restore a JSON backup (gjenopprett sikkerhetskopi) into this municipality, all or nothing
(administrators). Downloading a backup stays on the export side (``exports.backup``)."""

from __future__ import annotations

import json
from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from planner.extensions import db
from planner.models import Organisation, Role
from planner.services.imports.json_import import ImportProblems, import_json
from planner.services.scope import current_org_id
from planner.views.access import role_required
from planner.views.imports.common import bp
from planner.views.imports.forms import UploadForm


@bp.route("/import/sikkerhetskopi", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def restore() -> Any:
    """Restore a JSON backup: what exists is recognised and updated, nothing is doubled, and
    nothing is saved when anything in the file is invalid."""
    form = UploadForm(
        label=_l("Sikkerhetskopi (.json)"),
        missing=_l("Velg en sikkerhetskopi å gjenopprette."),
    )
    problems: list[str] = []
    if form.validate_on_submit():
        raw = form.file.data.read()
        try:
            data = json.loads(raw.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError):
            problems = [_("Filen er ikke en gyldig JSON-sikkerhetskopi fra årshjulet.")]
        else:
            try:
                import_json(data, db.session.get_one(Organisation, current_org_id()))
            except ImportProblems as exc:
                problems = exc.problems
            else:
                flash(
                    _(
                        "Sikkerhetskopien er gjenopprettet: %(n)s innlegg.",
                        n=len(data.get("posts", [])),
                    ),
                    "success",
                )
                return redirect(url_for("imports.restore"))
    status = 422 if form.errors or problems else 200
    return render_template("imports/restore.html", form=form, problems=problems), status
