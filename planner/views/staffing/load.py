"""The load model (lastmodell): how answering load and capacity are estimated, the weights
a municipality can adjust, and the result week by week."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for

from planner.domain.staffing import (
    CHANNEL_TYPE_LABELS,
    KIND_LABELS,
    SCALAR_LABELS,
    LoadModel,
    week_loads,
)
from planner.models import Role
from planner.services.accounts import get_organisation
from planner.services.scope import current_org_id
from planner.services.staffing import (
    StaffingError,
    load_model_for,
    load_plan,
    reset_load_model,
    save_load_model,
)
from planner.views.access import role_required
from planner.views.staffing import bp, selected_year

SCALARS = tuple(SCALAR_LABELS)


def _number(text: str | None) -> float | str | None:
    """A number typed with a decimal comma or point; None when left empty (the default
    applies); the text back if it is not a number (the model says why)."""
    cleaned = (text or "").strip().replace(",", ".")
    if not cleaned:
        return None
    try:
        return float(cleaned)
    except ValueError:
        return text or ""


def _given(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def _page(year: int, model: LoadModel, values: dict[str, Any] | None, error: str = "") -> Any:
    shown = model.to_settings()
    for key, value in (values or {}).items():
        if isinstance(value, dict):
            shown[key] = {**shown[key], **value}
        else:
            shown[key] = value
    plan = load_plan(current_org_id(), year)
    loads = [w for w in week_loads(plan).values() if w.demand > 0 or w.capacity > 0]
    return render_template(
        "staffing/load_model.html",
        year=year,
        model=model,
        values=shown,
        error=error,
        loads=loads,
        channel_labels=CHANNEL_TYPE_LABELS,
        kind_labels=KIND_LABELS,
        scalar_labels=SCALAR_LABELS,
        defaults=LoadModel(),
    ), (422 if error else 200)


@bp.get("/lastmodell")
def load_model() -> Any:
    """The load model explained, its weights, and each week's load against capacity."""
    org = get_organisation(current_org_id())
    return _page(selected_year(), load_model_for(org), None)


@bp.post("/lastmodell")
@role_required(Role.EDITOR)
def load_model_save() -> Any:
    """Save the municipality's weights (or go back to the defaults)."""
    year = selected_year()
    org = get_organisation(current_org_id())
    if request.form.get("reset"):
        reset_load_model(org)
        flash("Lastmodellen bruker standardvektene igjen.", "success")
        return redirect(url_for("staffing.load_model", year=year))
    values: dict[str, Any] = {
        "channel_weights": _given(
            {k: _number(request.form.get(f"weight-{k}")) for k in CHANNEL_TYPE_LABELS}
        ),
        "kind_factors": _given({k: _number(request.form.get(f"kind-{k}")) for k in KIND_LABELS}),
        **_given({name: _number(request.form.get(name)) for name in SCALARS}),
    }
    try:
        save_load_model(org, values)
    except StaffingError as exc:
        return _page(year, load_model_for(org), values, str(exc))
    flash("Lastmodellen er lagret.", "success")
    return redirect(url_for("staffing.load_model", year=year))
