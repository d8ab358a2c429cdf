"""Organisation (kommune) and user accounts."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import JSON, CheckConstraint, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from planner.extensions import db
from planner.models.base import OrgScoped, utcnow


class Role(enum.StrEnum):
    """User roles: viewers read, editors change the plan, admins also manage users and settings."""

    ADMIN = "admin"
    EDITOR = "editor"
    VIEWER = "viewer"


ROLE_RANK = {Role.VIEWER: 0, Role.EDITOR: 1, Role.ADMIN: 2}


class Organisation(db.Model):  # type: ignore[name-defined]
    """A municipality (kommune): the tenant every other row belongs to."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True, nullable=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, nullable=False)
    # Organisation-wide settings (e.g. the staffing load model), a JSON object.
    settings: Mapped[dict[str, Any]] = mapped_column(
        JSON, nullable=False, default=dict, server_default="{}"
    )
    # Bumped on every change to the organisation's data (see models.events): caches of
    # generated output (feeds, exports) are keyed on it, and changed_at never moves back.
    data_version: Mapped[int] = mapped_column(nullable=False, default=1, server_default="1")
    changed_at: Mapped[datetime] = mapped_column(
        default=utcnow, server_default=func.now(), nullable=False
    )

    users: Mapped[list[User]] = relationship(back_populates="organisation")


class User(UserMixin, OrgScoped, db.Model):  # type: ignore[name-defined]
    """A person who logs in. Email is unique across the installation (it is the login name)."""

    __tablename__ = "user_account"
    __table_args__ = (CheckConstraint("role IN ('admin', 'editor', 'viewer')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    role: Mapped[str] = mapped_column(String(10), nullable=False, default=Role.VIEWER.value)
    active: Mapped[bool] = mapped_column(nullable=False, default=True)
    created_at: Mapped[datetime] = mapped_column(
        default=utcnow, server_default=func.now(), nullable=False
    )
    organisation: Mapped[Organisation] = relationship(back_populates="users")

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        """Deactivated users cannot log in, but their history stays attributed to them."""
        return self.active

    def set_password(self, password: str) -> None:
        """Store a salted hash of ``password`` (Werkzeug's scrypt)."""
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        """Return whether ``password`` matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    def has_role(self, role: Role) -> bool:
        """Return whether the user has at least ``role`` (admin > editor > viewer)."""
        return ROLE_RANK[Role(self.role)] >= ROLE_RANK[role]

    @property
    def display_name(self) -> str:
        """The name if given, else the email."""
        return self.name or self.email
