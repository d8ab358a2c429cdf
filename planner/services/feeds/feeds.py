"""Calendar feeds (kalenderfeeder): create, rotate, revoke, and serve their content.

What a feed contains is gathered here as plain :class:`planner.domain.feeds.ical.EventData`
and turned into bytes by ``planner.domain.feeds.ical.events_to_ical``. The generated body is
cached per feed and ``Organisation.data_version`` (bumped by every change to the plan),
so a calendar client polling every few minutes costs a dictionary lookup.

Window: a feed holds the wheels of last year and onwards (subscribers keep last year's
plan for reference; older years leave their calendars). Posts moved to the bin stay in
the feed as STATUS:CANCELLED for 30 days, so clients remove them, and then vanish.
"""

from __future__ import annotations

import gzip
import hashlib
import hmac
import re
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import current_app, has_request_context, url_for
from flask_babel import gettext as _
from sqlalchemy import bindparam, create_engine, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlalchemy.orm import selectinload, subqueryload
from sqlalchemy.orm.attributes import set_committed_value
from werkzeug.routing import BuildError

from planner.domain.dates import OSLO, now_oslo, week_label
from planner.domain.feeds.ical import (
    CalendarInfo,
    EventData,
    events_to_ical,
    ical_status,
    post_description,
)
from planner.domain.filters import PlanFilter
from planner.domain.posts.occurrences import ExceptionValues
from planner.extensions import FEED_ENGINE_KEY, db
from planner.models import (
    FEED_KINDS,
    Audience,
    Channel,
    DutyAssignment,
    Feed,
    FeedSnapshot,
    Organisation,
    PeakPeriod,
    Post,
    Role,
    ServiceArea,
    StaffMember,
    User,
    Wheel,
    utcnow,
)
from planner.models.feeds import MAX_REMINDER_DAYS, token_digest
from planner.services.imports.external import year_window
from planner.services.posts.queries import apply_filter
from planner.services.version_cache import app_cache

#: A feed holds the wheels of this many years back (and every later year).
YEARS_BACK = 1
#: Serialised events kept per app (by their data), so a feed rebuilt after a change
#: serialises only the events that changed. Enough for a large municipality's feeds.
EVENT_CACHE_ENTRIES = 20_000
#: Posts in the bin stay in feeds as cancelled this long.
BIN_GRACE_DAYS = 30
_ENGINE_LOCK = threading.Lock()
_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{20,100}")
_ROLE_LABELS = {"main": "Hovedansvarlig", "backup": "Backup"}


