"""Peak periods, staff, absences and the duty rota (the model; the rules live in the domain)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import db
from planner.models.base import OrgScoped, Timestamps, utcnow
from planner.models.plan import Post

DUTY_ROLES = ("main", "backup")

peak_post = Table(
    "peak_post",
    db.metadata,
    Column("peak_period_id", ForeignKey("peak_period.id", ondelete="CASCADE"), primary_key=True),
    Column("post_id", ForeignKey("post.id", ondelete="CASCADE"), primary_key=True),
)


class PeakPeriod(OrgScoped, Timestamps, db.Model):  # type: ignore[name-defined]
    """A period of known high traffic that needs extra staff on duty (e.g. the kindergarten
    application deadline), linked to the posts that cause it."""

    __tablename__ = "peak_period"
    __table_args__ = (
        UniqueConstraint("organisation_id", "seed_key"),
        CheckConstraint('"end" >= start', name="end_after_start"),
        CheckConstraint("required_staff >= 1", name="required_staff_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seed_key: Mapped[str | None] = mapped_column(String(120))
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    start: Mapped[date] = mapped_column(nullable=False)
    end: Mapped[date] = mapped_column(nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    required_staff: Mapped[int] = mapped_column(nullable=False, default=2)

    posts: Mapped[list[Post]] = relationship(secondary=peak_post, order_by="Post.start")


class StaffMember(OrgScoped, Timestamps, db.Model):  # type: ignore[name-defined]
    """A member of the communication team who can be on duty (hovedansvarlig or backup)."""

    __tablename__ = "staff_member"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    email: Mapped[str] = mapped_column(String(254), nullable=False, default="")
    # ISO weekdays the person usually works, e.g. "1,2,3,4,5".
    working_days: Mapped[str] = mapped_column(String(20), nullable=False, default="1,2,3,4,5")
    active: Mapped[bool] = mapped_column(nullable=False, default=True)

    absences: Mapped[list[Absence]] = relationship(
        back_populates="staff_member", cascade="all, delete-orphan", order_by="Absence.start"
    )

    @property
    def working_day_list(self) -> list[int]:
        """The ISO weekdays (1 = Monday) the person usually works."""
        return [int(d) for d in self.working_days.split(",") if d.strip()]


class Absence(OrgScoped, db.Model):  # type: ignore[name-defined]
    """A period a staff member is away (holiday, course, leave)."""

    __tablename__ = "absence"
    __table_args__ = (CheckConstraint('"end" >= start', name="end_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_member_id: Mapped[int] = mapped_column(
        ForeignKey("staff_member.id", ondelete="CASCADE"), index=True
    )
    start: Mapped[date] = mapped_column(nullable=False)
    end: Mapped[date] = mapped_column(nullable=False)
    reason: Mapped[str] = mapped_column(String(200), nullable=False, default="")

    staff_member: Mapped[StaffMember] = relationship(back_populates="absences")


class DutyAssignment(OrgScoped, db.Model):  # type: ignore[name-defined]
    """Who is main responsible (hovedansvarlig) or backup in an ISO week, or on one day of it."""

    __tablename__ = "duty_assignment"
    __table_args__ = (CheckConstraint("role IN ('main', 'backup')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_member_id: Mapped[int] = mapped_column(
        ForeignKey("staff_member.id", ondelete="CASCADE"), index=True
    )
    week_start: Mapped[date] = mapped_column(nullable=False, index=True)
    day: Mapped[date | None] = mapped_column()
    role: Mapped[str] = mapped_column(String(10), nullable=False, default="main")

    staff_member: Mapped[StaffMember] = relationship()


class PeakProposalDismissal(OrgScoped, db.Model):  # type: ignore[name-defined]
    """A derived peak proposal the team dismissed, remembered by its key so the planner
    does not propose it again (``planner.domain.staffing.derived``)."""

    __tablename__ = "peak_proposal_dismissal"
    __table_args__ = (UniqueConstraint("organisation_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # e.g. "frist:<post uid>:2026-04-01" or "tett:2026-W14"
    key: Mapped[str] = mapped_column(String(300), nullable=False)
    # What was proposed, for the list of dismissed proposals.
    label: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    dismissed_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    dismissed_by: Mapped[str] = mapped_column(String(254), nullable=False, default="")
