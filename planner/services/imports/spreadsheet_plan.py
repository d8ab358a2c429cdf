"""What a spreadsheet import is about to do: the user's choices and the preview.

Plain records shared by the steps of the import (``spreadsheet_preview`` fills them in,
``spreadsheet_write`` writes what they say, ``spreadsheet_import`` runs the page flow).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from planner.domain.imports.spreadsheet_sheet import PostDraft, Problem
from planner.models import Post, Wheel

NEW = "new"
SKIP = "skip"
PREVIEW_ROWS_SHOWN = 300


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
    catalog: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)

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
