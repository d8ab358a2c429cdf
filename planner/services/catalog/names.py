"""Names in the catalog: unique per organisation, compared without regard to case, and
the error every catalog change raises when its input is refused."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from planner.extensions import db
from planner.models import Audience, Channel


class CatalogError(ValueError):
    """A Norwegian explanation of why a change was refused; ``field`` names the form field."""

    def __init__(self, message: str, field: str = "name"):
        super().__init__(message)
        self.field = field
        self.message = message


def _name_taken(model: Any, org_id: int, name: str, exclude_id: int | None) -> bool:
    stmt = select(model.id).where(
        model.organisation_id == org_id, func.lower(model.name) == name.lower()
    )
    if exclude_id is not None:
        stmt = stmt.where(model.id != exclude_id)
    return db.session.execute(stmt.limit(1)).first() is not None


def _taken_message(model: Any, name: str) -> str:
    if model is Channel:
        return _("Det finnes allerede en kanal som heter «%(name)s».", name=name)
    if model is Audience:
        return _("Det finnes allerede en målgruppe som heter «%(name)s».", name=name)
    return _("Det finnes allerede et virksomhetsområde som heter «%(name)s».", name=name)


def clean_name(model: Any, org_id: int, name: str, exclude_id: int | None = None) -> str:
    """``name`` with its spaces tidied, refused when empty or taken by another row of
    ``model`` in the organisation (``exclude_id``: the row being renamed)."""
    name = " ".join((name or "").split())
    if not name:
        raise CatalogError(_("Skriv inn et navn."))
    if _name_taken(model, org_id, name, exclude_id):
        raise CatalogError(_taken_message(model, name))
    return name


def commit_named(model: Any, name: str) -> None:
    """Commit; a name taken by a concurrent request is reported like any taken name."""
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise CatalogError(_taken_message(model, name)) from exc
