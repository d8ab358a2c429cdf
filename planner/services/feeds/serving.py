"""Serving a feed: its body for a token, built only when the plan has changed.

A calendar client polling every few minutes costs one light query
(:func:`planner.services.feeds.lookup.lookup`) and a dictionary lookup
(:func:`cached_feed`, also used by the fast path in front of Flask). On a miss the feed is
taken from the database snapshot another server built, or built and stored
(:func:`feed_body`). The token's digest is computed once per request and passed along.

Last-Modified moves only when the content does, the same in every worker process, and
never backwards (:func:`_content_last_modified`).
"""

from __future__ import annotations

import gzip
import hashlib
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from planner.domain.dates import OSLO, now_oslo
from planner.extensions import db
from planner.models import Feed, Organisation, Post
from planner.models.feeds import token_digest
from planner.services.feeds.cache import (
    FeedBody,
    as_utc,
    cache_key,
    feed_cache,
    load_snapshot,
    store_snapshot,
)
from planner.services.feeds.content import BIN_GRACE_DAYS, bin_cutoff, build_feed
from planner.services.feeds.lookup import active_row, find_active_feed, is_token


def cached_feed(
    token: str, base_url: str = "", digest: str | None = None
) -> tuple[FeedBody, bool] | None:
    """The body to serve for a feed address, and whether the feed is public, when it is
    already built for the plan's current version; ``None`` otherwise (also for unknown
    and revoked addresses). One light query: the feed, its revocation and the plan's
    version together, no ORM objects. ``digest`` is the token's, when the caller has it."""
    if not is_token(token):
        return None
    digest = digest or token_digest(token)
    row = active_row(token, digest)
    if row is None:
        return None
    key = cache_key(row.id, digest, row.data_version, now_oslo().date(), base_url)
    cached = feed_cache().get(key)
    return (cached, bool(row.public)) if cached is not None else None


def served_feed(token: str, base_url: str = "") -> tuple[FeedBody, bool] | None:
    """The body to serve for a feed address and whether the feed is public; ``None`` for
    unknown and revoked addresses. Built (and cached) when the plan has changed."""
    if not is_token(token):
        return None
    digest = token_digest(token)
    found = cached_feed(token, base_url, digest)
    if found is not None:
        return found
    feed = find_active_feed(token, digest)
    if feed is None:
        return None
    return feed_body(feed, base_url), feed.public


def feed_body(feed: Feed, base_url: str = "") -> FeedBody:
    """The feed's current content (cached on the plan's data_version)."""
    # Read the version from the database, not the identity map: objects are not expired
    # on commit, so a long session could otherwise serve a stale body.
    org = db.session.execute(
        select(Organisation)
        .where(Organisation.id == feed.organisation_id)
        .execution_options(populate_existing=True)
    ).scalar_one()
    now = now_oslo()
    today = now.date()
    key = cache_key(feed.id, feed.token_digest, org.data_version, today, base_url)
    cache = feed_cache()
    cached = cache.get(key)
    if cached is not None:
        return cached
    key_hash = hashlib.sha256(repr(key).encode("utf-8")).hexdigest()
    result = load_snapshot(feed.id, key_hash)
    if result is None:
        body = build_feed(feed, org, today)
        etag = hashlib.sha256(body).hexdigest()[:40]
        last_modified = _content_last_modified(
            feed, _fingerprint(body, base_url), _last_modified(feed, org, today, now)
        )
        gzipped = gzip.compress(body, compresslevel=6, mtime=0)
        result = FeedBody(body, gzipped, etag, last_modified)
        store_snapshot(feed.id, key_hash, result)
    cache.put(key, result)
    return result


def _last_modified(feed: Feed, org: Organisation, today: date, now: datetime) -> datetime:
    """When the feed last changed: the plan's last change, the feed's own, the day the
    window last moved and the day the last bin post vanished — never after now."""
    candidates = [as_utc(org.changed_at), as_utc(feed.updated_at)]
    window_moved = datetime.combine(date(today.year, 1, 1), time(), tzinfo=OSLO)
    candidates.append(as_utc(window_moved))
    if feed.kind == "plan":
        cutoff = bin_cutoff(today)
        vanished = db.session.execute(
            select(func.max(Post.deleted_at)).where(
                Post.organisation_id == org.id, Post.deleted_at < cutoff
            )
        ).scalar()
        if vanished is not None:
            gone = datetime.combine(vanished.date() + timedelta(days=BIN_GRACE_DAYS + 1), time())
            candidates.append(as_utc(gone))
    return min(max(candidates), as_utc(now))


def _fingerprint(body: bytes, base_url: str) -> str:
    """The content's hash without the host it was asked for (links in it use that host),
    so the same feed reached under two addresses is the same content."""
    unfolded = body.replace(b"\r\n ", b"")
    if base_url:
        unfolded = unfolded.replace(base_url.encode("utf-8"), b"{base}/")
    return hashlib.sha256(unfolded).hexdigest()


def _content_last_modified(feed: Feed, fingerprint: str, candidate: datetime) -> datetime:
    """Last-Modified kept with the feed: unchanged while the content is, otherwise later
    than before. Stored with a plain UPDATE (no history, no data_version bump), so every
    worker process answers the same and it never moves backwards."""
    previous = as_utc(feed.content_changed_at) if feed.content_changed_at else None
    if feed.content_hash == fingerprint and previous is not None:
        return previous
    if previous is not None and candidate <= previous:
        candidate = previous + timedelta(seconds=1)
    table = Feed.__table__
    db.session.execute(
        update(table)
        .where(table.c.id == feed.id)
        .values(
            content_hash=fingerprint,
            content_changed_at=candidate.replace(tzinfo=None),
            updated_at=table.c.updated_at,
        )
    )
    db.session.commit()
    # Keep the loaded object in step without marking it changed (that would flush an ORM
    # update, bumping data_version and recording history).
    set_committed_value(feed, "content_hash", fingerprint)
    set_committed_value(feed, "content_changed_at", candidate.replace(tzinfo=None))
    return candidate
