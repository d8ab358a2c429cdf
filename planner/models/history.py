"""History (historikk): who changed what, when — field by field, for every tenant row.

Entries are written by the session hook in ``planner.models.events`` for every create,
change and delete of any organisation-scoped row, so no service can forget it. The plan
is an official working document (arkivlova/offentleglova), so history is kept and can
be exported for archiving.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import db
from planner.models.base import OrgScoped, utcnow
from planner.models.org import User

HISTORY_ACTIONS = ("create", "update", "delete")


class HistoryEntry(OrgScoped, db.Model):  # type: ignore[name-defined]
    """One recorded change: ``changes`` is ``{field: [before, after]}`` (JSON-able values)."""

    __tablename__ = "history_entry"
    __table_args__ = (
        Index("ix_history_entity", "organisation_id", "entity", "entity_id"),
        Index("ix_history_org_at", "organisation_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, nullable=False)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    # Kept as text too, so the entry stays readable whatever happens to the account.
    user_label: Mapped[str] = mapped_column(String(254), nullable=False, default="")
    action: Mapped[str] = mapped_column(String(10), nullable=False)
    entity: Mapped[str] = mapped_column(String(40), nullable=False)
    entity_id: Mapped[int] = mapped_column(nullable=False)
    label: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)

    user: Mapped[User | None] = relationship()
