"""Managing calendar feeds (kalenderfeeder): create or change, rotate, revoke, delete, and
who may see and manage them.

:func:`write_feed` is the one writer of a feed's settings: the feed page, ``flask feed
create`` and (to be wired) the JSON restore turn their input into a
:class:`~planner.domain.feeds.values.FeedData` and hand it over. It validates (Norwegian
field messages in :class:`FeedError`), keeps only what the feed's kind uses, and never
commits; :func:`save_feed` is the same in a transaction of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from planner.domain.feeds.values import FeedData
from planner.domain.filters import PlanFilter
from planner.extensions import db
from planner.models import (
    FEED_KINDS,
    Audience,
    Channel,
    Feed,
    Organisation,
    Role,
    ServiceArea,
    StaffMember,
    User,
    utcnow,
)
from planner.models.feeds import MAX_REMINDER_DAYS
from planner.services.feeds.content import feed_description

NAME_MAX = 200


class FeedError(ValueError):
    """The feed could not be written; ``errors`` maps form fields to Norwegian messages."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


# --------------------------------------------------------------------------- writing


def _check_ids(model: Any, org_id: int, ids: Sequence[int], label: str) -> dict[str, str]:
    if not ids:
        return {}
    found = set(
        db.session.execute(
            select(model.id).where(model.organisation_id == org_id, model.id.in_(ids))
        ).scalars()
    )
    missing = [str(i) for i in ids if i not in found]
    return {label: _("Ukjent valg: %(ids)s.", ids=", ".join(missing))} if missing else {}


def feed_errors(
    org_id: int, data: FeedData, feed: Feed | None = None, *, user: User | None = None
) -> dict[str, str]:
    """``{field: Norwegian message}`` for everything wrong with ``data`` (empty when it can
    be written). ``user`` is who asks: only editors and admins may make a feed public."""
    errors: dict[str, str] = {}
    name = data.name.strip()
    if not name:
        errors["name"] = _("Gi feeden et navn (det blir kalenderens navn hos mottakeren).")
    elif len(name) > NAME_MAX:
        errors["name"] = _("Navnet kan ha høyst 200 tegn.")
    if data.kind not in FEED_KINDS:
        errors["kind"] = _("Ukjent type feed.")
    if data.reminder_days is not None and not 1 <= data.reminder_days <= MAX_REMINDER_DAYS:
        errors["reminder_days"] = _(
            "Påminnelsen må være 1–%(n)s virkedager før.", n=MAX_REMINDER_DAYS
        )
    plan_filter = data.plan_filter
    errors.update(_check_ids(Channel, org_id, plan_filter.channels, "channels"))
    errors.update(_check_ids(Audience, org_id, plan_filter.audiences, "audiences"))
    errors.update(_check_ids(ServiceArea, org_id, plan_filter.service_areas, "service_areas"))
    if data.staff_member_id is not None:
        errors.update(_check_ids(StaffMember, org_id, [data.staff_member_id], "staff_member"))
    already_public = feed is not None and feed.public
    if data.public and not already_public and user is not None and not user.has_role(Role.EDITOR):
        errors["public"] = _("Bare redaktører og administratorer kan lage offentlige feeder.")
    return errors


def write_feed(
    org_id: int,
    data: FeedData,
    feed: Feed | None = None,
    *,
    user: User | None = None,
    token: str | None = None,
) -> Feed:
    """Create a feed from ``data`` (``feed`` is None) or change ``feed`` to match it.

    Raises :class:`FeedError` when the values are wrong (``feed`` is left as it was). A new
    feed gets ``token`` (else a fresh secret one), ``user`` as its creator, and is added to
    the session; an existing one gets ``token`` when it is given and differs. The filter
    and ideas are kept for ``plan`` feeds only, the person for ``duty`` feeds. Does not
    commit: the caller's transaction decides.
    """
    errors = feed_errors(org_id, data, feed, user=user)
    if errors:
        raise FeedError(errors)
    new = feed is None
    if feed is None:
        feed = Feed(organisation_id=org_id, created_by_id=user.id if user is not None else None)
    if new or (token is not None and token != feed.token):
        feed.set_token(token)
    feed.name = data.name.strip()
    feed.kind = data.kind
    feed.filter = data.plan_filter.to_json() if data.kind == "plan" else {}
    feed.staff_member_id = data.staff_member_id if data.kind == "duty" else None
    feed.include_drafts = data.include_drafts if data.kind == "plan" else False
    feed.reminder_days = data.reminder_days
    feed.public = data.public
    if new:
        db.session.add(feed)
    return feed


def data_of(feed: Feed) -> FeedData:
    """The feed's current settings, e.g. to change one of them with ``dataclasses.replace``."""
    return FeedData(
        name=feed.name,
        kind=feed.kind,
        plan_filter=PlanFilter.from_json(feed.filter),
        staff_member_id=feed.staff_member_id,
        include_drafts=feed.include_drafts,
        reminder_days=feed.reminder_days,
        public=feed.public,
    )


