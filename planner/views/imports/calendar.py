"""The .ics import (kalenderfil): upload a file, see what is in it, choose per event
«innlegg» or «ytre ring» (an external calendar shown read-only on the wheel), import all or
nothing. The page also lists the external calendars the municipality has."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from planner.domain.dates import format_date, week_range_label
from planner.domain.imports.ics import MAX_BYTES, IcsImportError, ParsedCalendar, parse_ics
from planner.extensions import db
from planner.models import EXTERNAL_KINDS, IcsUpload, Organisation, Role
from planner.services.imports import external, ics_import
from planner.services.scope import current_org_id
from planner.views.access import role_required
from planner.views.imports.common import EXTERNAL_KIND_LABELS, bp
from planner.views.imports.forms import UploadForm

IMPORT_CHOICE_LABELS = {
    "post": _l("Som innlegg i planen"),
    "external": _l("I ytre ring (bare visning)"),
    "skip": _l("Ikke importer"),
}


def _upload_form(**kwargs: Any) -> UploadForm:
    return UploadForm(
        label=_l("Kalenderfil (.ics)"),
        missing=_l("Velg en kalenderfil (.ics) å importere."),
        **kwargs,
    )


def _load_upload(token: str) -> tuple[IcsUpload, ParsedCalendar]:
    """The user's own stored upload and what is in it; 404 for anything else."""
    upload = ics_import.get_upload(current_org_id(), current_user.id, token)
    if upload is None:
        abort(404)
    try:
        return upload, parse_ics(upload.content, upload.filename)
    except IcsImportError:  # pragma: no cover - it parsed when it was stored
        abort(404)


@bp.route("/import/kalender", methods=["GET", "POST"])
@role_required(Role.EDITOR)
def calendar_upload() -> Any:
    """Upload an .ics file; a broken or hostile file gives Norwegian reasons, writes nothing."""
    problems: list[str] = []
    too_large = False
    try:
        form = _upload_form()
        submitted = form.validate_on_submit()
    except RequestEntityTooLarge:
        form = _upload_form(formdata=None)
        submitted, too_large = False, True
        problems = [
            _(
                "Filen er for stor. Største tillatte størrelse er %(mb)s MB.",
                mb=MAX_BYTES // 1024 // 1024,
            )
        ]
    if submitted:
        upload = form.file.data
        raw = upload.read(MAX_BYTES + 1)
        too_large = len(raw) > MAX_BYTES
        try:
            parsed = parse_ics(raw, upload.filename)
        except IcsImportError as exc:
            problems = exc.problems
        else:
            if not parsed.events:
                problems = [_("Filen inneholder ingen hendelser å importere.")]
            else:
                stored = ics_import.store_upload(
                    current_org_id(), current_user.id, upload.filename, raw
                )
                return redirect(url_for("imports.calendar_preview", token=stored.token))
    if form.errors and not problems:
        problems = [str(e) for errors in form.errors.values() for e in errors]
    status = 413 if too_large else (422 if problems else 200)
    return render_template(
        "imports/calendar_upload.html",
        form=form,
        problems=problems,
        calendars=external.external_calendars(current_org_id()),
        external_kind_labels=EXTERNAL_KIND_LABELS,
    ), status


@bp.route("/import/kalender/<token>", methods=["GET", "POST"])
@role_required(Role.EDITOR)
def calendar_preview(token: str) -> Any:
    """What is in the file, with a choice per event: post, external ring, or skip."""
    upload, parsed = _load_upload(token)
    org = db.session.get_one(Organisation, current_org_id())
    default = "post" if parsed.from_planner else "external"
    choices = {e.key: request.form.get(f"valg-{e.key}", default) for e in parsed.events}
    calendar_name = (request.form.get("kalender") or parsed.name or "").strip()
    calendar_kind = request.form.get("kalendertype") or "annet"
    problems: list[str] = []
    if request.method == "POST":
        if not calendar_name and "external" in choices.values():
            problems.append(_("Gi den eksterne kalenderen et navn."))
        else:
            try:
                summary = ics_import.import_events(
                    org, parsed, choices, calendar_name=calendar_name, calendar_kind=calendar_kind
                )
            except IcsImportError as exc:
                problems = exc.problems
            else:
                db.session.delete(upload)
                db.session.commit()
                flash(summary.message(), "success")
                return redirect(url_for("imports.calendar_upload"))
    post_uids, external_uids = ics_import.matched_counts(org.id, parsed)
    rows = [
        {
            "event": e,
            "when": _when(e.start, e.end, e.all_day),
            "week": week_range_label(e.start.date(), e.end.date()),
            "exists": e.uid in post_uids or e.uid in external_uids,
        }
        for e in parsed.events
    ]
    return render_template(
        "imports/calendar_preview.html",
        parsed=parsed,
        rows=rows,
        choices=choices,
        problems=problems,
        filename=upload.filename,
        calendar_name=calendar_name,
        calendar_kind=calendar_kind,
        existing_names=[c.name for c, _n in external.external_calendars(org.id)],
        choice_labels=IMPORT_CHOICE_LABELS,
        external_kind_labels=EXTERNAL_KIND_LABELS,
        external_kinds=EXTERNAL_KINDS,
    ), (422 if problems else 200)


def _when(start: Any, end: Any, all_day: bool) -> str:
    """«12.02.2026 kl. 17:00–21:00», «06.04.2026–10.04.2026» and the like."""
    if all_day:
        text = format_date(start)
        return text if end.date() == start.date() else f"{text}–{format_date(end)}"
    same_day = start.date() == end.date()
    return f"{format_date(start)} kl. {start:%H:%M}–" + (
        f"{end:%H:%M}" if same_day else f"{format_date(end)} kl. {end:%H:%M}"
    )
