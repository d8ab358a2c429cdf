"""Shared column helpers for the models."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, declared_attr, mapped_column


def utcnow() -> datetime:
    """Naive UTC now: timestamps are stored as naive UTC on every database."""
    return datetime.now(UTC).replace(tzinfo=None)


class OrgScoped:
    """Mixin for rows that belong to one organisation (kommune).

    Every tenant-owned table carries ``organisation_id`` so that every query can be
    scoped by it; see ``planner.services.scope``.
    """

    @declared_attr
    def organisation_id(cls) -> Mapped[int]:  # noqa: N805
        return mapped_column(
            ForeignKey("organisation.id", ondelete="CASCADE"), index=True, nullable=False
        )


class Timestamps:
    """Mixin with created/updated timestamps (naive UTC)."""

    created_at: Mapped[datetime] = mapped_column(default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, nullable=False)
