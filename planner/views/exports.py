"""Export and import (eksport og import): downloads for the communication strategy (Word,
PDF, Excel, CSV, PNG), print pages (A4 plan list, A3 wheel poster), the spreadsheet import
with column mapping and preview, and the JSON backup (administrators)."""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import time
import unicodedata
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange

from planner.domain.dates import now_oslo
from planner.domain.filters import PlanFilter
from planner.domain.imports.spreadsheet import FIELD_LABELS, MONTH_NAMES, column_letter
from planner.domain.posts.rules import KINDS, STATUSES
from planner.extensions import db
from planner.formats import ImportRefused, csv_format, docx, pdf, xlsx
from planner.models import CHANNEL_TYPES, Audience, Channel, Organisation, Role, ServiceArea
from planner.services.exports.json_export import export_json
from planner.services.exports.strategy import (
    CHANNEL_TYPE_LABELS,
    RendererUnavailable,
    pdf_support,
    png_support,
    svg_to_png,
    wheel_svg,
    when_text,
)
from planner.services.imports import spreadsheet_import as importer
from planner.services.imports.json_import import ImportProblems, import_json
from planner.services.posts.queries import items_for_year, plan_years, wheels_for_year
from planner.services.scope import current_org_id, scoped
from planner.views.access import role_required

bp = Blueprint("exports", __name__, url_prefix="/eksport")

DOWNLOADS = ("docx", "pdf", "plakat", "xlsx", "csv", "png")
MAX_PDF_LINES = 3000  # WeasyPrint lays out ~100 table lines a second
CACHE_SECONDS = 24 * 3600


class UploadForm(FlaskForm):
    """Step 1 of the spreadsheet import: the file and the year it plans."""

    file = FileField(
        _l("Regneark (.xlsx eller .csv)"),
        validators=[FileRequired(_l("Velg en fil å importere."))],
    )
    year = IntegerField(
        _l("År"),
        validators=[
            InputRequired(_l("Skriv inn året planen gjelder.")),
            NumberRange(2000, 2100, _l("Året må være mellom 2000 og 2100.")),
        ],
    )


class StepForm(FlaskForm):
    """The mapping/preview step (its fields are per column, read from the request)."""


class RestoreForm(FlaskForm):
    """Restore a JSON backup into this municipality."""

    file = FileField(
        _l("Sikkerhetskopi (.json)"),
        validators=[FileRequired(_l("Velg en sikkerhetskopi å gjenopprette."))],
    )


# --------------------------------------------------------------------------- helpers


def _organisation() -> Organisation:
    return db.session.get_one(Organisation, current_org_id())


def _default_year(org_id: int) -> int:
    years = plan_years(org_id)
    this_year = now_oslo().year
    if this_year in years or not years:
        return this_year
    return min(years, key=lambda y: abs(y - this_year))


def _year_arg(org_id: int) -> int:
    year = request.args.get("year", type=int) or _default_year(org_id)
    if not 2000 <= year <= 2100:
        abort(404)
    return year


def _slug(text: str) -> str:
    ascii_text = (
        unicodedata.normalize("NFKD", text.replace("å", "aa").replace("Å", "Aa"))
        .replace("ø", "o")
        .replace("Ø", "O")
        .replace("æ", "ae")
        .replace("Æ", "Ae")
        .encode("ascii", "ignore")
        .decode()
    )
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60] or "kommune"


def _download(data: bytes, media_type: str, filename: str) -> Response:
    response = Response(data, mimetype=media_type.split(";")[0])
    if "charset" in media_type:
        response.headers["Content-Type"] = media_type
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _catalogue(org_id: int) -> dict[str, list[Any]]:
    return {
        "channels": list(db.session.execute(scoped(Channel).order_by(Channel.name)).scalars()),
        "audiences": list(
            db.session.execute(
                scoped(Audience).order_by(Audience.priority, Audience.name)
            ).scalars()
        ),
        "areas": list(db.session.execute(scoped(ServiceArea).order_by(ServiceArea.name)).scalars()),
    }


