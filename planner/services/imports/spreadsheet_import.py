"""Import of planners' own spreadsheets (XLSX/CSV): preview first, then all or nothing.

The flow of the import page: the upload is kept for a day in the instance folder
(:func:`stash_upload`), the columns are guessed and can be corrected, and
:func:`build_preview` shows per row what would happen and every problem per row and cell,
in Norwegian. Unknown channels and audiences are offered to be created (or mapped to an
existing one). :func:`apply_import` writes only when the whole sheet is valid – or, when
the user explicitly chooses it, only the valid rows – in one transaction.

Re-importing the same sheet does not duplicate: a row is matched to a post by its UID
column when it has one, else by title and start within the year's wheel; matched posts
are updated with the columns the sheet has, and unchanged ones are left alone.
"""

from __future__ import annotations

import difflib
import json
import re
import secrets
import time as clock
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from planner.domain.dates import now_oslo
from planner.domain.imports import csv_reader as csv_format
from planner.domain.imports import xlsx_reader as xlsx
from planner.domain.imports.errors import ImportRefused
from planner.domain.imports.spreadsheet_cells import cell_text, normalise_heading
from planner.domain.imports.spreadsheet_columns import (
    FIELD_LABELS,
    column_letter,
    find_header_row,
    guess_mapping,
    mapping_problems,
)
from planner.domain.imports.spreadsheet_rows import guess_year, interpret_rows
from planner.domain.imports.spreadsheet_sheet import PostDraft, Problem, SheetData
from planner.extensions import db
from planner.models import CHANNEL_TYPES, Audience, Channel, Organisation, Post, ServiceArea, Wheel
from planner.services.posts.queries import wheels_for_year

UPLOAD_TTL_SECONDS = 24 * 3600
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")
NEW = "new"
SKIP = "skip"
PREVIEW_ROWS_SHOWN = 300


# --------------------------------------------------------------------------- reading


def read_upload(raw: bytes, filename: str) -> list[SheetData]:
    """Read an uploaded file as sheets, by content and name (XLSX or CSV)."""
    if not raw:
        raise ImportRefused([f"«{filename}» er tom."])
    if xlsx.detect(raw, filename) or raw[:4] == xlsx.ZIP_MAGIC:
        return xlsx.read_sheets(raw, filename)
    if csv_format.detect(raw, filename):
        return csv_format.read_sheets(raw, filename)
    raise ImportRefused(
        [
            f"«{filename}» har en filtype som ikke kan importeres her. Last opp et regneark "
            "som .xlsx (Excel) eller .csv."
        ]
    )


def _upload_dir(instance_path: str) -> Path:
    path = Path(instance_path) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def stash_upload(instance_path: str, org_id: int, raw: bytes, filename: str) -> str:
    """Keep an upload between the steps of the import page; returns its token.

    Files are named by organisation and a random token, and removed after a day.
    """
    folder = _upload_dir(instance_path)
    now = clock.time()
    for old in folder.glob("*.bin"):
        if now - old.stat().st_mtime > UPLOAD_TTL_SECONDS:
            old.unlink(missing_ok=True)
            old.with_suffix(".json").unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    (folder / f"{org_id}-{token}.bin").write_bytes(raw)
    (folder / f"{org_id}-{token}.json").write_text(
        json.dumps({"filename": filename[-255:]}), encoding="utf-8"
    )
    return token


