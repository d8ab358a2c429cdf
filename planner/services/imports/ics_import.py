"""Import of .ics files: events become posts in the plan or events of an external
calendar (the read-only ring of the wheel). All or nothing.

The file is parsed and checked by ``planner.domain.imports.ics``; here the chosen events
are written in one transaction. Events are matched on their UID, so importing the same
file again updates instead of doubling. A UID already used by another municipality's
post (two municipalities importing the same school-holiday calendar) gets an
organisation-specific variant, so organisations never touch each other's rows.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import delete, select

from planner.domain.dates import format_date
from planner.domain.imports.ics import IcsImportError, ImportedEvent, ParsedCalendar
from planner.domain.posts.rules import PostValues, validate_post
from planner.extensions import db
from planner.models import (
    CHANNEL_TYPES,
    EXTERNAL_KINDS,
    Audience,
    Channel,
    ExternalEvent,
    IcsUpload,
    Organisation,
    Post,
    PostException,
    ServiceArea,
    Wheel,
    utcnow,
)
from planner.services.imports.external import get_or_create_calendar
from planner.services.posts.seeding import wheel_name

CHOICES = ("post", "external", "skip")
UPLOAD_TTL = timedelta(hours=24)


@dataclass
class ImportSummary:
    """What an import did, for the message to the user."""

    posts_created: int = 0
    posts_updated: int = 0
    external_created: int = 0
    external_updated: int = 0
    calendar: str = ""
    warnings: list[str] = field(default_factory=list)

    def message(self) -> str:
        """A Norwegian sentence describing the result."""
        parts = []
        if self.posts_created or self.posts_updated:
            parts.append(
                _(
                    "%(new)s nye og %(upd)s oppdaterte innlegg",
                    new=self.posts_created,
                    upd=self.posts_updated,
                )
            )
        if self.external_created or self.external_updated:
            parts.append(
                _(
                    "%(new)s nye og %(upd)s oppdaterte hendelser i «%(cal)s»",
                    new=self.external_created,
                    upd=self.external_updated,
                    cal=self.calendar,
                )
            )
        if not parts:
            return _("Ingen hendelser ble valgt, så ingenting er importert.")
        return _("Importert: %(what)s.", what=" og ".join(parts))


# --------------------------------------------------------------------------- uploads


def store_upload(org_id: int, user_id: int | None, filename: str, raw: bytes) -> IcsUpload:
    """Keep a checked file until the user has chosen what to import (commits); uploads
    older than a day are cleared on the way."""
    db.session.execute(delete(IcsUpload).where(IcsUpload.created_at < utcnow() - UPLOAD_TTL))
    upload = IcsUpload(
        organisation_id=org_id,
        user_id=user_id,
        token=secrets.token_urlsafe(24),
        filename=filename[:255],
        content=raw,
    )
    db.session.add(upload)
    db.session.commit()
    return upload


def get_upload(org_id: int, user_id: int | None, token: str) -> IcsUpload | None:
    """The user's pending upload with this token, if it is still there."""
    return db.session.execute(
        select(IcsUpload).where(
            IcsUpload.organisation_id == org_id,
            IcsUpload.user_id == user_id,
            IcsUpload.token == token,
            IcsUpload.created_at >= utcnow() - UPLOAD_TTL,
        )
    ).scalar()


# --------------------------------------------------------------------------- matching


def _scoped_uid(org_id: int, uid: str) -> str:
    digest = hashlib.sha256(f"{org_id}:{uid}".encode()).hexdigest()[:10]
    return f"{digest}-{uid}"[:255]


def existing_posts(org_id: int, uids: list[str]) -> dict[str, Post]:
    """The organisation's posts for these file UIDs (also under their scoped variant)."""
    if not uids:
        return {}
    scoped = {_scoped_uid(org_id, u): u for u in uids}
    found: dict[str, Post] = {}
    for chunk_start in range(0, len(uids), 500):
        chunk = uids[chunk_start : chunk_start + 500]
        keys = chunk + [_scoped_uid(org_id, u) for u in chunk]
        for post in db.session.execute(
            select(Post).where(Post.organisation_id == org_id, Post.uid.in_(keys))
        ).scalars():
            found[scoped.get(post.uid, post.uid)] = post
    return found


def existing_external(org_id: int, uids: list[str]) -> set[str]:
    """The UIDs among ``uids`` that the organisation's external calendars already hold."""
    found: set[str] = set()
    for chunk_start in range(0, len(uids), 500):
        chunk = uids[chunk_start : chunk_start + 500]
        found.update(
            db.session.execute(
                select(ExternalEvent.uid).where(
                    ExternalEvent.organisation_id == org_id, ExternalEvent.uid.in_(chunk)
                )
            ).scalars()
        )
    return found


