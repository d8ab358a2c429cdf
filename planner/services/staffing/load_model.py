"""Changing the municipality's answering-load model (belastningsmodell)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.domain.staffing import LoadModel, LoadModelError
from planner.extensions import db
from planner.models import Organisation
from planner.services.staffing.checks import StaffingError
from planner.services.staffing.plan import LOAD_MODEL_KEY


def save_load_model(org: Organisation, values: Mapping[str, Any]) -> LoadModel:
    """Validate and store the municipality's load model weights, and commit."""
    try:
        model = LoadModel.from_settings(values)
    except LoadModelError as exc:
        raise StaffingError(str(exc)) from exc
    org.settings = {**(org.settings or {}), LOAD_MODEL_KEY: model.to_settings()}
    db.session.commit()
    return model


def reset_load_model(org: Organisation) -> None:
    """Go back to the default weights."""
    settings = dict(org.settings or {})
    settings.pop(LOAD_MODEL_KEY, None)
    org.settings = settings
    db.session.commit()
