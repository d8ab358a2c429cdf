"""The municipality's side of a spreadsheet import: which post a row means, and what the
sheet brings along.

A row is matched to a post by its UID column when it has one, else by title and start
within the year's wheel (:class:`PostMatcher`); :func:`compare` says which fields a
matched post would change. :func:`sheet_catalog` reads the «Kanaler» and «Målgrupper»
sheets of our own export, so channels and audiences come back with their details.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from planner.domain.catalog.values import name_key
from planner.domain.imports.spreadsheet_cells import cell_text, normalise_heading
from planner.domain.imports.spreadsheet_columns import FIELD_LABELS
from planner.domain.imports.spreadsheet_sheet import PostDraft, Problem, RowResult, SheetData
from planner.extensions import db
from planner.models import CHANNEL_TYPES, Post, ServiceArea, Wheel
from planner.services.imports.spreadsheet_plan import (
    PlannedPost,
    PreviewRow,
    guess_channel_type,
)
from planner.services.posts.seeding import wheel_name

Catalog = dict[str, dict[str, dict[str, Any]]]
"""``{"channels"|"audiences": {name key: details}}`` from the sheets of our export."""

_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_UID_CHUNK = 500


# --------------------------------------------------------------------------- the sheet


def sheet_catalog(sheets: list[SheetData]) -> Catalog:
    """Channels and audiences from the «Kanaler»/«Målgrupper» sheets of our own export."""
    found: Catalog = {"channels": {}, "audiences": {}}
    for sheet in sheets:
        if not sheet.rows:
            continue
        head = [normalise_heading(h) for h in sheet.rows[0]]
        if head[:2] == ["kanal", "kanaltype"]:
            found["channels"].update(_channel_rows(sheet.rows[1:]))
        elif head[:2] == ["målgruppe", "virksomhetsområde"]:
            found["audiences"].update(_audience_rows(sheet.rows[1:]))
    return found


def _channel_rows(rows: list[list[Any]]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        cells = [*row, None, None, None, None, None][:5]
        name = cell_text(cells[0])
        if not name:
            continue
        kind = cell_text(cells[1])
        hours = cell_text(cells[2])
        colour = cell_text(cells[4])
        found[name_key(name)] = {
            "name": name,
            "type": kind if kind in CHANNEL_TYPES else guess_channel_type(name),
            "response_hours": int(hours) if hours.isdigit() else 0,
            "profile_text": cell_text(cells[3]),
            "colour": colour if _COLOUR.fullmatch(colour) else None,
        }
    return found


def _audience_rows(rows: list[list[Any]]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        cells = [*row, None, None, None, None][:4]
        name = cell_text(cells[0])
        if not name:
            continue
        priority = cell_text(cells[2])
        found[name_key(name)] = {
            "name": name,
            "service_area": cell_text(cells[1]),
            "priority": int(priority) if priority.isdigit() and int(priority) else 1,
            "description": cell_text(cells[3]),
        }
    return found


# --------------------------------------------------------------------------- the database


def by_key(rows: Iterable[Any]) -> dict[str, Any]:
    """Rows with a ``name`` by their :func:`name_key`."""
    return {name_key(r.name): r for r in rows}


def org_rows(model: Any, org_id: int) -> dict[str, Any]:
    """The organisation's rows of ``model`` (channels, audiences, service areas) by name key."""
    return by_key(
        db.session.execute(select(model).where(model.organisation_id == org_id)).scalars()
    )


def default_wheel(wheels: list[Wheel], year: int, wheel_id: int | None) -> Wheel | None:
    """The chosen wheel, else the year's «Årshjul <year>», else the first of the year."""
    if wheel_id is not None:
        return next((w for w in wheels if w.id == wheel_id), None)
    default = str(wheel_name(year))
    return next((w for w in wheels if w.name == default), wheels[0] if wheels else None)


