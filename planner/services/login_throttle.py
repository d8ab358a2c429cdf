"""Login throttling: too many failures for one email, or from one address, lock login for a
while. The message is the same whether or not the email exists."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select

from planner.extensions import db
from planner.models.base import utcnow
from planner.models.security import LoginFailure

WINDOW = timedelta(minutes=15)
MAX_PER_EMAIL = 5
MAX_PER_IP = 30


def is_locked(email: str, ip: str) -> bool:
    """Whether logins for ``email`` or from ``ip`` are paused after too many failures."""
    since = utcnow() - WINDOW
    per_email = db.session.execute(
        select(func.count(LoginFailure.id)).where(
            LoginFailure.email == email, LoginFailure.at >= since
        )
    ).scalar_one()
    if per_email >= MAX_PER_EMAIL:
        return True
    per_ip = db.session.execute(
        select(func.count(LoginFailure.id)).where(LoginFailure.ip == ip, LoginFailure.at >= since)
    ).scalar_one()
    return per_ip >= MAX_PER_IP


def record_failure(email: str, ip: str) -> None:
    """Remember a failed login (and forget those older than the window)."""
    db.session.execute(delete(LoginFailure).where(LoginFailure.at < utcnow() - WINDOW))
    db.session.add(LoginFailure(email=email[:254], ip=ip[:64]))
    db.session.commit()


def clear_failures(email: str, _ip: str) -> None:
    """A successful login clears that email's failures."""
    db.session.execute(delete(LoginFailure).where(LoginFailure.email == email))
    db.session.commit()
