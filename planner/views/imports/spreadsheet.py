"""The spreadsheet import (regneark): the årshjul planners keep in Excel or CSV.

Step 1 uploads the file (kept for a day in the instance folder); step 2 maps columns to
fields, shows the preview with every problem per row and cell, and imports – all rows, or
explicitly only the valid ones. Nothing is written before the user confirms.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from planner.domain.imports.errors import ImportRefused
from planner.domain.imports.spreadsheet_columns import column_letter
from planner.domain.imports.spreadsheet_sheet import SheetData
from planner.extensions import db
from planner.models import CHANNEL_TYPES, Audience, Channel, Organisation, Role, Wheel
from planner.services.exports.strategy import CHANNEL_TYPE_LABELS, when_text
from planner.services.imports import spreadsheet_import as importer
from planner.services.posts.queries import wheels_for_year
from planner.services.scope import current_org_id, scoped
from planner.views.access import role_required
from planner.views.exports import default_year, year_arg
from planner.views.imports.common import bp
from planner.views.imports.forms import MappingForm, SpreadsheetUploadForm, mapping_form


@bp.route("/import/regneark", methods=["GET", "POST"])
@role_required(Role.EDITOR)
def spreadsheet_upload() -> Any:
    """Step 1: upload a spreadsheet (.xlsx or .csv, at most 20 MB)."""
    org_id = current_org_id()
    form = SpreadsheetUploadForm()
    if request.method == "GET":
        form.year.data = year_arg(org_id)
    problems: list[str] = []
    if form.validate_on_submit():
        upload = form.file.data
        raw = upload.read()
        filename = upload.filename or "regneark"
        try:
            importer.read_upload(raw, filename)
        except ImportRefused as exc:
            problems = exc.problems
        else:
            token = importer.stash_upload(current_app.instance_path, org_id, raw, filename)
            return redirect(url_for("imports.spreadsheet_map", token=token, year=form.year.data))
    status = 422 if form.errors or problems else 200
    return render_template("imports/spreadsheet_upload.html", form=form, problems=problems), status


def _mapping_form(org_id: int, sheets: list[SheetData]) -> MappingForm:
    """The mapping form for these sheets, offering the municipality's own names."""
    return mapping_form(
        sheets,
        channels=list(db.session.execute(scoped(Channel).order_by(Channel.name)).scalars()),
        audiences=list(db.session.execute(scoped(Audience).order_by(Audience.name)).scalars()),
        wheels=list(
            db.session.execute(select(Wheel).where(Wheel.organisation_id == org_id)).scalars()
        ),
    )


@bp.route("/import/regneark/<token>", methods=["GET", "POST"])
@role_required(Role.EDITOR)
def spreadsheet_map(token: str) -> Any:
    """Step 2: map columns to fields, see the preview with every problem per row and cell,
    then import – all rows, or explicitly only the valid ones. Nothing is written before."""
    org_id = current_org_id()
    stashed = importer.load_upload(current_app.instance_path, org_id, token)
    if stashed is None:
        flash(_("Opplastingen finnes ikke lenger. Last opp filen på nytt."), "error")
        return redirect(url_for("imports.spreadsheet_upload"))
    raw, filename = stashed
    try:
        sheets = importer.read_upload(raw, filename)
    except ImportRefused as exc:  # pragma: no cover - it was read once already
        flash(" ".join(exc.problems), "error")
        return redirect(url_for("imports.spreadsheet_upload"))
    form = _mapping_form(org_id, sheets)
    problems: list[str] = []
    changed_notice = ""
    if request.method == "POST":
        valid = form.validate_on_submit()
        if "csrf_token" in form.errors:
            abort(400)
        choices = form.import_choices(default_year(org_id))
        preview = importer.build_preview(org_id, sheets, choices, filename)
        if valid and form.handling.data in ("importer", "importer-gyldige"):
            if _fingerprint(preview) != form.vist.data:
                changed_notice = _(
                    "Valgene er endret siden forhåndsvisningen. Se over den nye "
                    "forhåndsvisningen og bekreft på nytt."
                )
            else:
                choices.only_valid = form.handling.data == "importer-gyldige"
                try:
                    result, _preview = importer.apply_import(org_id, sheets, choices, filename)
                except ImportRefused as exc:
                    problems = exc.problems
                else:
                    importer.discard_upload(current_app.instance_path, org_id, token)
                    org = db.session.get_one(Organisation, org_id)
                    flash(result.summary(org.name), "success")
                    return redirect(url_for("plan.year_list", year=choices.year))
    else:
        year = request.args.get("year", type=int) or default_year(org_id)
        if not 2000 <= year <= 2100:
            year = default_year(org_id)
        preview = importer.build_preview(
            org_id, sheets, importer.ImportChoices(year=year), filename
        )
    failed = request.method == "POST" and bool(problems or preview.mapping_problems or form.errors)
    form.show(preview, wheels_for_year(org_id, preview.year), _fingerprint(preview))
    return render_template(
        "imports/spreadsheet_map.html",
        form=form,
        preview=preview,
        problems=problems,
        changed_notice=changed_notice,
        column_letter=column_letter,
        when_text=when_text,
        channel_types=CHANNEL_TYPES,
        channel_type_labels=CHANNEL_TYPE_LABELS,
    ), (422 if failed else 200)


def _fingerprint(preview: importer.Preview) -> str:
    """What the preview was made from: importing is allowed only from the same choices."""
    payload = [
        preview.sheet,
        preview.header_row,
        preview.mapping,
        preview.year,
        preview.wheel_name,
        [(u.key, u.action, u.channel_type) for u in preview.unknown_channels],
        [(u.key, u.action) for u in preview.unknown_audiences],
    ]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode("utf-8")).hexdigest()[:32]
