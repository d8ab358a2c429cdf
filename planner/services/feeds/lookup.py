"""Finding a feed by its secret address (token): the one light query of most feed requests.

Feeds are looked up by the SHA-256 digest of their token (``Feed.token_digest``), so the
database comparison leaks nothing useful through timing; the token itself is then
compared in constant time. The caller computes the digest once
(:func:`planner.models.feeds.token_digest`) and hands it to every step that needs it.

:func:`lookup` runs on a bare pooled DBAPI connection (on PostgreSQL a little pool of its
own, in autocommit and without pre-ping); :func:`find_active_feed` loads the ORM row when
the feed has to be built.
"""

from __future__ import annotations

import hmac
import re
import threading
from typing import Any, NamedTuple

from flask import current_app
from sqlalchemy import bindparam, create_engine, select
from sqlalchemy.engine import Engine

from planner.extensions import FEED_ENGINE_KEY, db
from planner.models import Feed, Organisation

#: What a feed token looks like (``secrets.token_urlsafe``); anything else is not looked up.
TOKEN_PATTERN = r"[A-Za-z0-9_-]{20,100}"
_TOKEN_RE = re.compile(TOKEN_PATTERN)
_ENGINE_LOCK = threading.Lock()
_FEED = Feed.__table__.c
_ORG = Organisation.__table__.c
#: Everything serving a cached feed needs, in one light query (no ORM objects).
_LOOKUP = (
    select(
        _FEED.id,
        _FEED.token,
        _FEED.revoked_at,
        _FEED.public,
        _ORG.data_version,
    )
    .select_from(Feed.__table__.join(Organisation.__table__, _ORG.id == _FEED.organisation_id))
    .where(_FEED.token_digest == bindparam("digest"))
)
#: The lookup compiled once per dialect: ``{dialect name: (SQL, compiled statement)}``.
_LOOKUP_COMPILED: dict[str, tuple[str, Any]] = {}


class FeedRow(NamedTuple):
    """The lookup's row, as the DBAPI gives it (``revoked_at`` may be a string on SQLite:
    only whether it is set matters)."""

    id: int
    token: str
    revoked_at: Any
    public: Any
    data_version: int


def is_token(token: str) -> bool:
    """Whether ``token`` has the shape of a feed token (nothing else is looked up)."""
    return _TOKEN_RE.fullmatch(token) is not None


def _lookup_engine() -> Engine:
    """The engine for the lookup. On PostgreSQL a little pool of its own, in autocommit and
    without the pre-ping of the app's pool: one round trip per poll instead of three (a
    dropped connection is retried instead, see :func:`lookup`). SQLite: the app's own."""
    engine = current_app.extensions.get(FEED_ENGINE_KEY)
    if engine is not None:
        return engine  # type: ignore[no-any-return]
    if db.engine.dialect.name != "postgresql":
        return db.engine
    with _ENGINE_LOCK:
        engine = current_app.extensions.get(FEED_ENGINE_KEY)
        if engine is None:
            engine = create_engine(
                db.engine.url,
                pool_pre_ping=False,
                isolation_level="AUTOCOMMIT",
                pool_size=2,
                max_overflow=2,
            )
            current_app.extensions[FEED_ENGINE_KEY] = engine
    return engine


def _compiled(engine: Engine) -> tuple[str, Any]:
    """The lookup's SQL and compiled statement for the engine's dialect (made once)."""
    found = _LOOKUP_COMPILED.get(engine.dialect.name)
    if found is None:
        statement = _LOOKUP.compile(dialect=engine.dialect)
        found = _LOOKUP_COMPILED.setdefault(engine.dialect.name, (str(statement), statement))
    return found


def lookup(digest: str) -> FeedRow | None:
    """The lookup row of the feed with this token digest, revoked or not.

    Run on a bare pooled DBAPI connection (the statement compiled once per dialect), as
    this is the one query of most feed requests. On PostgreSQL it goes through the feed
    bind's pool, which does not ping connections before use: a connection the server has
    dropped (a restart) fails here, is discarded, and the read is tried once more.
    """
    engine = _lookup_engine()
    sql, compiled = _compiled(engine)
    values = compiled.construct_params({"digest": digest})
    params: Any = (
        tuple(values[name] for name in compiled.positiontup) if compiled.positional else values
    )
    for attempt in (1, 2):
        connection = engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute(sql, params)
            row = cursor.fetchone()
            cursor.close()
            return FeedRow(*row) if row is not None else None
        except engine.dialect.loaded_dbapi.Error as error:
            dropped = engine.dialect.is_disconnect(error, connection.dbapi_connection, None)
            if dropped:
                connection.invalidate()
            if attempt == 2 or not dropped:
                raise
        finally:
            connection.close()
    return None  # pragma: no cover - the loop returns or raises


def active_row(token: str, digest: str) -> FeedRow | None:
    """The lookup row of the active feed with this token (and its ``digest``), or ``None``
    for unknown and revoked tokens (the token compared in constant time)."""
    row = lookup(digest)
    if row is None or not hmac.compare_digest(str(row.token).encode(), token.encode()):
        return None
    return row if row.revoked_at is None else None


def find_active_feed(token: str, digest: str) -> Feed | None:
    """The feed with this token (and its ``digest``), if it exists and is not revoked
    (constant-time check), loaded fresh from the database."""
    if not is_token(token):
        return None
    feed = db.session.execute(
        select(Feed).where(Feed.token_digest == digest).execution_options(populate_existing=True)
    ).scalar()
    if feed is None or not hmac.compare_digest(feed.token.encode(), token.encode()):
        return None
    if feed.revoked_at is not None:
        return None
    return feed
