"""Import of .ics files: events become posts in the plan or events of an external
calendar (the read-only ring of the wheel). All or nothing.

The file is parsed and checked by ``planner.domain.imports.ics``; here the chosen events
are written in one transaction. Events are matched on their UID, so importing the same
file again updates instead of doubling. A UID already used by another municipality's
post (two municipalities importing the same school-holiday calendar) gets an
organisation-specific variant, so organisations never touch each other's rows.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import delete, select

from planner.domain.imports.ics import IcsImportError, ImportedEvent, ParsedCalendar
from planner.extensions import db
from planner.models import (
    EXTERNAL_KINDS,
    ExternalCalendar,
    ExternalEvent,
    IcsUpload,
    Organisation,
    Post,
    utcnow,
)
from planner.services.imports.external import get_or_create_calendar
from planner.services.imports.ics_write import (
    IcsCatalog,
    scoped_uid,
    write_event_post,
    write_external,
)

CHOICES = ("post", "external", "skip")
UPLOAD_TTL = timedelta(hours=24)
UID_CHUNK = 500


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


def existing_posts(org_id: int, uids: list[str]) -> dict[str, Post]:
    """The organisation's posts for these file UIDs (also under their scoped variant)."""
    if not uids:
        return {}
    scoped = {scoped_uid(org_id, u): u for u in uids}
    found: dict[str, Post] = {}
    for chunk_start in range(0, len(uids), UID_CHUNK):
        chunk = uids[chunk_start : chunk_start + UID_CHUNK]
        keys = chunk + [scoped_uid(org_id, u) for u in chunk]
        for post in db.session.execute(
            select(Post).where(Post.organisation_id == org_id, Post.uid.in_(keys))
        ).scalars():
            found[scoped.get(post.uid, post.uid)] = post
    return found


def existing_external(org_id: int, uids: list[str]) -> set[str]:
    """The UIDs among ``uids`` that the organisation's external calendars already hold."""
    found: set[str] = set()
    for chunk_start in range(0, len(uids), UID_CHUNK):
        chunk = uids[chunk_start : chunk_start + UID_CHUNK]
        found.update(
            db.session.execute(
                select(ExternalEvent.uid).where(
                    ExternalEvent.organisation_id == org_id, ExternalEvent.uid.in_(chunk)
                )
            ).scalars()
        )
    return found


def _external_rows(org_id: int, uids: list[str]) -> dict[str, dict[str, ExternalEvent]]:
    """The organisation's external event rows for these UIDs: ``{uid: {recurrence key: row}}``."""
    found: dict[str, dict[str, ExternalEvent]] = {}
    for chunk_start in range(0, len(uids), UID_CHUNK):
        chunk = uids[chunk_start : chunk_start + UID_CHUNK]
        for row in db.session.execute(
            select(ExternalEvent).where(
                ExternalEvent.organisation_id == org_id, ExternalEvent.uid.in_(chunk)
            )
        ).scalars():
            found.setdefault(row.uid, {})[row.recurrence_key] = row
    return found


# --------------------------------------------------------------------------- importing


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
    chosen = [(e, choices.get(e.key, "skip")) for e in parsed.events]
    wants_external = any(choice == "external" for _e, choice in chosen)
    calendar_name = (calendar_name or parsed.name or _("Ekstern kalender")).strip()[:200]
    problems = _choice_problems(chosen)
    if wants_external and calendar_kind not in EXTERNAL_KINDS:
        problems.append(_("Ukjent type ekstern kalender «%(k)s».", k=calendar_kind))
    if problems:
        raise IcsImportError(problems)
    summary = ImportSummary(warnings=list(parsed.warnings))
    try:
        with db.session.no_autoflush:
            calendar_row = (
                get_or_create_calendar(organisation.id, calendar_name, calendar_kind)
                if wants_external
                else None
            )
            _write_chosen(organisation.id, chosen, calendar_row, summary, problems)
        if problems:
            raise IcsImportError(problems[:50])
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    summary.calendar = calendar_name if wants_external else ""
    return summary


def _choice_problems(chosen: list[tuple[ImportedEvent, str]]) -> list[str]:
    """Unknown choices, and a UID chosen more than once in the file."""
    problems: list[str] = []
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
    return problems


def _write_chosen(
    org_id: int,
    chosen: list[tuple[ImportedEvent, str]],
    calendar_row: ExternalCalendar | None,
    summary: ImportSummary,
    problems: list[str],
) -> None:
    """Write every chosen event, counting in ``summary``; problems go to ``problems``."""
    catalog = IcsCatalog(org_id)
    posts = existing_posts(org_id, [e.uid for e, c in chosen if c == "post"])
    external_rows = _external_rows(org_id, [e.uid for e, c in chosen if c == "external"])
    for event, choice in chosen:
        if choice == "post":
            outcome = write_event_post(org_id, event, posts.get(event.uid), catalog, problems)
            if outcome is True:
                summary.posts_created += 1
            elif outcome is False:
                summary.posts_updated += 1
        elif choice == "external":
            assert calendar_row is not None  # made when any event goes to one
            if write_external(org_id, event, calendar_row, external_rows.get(event.uid, {})):
                summary.external_created += 1
            else:
                summary.external_updated += 1


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