def _index_context(org_id: int) -> dict[str, Any]:
    year = _year_arg(org_id)
    years = sorted(set(plan_years(org_id)) | {year, now_oslo().year})
    return {
        "year": year,
        "years": years,
        "plan_filter": PlanFilter.from_args(request.args),
        "per_occurrence": request.args.get("forekomster") == "1",
        "catalogue": _catalogue(org_id),
        "statuses": STATUSES,
        "kinds": KINDS,
        "png_missing": png_support(),
        "pdf_missing": pdf_support(),
    }


# --------------------------------------------------------------------------- exports


@bp.get("/")
def index() -> Any:
    """The export page: choose year and filter, then a format to download or print."""
    return render_template("exports/index.html", **_index_context(current_org_id()))


@bp.get("/fil/<fmt>")
def download(fmt: str) -> Any:
    """Download the (filtered) plan of a year as Word, PDF, poster, Excel, CSV or PNG.

    A missing system library (Cairo, Pango) gives the export page with a Norwegian
    explanation (503), never a server error.
    """
    if fmt not in DOWNLOADS:
        abort(404)
    org = _organisation()
    year = _year_arg(org.id)
    plan_filter = PlanFilter.from_args(request.args)
    per_occurrence = request.args.get("forekomster") == "1"
    base = f"arshjul-{year}-{_slug(org.name)}"
    if fmt == "pdf":
        lines = len(items_for_year(org.id, year, plan_filter=plan_filter))
        if lines > MAX_PDF_LINES:
            flash(
                _(
                    "PDF-listen lages for planer med opptil %(max)s linjer, og dette utvalget har "
                    "%(n)s. Velg et mindre utvalg (for eksempel ett virksomhetsområde), skriv ut "
                    "fra utskriftssiden, eller last ned Word eller Excel.",
                    max=f"{MAX_PDF_LINES:,}".replace(",", " "),
                    n=lines,
                ),
                "error",
            )
            return render_template("exports/index.html", **_index_context(org.id)), 422
    makers = {
        "docx": (docx.MEDIA_TYPE, "docx", lambda: docx.export(org, year, plan_filter)),
        "pdf": (pdf.MEDIA_TYPE, "pdf", lambda: pdf.export(org, year, plan_filter)),
        "plakat": (pdf.MEDIA_TYPE, "pdf", lambda: pdf.export_poster(org, year, plan_filter)),
        "xlsx": (
            xlsx.MEDIA_TYPE,
            "xlsx",
            lambda: xlsx.export(org, year, plan_filter, per_occurrence),
        ),
        "csv": (
            csv_format.MEDIA_TYPE,
            "csv",
            lambda: csv_format.export(org, year, plan_filter, per_occurrence),
        ),
        "png": ("image/png", "png", lambda: svg_to_png(wheel_svg(org.id, year, plan_filter))),
    }
    media_type, extension, make = makers[fmt]
    suffix = "-plakat" if fmt == "plakat" else ""
    try:
        data = _cached(org, [fmt, year, plan_filter.to_json(), per_occurrence], make)
    except RendererUnavailable as exc:
        flash(str(exc), "error")
        return render_template("exports/index.html", **_index_context(org.id)), 503
    return _download(data, media_type, f"{base}{suffix}.{extension}")


def _cached(org: Organisation, key: list[Any], make: Any) -> bytes:
    """A generated file, kept in the instance folder under the organisation's data version
    (every change bumps it) and today's date, so a big plan is rendered once per change."""
    folder = Path(current_app.instance_path) / "export-cache"
    folder.mkdir(parents=True, exist_ok=True)
    # Read the version from the database, not from a possibly long-lived ORM object.
    version, changed_at = db.session.execute(
        select(Organisation.data_version, Organisation.changed_at).where(Organisation.id == org.id)
    ).one()
    state = [org.id, org.name, version, changed_at.isoformat()]
    raw_key = json.dumps([*key, *state, now_oslo().date().isoformat()], default=str)
    digest = hashlib.sha256(raw_key.encode("utf-8")).hexdigest()[:40]
    path = folder / f"{org.id}-{digest}.bin"
    if path.exists():
        return path.read_bytes()
    data: bytes = make()
    now = time.time()
    for old in folder.glob("*.bin"):
        if now - old.stat().st_mtime > CACHE_SECONDS:
            old.unlink(missing_ok=True)
    partial = path.with_suffix(f".{secrets.token_hex(4)}.tmp")
    partial.write_bytes(data)
    partial.replace(path)
    return data


