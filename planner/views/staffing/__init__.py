"""Staffing (bemanning): the overview of warnings, the rota, the team, peak and holiday
periods, derived-peak proposals and the load model. Blueprint ``staffing`` at /bemanning.

Viewers see everything; editors change it (every POST needs the editor role). The pages
are thin: rules live in ``planner.domain.staffing``, reads and changes in
``planner.services.staffing``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any, TypeVar

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from planner.domain.dates import week_range_label
from planner.domain.staffing import SEVERITIES, SEVERITY_LABELS, WARNING_KIND_LABELS
from planner.models import Role
from planner.services.scope import current_org_id
from planner.services.staffing import (
    StaffingError,
    accept_proposal,
    dismiss_proposal,
    year_overview,
)
from planner.views.access import role_required
from planner.views.nav import current_working_year

bp = Blueprint("staffing", __name__, url_prefix="/bemanning")

T = TypeVar("T")


def selected_year() -> int:
    """The year asked for (``?year=`` or the form's ``year``), else the year being worked on."""
    year = request.values.get("year", type=int)
    if year is None:
        return current_working_year()
    if not 2000 <= year <= 2100:
        abort(404)
    return year


def can_edit() -> bool:
    """Whether the current user may change the staffing (editors and admins)."""
    return bool(current_user.is_authenticated and current_user.has_role(Role.EDITOR))


def save_or_refuse(form: Any, save: Callable[[], T]) -> T | None:
    """``save()``; None when the staffing refuses the change (``StaffingError``), its
    message then standing on the form's name field."""
    try:
        return save()
    except StaffingError as exc:
        form.name.errors = [*form.name.errors, str(exc)]
        return None


def delete_or_confirm(delete: Callable[[], None], deleted: str, list_url: str, **page: Any) -> Any:
    """A delete route: on POST ``delete()``, flash ``deleted`` and go to ``list_url``; else
    the confirmation page with ``page`` (its title, text, action, back link, year)."""
    if request.method == "POST":
        delete()
        flash(deleted, "success")
        return redirect(list_url)
    return render_template("staffing/confirm_delete.html", **page)


WEEKDAY_SHORT = {1: "man", 2: "tir", 3: "ons", 4: "tor", 5: "fre", 6: "lør", 7: "søn"}


@bp.context_processor
def _staffing_helpers() -> dict[str, Any]:
    """Helpers for the staffing templates (and the ``_warnings.html`` fragment)."""
    return {
        "staffing_can_edit": can_edit,
        "staffing_weekday_short": WEEKDAY_SHORT,
        "staffing_weeks": week_range_label,
        "staffing_endpoints": current_app.view_functions,
    }


@bp.get("")
def index() -> Any:
    """Bemanning: every warning of the year with its reason and a suggested fix, and the
    peaks the planner proposes from the plan itself."""
    year = selected_year()
    overview = year_overview(current_org_id(), year)
    kind = request.args.get("kind") or None
    severity = request.args.get("severity") or None
    if kind is not None and kind not in WARNING_KIND_LABELS:
        kind = None
    if severity is not None and severity not in SEVERITIES:
        severity = None
    shown = [
        w
        for w in overview.warnings
        if (kind is None or w.kind == kind) and (severity is None or w.severity == severity)
    ]
    return render_template(
        "staffing/index.html",
        year=year,
        overview=overview,
        warnings=shown,
        kind=kind,
        severity=severity,
        kind_counts=Counter(w.kind for w in overview.warnings),
        severity_counts=Counter(w.severity for w in overview.warnings),
        kind_labels=WARNING_KIND_LABELS,
        severity_labels=SEVERITY_LABELS,
        severities=SEVERITIES,
    )


def _back(default: str, year: int) -> Any:
    target = request.form.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(url_for(default, year=year))


@bp.post("/forslag/godta")
@role_required(Role.EDITOR)
def proposal_accept() -> Any:
    """Accept a derived peak proposal: it becomes a peak period."""
    year = selected_year()
    try:
        peak = accept_proposal(current_org_id(), year, request.form.get("key", ""))
    except StaffingError as exc:
        flash(str(exc), "error")
    else:
        flash(f"«{peak.name}» er lagt inn som toppbelastning.", "success")
    return _back("staffing.index", year)


@bp.post("/forslag/avvis")
@role_required(Role.EDITOR)
def proposal_dismiss() -> Any:
    """Dismiss a derived peak proposal; it is remembered and not proposed again."""
    year = selected_year()
    try:
        proposal = dismiss_proposal(
            current_org_id(), year, request.form.get("key", ""), current_user.email
        )
    except StaffingError as exc:
        flash(str(exc), "error")
    else:
        flash(f"Forslaget «{proposal.name}» er avvist og blir ikke foreslått igjen.", "success")
    return _back("staffing.index", year)


from planner.views.staffing import load, periods, rota, team  # noqa: E402,F401  (routes on this blueprint)