class FeedError(ValueError):
    """The feed could not be created; ``errors`` maps form fields to Norwegian messages."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


# --------------------------------------------------------------------------- URLs


@contextmanager
def url_context() -> Iterator[None]:
    """Make ``url_for(..., _external=True)`` work outside a request (CLI export): the
    base URL is ``PUBLIC_BASE_URL`` from the configuration (default http://localhost:5000)."""
    if has_request_context():
        yield
        return
    base = current_app.config.get("PUBLIC_BASE_URL") or "http://localhost:5000"
    with current_app.test_request_context("/", base_url=base):
        yield


def _external_url(endpoint: str, **values: Any) -> str | None:
    try:
        return url_for(endpoint, _external=True, **values)
    except BuildError:
        return None


def _uid_suffix(org: Organisation) -> str:
    """A stable, installation-unique tag for UIDs of rows without their own UID."""
    return hashlib.sha256(f"{org.id}:{org.created_at.isoformat()}".encode()).hexdigest()[:12]


# --------------------------------------------------------------------------- content


def post_event(post: Post, url: str | None) -> EventData:
    """A post as iCal data: CANCELLED when avlyst or in the bin, channels and audiences as
    CATEGORIES, and X-ARSHJUL-* properties so the planner can import it back losslessly."""
    status = "avlyst" if post.deleted_at is not None else post.status
    channels = [c.name for c in post.channels]
    audiences = [a.name for a in post.audiences]
    area = post.service_area.name if post.service_area else ""
    extra: list[tuple[str, str, tuple[tuple[str, str], ...]]] = [
        ("X-ARSHJUL-STATUS", status, ()),
        ("X-ARSHJUL-KIND", post.kind, ()),
        ("X-ARSHJUL-WHEEL", post.wheel.name, ()),
    ]
    extra += [("X-ARSHJUL-CHANNEL", c.name, (("X-TYPE", c.type),)) for c in post.channels]
    extra += [
        ("X-ARSHJUL-AUDIENCE", a.name, (("X-PRIORITY", str(a.priority)),)) for a in post.audiences
    ]
    for name, value in (
        ("X-ARSHJUL-SERVICE-AREA", area),
        ("X-ARSHJUL-RESPONSIBLE", post.responsible),
        ("X-ARSHJUL-LINK", post.link),
        ("X-ARSHJUL-TEXT", post.description),
    ):
        if value:
            extra.append((name, value, ()))
    if post.archive_worthy:
        extra.append(("X-ARSHJUL-ARCHIVE", "TRUE", ()))
    categories = tuple(dict.fromkeys([*channels, *audiences]))
    return EventData(
        uid=post.uid,
        summary=post.title,
        start=post.start,
        end=post.end,
        all_day=post.all_day,
        stamp=post.updated_at,
        last_modified=post.updated_at,
        created=post.created_at,
        sequence=max(0, post.version - 1),
        description=post_description(
            post.description,
            status=status,
            kind=post.kind,
            channels=channels,
            audiences=audiences,
            service_area=area,
            responsible=post.responsible,
            link=post.link,
            url=url or "",
        ),
        categories=categories,
        url=url,
        status=ical_status(status),
        rrule=post.rrule,
        exceptions=tuple(
            ExceptionValues(e.recurrence_id, e.cancelled, e.start, e.end) for e in post.exceptions
        ),
        window=year_window(post.wheel.year),
        extra=tuple(extra),
    )


def _post_query(org_id: int) -> Any:
    return (
        select(Post)
        .execution_options(populate_existing=True)
        .join(Wheel, Post.wheel_id == Wheel.id)
        .where(Post.organisation_id == org_id)
        .options(
            # subqueryload: one query per relation however many posts there are
            # (selectinload asks again for every 500 rows).
            subqueryload(Post.channels),
            subqueryload(Post.audiences),
            subqueryload(Post.service_area),
            subqueryload(Post.exceptions),
            subqueryload(Post.wheel),
        )
        .order_by(Post.start, Post.uid)
    )


def plan_events(
    org_id: int,
    plan_filter: PlanFilter | None,
    *,
    year: int | None = None,
    min_year: int | None = None,
    include_drafts: bool = True,
    bin_cutoff: datetime | None = None,
) -> list[EventData]:
    """The posts of one wheel year (``year``) or of ``min_year`` onwards, through the
    shared filter. ``bin_cutoff`` also takes posts moved to the bin since then (cancelled)."""
    stmt = _post_query(org_id)
    if year is not None:
        stmt = stmt.where(Wheel.year == year)
    if min_year is not None:
        stmt = stmt.where(Wheel.year >= min_year)
    if bin_cutoff is None:
        stmt = stmt.where(Post.deleted_at.is_(None))
    else:
        stmt = stmt.where(or_(Post.deleted_at.is_(None), Post.deleted_at >= bin_cutoff))
    if not include_drafts:
        stmt = stmt.where(Post.status != "idé")
    stmt = apply_filter(stmt, plan_filter)
    with url_context():
        return [
            post_event(post, _external_url("plan.post_detail", post_id=post.id))
            for post in db.session.execute(stmt).scalars()
        ]


def peak_events(org: Organisation, min_year: int) -> list[EventData]:
    """Peak periods (toppbelastning) as all-day events."""
    peaks = db.session.execute(
        select(PeakPeriod)
        .where(PeakPeriod.organisation_id == org.id, PeakPeriod.end >= date(min_year, 1, 1))
        .options(subqueryload(PeakPeriod.posts))
        .order_by(PeakPeriod.start, PeakPeriod.id)
    ).scalars()
    suffix = _uid_suffix(org)
    with url_context():
        url = _external_url("staffing.index")
        events = []
        for peak in peaks:
            lines = [peak.reason.strip()] if peak.reason.strip() else []
            lines.append(_("Bemanningsbehov: %(n)s på vakt", n=peak.required_staff))
            if peak.posts:
                lines.append(_("Innlegg: %(t)s", t=", ".join(p.title for p in peak.posts)))
            if url:
                lines.append(_("Bemanning i årshjulet: %(url)s", url=url))
            events.append(
                EventData(
                    uid=f"peak-{peak.id}-{suffix}@arshjul",
                    summary=_("Toppbelastning: %(name)s", name=peak.name),
                    start=datetime.combine(peak.start, time()),
                    end=datetime.combine(peak.end, time()),
                    all_day=True,
                    stamp=peak.updated_at,
                    last_modified=peak.updated_at,
                    created=peak.created_at,
                    description="\n".join(lines),
                    categories=(_("Toppbelastning"),),
                    url=url,
                )
            )
    return events


def duty_events(org: Organisation, min_year: int, staff_member_id: int | None) -> list[EventData]:
    """The duty rota (vaktliste): one all-day event per person and week (or day)."""
    stmt = (
        select(DutyAssignment)
        .join(StaffMember, DutyAssignment.staff_member_id == StaffMember.id)
        .where(
            DutyAssignment.organisation_id == org.id,
            DutyAssignment.week_start >= date(min_year, 1, 1) - timedelta(days=6),
        )
        .options(subqueryload(DutyAssignment.staff_member))
        .order_by(DutyAssignment.week_start, DutyAssignment.day, DutyAssignment.role)
    )
    if staff_member_id is not None:
        stmt = stmt.where(DutyAssignment.staff_member_id == staff_member_id)
    suffix = _uid_suffix(org)
    events: dict[str, EventData] = {}
    with url_context():
        url = _external_url("staffing.index")
    for duty in db.session.execute(stmt).scalars():
        first = duty.day or duty.week_start
        last = duty.day or duty.week_start + timedelta(days=6)
        person = duty.staff_member
        role = _ROLE_LABELS.get(duty.role, duty.role)
        when = f"{duty.week_start:%Y%m%d}" + (f"-{duty.day:%Y%m%d}" if duty.day else "")
        uid = f"duty-{when}-{duty.role}-{person.id}-{suffix}@arshjul"
        period = week_label(first) + (f", {first:%d.%m.%Y}" if duty.day else "")
        events[uid] = EventData(
            uid=uid,
            summary=f"{role}: {person.name}",
            start=datetime.combine(first, time()),
            end=datetime.combine(last, time()),
            all_day=True,
            stamp=person.updated_at,
            last_modified=person.updated_at,
            description="\n".join(
                line
                for line in (
                    _("%(role)s for sosiale medier %(period)s.", role=role, period=period),
                    _("Bemanning i årshjulet: %(url)s", url=url) if url else "",
                )
                if line
            ),
            categories=(_("Vakt"),),
            url=url,
        )
    return list(events.values())


def _names(model: Any, org_id: int, ids: Sequence[int]) -> list[str]:
    if not ids:
        return []
    return list(
        db.session.execute(
            select(model.name)
            .where(model.organisation_id == org_id, model.id.in_(ids))
            .order_by(model.name)
        ).scalars()
    )


def filter_summary(org_id: int, plan_filter: PlanFilter) -> str:
    """The filter in words, e.g. «kanal: Facebook; målgruppe: Foreldre» ("" = everything)."""
    parts = []
    for label, model, ids in (
        (_("kanal"), Channel, plan_filter.channels),
        (_("målgruppe"), Audience, plan_filter.audiences),
        (_("virksomhetsområde"), ServiceArea, plan_filter.service_areas),
    ):
        names = _names(model, org_id, ids)
        if ids:
            parts.append(f"{label}: {', '.join(names) or _('(finnes ikke lenger)')}")
    if plan_filter.statuses:
        parts.append(_("status: %(s)s", s=", ".join(plan_filter.statuses)))
    if plan_filter.kinds:
        parts.append(_("type: %(k)s", k=", ".join(plan_filter.kinds)))
    if plan_filter.q:
        parts.append(_("søk: «%(q)s»", q=plan_filter.q))
    return "; ".join(parts)


def feed_description(feed: Feed, org: Organisation) -> str:
    """X-WR-CALDESC: what the feed holds, in words."""
    if feed.kind == "peaks":
        text = _("Toppbelastningsperioder i %(org)s.", org=org.name)
    elif feed.kind == "duty":
        who = feed.staff_member.name if feed.staff_member else _("hele teamet")
        text = _("Vaktliste for sosiale medier i %(org)s (%(who)s).", org=org.name, who=who)
    else:
        summary = filter_summary(org.id, PlanFilter.from_json(feed.filter))
        text = _("Kommunikasjonsplanen (årshjulet) til %(org)s", org=org.name)
        text += f" – {summary}." if summary else "."
        if feed.include_drafts:
            text += " " + _("Ideer er med.")
    return text + " " + _("Oppdateres automatisk.")


def feed_events(feed: Feed, org: Organisation, today: date) -> list[EventData]:
    """Everything a feed holds today."""
    min_year = today.year - YEARS_BACK
    if feed.kind == "peaks":
        return peak_events(org, min_year)
    if feed.kind == "duty":
        return duty_events(org, min_year, feed.staff_member_id)
    return plan_events(
        org.id,
        PlanFilter.from_json(feed.filter),
        min_year=min_year,
        include_drafts=feed.include_drafts,
        bin_cutoff=bin_cutoff(today),
    )


def bin_cutoff(today: date) -> datetime:
    """Posts moved to the bin at or after this moment (naive UTC) are still published."""
    return datetime.combine(today - timedelta(days=BIN_GRACE_DAYS), time())


def build_feed(feed: Feed, org: Organisation, today: date) -> bytes:
    """The feed's calendar as iCalendar bytes."""
    info = CalendarInfo(
        name=feed.name,
        description=feed_description(feed, org),
        extra=(("X-ARSHJUL-ORGANISATION", org.name),),
    )
    cache = app_cache(
        "feed_events", int(current_app.config.get("FEED_EVENT_CACHE_ENTRIES", EVENT_CACHE_ENTRIES))
    )
    return events_to_ical(info, feed_events(feed, org, today), feed.reminder_days, cache)


# --------------------------------------------------------------------------- serving


@dataclass(frozen=True)
class FeedBody:
    """A generated feed: plain and gzip bodies, their strong ETags and Last-Modified."""

    body: bytes
    gzipped: bytes
    etag: str
    last_modified: datetime  # aware UTC, whole seconds
    #: Ready-made «not modified» headers per variant (kept by :mod:`planner.services.feeds.fastpath`).
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


def _as_utc(value: datetime) -> datetime:
    aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return aware.replace(microsecond=0)


def _last_modified(feed: Feed, org: Organisation, today: date, now: datetime) -> datetime:
    """When the feed last changed: the plan's last change, the feed's own, the day the
    window last moved and the day the last bin post vanished — never after now."""
    candidates = [_as_utc(org.changed_at), _as_utc(feed.updated_at)]
    window_moved = datetime.combine(date(today.year, 1, 1), time(), tzinfo=OSLO)
    candidates.append(_as_utc(window_moved))
    if feed.kind == "plan":
        cutoff = bin_cutoff(today)
        vanished = db.session.execute(
            select(func.max(Post.deleted_at)).where(
                Post.organisation_id == org.id, Post.deleted_at < cutoff
            )
        ).scalar()
        if vanished is not None:
            gone = datetime.combine(vanished.date() + timedelta(days=BIN_GRACE_DAYS + 1), time())
            candidates.append(_as_utc(gone))
    return min(max(candidates), _as_utc(now))


def _cache_key(
    feed_id: int, digest: str, data_version: int, today: date, base_url: str
) -> tuple[Any, ...]:
    """What a generated feed depends on: the feed (and its address), the plan's version,
    the year (the window), the bin cut-off day and the host it was asked for."""
    return (feed_id, digest, data_version, today.year, bin_cutoff(today), base_url)


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
    key = _cache_key(feed.id, feed.token_digest, org.data_version, today, base_url)
    cache = feed_cache()
    cached = cache.get(key)
    if cached is not None:
        return cached
    key_hash = hashlib.sha256(repr(key).encode("utf-8")).hexdigest()
    result = _load_snapshot(feed.id, key_hash)
    if result is None:
        body = build_feed(feed, org, today)
        etag = hashlib.sha256(body).hexdigest()[:40]
        last_modified = _content_last_modified(
            feed, _fingerprint(body, base_url), _last_modified(feed, org, today, now)
        )
        gzipped = gzip.compress(body, compresslevel=6, mtime=0)
        result = FeedBody(body, gzipped, etag, last_modified)
        _store_snapshot(feed.id, key_hash, result)
    cache.put(key, result)
    return result


def _load_snapshot(feed_id: int, key_hash: str) -> FeedBody | None:
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
    return FeedBody(gzip.decompress(gzipped), gzipped, row.etag, _as_utc(row.last_modified))


def _store_snapshot(feed_id: int, key_hash: str, body: FeedBody) -> None:
    """Keep the built feed for every server, replacing the feed's older snapshots. Two
    servers building the same feed at once store it once (the first one wins)."""
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


_LOOKUP_COMPILED: dict[str, tuple[str, Any]] = {}


def _lookup_engine() -> Engine:
    """The engine for the lookup. On PostgreSQL a little pool of its own, in autocommit and
    without the pre-ping of the app's pool: one round trip per poll instead of three (a
    dropped connection is retried instead, see :func:`_lookup`). SQLite: the app's own."""
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


def _lookup(digest: str) -> tuple[Any, ...] | None:
    """``(id, token, revoked_at, public, data_version)`` of the feed with this digest.

    Run on a bare pooled DBAPI connection (the statement compiled once per dialect), as
    this is the one query of most feed requests. On PostgreSQL it goes through the feed
    bind's pool, which does not ping connections before use: a connection the server has
    dropped (a restart) fails here, is discarded, and the read is tried once more.
    """
    engine = _lookup_engine()
    found = _LOOKUP_COMPILED.get(engine.dialect.name)
    if found is None:
        statement = _LOOKUP.compile(dialect=engine.dialect)
        found = _LOOKUP_COMPILED.setdefault(engine.dialect.name, (str(statement), statement))
    sql, compiled = found
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
            return tuple(row) if row is not None else None
        except engine.dialect.loaded_dbapi.Error as error:
            dropped = engine.dialect.is_disconnect(error, connection.dbapi_connection, None)
            if dropped:
                connection.invalidate()
            if attempt == 2 or not dropped:
                raise
        finally:
            connection.close()
    return None  # pragma: no cover - the loop returns or raises


def _active_row(token: str) -> tuple[Any, ...] | None:
    """The lookup row of an active feed with this token, or ``None`` (constant-time check)."""
    if not _TOKEN_RE.fullmatch(token):
        return None
    row = _lookup(token_digest(token))
    if row is None or not hmac.compare_digest(str(row[1]).encode(), token.encode()):
        return None
    return row if row[2] is None else None


def cached_feed(token: str, base_url: str = "") -> tuple[FeedBody, bool] | None:
    """The body to serve for a feed address, and whether the feed is public, when it is
    already built for the plan's current version; ``None`` otherwise (also for unknown
    and revoked addresses). One light query: the feed, its revocation and the plan's
    version together, no ORM objects."""
    row = _active_row(token)
    if row is None:
        return None
    feed_id, _token, _revoked, public, data_version = row
    key = _cache_key(feed_id, token_digest(token), data_version, now_oslo().date(), base_url)
    cached = feed_cache().get(key)
    return (cached, bool(public)) if cached is not None else None


def served_feed(token: str, base_url: str = "") -> tuple[FeedBody, bool] | None:
    """The body to serve for a feed address and whether the feed is public; ``None`` for
    unknown and revoked addresses. Built (and cached) when the plan has changed."""
    found = cached_feed(token, base_url)
    if found is not None:
        return found
    feed = find_active_feed(token)
    if feed is None:
        return None
    return feed_body(feed, base_url), feed.public


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
    previous = _as_utc(feed.content_changed_at) if feed.content_changed_at else None
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


def find_active_feed(token: str) -> Feed | None:
    """The feed with this token, if it exists and is not revoked (constant-time check)."""
    if not _TOKEN_RE.fullmatch(token):
        return None
    feed = db.session.execute(
        select(Feed)
        .where(Feed.token_digest == token_digest(token))
        .execution_options(populate_existing=True)
    ).scalar()
    if feed is None or not hmac.compare_digest(feed.token.encode(), token.encode()):
        return None
    if feed.revoked_at is not None:
        return None
    return feed


# --------------------------------------------------------------------------- managing


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
    """Create a feed (commits). Raises :class:`FeedError` with field messages."""
    errors: dict[str, str] = {}
    name = (name or "").strip()
    plan_filter = plan_filter or PlanFilter()
    if not name:
        errors["name"] = _("Gi feeden et navn (det blir kalenderens navn hos mottakeren).")
    elif len(name) > 200:
        errors["name"] = _("Navnet kan ha høyst 200 tegn.")
    if kind not in FEED_KINDS:
        errors["kind"] = _("Ukjent type feed.")
    if reminder_days is not None and not 1 <= reminder_days <= MAX_REMINDER_DAYS:
        errors["reminder_days"] = _(
            "Påminnelsen må være 1–%(n)s virkedager før.", n=MAX_REMINDER_DAYS
        )
    errors.update(_check_ids(Channel, org_id, plan_filter.channels, "channels"))
    errors.update(_check_ids(Audience, org_id, plan_filter.audiences, "audiences"))
    errors.update(_check_ids(ServiceArea, org_id, plan_filter.service_areas, "service_areas"))
    if staff_member_id is not None:
        errors.update(_check_ids(StaffMember, org_id, [staff_member_id], "staff_member"))
    if public and created_by is not None and not created_by.has_role(Role.EDITOR):
        errors["public"] = _("Bare redaktører og administratorer kan lage offentlige feeder.")
    if errors:
        raise FeedError(errors)
    feed = Feed(
        organisation_id=org_id,
        name=name,
        kind=kind,
        filter=plan_filter.to_json() if kind == "plan" else {},
        staff_member_id=staff_member_id if kind == "duty" else None,
        include_drafts=include_drafts if kind == "plan" else False,
        reminder_days=reminder_days,
        public=public,
        created_by_id=created_by.id if created_by is not None else None,
    )
    feed.set_token()
    db.session.add(feed)
    db.session.commit()
    return feed


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
