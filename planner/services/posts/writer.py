"""The one writer of posts (innlegg): every path that creates or changes a post comes here.

The form, duplicate, roll forward, the recommended årshjul and the JSON, spreadsheet and .ics
imports build a :class:`~planner.domain.posts.values.PostData` and call :func:`write_post`.
The writer validates with the shared rules, resolves catalog ids within the organisation and
copies every plain field by name, so a new field needs no change here.

It does not commit: the caller's transaction decides (one form save, or a whole import all
or nothing). What happens on flush is in ``planner.models.events``: the post's ``version``
rises (the lost-update check and iCal SEQUENCE), the organisation's ``data_version`` rises
(every cache of the plan, feeds included, is rebuilt from it), and a history row records
what changed.
"""

from __future__ import annotations

from typing import Any, TypeVar

from planner.domain.posts.rules import validate_post, wheel_year_error
from planner.domain.posts.values import PLAIN_FIELDS, PostData
from planner.extensions import db
from planner.models import Audience, Channel, Post, PostException, ServiceArea, Wheel, new_uid

Row = TypeVar("Row")


class PostInvalid(ValueError):
    """The values break the post rules; ``errors`` is ``{field: Norwegian message}``."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def post_errors(data: PostData) -> dict[str, str]:
    """The shared rules' field errors for ``data`` (empty when it can be written)."""
    return validate_post(data.rule_values())


def write_post(
    org_id: int, data: PostData, post: Post | None = None, *, uid: str | None = None
) -> Post:
    """Create a post from ``data`` (``post`` is None) or change ``post`` to match it.

    Raises :class:`PostInvalid` when the values break the rules (a post must start in its
    wheel's year: «start» then says so), and ``LookupError`` when an
    id does not name a row of the organisation; nothing is changed on ``post`` then. A new
    post gets ``uid`` (else a fresh one) and is added to the session. The RRULE is stored
    in its normalised form.
    """
    values = data.rule_values()
    errors = validate_post(values)
    if errors:
        raise PostInvalid(errors)
    wheel = _row(Wheel, data.wheel_id, org_id)
    year_error = wheel_year_error(data.start.year, wheel.name, wheel.year)
    if year_error:
        raise PostInvalid({"start": year_error})
    area = _row(ServiceArea, data.service_area_id, org_id) if data.service_area_id else None
    channels = [_row(Channel, i, org_id) for i in dict.fromkeys(data.channel_ids)]
    audiences = [_row(Audience, i, org_id) for i in dict.fromkeys(data.audience_ids)]
    if post is None:
        post = Post(organisation_id=org_id, uid=uid or new_uid())
        db.session.add(post)
    for name in PLAIN_FIELDS:
        setattr(post, name, getattr(data, name))
    post.title = data.title.strip()
    post.rrule = values.rrule or None
    post.wheel = wheel
    post.service_area = area
    post.channels = channels
    post.audiences = audiences
    _write_exceptions(post, data)
    return post


def _row(model: type[Row], row_id: int | None, org_id: int) -> Row:
    """The organisation's row of ``model`` with ``row_id`` (from the session when loaded)."""
    row: Any = db.session.get(model, row_id) if row_id is not None else None
    if row is None or row.organisation_id != org_id:
        raise LookupError(f"{model.__name__} {row_id} is not in organisation {org_id}")
    return row  # type: ignore[no-any-return]


def _write_exceptions(post: Post, data: PostData) -> None:
    """Changed occurrences: kept when ``data.exceptions`` is None, else replaced (reusing rows
    by RECURRENCE-ID, since the unit of work inserts before it deletes); none without a rule."""
    if not post.rrule:
        if post.exceptions:
            post.exceptions = []
        return
    if data.exceptions is None:
        return
    old = {e.recurrence_id: e for e in post.exceptions}
    rows = []
    for item in data.exceptions:
        row = old.get(item.recurrence_id) or PostException(
            organisation_id=post.organisation_id, recurrence_id=item.recurrence_id
        )
        row.cancelled, row.start, row.end = item.cancelled, item.start, item.end
        rows.append(row)
    post.exceptions = rows


def data_of(post: Post) -> PostData:
    """A post's current values, e.g. to change a few of them with ``dataclasses.replace``."""
    return PostData(
        **{name: getattr(post, name) for name in PLAIN_FIELDS},
        wheel_id=post.wheel_id if post.wheel_id is not None else post.wheel.id,
        service_area_id=post.service_area.id if post.service_area else None,
        channel_ids=tuple(c.id for c in post.channels),
        audience_ids=tuple(a.id for a in post.audiences),
        exceptions=None,
    )
