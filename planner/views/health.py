"""Health check for load balancers and monitoring, and the site icon browsers ask for."""

from pathlib import Path

from flask import Blueprint, current_app
from flask.wrappers import Response

from planner.views.access import public

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@public
def healthz() -> tuple[str, int, dict[str, str]]:
    """200 ``ok`` without login: the process is up and serving."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.get("/favicon.ico")
@public
def favicon() -> Response:
    """The site icon (a small wheel, ``static/favicon.svg``) for browsers that ask for
    ``/favicon.ico`` without reading the page's ``<link rel="icon">``: no 404 in their log."""
    icon = Path(current_app.static_folder or "static", "favicon.svg").read_bytes()
    response = Response(icon, mimetype="image/svg+xml")
    response.cache_control.max_age = 86400
    response.cache_control.public = True
    return response