class _Catalogue:
    """Channels, audiences, service areas and wheels of the organisation, by name."""

    def __init__(self, org_id: int):
        self.org_id = org_id
        self.channels = self._load(Channel)
        self.audiences = self._load(Audience)
        self.areas = self._load(ServiceArea)
        self.wheels = list(
            db.session.execute(select(Wheel).where(Wheel.organisation_id == org_id)).scalars()
        )

    def _load(self, model: Any) -> dict[str, Any]:
        rows = db.session.execute(select(model).where(model.organisation_id == self.org_id))
        return {row.name.casefold(): row for row in rows.scalars()}

    def channel(self, name: str, ctype: str | None) -> Channel | None:
        found = self.channels.get(name.casefold())
        if found is None and ctype in CHANNEL_TYPES:
            found = Channel(organisation_id=self.org_id, name=name[:120], type=ctype)
            db.session.add(found)
            self.channels[name.casefold()] = found
        return found

    def audience(self, name: str, create: bool, priority: str = "") -> Audience | None:
        found = self.audiences.get(name.casefold())
        if found is None and create:
            found = Audience(
                organisation_id=self.org_id,
                name=name[:160],
                priority=int(priority) if priority.isdigit() and 0 < int(priority) < 10_000 else 1,
            )
            db.session.add(found)
            self.audiences[name.casefold()] = found
        return found

    def area(self, name: str) -> ServiceArea | None:
        if not name:
            return None
        found = self.areas.get(name.casefold())
        if found is None:
            found = ServiceArea(organisation_id=self.org_id, name=name[:120])
            db.session.add(found)
            self.areas[name.casefold()] = found
        return found

    def wheel(self, name: str, year: int) -> Wheel:
        for wheel in self.wheels:
            if name and wheel.name == name:
                return wheel
        default = wheel_name(year)
        candidates = [w for w in self.wheels if w.year == year]
        for wheel in candidates:
            if wheel.name == default:
                return wheel
        if candidates and not name:
            return sorted(candidates, key=lambda w: w.name)[0]
        wheel = Wheel(organisation_id=self.org_id, year=year, name=(name or default)[:200])
        db.session.add(wheel)
        self.wheels.append(wheel)
        return wheel


# --------------------------------------------------------------------------- writing


def _post_values(event: ImportedEvent, where: str, problems: list[str]) -> PostValues | None:
    values = PostValues(
        title=event.summary,
        start=event.start,
        end=event.end,
        all_day=event.all_day,
        status=event.status,
        kind=event.meta_value("KIND", "proaktiv"),
        rrule=event.rrule,
        link=event.meta_value("LINK")[:500],
    )
    errors = validate_post(values)
    if not 2000 <= event.start.year <= 2100:
        errors["start"] = _("Innlegg kan bare planlegges for årene 2000–2100.")
    for message in errors.values():
        problems.append(f"{where}: {message}")
    return None if errors else values


def _write_post(
    org_id: int,
    event: ImportedEvent,
    post: Post | None,
    catalogue: _Catalogue,
    problems: list[str],
) -> bool | None:
    """Create or update the post for ``event``: True if new, False if updated, None if
    it has problems (added to ``problems``)."""
    where = f"«{event.summary[:60]}» ({format_date(event.start)})"
    values = _post_values(event, where, problems)
    if values is None:
        return None
    created = post is None
    if post is None:
        taken = db.session.execute(select(Post.id).where(Post.uid == event.uid)).first()
        uid = _scoped_uid(org_id, event.uid) if taken else event.uid
        post = Post(organisation_id=org_id, uid=uid)
        post.wheel = catalogue.wheel(event.meta_value("WHEEL"), event.start.year)
        db.session.add(post)
    from_planner = bool(event.meta)
    description = event.meta_value("TEXT") if from_planner else event.description
    if event.location and not from_planner:
        description = (description + "\n\n" if description else "") + _(
            "Sted: %(place)s", place=event.location
        )
    post.title = values.title.strip()
    post.description = description
    post.start, post.end, post.all_day = event.start, event.end, event.all_day
    post.rrule = values.rrule or None
    post.status, post.kind = values.status, values.kind
    if from_planner:
        post.link = values.link
        post.responsible = event.meta_value("RESPONSIBLE")[:200]
        post.archive_worthy = event.meta_value("ARCHIVE") == "TRUE"
        post.service_area = catalogue.area(event.meta_value("SERVICE-AREA"))
        channels = [
            catalogue.channel(name, params.get("X-TYPE"))
            for name, params in event.meta_values("CHANNEL")
        ]
        audiences = [
            catalogue.audience(name, True, params.get("X-PRIORITY", ""))
            for name, params in event.meta_values("AUDIENCE")
        ]
    else:
        channels = [catalogue.channels.get(c.casefold()) for c in event.categories]
        audiences = [catalogue.audience(c, False) for c in event.categories]
    post.channels = list(dict.fromkeys(c for c in channels if c is not None))
    post.audiences = list(dict.fromkeys(a for a in audiences if a is not None))
    old = {e.recurrence_id: e for e in post.exceptions}
    rows = []
    for exc in event.exceptions if post.rrule else []:
        row = old.get(exc.recurrence_id) or PostException(
            organisation_id=org_id, recurrence_id=exc.recurrence_id
        )
        row.cancelled, row.start, row.end = exc.cancelled, exc.start, exc.end
        rows.append(row)
    post.exceptions = rows
    return created


