"""Failed logins, kept briefly to throttle password guessing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from planner.extensions import db
from planner.models.base import utcnow


class LoginFailure(db.Model):  # type: ignore[name-defined]
    """One failed login: the email tried (lower-cased) and the client address.

    Not tied to an organisation: it must not reveal whether the email exists.
    """

    __tablename__ = "login_failure"
    __table_args__ = (
        Index("ix_login_failure_email_at", "email", "at"),
        Index("ix_login_failure_ip_at", "ip", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), nullable=False)
    ip: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    at: Mapped[datetime] = mapped_column(default=utcnow, nullable=False)
