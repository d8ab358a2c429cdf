"""Health check for load balancers and monitoring."""

from flask import Blueprint

from planner.views.access import public

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@public
def healthz() -> tuple[str, int, dict[str, str]]:
    """200 ``ok`` without login: the process is up and serving."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}