def _write_external(
    org_id: int, event: ImportedEvent, calendar_row: Any, existing: Mapping[str, ExternalEvent]
) -> bool:
    """Create or update the external event (and its moved occurrences); True if new."""
    row = existing.get("")
    created = row is None
    if row is None:
        row = ExternalEvent(organisation_id=org_id, uid=event.uid, recurrence_key="")
        db.session.add(row)
    row.calendar = calendar_row
    row.summary = event.summary
    row.description = event.meta_value("TEXT") if event.meta else event.description
    row.location = event.location
    row.start, row.end, row.all_day = event.start, event.end, event.all_day
    row.rrule = event.rrule
    row.cancelled = event.status == "avlyst"
    row.exdates = [e.recurrence_id.isoformat() for e in event.exceptions if e.cancelled]
    keep = {""}
    for exc in event.exceptions:
        if exc.cancelled or exc.start is None or not event.rrule:
            continue
        key = exc.recurrence_id.isoformat()
        keep.add(key)
        moved = existing.get(key) or ExternalEvent(
            organisation_id=org_id, uid=event.uid, recurrence_key=key
        )
        moved.calendar = calendar_row
        moved.summary, moved.description = row.summary, row.description
        moved.location, moved.all_day = row.location, row.all_day
        moved.start = exc.start
        moved.end = exc.end or exc.start + (event.end - event.start)
        moved.rrule, moved.exdates, moved.cancelled = None, [], False
        db.session.add(moved)
    for key, old in existing.items():
        if key not in keep:
            db.session.delete(old)
    return created


def import_events(
    organisation: Organisation,
    parsed: ParsedCalendar,
    choices: Mapping[str, str],
    *,
    calendar_name: str = "",
    calendar_kind: str = "annet",
) -> ImportSummary:
    """Write the chosen events (``choices`` maps event key → post|external|skip) in one
    transaction. Raises :class:`IcsImportError` and writes nothing when anything is wrong."""
    org_id = organisation.id
    problems: list[str] = []
    summary = ImportSummary(warnings=list(parsed.warnings))
    chosen = [(e, choices.get(e.key, "skip")) for e in parsed.events]
    seen: set[str] = set()
    for event, choice in chosen:
        if choice not in CHOICES:
            problems.append(_("Ukjent valg «%(c)s» for «%(t)s».", c=choice, t=event.summary))
        if choice != "skip":
            if event.uid in seen:
                problems.append(
                    _("«%(t)s»: UID-en finnes flere ganger i filen.", t=event.summary[:60])
                )
            seen.add(event.uid)
    wants_external = any(choice == "external" for _e, choice in chosen)
    calendar_name = (calendar_name or parsed.name or _("Ekstern kalender")).strip()[:200]
    if wants_external and calendar_kind not in EXTERNAL_KINDS:
        problems.append(_("Ukjent type ekstern kalender «%(k)s».", k=calendar_kind))
    if problems:
        raise IcsImportError(problems)
    try:
        with db.session.no_autoflush:
            catalogue = _Catalogue(org_id)
            post_uids = [e.uid for e, c in chosen if c == "post"]
            posts = existing_posts(org_id, post_uids)
            calendar_row = (
                get_or_create_calendar(org_id, calendar_name, calendar_kind)
                if wants_external
                else None
            )
            external_uids = [e.uid for e, c in chosen if c == "external"]
            external_rows: dict[str, dict[str, ExternalEvent]] = {}
            for chunk_start in range(0, len(external_uids), 500):
                chunk = external_uids[chunk_start : chunk_start + 500]
                for row in db.session.execute(
                    select(ExternalEvent).where(
                        ExternalEvent.organisation_id == org_id, ExternalEvent.uid.in_(chunk)
                    )
                ).scalars():
                    external_rows.setdefault(row.uid, {})[row.recurrence_key] = row
            for event, choice in chosen:
                if choice == "post":
                    outcome = _write_post(org_id, event, posts.get(event.uid), catalogue, problems)
                    if outcome is True:
                        summary.posts_created += 1
                    elif outcome is False:
                        summary.posts_updated += 1
                elif choice == "external":
                    if _write_external(
                        org_id, event, calendar_row, external_rows.get(event.uid, {})
                    ):
                        summary.external_created += 1
                    else:
                        summary.external_updated += 1
        if problems:
            raise IcsImportError(problems[:50])
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    summary.calendar = calendar_name if wants_external else ""
    return summary


def import_all_as_posts(organisation: Organisation, parsed: ParsedCalendar) -> ImportSummary:
    """Import every event of the file as a post (the command line has no preview)."""
    return import_events(organisation, parsed, {e.key: "post" for e in parsed.events})


def count_label(n: int) -> str:
    """«1 hendelse» / «5 hendelser»."""
    return ngettext("%(num)s hendelse", "%(num)s hendelser", n)


def matched_counts(org_id: int, parsed: ParsedCalendar) -> tuple[set[str], set[str]]:
    """The file UIDs that already exist as posts and as external events (for the preview)."""
    uids = [e.uid for e in parsed.events]
    return set(existing_posts(org_id, uids)), existing_external(org_id, uids)
