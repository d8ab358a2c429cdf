"""Where built feeds are kept: in the process (:class:`FeedCache`) and in the database for
every server and worker (``feed_snapshot``, :func:`load_snapshot` / :func:`store_snapshot`).

Both are keyed on what a built feed depends on (:func:`cache_key`), the plan's
``data_version`` among it, so any change to the plan makes new keys and old entries age
out (or are replaced). The third cache, of serialised VEVENTs, is
:mod:`planner.services.feeds.content`'s.
"""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from planner.extensions import db
from planner.models import FeedSnapshot, utcnow
from planner.services.feeds.content import bin_cutoff


@dataclass(frozen=True)
class FeedBody:
    """A generated feed: plain and gzip bodies, their strong ETags and Last-Modified."""

    body: bytes
    gzipped: bytes
    etag: str
    last_modified: datetime  # aware UTC, whole seconds
    #: Ready-made «not modified» headers per variant (kept by
    #: :mod:`planner.views.feeds_serving`).
    not_modified_headers: dict[Any, list[tuple[str, str]]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @property
    def gzip_etag(self) -> str:
        """The gzip representation is a different entity, so it has its own strong ETag."""
        return self.etag + "-gz"


class FeedCache:
    """A bounded, thread-safe in-process cache of generated feeds (LRU by entries and bytes).

    Keys contain the organisation's ``data_version``, so any change to the plan makes new
    keys and old entries age out.
    """

    def __init__(self, max_entries: int = 256, max_bytes: int = 64 * 1024 * 1024):
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._entries: OrderedDict[tuple[Any, ...], FeedBody] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> FeedBody | None:
        """The cached feed for ``key``, if any (marks it recently used)."""
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: tuple[Any, ...], value: FeedBody) -> None:
        """Store a feed, evicting the least recently used ones beyond the bounds."""
        size = len(value.body) + len(value.gzipped)
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body) + len(old.gzipped)
            self._entries[key] = value
            self._bytes += size
            # The newest feed stays even when it alone is over the byte budget: a feed too
            # big for the cache would otherwise be built anew on every poll.
            while len(self._entries) > 1 and (
                len(self._entries) > self.max_entries or self._bytes > self.max_bytes
            ):
                _, evicted = self._entries.popitem(last=False)
                self._bytes -= len(evicted.body) + len(evicted.gzipped)

    def __len__(self) -> int:
        return len(self._entries)


def feed_cache() -> FeedCache:
    """The app's feed cache (one per app, so tests with fresh databases never share it)."""
    cache = current_app.extensions.get("planner_feed_cache")
    if cache is None:
        cache = current_app.extensions.setdefault(
            "planner_feed_cache",
            FeedCache(
                current_app.config.get("FEED_CACHE_ENTRIES", 256),
                current_app.config.get("FEED_CACHE_BYTES", 64 * 1024 * 1024),
            ),
        )
    return cache


def cache_key(
    feed_id: int, digest: str, data_version: int, today: date, base_url: str
) -> tuple[Any, ...]:
    """What a generated feed depends on: the feed (and its address), the plan's version,
    the year (the window), the bin cut-off day and the host it was asked for."""
    return (feed_id, digest, data_version, today.year, bin_cutoff(today), base_url)


def as_utc(value: datetime) -> datetime:
    """An aware UTC datetime in whole seconds (naive values are taken as UTC)."""
    aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return aware.replace(microsecond=0)


def load_snapshot(feed_id: int, key_hash: str) -> FeedBody | None:
    """The feed as another server or worker built it for the same key, if one did."""
    table = FeedSnapshot.__table__
    row = db.session.execute(
        select(table.c.etag, table.c.last_modified, table.c.gzipped).where(
            table.c.feed_id == feed_id, table.c.key == key_hash
        )
    ).first()
    if row is None:
        return None
    gzipped = bytes(row.gzipped)
    return FeedBody(gzip.decompress(gzipped), gzipped, row.etag, as_utc(row.last_modified))


def store_snapshot(feed_id: int, key_hash: str, body: FeedBody) -> None:
    """Keep the built feed for every server, replacing the feed's older snapshots. Two
    servers building the same feed at once store it once (the first one wins). Commits:
    a cache, not a change to the plan (plain SQL, no history, no data_version)."""
    table = FeedSnapshot.__table__
    values = {
        "feed_id": feed_id,
        "key": key_hash,
        "etag": body.etag,
        "last_modified": body.last_modified.replace(tzinfo=None),
        "gzipped": body.gzipped,
        "created_at": utcnow(),
    }
    dialect_insert = postgresql_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    db.session.execute(delete(table).where(table.c.feed_id == feed_id, table.c.key != key_hash))
    db.session.execute(
        dialect_insert(table)
        .values(values)
        .on_conflict_do_nothing(index_elements=["feed_id", "key"])
    )
    db.session.commit()