class PostMatcher:
    """Finds the existing post for a draft: by UID, else by title and start in its wheel."""

    def __init__(
        self,
        org_id: int,
        year: int,
        wheels: list[Wheel],
        target: Wheel | None,
        results: list[RowResult],
    ):
        self.org_id = org_id
        self.year = year
        self.target = target
        self.target_name = target.name if target else str(wheel_name(year))
        self.wheels = {name_key(w.name): w for w in wheels}
        self.new_wheels: dict[str, str] = {}
        self.by_uid: dict[str, Post] = {}
        self.by_key: dict[tuple[int, str, Any], Post] = {}
        for post in _posts_of_year(org_id, year):
            self.by_uid[post.uid] = post
            if post.deleted_at is None:
                self.by_key[(post.wheel_id, post.title.strip().casefold(), post.start)] = post
        wanted = {d.uid for r in results for d in r.drafts if d.uid and d.uid not in self.by_uid}
        self.elsewhere = _uids_elsewhere(sorted(wanted))

    def plan(
        self, draft: PostDraft, row: PreviewRow, columns: dict[str, int]
    ) -> PlannedPost | None:
        """What to do with ``draft``; None (and a problem on ``row``) when its UID is not
        ours to use."""
        wheel, wheel_label = self._wheel(draft)
        if not draft.uid:
            post = self.by_key.get((wheel.id, draft.key[0], draft.start)) if wheel else None
            return PlannedPost(draft, "endres" if post else "ny", post=post, wheel_name=wheel_label)
        post = self.by_uid.get(draft.uid)
        problem = self._uid_problem(draft.uid, post)
        if problem:
            row.problems.append(
                Problem(row.row, f"«{draft.uid}»: {problem}", columns.get("uid"), "UID")
            )
            return None
        if post is not None:
            return PlannedPost(draft, "endres", post=post, wheel_name=wheel_label)
        return PlannedPost(draft, "ny", wheel_name=wheel_label)

    def _wheel(self, draft: PostDraft) -> tuple[Wheel | None, str]:
        """The draft's wheel (None when it is new) and its name."""
        wheel_text = (draft.values.get("wheel") or "").strip()
        if not wheel_text:
            return self.target, self.target_name
        wheel = self.wheels.get(name_key(wheel_text))
        if wheel is None:
            self.new_wheels.setdefault(name_key(wheel_text), wheel_text)
        return wheel, wheel.name if wheel else wheel_text

    def _uid_problem(self, uid: str, post: Post | None) -> str:
        if post is not None and post.deleted_at is not None:
            return "Innlegget med denne UID-en ligger i papirkurven. Gjenopprett det først."
        if post is None and uid in self.elsewhere:
            org, wheel_year = self.elsewhere[uid]
            if org == self.org_id:
                return f"Innlegget med denne UID-en hører til årshjulet for {wheel_year}."
            return "UID-en er allerede i bruk og kan ikke brukes her."
        return ""


def _posts_of_year(org_id: int, year: int) -> Iterable[Post]:
    """The organisation's posts of the year (the bin too), with their links loaded."""
    return db.session.execute(
        select(Post)
        .join(Wheel, Post.wheel_id == Wheel.id)
        .where(Post.organisation_id == org_id, Wheel.year == year)
        .options(
            selectinload(Post.channels),
            selectinload(Post.audiences),
            selectinload(Post.service_area),
        )
    ).scalars()


def _uids_elsewhere(uids: list[str]) -> dict[str, tuple[int, int]]:
    """``{uid: (organisation id, wheel year)}`` for the UIDs used by posts elsewhere."""
    found: dict[str, tuple[int, int]] = {}
    for i in range(0, len(uids), _UID_CHUNK):
        for uid, org, wheel_year in db.session.execute(
            select(Post.uid, Post.organisation_id, Wheel.year)
            .join(Wheel, Post.wheel_id == Wheel.id)
            .where(Post.uid.in_(uids[i : i + _UID_CHUNK]))
        ):
            found[uid] = (org, wheel_year)
    return found


# --------------------------------------------------------------------------- comparing

_PLAIN_FIELDS = (
    "description",
    "responsible",
    "notes",
    "link",
    "status",
    "kind",
    "archive_worthy",
    "rrule",
)


def compare(planned: PlannedPost, areas: dict[str, ServiceArea]) -> None:
    """Fill in which fields a matched post would change (none: «uendret»)."""
    post, draft = planned.post, planned.draft
    if post is None:
        return
    changes: list[str] = []

    def differs(label: str, old: Any, new: Any) -> None:
        if old != new:
            changes.append(label)

    differs("Tittel", post.title, draft.title.strip())
    differs(
        "Tidspunkt", (post.start, post.end, post.all_day), (draft.start, draft.end, draft.all_day)
    )
    values = draft.values
    for name in _PLAIN_FIELDS:
        if name in values:
            differs(FIELD_LABELS[name], getattr(post, name) or None, values[name] or None)
    if "service_area" in values:
        old = post.service_area.name if post.service_area else None
        new = values["service_area"]
        existing = areas.get(name_key(new)) if new else None
        differs(FIELD_LABELS["service_area"], old, existing.name if existing else new)
    if "wheel" in values and values["wheel"]:
        differs(FIELD_LABELS["wheel"], post.wheel.name, planned.wheel_name)
    if "channels" in values:
        differs("Kanaler", _ref_ids(post.channels), _planned_ids(planned.channels))
    if "audiences" in values:
        differs("Målgrupper", _ref_ids(post.audiences), _planned_ids(planned.audiences))
    planned.changes = changes
    planned.action = "endres" if changes else "uendret"


def _ref_ids(rows: Iterable[Any]) -> set[Any]:
    return {row.id for row in rows}


def _planned_ids(refs: list[tuple[str, Any]]) -> set[Any]:
    return {ref.id if kind == "id" else ("new", ref) for kind, ref in refs}