@bp.get("/utskrift/plan")
def print_plan() -> Any:
    """The plan as an A4 list for the browser's print (and the same as PDF)."""
    org = _organisation()
    year = _year_arg(org.id)
    plan_filter = PlanFilter.from_args(request.args)
    return render_template(
        "exports/print_plan.html",
        year=year,
        plan_filter=plan_filter,
        pdf_missing=pdf_support(),
        **pdf.plan_context(org, year, plan_filter),
    )


@bp.get("/utskrift/plakat")
def print_poster() -> Any:
    """The wheel as an A3 landscape poster with its legend, for the browser's print."""
    org = _organisation()
    year = _year_arg(org.id)
    plan_filter = PlanFilter.from_args(request.args)
    return render_template(
        "exports/print_poster.html",
        year=year,
        plan_filter=plan_filter,
        pdf_missing=pdf_support(),
        **pdf.poster_context(org, year, plan_filter),
    )


# --------------------------------------------------------------------------- spreadsheet import


@bp.route("/import", methods=["GET", "POST"])
@role_required(Role.EDITOR)
def import_upload() -> Any:
    """Step 1: upload a spreadsheet (.xlsx or .csv, at most 20 MB)."""
    org_id = current_org_id()
    form = UploadForm()
    if request.method == "GET":
        form.year.data = _year_arg(org_id)
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
            return redirect(url_for("exports.import_map", token=token, year=form.year.data))
    status = 422 if form.errors or problems else 200
    return render_template("exports/import_upload.html", form=form, problems=problems), status


def _field_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The options of a column's select, grouped."""
    return [
        ("", [("", _("Ikke importer"))]),
        (_("Felt"), list(FIELD_LABELS.items())),
        (
            _("Månedskolonne (kryss eller dag i måneden)"),
            [(f"month:{i}", MONTH_NAMES[i - 1].capitalize()) for i in range(1, 13)],
        ),
        (_("Ukekolonne (kryss)"), [(f"week:{i}", f"Uke {i}") for i in range(1, 54)]),
    ]


def _allowed_fields() -> set[str]:
    return {value for _, options in _field_choices() for value, _ in options}


def _choices_from_form(org_id: int, sheets: list[Any]) -> importer.ImportChoices:
    """Read the mapping form; values that are not offered are ignored."""
    form = request.form
    year = form.get("ar", type=int) or _default_year(org_id)
    if not 2000 <= year <= 2100:
        year = _default_year(org_id)
    sheet = form.get("ark", type=int) or 0
    header = form.get("overskriftsrad", type=int)
    header_row = header - 1 if header and header >= 1 else None
    same_layout = form.get("forrige-ark", type=int) == sheet and form.get(
        "forrige-rad", type=int
    ) == (header or 0)
    mapping: list[str] | None = None
    if same_layout and header_row is not None:
        allowed = _allowed_fields()
        width = form.get("kolonner", type=int) or 0
        mapping = [
            value if (value := form.get(f"kolonne-{i}", "")) in allowed else ""
            for i in range(min(width, 500))
        ]
    wheel_id = form.get("hjul", type=int)
    choices = importer.ImportChoices(
        year=year, sheet=sheet, header_row=header_row, mapping=mapping, wheel_id=wheel_id
    )
    for prefix, actions in (
        ("kanal", choices.channel_actions),
        ("malgruppe", choices.audience_actions),
    ):
        for i in range(500):
            name = form.get(f"{prefix}-{i}-navn")
            if name is None:
                break
            key = importer.name_key(name)
            action = form.get(f"{prefix}-{i}", "")
            if action in (importer.NEW, importer.SKIP) or action.isdigit():
                actions[key] = action
            if prefix == "kanal":
                kind = form.get(f"kanaltype-{i}", "")
                if kind in CHANNEL_TYPES:
                    choices.channel_types[key] = kind
    return choices


