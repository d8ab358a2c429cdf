"""PDF: the A4 list of the plan and the A3 landscape poster of the wheel.

Rendered with WeasyPrint from the same templates and print stylesheet as the print pages
in the browser (``templates/exports/``; the print section of ``static/css/app.css``), so
the PDF and the browser's print look alike. WeasyPrint renders HTML, CSS paged media and
inline SVG itself and installs from PyPI; it needs Debian's Pango at run time. Nothing is
fetched while rendering: the stylesheet is passed in and every URL is refused.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import current_app, has_request_context, render_template
from markupsafe import Markup

from planner.domain.filters import PlanFilter
from planner.models import Organisation
from planner.services.exports.strategy import (
    RendererUnavailable,
    gather,
    inline_svg,
    pdf_support,
    wheel_svg,
)

FORMAT = "pdf"
MEDIA_TYPE = "application/pdf"
EXTENSION = "pdf"


def _stylesheet() -> str:
    return (Path(current_app.static_folder or "static") / "css" / "app.css").read_text(
        encoding="utf-8"
    )


def layout(html: str) -> Any:
    """Lay the HTML out into pages with WeasyPrint, fetching nothing from anywhere."""
    missing = pdf_support()
    if missing:
        raise RendererUnavailable(missing)
    # Not an import cycle: WeasyPrint is optional (it needs Debian's Pango, see pdf_support)
    # and takes about a second to import, which every app start and CLI command would pay.
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=())
    # The app's stylesheet has screen rules WeasyPrint does not know; its notes about them
    # are noise here, so only its errors are logged.
    logger = logging.getLogger("weasyprint")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        document = HTML(string=html, url_fetcher=fetcher, media_type="print")
        return document.render(stylesheets=[CSS(string=_stylesheet(), url_fetcher=fetcher)])
    finally:
        logger.setLevel(level)


def render_pdf(html: str) -> bytes:
    """HTML → PDF (see :func:`layout`)."""
    return bytes(layout(html).write_pdf())


def _render(template: str, **context: Any) -> str:
    if has_request_context():
        return render_template(template, **context)
    with current_app.test_request_context():
        return render_template(template, **context)


def plan_context(
    organisation: Organisation, year: int, plan_filter: PlanFilter | None
) -> dict[str, Any]:
    """What the A4 plan list shows (the print page uses the same)."""
    return {"data": gather(organisation, year, plan_filter)}


def poster_context(
    organisation: Organisation, year: int, plan_filter: PlanFilter | None
) -> dict[str, Any]:
    """What the A3 poster shows: the wheel as inline SVG (or why it is missing)."""
    data = gather(organisation, year, plan_filter)
    try:
        svg = Markup(inline_svg(wheel_svg(organisation.id, year, plan_filter)))  # noqa: S704
        error = ""
    except RendererUnavailable as exc:
        svg, error = Markup(""), str(exc)
    return {"data": data, "svg": svg, "svg_error": error}


def plan_html(organisation: Organisation, year: int, plan_filter: PlanFilter | None) -> str:
    """The HTML of the A4 plan list."""
    return _render("exports/pdf.html", kind="plan", **plan_context(organisation, year, plan_filter))


def poster_html(organisation: Organisation, year: int, plan_filter: PlanFilter | None) -> str:
    """The HTML of the A3 poster (raises RendererUnavailable when the wheel cannot be drawn)."""
    context = poster_context(organisation, year, plan_filter)
    if context["svg_error"]:
        raise RendererUnavailable(context["svg_error"])
    return _render("exports/pdf.html", kind="poster", **context)


def export(organisation: Organisation, year: int, plan_filter: PlanFilter | None = None) -> bytes:
    """The plan as an A4 list (PDF)."""
    return render_pdf(plan_html(organisation, year, plan_filter))


def export_poster(
    organisation: Organisation, year: int, plan_filter: PlanFilter | None = None
) -> bytes:
    """The wheel as an A3 landscape poster with its legend (PDF)."""
    return render_pdf(poster_html(organisation, year, plan_filter))
