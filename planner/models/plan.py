"""The plan: wheels (årshjul), service areas, audiences (målgrupper), channels (kanaler),
the reach matrix, and posts with their recurrence exceptions."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import db
from planner.models.base import OrgScoped, Timestamps

POST_STATUSES = ("idé", "planlagt", "godkjent", "publisert", "avlyst")
POST_KINDS = ("proaktiv", "fortløpende", "reaktiv")
SOCIAL_CHANNEL_TYPES = (
    "nettsamfunn",
    "mikroblogg",
    "blogg",
    "delingsmedium",
    "diskusjonsforum",
    "wiki",
)
TRADITIONAL_CHANNEL_TYPES = (
    "nettside",
    "pressemelding",
    "annonse_lokalavis",
    "brev_sms",
    "plakat",
    "mote",
)
CHANNEL_TYPES = SOCIAL_CHANNEL_TYPES + TRADITIONAL_CHANNEL_TYPES
REACH_LEVELS = (1, 2, 3)


def _in(column: str, values: tuple[object, ...]) -> str:
    quoted = ", ".join(f"'{v}'" if isinstance(v, str) else str(v) for v in values)
    return f"{column} IN ({quoted})"


def new_uid() -> str:
    """A new stable, globally unique post UID (also the iCal UID)."""
    return f"{uuid.uuid4()}@arshjul"


post_channel = Table(
    "post_channel",
    db.metadata,
    Column("post_id", ForeignKey("post.id", ondelete="CASCADE"), primary_key=True),
    Column("channel_id", ForeignKey("channel.id", ondelete="CASCADE"), primary_key=True),
)

post_audience = Table(
    "post_audience",
    db.metadata,
    Column("post_id", ForeignKey("post.id", ondelete="CASCADE"), primary_key=True),
    Column("audience_id", ForeignKey("audience.id", ondelete="CASCADE"), primary_key=True),
)


class Wheel(OrgScoped, Timestamps, db.Model):  # type: ignore[name-defined]
    """A named plan for one year (årshjul); a municipality may keep several per year."""

    __tablename__ = "wheel"
    __table_args__ = (UniqueConstraint("organisation_id", "year", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    year: Mapped[int] = mapped_column(nullable=False)

    posts: Mapped[list[Post]] = relationship(back_populates="wheel", passive_deletes=True)


class ServiceArea(OrgScoped, db.Model):  # type: ignore[name-defined]
    """A service area of the municipality (virksomhetsområde), e.g. Oppvekst or Teknisk."""

    __tablename__ = "service_area"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False)


class Audience(OrgScoped, Timestamps, db.Model):  # type: ignore[name-defined]
    """A target group (målgruppe), described demographically/geographically, with a priority."""

    __tablename__ = "audience"
    __table_args__ = (
        UniqueConstraint("organisation_id", "name"),
        CheckConstraint("priority >= 1", name="priority_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    priority: Mapped[int] = mapped_column(nullable=False, default=1)
    service_area_id: Mapped[int | None] = mapped_column(
        ForeignKey("service_area.id", ondelete="SET NULL")
    )
    service_area: Mapped[ServiceArea | None] = relationship()


class Channel(OrgScoped, Timestamps, db.Model):  # type: ignore[name-defined]
    """A communication channel (kanal), social or traditional, with a response-time target."""

    __tablename__ = "channel"
    __table_args__ = (
        UniqueConstraint("organisation_id", "name"),
        CheckConstraint(_in("type", CHANNEL_TYPES), name="type"),
        CheckConstraint("response_hours >= 0", name="response_hours_nonnegative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    type: Mapped[str] = mapped_column(String(30), nullable=False)
    response_hours: Mapped[int] = mapped_column(nullable=False, default=0)
    profile_text: Mapped[str] = mapped_column(Text, nullable=False, default="")
    colour: Mapped[str] = mapped_column(String(7), nullable=False, default="#1b4f9c")

    @property
    def is_social(self) -> bool:
        """Whether the channel is a social medium (as opposed to a traditional channel)."""
        return self.type in SOCIAL_CHANNEL_TYPES


class Reach(OrgScoped, db.Model):  # type: ignore[name-defined]
    """One cell of the reach matrix: how well a channel reaches an audience (1 noe – 3 svært god)."""

    __tablename__ = "reach"
    __table_args__ = (
        UniqueConstraint("channel_id", "audience_id"),
        CheckConstraint(_in("level", REACH_LEVELS), name="level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channel.id", ondelete="CASCADE"))
    audience_id: Mapped[int] = mapped_column(ForeignKey("audience.id", ondelete="CASCADE"))
    level: Mapped[int] = mapped_column(nullable=False, default=2)

    channel: Mapped[Channel] = relationship()
    audience: Mapped[Audience] = relationship()


class Post(OrgScoped, Timestamps, db.Model):  # type: ignore[name-defined]
    """A planned communication item in a wheel.

    ``start``/``end`` are naive wall-clock datetimes in Europe/Oslo. For all-day posts both
    are midnight and ``end`` is the last day (inclusive), the way planners think of it;
    iCal export turns it into an exclusive DTEND.
    """

    __tablename__ = "post"
    __table_args__ = (
        UniqueConstraint("wheel_id", "seed_key"),
        CheckConstraint(_in("status", POST_STATUSES), name="status"),
        CheckConstraint(_in("kind", POST_KINDS), name="kind"),
        CheckConstraint('"end" >= start', name="end_after_start"),
        Index("ix_post_org_start", "organisation_id", "start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(255), unique=True, nullable=False, default=new_uid)
    wheel_id: Mapped[int] = mapped_column(ForeignKey("wheel.id", ondelete="CASCADE"), index=True)
    seed_key: Mapped[str | None] = mapped_column(String(100))
    # The UID of the post this one was rolled forward from (rull fram), if any.
    origin_uid: Mapped[str | None] = mapped_column(String(255), index=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    start: Mapped[datetime] = mapped_column(nullable=False)
    end: Mapped[datetime] = mapped_column(nullable=False)
    all_day: Mapped[bool] = mapped_column(nullable=False, default=True)
    rrule: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="planlagt")
    kind: Mapped[str] = mapped_column(String(20), nullable=False, default="proaktiv")
    service_area_id: Mapped[int | None] = mapped_column(
        ForeignKey("service_area.id", ondelete="SET NULL")
    )
    responsible: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    link: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    archive_worthy: Mapped[bool] = mapped_column(nullable=False, default=False)
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    version: Mapped[int] = mapped_column(nullable=False, default=1)
    # Set when the post is moved to the bin (papirkurv); such posts are hidden from the plan.
    deleted_at: Mapped[datetime | None] = mapped_column(index=True)

    __mapper_args__ = {"version_id_col": version}

    wheel: Mapped[Wheel] = relationship(back_populates="posts")
    service_area: Mapped[ServiceArea | None] = relationship()
    channels: Mapped[list[Channel]] = relationship(secondary=post_channel, order_by="Channel.name")
    audiences: Mapped[list[Audience]] = relationship(
        secondary=post_audience, order_by="Audience.priority, Audience.name"
    )
    exceptions: Mapped[list[PostException]] = relationship(
        back_populates="post",
        cascade="all, delete-orphan",
        order_by="PostException.recurrence_id",
    )

    @property
    def start_date(self) -> date:
        """The first day of the post."""
        return self.start.date()

    @property
    def end_date(self) -> date:
        """The last day of the post (inclusive)."""
        return self.end.date()


HOLIDAY_KINDS = ("skoleferie", "fellesferie", "annet")


class HolidayPeriod(OrgScoped, db.Model):  # type: ignore[name-defined]
    """A school holiday (skoleferie) or common holiday period (fellesferie) of the municipality.

    Public holidays come from the ``holidays`` package; these periods vary by county and
    municipality, so each municipality keeps its own (shown on the wheel's outer band and
    used by the staffing warnings).
    """

    __tablename__ = "holiday_period"
    __table_args__ = (
        UniqueConstraint("organisation_id", "name", "start"),
        CheckConstraint('"end" >= start', name="end_after_start"),
        CheckConstraint(_in("kind", HOLIDAY_KINDS), name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    start: Mapped[date] = mapped_column(nullable=False)
    end: Mapped[date] = mapped_column(nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False, default="skoleferie")


class PostException(OrgScoped, db.Model):  # type: ignore[name-defined]
    """A moved or cancelled occurrence of a recurring post (iCal RECURRENCE-ID / EXDATE)."""

    __tablename__ = "post_exception"
    __table_args__ = (UniqueConstraint("post_id", "recurrence_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), index=True)
    recurrence_id: Mapped[datetime] = mapped_column(nullable=False)
    cancelled: Mapped[bool] = mapped_column(nullable=False, default=False)
    start: Mapped[datetime | None] = mapped_column()
    end: Mapped[datetime | None] = mapped_column()

    post: Mapped[Post] = relationship(back_populates="exceptions")
