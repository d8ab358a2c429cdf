"""Calendar feeds (kalenderfeeder), uploaded .ics files awaiting a choice, and the external
calendars (politiske møter, skoleferier …) drawn as a read-only ring on the wheel."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import db
from planner.models.base import OrgScoped, Timestamps, utcnow
from planner.models.org import User
from planner.models.staffing import StaffMember

FEED_KINDS = ("plan", "peaks", "duty")
EXTERNAL_KINDS = ("møter", "skoleferie", "annet")
#: Reminders (VALARM) can be set this many working days before at most.
MAX_REMINDER_DAYS = 20


def new_feed_token() -> str:
    """An unguessable URL token (256 bits of randomness, URL-safe)."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """SHA-256 of a token: feeds are looked up by digest, so the database comparison
    leaks nothing useful about the token through timing."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _digest_default(context: Any) -> str:
    return token_digest(context.get_current_parameters()["token"])


class Feed(OrgScoped, Timestamps, db.Model):  # type: ignore[name-defined]
    """An iCal subscription (kalenderfeed) at ``/feeds/<token>.ics``.

    ``kind`` is ``plan`` (posts through ``filter``, a ``PlanFilter.to_json()``), ``peaks``
    (peak periods) or ``duty`` (the rota; only ``staff_member_id``'s weeks when set).
    ``reminder_days`` adds a VALARM that many working days before (None: no alarm).
    A revoked feed answers 404; rotating gives it a new token.
    """

    __tablename__ = "feed"
    __table_args__ = (
        CheckConstraint("kind IN ('plan', 'peaks', 'duty')", name="kind"),
        CheckConstraint(
            f"reminder_days IS NULL OR (reminder_days >= 1 AND reminder_days <= {MAX_REMINDER_DAYS})",
            name="reminder_days_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    token: Mapped[str] = mapped_column(
        String(100), unique=True, nullable=False, default=new_feed_token
    )
    token_digest: Mapped[str] = mapped_column(
        String(64), unique=True, nullable=False, default=_digest_default
    )
    kind: Mapped[str] = mapped_column(String(10), nullable=False, default="plan")
    filter: Mapped[dict[str, Any]] = mapped_column(
        JSON, nullable=False, default=dict, server_default="{}"
    )
    staff_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_member.id", ondelete="CASCADE"), index=True
    )
    include_drafts: Mapped[bool] = mapped_column(nullable=False, default=False)
    reminder_days: Mapped[int | None] = mapped_column()
    public: Mapped[bool] = mapped_column(nullable=False, default=False)
    revoked_at: Mapped[datetime | None] = mapped_column()
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    # Fingerprint of the last generated content and when it last changed: Last-Modified
    # moves only when the content does, the same in every worker process, never back.
    content_hash: Mapped[str | None] = mapped_column(String(64))
    content_changed_at: Mapped[datetime | None] = mapped_column()

    created_by: Mapped[User | None] = relationship()
    staff_member: Mapped[StaffMember | None] = relationship()

    def set_token(self, token: str | None = None) -> str:
        """Give the feed a (new) token; the old URL stops working at once."""
        self.token = token or new_feed_token()
        self.token_digest = token_digest(self.token)
        return self.token

    @property
    def is_active(self) -> bool:
        """Whether the feed is served (not revoked)."""
        return self.revoked_at is None

    @property
    def path(self) -> str:
        """The URL path of the feed, ``/feeds/<token>.ics`` (CONTRACTS.md)."""
        return f"/feeds/{self.token}.ics"


class FeedSnapshot(db.Model):  # type: ignore[name-defined]
    """A generated feed kept in the database, so that every app server (and worker) can
    serve it without building it again: keyed on a hash of what the feed depends on
    (the plan's data version among it), gzip-compressed. A cache, not data: written with
    plain SQL (no history, no data version), not in backups, replaced after a change."""

    __tablename__ = "feed_snapshot"
    __table_args__ = (UniqueConstraint("feed_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # (feed_id, key) is unique, and its index serves lookups by feed too.
    feed_id: Mapped[int] = mapped_column(ForeignKey("feed.id", ondelete="CASCADE"), nullable=False)
    key: Mapped[str] = mapped_column(String(64), nullable=False)
    etag: Mapped[str] = mapped_column(String(64), nullable=False)
    last_modified: Mapped[datetime] = mapped_column(nullable=False)
    gzipped: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, nullable=False)


class IcsUpload(OrgScoped, db.Model):  # type: ignore[name-defined]
    """An uploaded .ics file that parsed cleanly and waits for the user to choose which
    events to bring in (the preview step). Deleted when imported or after a day."""

    __tablename__ = "ics_upload"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    filename: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    content: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow, nullable=False)


class ExternalCalendar(OrgScoped, Timestamps, db.Model):  # type: ignore[name-defined]
    """A calendar from outside the plan (the council's meetings, school holidays …), imported
    from .ics and shown read-only as a ring of the wheel."""

    __tablename__ = "external_calendar"
    __table_args__ = (
        UniqueConstraint("organisation_id", "name"),
        CheckConstraint("kind IN ('møter', 'skoleferie', 'annet')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False, default="annet")

    events: Mapped[list[ExternalEvent]] = relationship(
        back_populates="calendar", cascade="all, delete-orphan", passive_deletes=True
    )


class ExternalEvent(OrgScoped, Timestamps, db.Model):  # type: ignore[name-defined]
    """One event of an external calendar, kept as in the file (times as Oslo wall clock).

    ``start``/``end`` follow the Post convention: for all-day events both are midnight and
    ``end`` is the last day (inclusive). A recurring event keeps its RRULE and EXDATEs
    (``exdates``, ISO strings of the original starts); a moved occurrence is its own row
    with ``recurrence_key`` set to the ISO original start ("" for the series/one-off).
    """

    __tablename__ = "external_event"
    __table_args__ = (
        UniqueConstraint("organisation_id", "uid", "recurrence_key"),
        CheckConstraint('"end" >= start', name="end_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    calendar_id: Mapped[int] = mapped_column(
        ForeignKey("external_calendar.id", ondelete="CASCADE"), index=True
    )
    uid: Mapped[str] = mapped_column(String(255), nullable=False)
    recurrence_key: Mapped[str] = mapped_column(String(32), nullable=False, default="")
    summary: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    location: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    start: Mapped[datetime] = mapped_column(nullable=False)
    end: Mapped[datetime] = mapped_column(nullable=False)
    all_day: Mapped[bool] = mapped_column(nullable=False, default=True)
    rrule: Mapped[str | None] = mapped_column(String(500))
    exdates: Mapped[list[str]] = mapped_column(
        JSON, nullable=False, default=list, server_default="[]"
    )
    cancelled: Mapped[bool] = mapped_column(nullable=False, default=False)

    calendar: Mapped[ExternalCalendar] = relationship(back_populates="events")
