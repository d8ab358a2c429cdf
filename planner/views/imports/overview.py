"""The import overview (/import): what each import is for and which files it takes."""

from __future__ import annotations

from typing import Any

from flask import render_template

from planner.domain.imports.ics import MAX_BYTES as ICS_MAX_BYTES
from planner.domain.imports.spreadsheet_cells import MAX_ROWS
from planner.models import Role
from planner.services.scope import current_org_id
from planner.views.access import role_required
from planner.views.exports import year_arg
from planner.views.imports.common import bp


@bp.get("/import")
@role_required(Role.EDITOR)
def index() -> Any:
    """The three imports side by side: a spreadsheet, a calendar file, a backup."""
    return render_template(
        "imports/index.html",
        year=year_arg(current_org_id()),
        ics_max_mb=ICS_MAX_BYTES // 1024 // 1024,
        max_rows=f"{MAX_ROWS:,}".replace(",", " "),
    )
