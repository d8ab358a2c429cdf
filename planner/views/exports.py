"""Export (eksport): downloads for the communication strategy (Word, PDF, Excel, CSV, PNG),
print pages (A4 plan list, A3 wheel poster) and the JSON backup download (administrators).

Everything that brings data in – the spreadsheet and calendar imports and restoring a
backup – lives in the import area (:mod:`planner.views.imports`)."""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import time
import unicodedata
from collections.abc import Callable
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
from sqlalchemy import select

from planner.domain.dates import now_oslo
from planner.domain.filters import PlanFilter
from planner.domain.posts.rules import KINDS, STATUSES
from planner.extensions import db
from planner.formats import csv_format, docx, pdf, xlsx
from planner.models import Audience, Channel, Organisation, Role, ServiceArea
from planner.services.exports.json_export import export_json
from planner.services.exports.strategy import (
    RendererUnavailable,
    pdf_support,
    png_support,
    svg_to_png,
    wheel_svg,
)
from planner.services.posts.queries import items_for_year, plan_years
from planner.services.posts.working_year import working_year
from planner.services.scope import current_org_id, scoped
from planner.views.access import role_required
from planner.views.nav import last_viewed_year

bp = Blueprint("exports", __name__, url_prefix="/eksport")

DOWNLOADS = ("docx", "pdf", "plakat", "xlsx", "csv", "png")
MAX_PDF_LINES = 3000  # WeasyPrint lays out ~100 table lines a second
CACHE_SECONDS = 24 * 3600


# --------------------------------------------------------------------------- helpers


def _organisation() -> Organisation:
    return db.session.get_one(Organisation, current_org_id())


def default_year(org_id: int) -> int:
    """The year a page opens on: the year being worked on (``views/nav.py``)."""
    return working_year(org_id, last_viewed_year())


def year_arg(org_id: int) -> int:
    """The ``year`` argument of the request (404 outside 2000–2100), else :func:`default_year`."""
    year = request.args.get("year", type=int) or default_year(org_id)
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


def _catalog(org_id: int) -> dict[str, list[Any]]:
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
    year = year_arg(org_id)
    years = sorted(set(plan_years(org_id)) | {year, now_oslo().year})
    return {
        "year": year,
        "years": years,
        "plan_filter": PlanFilter.from_args(request.args),
        "per_occurrence": request.args.get("forekomster") == "1",
        "catalog": _catalog(org_id),
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
    year = year_arg(org.id)
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


def _print_page(
    template: str, context: Callable[[Organisation, int, PlanFilter], dict[str, Any]]
) -> str:
    """A page for the browser's print: the year and filter of the URL, and ``context``."""
    org = _organisation()
    year = year_arg(org.id)
    plan_filter = PlanFilter.from_args(request.args)
    return render_template(
        template,
        year=year,
        plan_filter=plan_filter,
        pdf_missing=pdf_support(),
        **context(org, year, plan_filter),
    )


@bp.get("/utskrift/plan")
def print_plan() -> Any:
    """The plan as an A4 list for the browser's print (and the same as PDF)."""
    return _print_page("exports/print_plan.html", pdf.plan_context)


@bp.get("/utskrift/plakat")
def print_poster() -> Any:
    """The wheel as an A3 landscape poster with its legend, for the browser's print."""
    return _print_page("exports/print_poster.html", pdf.poster_context)


# --------------------------------------------------------------------------- JSON backup


@bp.route("/sikkerhetskopi", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def backup() -> Any:
    """The JSON backup of a year to download. Restoring one moved to the import area: a
    POST here (the old restore form) is redirected there with its file (308)."""
    if request.method == "POST":
        return redirect(url_for("imports.restore"), 308)
    org = _organisation()
    year = year_arg(org.id)
    years = sorted(set(plan_years(org.id)) | {year})
    return render_template("exports/backup.html", year=year, years=years)


@bp.get("/sikkerhetskopi/fil")
@role_required(Role.ADMIN)
def backup_download() -> Any:
    """The JSON backup of a year (the lossless format of CONTRACTS.md)."""
    org = _organisation()
    year = year_arg(org.id)
    document = export_json(org, year)
    body = (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return _download(
        body, "application/json; charset=utf-8", f"arshjul-{year}-{_slug(org.name)}.json"
    )
