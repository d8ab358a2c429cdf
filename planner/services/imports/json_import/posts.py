"""The posts step of the JSON import: every post (innlegg) of the file is checked and becomes
a :class:`PostDraft`; once the whole document has no problems, the drafts are written by
the one writer of posts (``write_post``), matched on their UID.

A new post keeps the UID and the ``version`` of the file (a restore gives the same iCal
UID and SEQUENCE); a post that is there already keeps its version, which the change bumps.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select

from planner.domain.backup_format import parse_moment
from planner.domain.posts.values import ExceptionData, PostData
from planner.extensions import db
from planner.models import Audience, Channel, Post, ServiceArea, Wheel
from planner.services.imports.json_import.catalog import Catalog
from planner.services.imports.json_import.check import (
    Checker,
    ImportProblems,
    existing_by,
    where_named,
)
from planner.services.posts.writer import PostInvalid, post_errors, write_post


@dataclass
class PostDraft:
    """A checked post of the file: its values, the catalog rows it links to (new ones get
    their ids when the session is flushed), the post it changes, the version it restores."""

    uid: str
    data: PostData
    wheel: Wheel
    area: ServiceArea | None
    channels: list[Channel]
    audiences: list[Audience]
    post: Post | None
    version: int | None

    def linked(self) -> PostData:
        """The values with the links by id (once the catalog rows have their ids)."""
        return replace(
            self.data,
            wheel_id=self.wheel.id,
            service_area_id=self.area.id if self.area is not None else None,
            channel_ids=tuple(c.id for c in self.channels),
            audience_ids=tuple(a.id for a in self.audiences),
        )


@dataclass
class PostDrafts:
    """The organisation's posts by UID and the file's checked posts, by UID."""

    existing: dict[str, Post]
    drafts: dict[str, PostDraft]

    def known(self, uid: Any) -> bool:
        """Whether a peak period of the file may link to ``uid``."""
        return uid in self.existing or uid in self.drafts


def check_posts(data: dict[str, Any], org_id: int, catalog: Catalog, check: Checker) -> PostDrafts:
    """Check every post of the file (unique UIDs that no other organisation has, dates,
    the post rules, known channels and audiences); problems go to ``check``."""
    existing = existing_by(Post, org_id, lambda p: p.uid)
    drafts: dict[str, PostDraft] = {}
    seen_uids: set[str] = set()
    for i, item in enumerate(data["posts"], 1):
        where = where_named("Innlegg", i, item.get("title", ""))
        uid = check.text(item, "uid", where, 255, required=True)
        if uid in seen_uids:
            check.fail(where, f"UID «{uid}» finnes to ganger i filen.")
            continue
        seen_uids.add(uid)
        if (
            uid not in existing
            and db.session.execute(select(Post.id).where(Post.uid == uid)).first()
        ):
            check.fail(where, f"UID «{uid}» tilhører en annen kommune.")
            continue
        draft = _check_post(item, where, uid, existing.get(uid), catalog, check)
        if draft is not None:
            drafts[uid] = draft
    return PostDrafts(existing, drafts)


def _check_post(
    item: dict[str, Any],
    where: str,
    uid: str,
    post: Post | None,
    catalog: Catalog,
    check: Checker,
) -> PostDraft | None:
    """One post of the file as a draft (None when its dates cannot be read at all)."""
    try:
        start, start_is_date = parse_moment(item.get("start"))
        end, end_is_date = parse_moment(item.get("end"))
    except ValueError as exc:
        check.fail(where, f"start/slutt: {exc}.")
        return None
    all_day = bool(item.get("all_day", start_is_date))
    if all_day != start_is_date or start_is_date != end_is_date:
        check.fail(
            where, "heldagsinnlegg må ha datoer uten klokkeslett, og andre må ha klokkeslett."
        )
        return None
    # The links are set by id in PostDraft.linked(): new catalog rows have no id yet, and
    # the rules do not look at them.
    data = PostData(
        title=item.get("title") or "",
        start=start,
        end=end,
        wheel_id=0,
        all_day=all_day,
        status=item.get("status", "planlagt"),
        kind=item.get("kind", "proaktiv"),
        rrule=item.get("rrule") or None,
        link=item.get("link") or "",
    )
    for field_name, message in post_errors(data).items():
        check.fail(where, f"{field_name}: {message}")
    wheel = catalog.wheel_for(item.get("wheel", ""), start.year)
    channels = _named(item, "channels", catalog.channels, "ukjent kanal", where, check)
    audiences = _named(item, "audiences", catalog.audiences, "ukjent målgruppe", where, check)
    data = replace(
        data,
        description=check.text(item, "description", where, 100_000),
        responsible=check.text(item, "responsible", where, 200),
        archive_worthy=bool(item.get("archive_worthy", False)),
        notes=check.text(item, "notes", where, 100_000),
        seed_key=item.get("seed_key") or None,
        origin_uid=post.origin_uid if post is not None else None,  # not in the file
        exceptions=_exceptions(item, where, check),
    )
    version = item.get("version")
    return PostDraft(
        uid=uid,
        data=data,
        wheel=wheel,
        area=catalog.area_for(item),
        channels=channels,
        audiences=audiences,
        post=post,
        version=version if isinstance(version, int) and version >= 1 else None,
    )


def _named(
    item: dict[str, Any],
    key: str,
    known: dict[str, Any],
    unknown: str,
    where: str,
    check: Checker,
) -> list[Any]:
    """The catalog rows the names in ``item[key]`` stand for; unknown names are problems."""
    rows = []
    for name in item.get(key, []) or []:
        if name not in known:
            check.fail(where, f"{unknown} «{name}».")
        else:
            rows.append(known[name])
    return rows


def _exceptions(item: dict[str, Any], where: str, check: Checker) -> tuple[ExceptionData, ...]:
    """The changed occurrences of a post (cancelled or moved); unreadable ones are problems."""
    found = []
    for j, exc_item in enumerate(item.get("exceptions", []) or [], 1):
        try:
            rid, _ = parse_moment(exc_item.get("recurrence_id"))
            ex_start = parse_moment(exc_item["start"])[0] if exc_item.get("start") else None
            ex_end = parse_moment(exc_item["end"])[0] if exc_item.get("end") else None
        except ValueError as exc:
            check.fail(f"{where}, unntak {j}", f"{exc}.")
            continue
        found.append(
            ExceptionData(
                recurrence_id=rid,
                cancelled=bool(exc_item.get("cancelled")),
                start=ex_start,
                end=ex_end,
            )
        )
    return tuple(found)


def write_posts(org_id: int, posts: PostDrafts) -> dict[str, Post]:
    """Write every draft through the writer (a document without problems only); returns
    the organisation's posts by UID, the file's and the others."""
    by_uid = dict(posts.existing)
    for draft in posts.drafts.values():
        try:
            post = write_post(org_id, draft.linked(), draft.post, uid=draft.uid)
        except PostInvalid as exc:  # the checks above have the same rules
            raise ImportProblems([f"Innlegg «{draft.uid}»: {exc}"]) from exc
        if draft.post is None and draft.version is not None:
            post.version = draft.version
        by_uid[draft.uid] = post
    return by_uid