@bp.route("/import/<token>", methods=["GET", "POST"])
@role_required(Role.EDITOR)
def import_map(token: str) -> Any:
    """Step 2: map columns to fields, see the preview with every problem per row and cell,
    then import – all rows, or explicitly only the valid ones. Nothing is written before."""
    org_id = current_org_id()
    stashed = importer.load_upload(current_app.instance_path, org_id, token)
    if stashed is None:
        flash(_("Opplastingen finnes ikke lenger. Last opp filen på nytt."), "error")
        return redirect(url_for("exports.import_upload"))
    raw, filename = stashed
    try:
        sheets = importer.read_upload(raw, filename)
    except ImportRefused as exc:  # pragma: no cover - it was read once already
        flash(" ".join(exc.problems), "error")
        return redirect(url_for("exports.import_upload"))
    form = StepForm()
    problems: list[str] = []
    changed_notice = ""
    status = 200
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        choices = _choices_from_form(org_id, sheets)
        preview = importer.build_preview(org_id, sheets, choices, filename)
        action = request.form.get("handling", "forhandsvis")
        if action in ("importer", "importer-gyldige"):
            if _fingerprint(preview) != request.form.get("vist"):
                changed_notice = _(
                    "Valgene er endret siden forhåndsvisningen. Se over den nye "
                    "forhåndsvisningen og bekreft på nytt."
                )
            else:
                choices.only_valid = action == "importer-gyldige"
                try:
                    result, _preview = importer.apply_import(org_id, sheets, choices, filename)
                except ImportRefused as exc:
                    problems = exc.problems
                    status = 422
                else:
                    importer.discard_upload(current_app.instance_path, org_id, token)
                    flash(result.summary(_organisation().name), "success")
                    return redirect(url_for("plan.year_list", year=choices.year))
        if preview.mapping_problems:
            status = 422
    else:
        year = request.args.get("year", type=int) or _default_year(org_id)
        if not 2000 <= year <= 2100:
            year = _default_year(org_id)
        preview = importer.build_preview(
            org_id, sheets, importer.ImportChoices(year=year), filename
        )
    return (
        render_template(
            "exports/import_map.html",
            form=form,
            token=token,
            preview=preview,
            problems=problems,
            changed_notice=changed_notice,
            fingerprint=_fingerprint(preview),
            field_choices=_field_choices(),
            column_letter=column_letter,
            when_text=when_text,
            channel_types=CHANNEL_TYPES,
            channel_type_labels=CHANNEL_TYPE_LABELS,
            channels=list(db.session.execute(scoped(Channel).order_by(Channel.name)).scalars()),
            audiences=list(db.session.execute(scoped(Audience).order_by(Audience.name)).scalars()),
            wheels=wheels_for_year(org_id, preview.year),
        ),
        status,
    )


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


# --------------------------------------------------------------------------- JSON backup


@bp.route("/sikkerhetskopi", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def backup() -> Any:
    """Download the JSON backup of a year, or restore one (all or nothing)."""
    org = _organisation()
    form = RestoreForm()
    problems: list[str] = []
    if form.validate_on_submit():
        raw = form.file.data.read()
        try:
            data = json.loads(raw.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError):
            problems = [_("Filen er ikke en gyldig JSON-sikkerhetskopi fra årshjulet.")]
        else:
            try:
                import_json(data, org)
            except ImportProblems as exc:
                problems = exc.problems
            else:
                year = data.get("year") if isinstance(data.get("year"), int) else None
                flash(
                    _(
                        "Sikkerhetskopien er gjenopprettet: %(n)s innlegg.",
                        n=len(data.get("posts", [])),
                    ),
                    "success",
                )
                return redirect(url_for("exports.backup", year=year or _year_arg(org.id)))
    status = 422 if form.errors or problems else 200
    years = sorted(set(plan_years(org.id)) | {_year_arg(org.id)})
    return (
        render_template(
            "exports/backup.html",
            form=form,
            problems=problems,
            year=_year_arg(org.id),
            years=years,
        ),
        status,
    )


@bp.get("/sikkerhetskopi/fil")
@role_required(Role.ADMIN)
def backup_download() -> Any:
    """The JSON backup of a year (the lossless format of CONTRACTS.md)."""
    org = _organisation()
    year = _year_arg(org.id)
    document = export_json(org, year)
    body = (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return _download(
        body, "application/json; charset=utf-8", f"arshjul-{year}-{_slug(org.name)}.json"
    )