def save_feed(
    org_id: int, data: FeedData, feed: Feed | None = None, *, user: User | None = None
) -> Feed:
    """:func:`write_feed` in a transaction of its own (commits; rolls back and re-raises
    :class:`FeedError` when the values are wrong)."""
    try:
        feed = write_feed(org_id, data, feed, user=user)
        db.session.commit()
    except FeedError:
        db.session.rollback()
        raise
    return feed


def create_feed(
    org_id: int,
    name: str,
    *,
    kind: str = "plan",
    plan_filter: PlanFilter | None = None,
    staff_member_id: int | None = None,
    include_drafts: bool = False,
    reminder_days: int | None = None,
    public: bool = False,
    created_by: User | None = None,
) -> Feed:
    """Create a feed (commits): shorthand for :func:`save_feed` for scripts, the benchmark
    and tests. Raises :class:`FeedError` with field messages."""
    data = FeedData(
        name=name or "",
        kind=kind,
        plan_filter=plan_filter or PlanFilter(),
        staff_member_id=staff_member_id,
        include_drafts=include_drafts,
        reminder_days=reminder_days,
        public=public,
    )
    return save_feed(org_id, data, user=created_by)


# --------------------------------------------------------------------------- lifecycle


def rotate_feed(feed: Feed) -> str:
    """Give the feed a new secret URL; the old one answers 404 at once (commits)."""
    token = feed.set_token()
    feed.revoked_at = None
    db.session.commit()
    return token


def revoke_feed(feed: Feed) -> None:
    """Stop serving the feed; its URL answers 404 from now on (commits)."""
    if feed.revoked_at is None:
        feed.revoked_at = utcnow()
        db.session.commit()


def delete_feed(feed: Feed) -> None:
    """Remove a revoked feed for good (commits)."""
    db.session.delete(feed)
    db.session.commit()


# --------------------------------------------------------------------------- reading


def can_manage(user: User, feed: Feed) -> bool:
    """Admins manage every feed, editors public ones, everyone their own."""
    return (
        user.has_role(Role.ADMIN)
        or feed.created_by_id == user.id
        or (feed.public and user.has_role(Role.EDITOR))
    )


def visible_feeds(user: User) -> list[Feed]:
    """The feeds a user may see: public ones, their own, and all of them for admins."""
    stmt = (
        select(Feed)
        .where(Feed.organisation_id == user.organisation_id)
        .options(selectinload(Feed.staff_member), selectinload(Feed.created_by))
        .order_by(Feed.revoked_at.is_not(None), Feed.name, Feed.id)
    )
    if not user.has_role(Role.ADMIN):
        stmt = stmt.where(or_(Feed.public.is_(True), Feed.created_by_id == user.id))
    return list(db.session.execute(stmt).scalars())


@dataclass(frozen=True)
class FeedListing:
    """One feed of the feed page: the feed, what it holds in words, and whether the user
    may rotate, revoke and delete it."""

    feed: Feed
    description: str
    can_manage: bool


def feed_listings(user: User) -> list[FeedListing]:
    """The feeds the user may see (:func:`visible_feeds`), described for the feed page."""
    org = db.session.get_one(Organisation, user.organisation_id)
    return [
        FeedListing(feed, feed_description(feed, org), can_manage(user, feed))
        for feed in visible_feeds(user)
    ]


@dataclass(frozen=True)
class FeedChoices:
    """What a new feed can be limited to, as ``(id, name)`` by name: the organisation's
    channels, audiences, service areas and staff."""

    channels: list[tuple[int, str]]
    audiences: list[tuple[int, str]]
    service_areas: list[tuple[int, str]]
    staff: list[tuple[int, str]]


def _id_names(model: Any, org_id: int) -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(model.id, model.name).where(model.organisation_id == org_id).order_by(model.name)
    )
    return [(row.id, row.name) for row in rows]


def feed_choices(org_id: int) -> FeedChoices:
    """The choices of the new-feed form for the organisation."""
    return FeedChoices(
        channels=_id_names(Channel, org_id),
        audiences=_id_names(Audience, org_id),
        service_areas=_id_names(ServiceArea, org_id),
        staff=_id_names(StaffMember, org_id),
    )


def id_by_name(model: Any, org_id: int, name: str) -> int | None:
    """The id of the organisation's ``model`` row (channel, audience, service area, staff
    member) named ``name``, ignoring case and surrounding spaces; ``None`` if none is."""
    found = db.session.execute(
        select(model.id).where(
            model.organisation_id == org_id, func.lower(model.name) == name.strip().lower()
        )
    ).scalar()
    return int(found) if found is not None else None


def organisation_feeds(org_id: int) -> list[Feed]:
    """Every feed of the organisation, by name (``flask feed list``)."""
    return list(
        db.session.execute(
            select(Feed).where(Feed.organisation_id == org_id).order_by(Feed.name, Feed.id)
        ).scalars()
    )