def load_upload(instance_path: str, org_id: int, token: str) -> tuple[bytes, str] | None:
    """The stashed upload of this organisation, or None (unknown, expired or not theirs)."""
    if not _TOKEN.fullmatch(token or ""):
        return None
    folder = _upload_dir(instance_path)
    data = folder / f"{org_id}-{token}.bin"
    if not data.exists() or clock.time() - data.stat().st_mtime > UPLOAD_TTL_SECONDS:
        return None
    try:
        meta = json.loads((folder / f"{org_id}-{token}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        meta = {}
    return data.read_bytes(), str(meta.get("filename") or "regneark")


def discard_upload(instance_path: str, org_id: int, token: str) -> None:
    """Remove a stashed upload (after a successful import)."""
    if _TOKEN.fullmatch(token or ""):
        folder = _upload_dir(instance_path)
        (folder / f"{org_id}-{token}.bin").unlink(missing_ok=True)
        (folder / f"{org_id}-{token}.json").unlink(missing_ok=True)


# --------------------------------------------------------------------------- choices


@dataclass
class ImportChoices:
    """What the user chose on the import page (defaults: guessed)."""

    year: int
    sheet: int = 0
    header_row: int | None = None  # 0-based; None: guess
    mapping: list[str] | None = None  # None: guess from the headings
    wheel_id: int | None = None
    channel_actions: dict[str, str] = field(default_factory=dict)  # key → new|skip|<id>
    channel_types: dict[str, str] = field(default_factory=dict)
    audience_actions: dict[str, str] = field(default_factory=dict)
    only_valid: bool = False


def name_key(name: str) -> str:
    """How names are compared: case and extra spaces do not matter."""
    return " ".join(name.split()).casefold()


_TYPE_HINTS = (
    (("facebook", "linkedin", "nettsamfunn"), "nettsamfunn"),
    (("twitter", "x (", "mikroblogg", "threads", "bluesky", "mastodon"), "mikroblogg"),
    (("instagram", "youtube", "tiktok", "snapchat", "flickr", "vimeo", "podkast"), "delingsmedium"),
    (("blogg",), "blogg"),
    (("forum", "innspill"), "diskusjonsforum"),
    (("wiki",), "wiki"),
    (("presse",), "pressemelding"),
    (("avis", "annonse"), "annonse_lokalavis"),
    (("brev", "sms", "e-post", "epost", "nyhetsbrev", "varsel"), "brev_sms"),
    (("plakat", "oppslag", "flygeblad", "brosjyre"), "plakat"),
    (("møte", "stand", "åpen dag"), "mote"),
)


def guess_channel_type(name: str) -> str:
    """A channel type from a channel's name («Instagram» → delingsmedium); nettside else."""
    text = name.casefold()
    if text in ("x", "x/twitter"):
        return "mikroblogg"
    for words, kind in _TYPE_HINTS:
        if any(word in text for word in words):
            return kind
    return "nettside"


# --------------------------------------------------------------------------- preview


@dataclass
class UnknownName:
    """A channel or audience named in the sheet that the municipality does not have."""

    name: str
    key: str
    rows: list[int]
    action: str
    suggestion: str = ""
    channel_type: str = ""


@dataclass
class PlannedPost:
    """What will happen to one draft: a new post, a change, or nothing."""

    draft: PostDraft
    action: str  # "ny" | "endres" | "uendret"
    changes: list[str] = field(default_factory=list)
    post: Post | None = None
    wheel_name: str = ""
    channels: list[tuple[str, Any]] = field(default_factory=list)  # ("id", Channel)|("new", key)
    audiences: list[tuple[str, Any]] = field(default_factory=list)


@dataclass
class PreviewRow:
    """A row of the sheet with its posts and problems."""

    row: int
    posts: list[PlannedPost]
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        """True when the row has no errors (warnings are fine)."""
        return not any(not p.warning for p in self.problems)


@dataclass
class Preview:
    """Everything the import page shows before anything is written."""

    filename: str
    sheet_names: list[str]
    sheet: int
    headings: list[str]
    samples: list[list[str]]
    header_row: int
    mapping: list[str]
    year: int
    wheel_name: str
    wheels: list[Wheel]
    mapping_problems: list[str]
    rows: list[PreviewRow] = field(default_factory=list)
    file_warnings: list[Problem] = field(default_factory=list)
    unknown_channels: list[UnknownName] = field(default_factory=list)
    unknown_audiences: list[UnknownName] = field(default_factory=list)
    new_service_areas: list[str] = field(default_factory=list)
    new_wheels: list[str] = field(default_factory=list)
    catalogue: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)

    @property
    def valid_rows(self) -> list[PreviewRow]:
        """Rows without errors."""
        return [r for r in self.rows if r.ok]

    @property
    def invalid_rows(self) -> list[PreviewRow]:
        """Rows with at least one error."""
        return [r for r in self.rows if not r.ok]

    def count(self, action: str, only_valid: bool = True) -> int:
        """How many posts would be created («ny»), changed («endres») or left («uendret»)."""
        rows = self.valid_rows if only_valid else self.rows
        return sum(1 for r in rows for p in r.posts if p.action == action)

    @property
    def errors(self) -> list[str]:
        """Every error as Norwegian text, mapping problems first."""
        return self.mapping_problems + [
            p.text() for r in self.rows for p in r.problems if not p.warning
        ]

    @property
    def warnings(self) -> list[str]:
        """Every warning as Norwegian text."""
        return [p.text() for p in self.file_warnings] + [
            p.text() for r in self.rows for p in r.problems if p.warning
        ]

    @property
    def can_import_all(self) -> bool:
        """The whole sheet is valid and gives at least one post."""
        return not self.errors and any(r.posts for r in self.rows)

    @property
    def can_import_valid(self) -> bool:
        """Some rows are valid (the «only the valid rows» choice)."""
        return not self.mapping_problems and any(r.posts for r in self.valid_rows)

    @property
    def shown_rows(self) -> list[PreviewRow]:
        """The rows the page lists: every row with problems first (capped), then others."""
        bad = [r for r in self.rows if r.problems]
        good = [r for r in self.rows if not r.problems]
        return (bad + good)[:PREVIEW_ROWS_SHOWN]


def _catalogue(sheets: list[SheetData]) -> dict[str, dict[str, dict[str, Any]]]:
    """Channels and audiences from the «Kanaler»/«Målgrupper» sheets of our own export."""
    found: dict[str, dict[str, dict[str, Any]]] = {"channels": {}, "audiences": {}}
    for sheet in sheets:
        if not sheet.rows:
            continue
        head = [normalise_heading(h) for h in sheet.rows[0]]
        if head[:2] == ["kanal", "kanaltype"]:
            for row in sheet.rows[1:]:
                cells = [*row, None, None, None, None, None][:5]
                name = cell_text(cells[0])
                kind = cell_text(cells[1])
                if name:
                    hours = cell_text(cells[2])
                    colour = cell_text(cells[4])
                    found["channels"][name_key(name)] = {
                        "name": name,
                        "type": kind if kind in CHANNEL_TYPES else guess_channel_type(name),
                        "response_hours": int(hours) if hours.isdigit() else 0,
                        "profile_text": cell_text(cells[3]),
                        "colour": colour if re.fullmatch(r"#[0-9a-fA-F]{6}", colour) else None,
                    }
        elif head[:2] == ["målgruppe", "virksomhetsområde"]:
            for row in sheet.rows[1:]:
                cells = [*row, None, None, None, None][:4]
                name = cell_text(cells[0])
                if name:
                    priority = cell_text(cells[2])
                    found["audiences"][name_key(name)] = {
                        "name": name,
                        "service_area": cell_text(cells[1]),
                        "priority": int(priority) if priority.isdigit() and int(priority) else 1,
                        "description": cell_text(cells[3]),
                    }
    return found


def _by_key(rows: Iterable[Any]) -> dict[str, Any]:
    return {name_key(r.name): r for r in rows}


def _default_wheel(wheels: list[Wheel], year: int, wheel_id: int | None) -> Wheel | None:
    if wheel_id is not None:
        return next((w for w in wheels if w.id == wheel_id), None)
    from planner.services.posts.seeding import wheel_name

    default = str(wheel_name(year))
    return next((w for w in wheels if w.name == default), wheels[0] if wheels else None)


def build_preview(
    org_id: int, sheets: list[SheetData], choices: ImportChoices, filename: str = ""
) -> Preview:
    """Interpret the chosen sheet with the chosen mapping, against the municipality's data.

    Reads only: nothing is added to the session.
    """
    from planner.services.posts.seeding import wheel_name

    index = choices.sheet if 0 <= choices.sheet < len(sheets) else 0
    sheet = sheets[index]
    rows = sheet.rows
    header_row = choices.header_row
    if header_row is None or not 0 <= header_row < max(len(rows), 1):
        header_row = find_header_row(rows)
    headings_raw = rows[header_row] if header_row < len(rows) else []
    width = max(sheet.width, 1)
    headings = [cell_text(h) for h in [*headings_raw, *([None] * width)][:width]]
    mapping = list(choices.mapping) if choices.mapping is not None else guess_mapping(headings)
    mapping = [*mapping, *([""] * width)][:width]
    samples = [
        [cell_text(r[c]) if c < len(r) else "" for r in rows[header_row + 1 : header_row + 4]]
        for c in range(width)
    ]
    wheels = wheels_for_year(org_id, choices.year)
    target = _default_wheel(wheels, choices.year, choices.wheel_id)
    preview = Preview(
        filename=filename,
        sheet_names=[s.name for s in sheets],
        sheet=index,
        headings=headings,
        samples=samples,
        header_row=header_row,
        mapping=mapping,
        year=choices.year,
        wheel_name=target.name if target else str(wheel_name(choices.year)),
        wheels=wheels,
        mapping_problems=mapping_problems(mapping),
        catalogue=_catalogue(sheets),
    )
    preview.file_warnings = [
        replace(p, heading=headings[p.column] if p.column is not None and p.column < width else "")
        for p in sheet.warnings
        if p.row - 1 > header_row
    ]
    if preview.mapping_problems:
        return preview

    channels = _by_key(
        db.session.execute(select(Channel).where(Channel.organisation_id == org_id)).scalars()
    )
    audiences = _by_key(
        db.session.execute(select(Audience).where(Audience.organisation_id == org_id)).scalars()
    )
    areas = _by_key(
        db.session.execute(
            select(ServiceArea).where(ServiceArea.organisation_id == org_id)
        ).scalars()
    )
    known = {
        "channels": [c.name for c in channels.values()]
        + [c["name"] for c in preview.catalogue["channels"].values()],
        "audiences": [a.name for a in audiences.values()]
        + [a["name"] for a in preview.catalogue["audiences"].values()],
    }
    results = interpret_rows(
        rows, header_row, mapping, choices.year, sheet.formulas, 1, known=known
    )
    matcher = _Matcher(org_id, choices.year, wheels, target, results)
    columns = {name: i for i, name in enumerate(mapping) if name}
    unknown: dict[str, dict[str, UnknownName]] = {"channels": {}, "audiences": {}}
    new_areas: dict[str, str] = {}

    for result in results:
        row = PreviewRow(result.row, [], list(result.problems))
        for draft in result.drafts:
            planned = matcher.plan(draft, row, columns)
            if planned is None:
                continue
            for kind, existing in (("channels", channels), ("audiences", audiences)):
                refs: list[tuple[str, Any]] = []
                for name in draft.values.get(kind, []) or []:
                    key = name_key(name)
                    if key in existing:
                        refs.append(("id", existing[key]))
                        continue
                    entry = unknown[kind].setdefault(
                        key, _unknown(name, key, kind, existing, choices, preview.catalogue)
                    )
                    if result.row not in entry.rows:
                        entry.rows.append(result.row)
                    if entry.action == NEW:
                        refs.append(("new", key))
                    elif entry.action.isdigit() and int(entry.action) in {
                        e.id for e in existing.values()
                    }:
                        refs.append(
                            ("id", next(e for e in existing.values() if e.id == int(entry.action)))
                        )
                    else:
                        label = "kanal" if kind == "channels" else "målgruppe"
                        column = columns.get(kind)
                        row.problems.append(
                            Problem(
                                result.row,
                                f"Ukjent {label} «{name}» (velg å opprette den, eller rett navnet).",
                                column,
                                headings[column] if column is not None else "",
                            )
                        )
                if kind == "channels":
                    planned.channels = refs
                else:
                    planned.audiences = refs
            area = draft.values.get("service_area")
            if area and name_key(area) not in areas:
                new_areas.setdefault(name_key(area), area)
            _compare(planned, areas)
            row.posts.append(planned)
        preview.rows.append(row)
    preview.unknown_channels = list(unknown["channels"].values())
    preview.unknown_audiences = list(unknown["audiences"].values())
    preview.new_service_areas = sorted(new_areas.values())
    preview.new_wheels = sorted(matcher.new_wheels.values())
    return preview


def _unknown(
    name: str,
    key: str,
    kind: str,
    existing: dict[str, Any],
    choices: ImportChoices,
    catalogue: dict[str, dict[str, dict[str, Any]]],
) -> UnknownName:
    actions = choices.channel_actions if kind == "channels" else choices.audience_actions
    close = difflib.get_close_matches(key, list(existing), n=1, cutoff=0.85)
    suggestion = str(existing[close[0]].id) if close else ""
    action = actions.get(key) or suggestion or NEW
    channel_type = ""
    if kind == "channels":
        channel_type = choices.channel_types.get(key) or (
            catalogue["channels"][key]["type"]
            if key in catalogue["channels"]
            else guess_channel_type(name)
        )
        if channel_type not in CHANNEL_TYPES:
            channel_type = guess_channel_type(name)
    return UnknownName(name, key, [], action, suggestion, channel_type)


class _Matcher:
    """Finds the existing post for a draft: by UID, else by title and start in its wheel."""

    def __init__(
        self,
        org_id: int,
        year: int,
        wheels: list[Wheel],
        target: Wheel | None,
        results: list[Any],
    ):
        from planner.services.posts.seeding import wheel_name

        self.org_id = org_id
        self.year = year
        self.target = target
        self.target_name = target.name if target else str(wheel_name(year))
        self.wheels = {name_key(w.name): w for w in wheels}
        self.new_wheels: dict[str, str] = {}
        posts = db.session.execute(
            select(Post)
            .join(Wheel, Post.wheel_id == Wheel.id)
            .where(Post.organisation_id == org_id, Wheel.year == year)
            .options(
                selectinload(Post.channels),
                selectinload(Post.audiences),
                selectinload(Post.service_area),
            )
        ).scalars()
        self.by_uid: dict[str, Post] = {}
        self.by_key: dict[tuple[int, str, Any], Post] = {}
        for post in posts:
            self.by_uid[post.uid] = post
            if post.deleted_at is None:
                self.by_key[(post.wheel_id, post.title.strip().casefold(), post.start)] = post
        wanted = {d.uid for r in results for d in r.drafts if d.uid and d.uid not in self.by_uid}
        self.elsewhere: dict[str, tuple[int, int]] = {}
        uids = sorted(wanted)
        for i in range(0, len(uids), 500):
            for uid, org, wheel_year in db.session.execute(
                select(Post.uid, Post.organisation_id, Wheel.year)
                .join(Wheel, Post.wheel_id == Wheel.id)
                .where(Post.uid.in_(uids[i : i + 500]))
            ):
                self.elsewhere[uid] = (org, wheel_year)

    def plan(
        self, draft: PostDraft, row: PreviewRow, columns: dict[str, int]
    ) -> PlannedPost | None:
        wheel_text = (draft.values.get("wheel") or "").strip()
        wheel = self.target
        wheel_name = self.target_name
        if wheel_text:
            wheel = self.wheels.get(name_key(wheel_text))
            wheel_name = wheel.name if wheel else wheel_text
            if wheel is None:
                self.new_wheels.setdefault(name_key(wheel_text), wheel_text)
        uid_column = columns.get("uid")
        if draft.uid:
            post = self.by_uid.get(draft.uid)
            problem = ""
            if post is not None and post.deleted_at is not None:
                problem = "Innlegget med denne UID-en ligger i papirkurven. Gjenopprett det først."
            elif post is None and draft.uid in self.elsewhere:
                org, wheel_year = self.elsewhere[draft.uid]
                problem = (
                    f"Innlegget med denne UID-en hører til årshjulet for {wheel_year}."
                    if org == self.org_id
                    else "UID-en er allerede i bruk og kan ikke brukes her."
                )
            if problem:
                row.problems.append(
                    Problem(row.row, f"«{draft.uid}»: {problem}", uid_column, "UID")
                )
                return None
            if post is not None:
                return PlannedPost(draft, "endres", post=post, wheel_name=wheel_name)
            return PlannedPost(draft, "ny", wheel_name=wheel_name)
        post = self.by_key.get((wheel.id, draft.key[0], draft.start)) if wheel is not None else None
        return PlannedPost(draft, "endres" if post else "ny", post=post, wheel_name=wheel_name)


def _compare(planned: PlannedPost, areas: dict[str, ServiceArea]) -> None:
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
    for name, attr in (
        ("description", "description"),
        ("responsible", "responsible"),
        ("notes", "notes"),
        ("link", "link"),
        ("status", "status"),
        ("kind", "kind"),
        ("archive_worthy", "archive_worthy"),
        ("rrule", "rrule"),
    ):
        if name in values:
            differs(FIELD_LABELS[name], getattr(post, attr) or None, values[name] or None)
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


# --------------------------------------------------------------------------- writing


@dataclass
class ImportResult:
    """What an import wrote."""

    created: int
    updated: int
    unchanged: int
    skipped_rows: list[int]
    new_channels: list[str]
    new_audiences: list[str]
    wheel_name: str

    def summary(self, organisation: str) -> str:
        """The result in one Norwegian sentence or three."""
        text = (
            f"Importerte {self.created} nye og oppdaterte {self.updated} innlegg "
            f"({self.unchanged} uendret) i «{self.wheel_name}» for {organisation}."
        )
        if self.new_channels:
            text += f" Nye kanaler: {', '.join(self.new_channels)}."
        if self.new_audiences:
            text += f" Nye målgrupper: {', '.join(self.new_audiences)}."
        if self.skipped_rows:
            rows = ", ".join(str(r) for r in self.skipped_rows[:30])
            more = " …" if len(self.skipped_rows) > 30 else ""
            text += f" Hoppet over {len(self.skipped_rows)} rader med feil (rad {rows}{more})."
        return text


def apply_import(
    org_id: int, sheets: list[SheetData], choices: ImportChoices, filename: str = ""
) -> tuple[ImportResult, Preview]:
    """Write the import, all or nothing (or only the valid rows when chosen). Commits.

    Raises ImportRefused (nothing written) when the mapping is unusable, when any row has
    an error and ``choices.only_valid`` is false, or when no row is left to import.
    """
    preview = build_preview(org_id, sheets, choices, filename)
    if preview.mapping_problems:
        raise ImportRefused(preview.mapping_problems)
    if preview.errors and not choices.only_valid:
        raise ImportRefused(preview.errors)
    rows = preview.valid_rows
    if not any(r.posts for r in rows):
        raise ImportRefused(["Ingen gyldige rader å importere."])
    try:
        with db.session.no_autoflush:
            result = _write(org_id, preview, rows)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return result, preview


def _write(org_id: int, preview: Preview, rows: list[PreviewRow]) -> ImportResult:
    catalogue = preview.catalogue
    areas = _by_key(
        db.session.execute(
            select(ServiceArea).where(ServiceArea.organisation_id == org_id)
        ).scalars()
    )

    def area(name: str | None) -> ServiceArea | None:
        if not name:
            return None
        key = name_key(name)
        if key not in areas:
            areas[key] = ServiceArea(organisation_id=org_id, name=name.strip()[:120])
            db.session.add(areas[key])
        return areas[key]

    wheels = {name_key(w.name): w for w in preview.wheels}

    def wheel(name: str) -> Wheel:
        key = name_key(name)
        if key not in wheels:
            wheels[key] = Wheel(organisation_id=org_id, year=preview.year, name=name.strip()[:200])
            db.session.add(wheels[key])
        return wheels[key]

    made: dict[tuple[str, str], Any] = {}
    unknown = {("channels", u.key): u for u in preview.unknown_channels} | {
        ("audiences", u.key): u for u in preview.unknown_audiences
    }

    def resolve(kind: str, refs: list[tuple[str, Any]]) -> list[Any]:
        out = []
        for ref_kind, ref in refs:
            if ref_kind == "id":
                out.append(ref)
                continue
            if (kind, ref) not in made:
                entry = unknown[(kind, ref)]
                extra = catalogue[kind].get(ref, {})
                if kind == "channels":
                    obj: Any = Channel(
                        organisation_id=org_id,
                        name=entry.name[:120],
                        type=entry.channel_type,
                        response_hours=extra.get("response_hours", 0),
                        profile_text=extra.get("profile_text", ""),
                    )
                    if extra.get("colour"):
                        obj.colour = extra["colour"]
                else:
                    obj = Audience(
                        organisation_id=org_id,
                        name=entry.name[:160],
                        priority=extra.get("priority", 1),
                        description=extra.get("description", ""),
                        service_area=area(extra.get("service_area")),
                    )
                db.session.add(obj)
                made[(kind, ref)] = obj
            if made[(kind, ref)] not in out:
                out.append(made[(kind, ref)])
        return out

    created = updated = unchanged = 0
    for row in rows:
        for planned in row.posts:
            if planned.action == "uendret":
                unchanged += 1
                continue
            draft = planned.draft
            post = planned.post
            if post is None:
                post = Post(organisation_id=org_id)
                if draft.uid:
                    post.uid = draft.uid
                post.status = "planlagt"
                post.kind = "proaktiv"
                db.session.add(post)
                created += 1
            else:
                updated += 1
            post.wheel = wheel(planned.wheel_name)
            post.title = draft.title.strip()[:200]
            post.start, post.end, post.all_day = draft.start, draft.end, draft.all_day
            values = draft.values
            for name in ("description", "responsible", "notes", "link"):
                if name in values:
                    setattr(post, name, values[name] or "")
            for name in ("status", "kind", "archive_worthy"):
                if name in values:
                    setattr(post, name, values[name])
            if "rrule" in values:
                post.rrule = values["rrule"] or None
                if post.rrule is None and post.exceptions:
                    post.exceptions = []
            if "service_area" in values:
                post.service_area = area(values["service_area"])
            if "channels" in values:
                post.channels = resolve("channels", planned.channels)
            if "audiences" in values:
                post.audiences = resolve("audiences", planned.audiences)
    db.session.flush()
    return ImportResult(
        created=created,
        updated=updated,
        unchanged=unchanged,
        skipped_rows=[r.row for r in preview.invalid_rows],
        new_channels=sorted(o.name for (k, _), o in made.items() if k == "channels"),
        new_audiences=sorted(o.name for (k, _), o in made.items() if k == "audiences"),
        wheel_name=preview.wheel_name,
    )


# --------------------------------------------------------------------------- command line


def import_for_cli(
    sheets: list[SheetData], filename: str, organisation: Organisation | None
) -> str:
    """``flask import sheet.xlsx``: guessed mapping, the year from the file name or the
    dates in the sheet, unknown channels and audiences created; all or nothing."""
    if organisation is None:
        orgs = list(db.session.execute(select(Organisation).limit(2)).scalars())
        if len(orgs) != 1:
            raise ImportRefused(
                ["Oppgi hvilken kommune regnearket skal importeres til (--municipality NAVN)."]
            )
        organisation = orgs[0]
    match = re.search(r"(?<!\d)(20\d\d)(?!\d)", filename)
    rows = sheets[0].rows if sheets else []
    year = int(match.group(1)) if match else guess_year(rows, now_oslo().year)
    result, _ = apply_import(organisation.id, sheets, ImportChoices(year=year), filename)
    return result.summary(organisation.name)


__all__ = [
    "ImportChoices",
    "ImportResult",
    "Preview",
    "apply_import",
    "build_preview",
    "column_letter",
    "discard_upload",
    "guess_channel_type",
    "import_for_cli",
    "load_upload",
    "read_upload",
    "stash_upload",
]
