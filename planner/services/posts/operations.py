"""Post mutations (innlegg): create, update, duplicate, move, occurrence changes, bin.

Views stay thin: they turn a form into a :class:`PostData` and hand it here; posts are
written by the one writer (``planner.services.posts.writer``).
Every mutation is one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from planner.domain.posts.recurrence import RecurrenceError, validate_rrule
from planner.domain.posts.rules import wheel_year_error
from planner.domain.posts.values import PostData
from planner.extensions import db
from planner.models import (
    Audience,
    Channel,
    Post,
    PostException,
    ServiceArea,
    Wheel,
    utcnow,
)
from planner.services.posts.writer import PostInvalid, data_of, write_post


class VersionConflict(Exception):
    """Someone else saved the post since the form was opened."""

    def __init__(self, post: Post, submitted_version: int):
        super().__init__(f"post {post.id}: version {submitted_version} != {post.version}")
        self.post = post
        self.submitted_version = submitted_version


@dataclass
class Catalog:
    """The organisation's rows a post can refer to, by id."""

    wheels: dict[int, Wheel]
    areas: dict[int, ServiceArea]
    channels: dict[int, Channel]
    audiences: dict[int, Audience]


def load_catalog(org_id: int) -> Catalog:
    """Wheels, service areas, channels and audiences of the organisation (4 queries)."""

    def rows(model: Any, *order: Any) -> dict[int, Any]:
        stmt = select(model).where(model.organisation_id == org_id).order_by(*order)
        return {r.id: r for r in db.session.execute(stmt).scalars()}

    return Catalog(
        wheels=rows(Wheel, Wheel.year.desc(), Wheel.name),
        areas=rows(ServiceArea, ServiceArea.name),
        channels=rows(Channel, Channel.name),
        audiences=rows(Audience, Audience.priority, Audience.name),
    )


def check_version(post: Post, submitted: str | None) -> None:
    """Raise VersionConflict if the form was opened on an older version of the post (the
    session is rolled back first, so the post shows its saved values again)."""
    if submitted and submitted.isdigit() and int(submitted) != post.version:
        db.session.rollback()
        raise VersionConflict(post, int(submitted))


def commit_or_conflict(post: Post, submitted_version: int) -> None:
    """Commit; if another request saved the post between our check and our UPDATE (the
    version column no longer matches), roll back and report a conflict instead of a 500."""
    try:
        db.session.commit()
    except StaleDataError as exc:
        db.session.rollback()
        raise VersionConflict(post, submitted_version) from exc


def save_post(
    org_id: int, data: PostData, post: Post | None = None, submitted_version: str | None = None
) -> Post:
    """Create a post from ``data``, or change ``post``, in one transaction (committed).

    Raises :class:`PostInvalid` (nothing saved) when the values break the rules, and
    :class:`VersionConflict` when ``submitted_version`` is older than the post's, or another
    request saved it between our check and our UPDATE. The writer's docstring says what the
    save bumps (version, data_version, history).
    """
    submitted = post.version if post is not None else 0
    if post is not None:
        check_version(post, submitted_version)
    try:
        post = write_post(org_id, data, post)  # may autoflush
        db.session.commit()
    except PostInvalid:
        db.session.rollback()
        raise
    except StaleDataError as exc:
        db.session.rollback()
        assert post is not None
        raise VersionConflict(post, submitted) from exc
    return post


def duplicate_post(post: Post) -> Post:
    """A copy of the post with a new UID (title marked as a copy), saved."""
    data = replace(
        data_of(post),
        title=_("Kopi av %(title)s", title=post.title)[:200].strip(),
        seed_key=None,
        origin_uid=None,
        exceptions=(),
    )
    copy = write_post(post.organisation_id, data)
    db.session.commit()
    return copy


def move_post(post: Post, new_date: date, submitted_version: str | None = None) -> None:
    """Move the post (the whole series for a recurring post) to start on ``new_date``."""
    check_version(post, submitted_version)
    year_error = wheel_year_error(new_date.year, post.wheel.name, post.wheel.year)
    if year_error:
        raise ValueError(year_error)
    delta = datetime.combine(new_date, post.start.time()) - post.start
    if post.rrule:
        try:
            validate_rrule(post.rrule, post.start + delta)
        except RecurrenceError as exc:
            raise ValueError(str(exc)) from exc
        for exc_row in post.exceptions:
            exc_row.recurrence_id += delta
            if exc_row.start:
                exc_row.start += delta
            if exc_row.end:
                exc_row.end += delta
    post.start += delta
    post.end += delta
    commit_or_conflict(post, post.version)


def change_occurrence(
    post: Post, recurrence_id: datetime, action: str, new_start: datetime | None
) -> None:
    """Move, cancel or restore one occurrence of a recurring post (RECURRENCE-ID/EXDATE)."""
    row = next((e for e in post.exceptions if e.recurrence_id == recurrence_id), None)
    if action == "restore":
        if row is not None:
            post.exceptions.remove(row)
    else:
        if row is None:
            row = PostException(organisation_id=post.organisation_id, recurrence_id=recurrence_id)
            post.exceptions.append(row)
        row.cancelled = action == "cancel"
        if action == "move":
            if new_start is None:
                raise ValueError(_("Velg en ny dato for forekomsten."))
            row.start = new_start
            row.end = new_start + (post.end - post.start)
        else:
            row.start = row.end = None
    post.updated_at = utcnow()  # the series changed: bump version (and iCal SEQUENCE)
    db.session.commit()


def move_to_bin(post: Post) -> None:
    """Delete = move to the bin (papirkurv); it can be restored."""
    post.deleted_at = utcnow()
    db.session.commit()


def restore_from_bin(post: Post) -> None:
    """Bring a post back from the bin."""
    post.deleted_at = None
    db.session.commit()


def occurrence_start(post: Post, day: date, at: time | None) -> datetime:
    """The start of an occurrence moved to ``day`` (keeping the time unless given)."""
    return datetime.combine(day, at or post.start.time())


def shift_one_year(moment: datetime, keep_weekday: bool) -> datetime:
    """The same moment next year: the same ISO week and weekday for weekly patterns,
    else the same calendar date (29 February becomes 28 February)."""
    if keep_weekday:
        year, week, weekday = moment.isocalendar()
        try:
            day = date.fromisocalendar(year + 1, week, weekday)
        except ValueError:  # week 53 does not exist next year
            day = date.fromisocalendar(year + 1, 52, weekday)
        return datetime.combine(day, moment.time())
    try:
        return moment.replace(year=moment.year + 1)
    except ValueError:
        return moment.replace(year=moment.year + 1, day=28)
