"""Post mutations (innlegg): create, update, duplicate, move, occurrence changes, bin.

Views stay thin: they hand a validated form here, and get back the post or field errors.
Every mutation is one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from ..domain.post_rules import PostValues, validate_post
from ..domain.recurrence import RecurrenceError, validate_rrule
from ..extensions import db
from ..models import Audience, Channel, Post, PostException, ServiceArea, Wheel, new_uid, utcnow

# Domain field names → form field names, so errors land next to the right input.
FIELD_MAP = {
    "title": "title",
    "start": "start_date",
    "end": "end_date",
    "rrule": "repeat",
    "link": "link",
}


class VersionConflict(Exception):
    """Someone else saved the post since the form was opened."""

    def __init__(self, post: Post, submitted_version: int):
        super().__init__(f"post {post.id}: version {submitted_version} != {post.version}")
        self.post = post
        self.submitted_version = submitted_version


@dataclass
class Catalogue:
    """The organisation's rows a post can refer to, by id."""

    wheels: dict[int, Wheel]
    areas: dict[int, ServiceArea]
    channels: dict[int, Channel]
    audiences: dict[int, Audience]


def load_catalogue(org_id: int) -> Catalogue:
    """Wheels, service areas, channels and audiences of the organisation (4 queries)."""

    def rows(model: Any, *order: Any) -> dict[int, Any]:
        stmt = select(model).where(model.organisation_id == org_id).order_by(*order)
        return {r.id: r for r in db.session.execute(stmt).scalars()}

    return Catalogue(
        wheels=rows(Wheel, Wheel.year.desc(), Wheel.name),
        areas=rows(ServiceArea, ServiceArea.name),
        channels=rows(Channel, Channel.name),
        audiences=rows(Audience, Audience.priority, Audience.name),
    )


def _values(form: Any) -> PostValues:
    start, end = form.moments()
    return PostValues(
        title=form.title.data or "",
        start=start,
        end=end,
        all_day=bool(form.all_day.data),
        status=form.status.data,
        kind=form.kind.data,
        rrule=form.rrule_text(),
        link=(form.link.data or "").strip(),
    )


def form_errors(form: Any, catalogue: Catalogue) -> dict[str, str]:
    """The domain's field errors for a PostForm (needs a parsed start date)."""
    if form.start_date.data is None:
        return {}
    values = _values(form)
    errors = {FIELD_MAP.get(k, k): v for k, v in validate_post(values).items()}
    if form.repeat.data == "egen" and "repeat" in errors:
        errors["rrule_custom"] = errors.pop("repeat")
    if catalogue.wheels.get(form.wheel.data) is None:
        errors["wheel"] = _("Velg et årshjul.")
    return errors


def apply_form(post: Post, form: Any, catalogue: Catalogue) -> dict[str, str]:
    """Copy a PostForm's values onto ``post`` after validating them; returns field errors.

    Nothing is changed on ``post`` when there are errors.
    """
    errors = form_errors(form, catalogue)
    if errors:
        return errors
    values = _values(form)
    start, end = values.start, values.end
    wheel = catalogue.wheels.get(form.wheel.data)
    post.title = values.title.strip()
    post.start, post.end, post.all_day = start, end, values.all_day
    post.rrule = values.rrule
    post.status, post.kind = values.status, values.kind
    assert wheel is not None  # an unknown wheel is an error above
    post.wheel = wheel
    post.service_area = catalogue.areas.get(form.service_area.data or 0)
    post.channels = [
        catalogue.channels[i] for i in form.channels.data or [] if i in catalogue.channels
    ]
    post.audiences = [
        catalogue.audiences[i] for i in form.audiences.data or [] if i in catalogue.audiences
    ]
    post.responsible = (form.responsible.data or "").strip()
    post.link = values.link
    post.archive_worthy = bool(form.archive_worthy.data)
    post.description = form.description.data or ""
    post.notes = form.notes.data or ""
    return {}


def check_version(post: Post, submitted: str | None) -> None:
    """Raise VersionConflict if the form was opened on an older version of the post."""
    if submitted and submitted.isdigit() and int(submitted) != post.version:
        raise VersionConflict(post, int(submitted))


def commit_or_conflict(post: Post, submitted_version: int) -> None:
    """Commit; if another request saved the post between our check and our UPDATE (the
    version column no longer matches), roll back and report a conflict instead of a 500."""
    try:
        db.session.commit()
    except StaleDataError as exc:
        db.session.rollback()
        raise VersionConflict(post, submitted_version) from exc


def save_post(post: Post, form: Any, catalogue: Catalogue, org_id: int) -> dict[str, str]:
    """Validate and save a new or existing post in one transaction; returns field errors."""
    submitted = post.version or 0
    if post.id is not None:
        check_version(post, form.version.data)
    try:
        errors = apply_form(post, form, catalogue)  # may autoflush
        if errors:
            db.session.rollback()
            return errors
        post.organisation_id = org_id
        db.session.add(post)
        db.session.commit()
    except StaleDataError as exc:
        db.session.rollback()
        raise VersionConflict(post, submitted) from exc
    return {}


def duplicate_post(post: Post) -> Post:
    """A copy of the post with a new UID (title marked as a copy), saved."""
    copy = Post(
        organisation_id=post.organisation_id,
        uid=new_uid(),
        wheel=post.wheel,
        title=_("Kopi av %(title)s", title=post.title)[:200],
        description=post.description,
        start=post.start,
        end=post.end,
        all_day=post.all_day,
        rrule=post.rrule,
        status=post.status,
        kind=post.kind,
        service_area=post.service_area,
        responsible=post.responsible,
        link=post.link,
        archive_worthy=post.archive_worthy,
        notes=post.notes,
        channels=list(post.channels),
        audiences=list(post.audiences),
    )
    db.session.add(copy)
    db.session.commit()
    return copy


def move_post(post: Post, new_date: date, submitted_version: str | None = None) -> None:
    """Move the post (the whole series for a recurring post) to start on ``new_date``."""
    check_version(post, submitted_version)
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
