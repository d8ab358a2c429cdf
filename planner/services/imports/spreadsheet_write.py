"""Writing a previewed spreadsheet import: the posts through the one post writer.

First every wheel, service area, channel and audience the posts link to is found or
created (new channels and audiences through the catalog writer) and flushed, so each
has an id; then each new or changed post becomes a
:class:`~planner.domain.posts.values.PostData` for
:func:`~planner.services.posts.writer.write_post`. A row changes only the fields the sheet
has columns for. Nothing here commits: ``apply_import`` does, all or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from planner.domain.catalog.values import (
    DEFAULT_CHANNEL_COLOUR,
    AudienceData,
    ChannelData,
    name_key,
)
from planner.domain.imports.errors import ImportRefused
from planner.domain.imports.spreadsheet_sheet import Problem
from planner.domain.posts.values import PostData
from planner.extensions import db
from planner.models import Audience, Channel, ServiceArea, Wheel
from planner.services.catalog.names import CatalogError
from planner.services.catalog.writer import write_audience, write_channel
from planner.services.imports.spreadsheet_match import org_rows
from planner.services.imports.spreadsheet_plan import PlannedPost, Preview, PreviewRow
from planner.services.posts.writer import PostInvalid, data_of, write_post

# Sheet columns copied as they are when the sheet has them (texts: empty for none).
_TEXT_FIELDS = ("description", "responsible", "notes", "link")
_VALUE_FIELDS = ("status", "kind", "archive_worthy")
_LINK_IDS = (("channels", "channel_ids"), ("audiences", "audience_ids"))


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


def write_rows(org_id: int, preview: Preview, rows: list[PreviewRow]) -> ImportResult:
    """Write the planned posts of ``rows`` (flushed, not committed).

    Raises ImportRefused when the catalog or post rules refuse a value after all; the
    caller rolls back then.
    """
    todo = [p for r in rows for p in r.posts if p.action != "uendret"]
    catalog = _CatalogRows(org_id, preview)
    catalog.prepare(todo)
    for planned in todo:
        draft = planned.draft
        try:
            write_post(org_id, _post_data(planned, catalog), planned.post, uid=draft.uid or None)
        except PostInvalid as exc:
            raise ImportRefused(
                [Problem(draft.row, m).text() for m in exc.errors.values()]
            ) from exc
    db.session.flush()
    created = sum(1 for p in todo if p.post is None)
    return ImportResult(
        created=created,
        updated=len(todo) - created,
        unchanged=sum(1 for r in rows for p in r.posts if p.action == "uendret"),
        skipped_rows=[r.row for r in preview.invalid_rows],
        new_channels=catalog.new_names("channels"),
        new_audiences=catalog.new_names("audiences"),
        wheel_name=preview.wheel_name,
    )


def _post_data(planned: PlannedPost, catalog: _CatalogRows) -> PostData:
    """The post as the row leaves it: the matched post's values (a new post: planlagt,
    proaktiv) with the sheet's columns put in."""
    draft, values = planned.draft, planned.draft.values
    wheel = catalog.wheel(planned.wheel_name)
    changes: dict[str, Any] = {
        "title": draft.title.strip()[:200],
        "start": draft.start,
        "end": draft.end,
        "all_day": draft.all_day,
        "wheel_id": wheel.id,
    }
    changes.update({n: values[n] or "" for n in _TEXT_FIELDS if n in values})
    changes.update({n: values[n] for n in _VALUE_FIELDS if n in values})
    if "rrule" in values:
        changes["rrule"] = values["rrule"] or None
    if "service_area" in values:
        area = catalog.area(values["service_area"])
        changes["service_area_id"] = area.id if area else None
    for kind, ids in _LINK_IDS:
        if kind in values:
            changes[ids] = catalog.ids(kind, getattr(planned, kind))
    if planned.post is not None:
        return replace(data_of(planned.post), **changes)
    return PostData(**({"status": "planlagt", "kind": "proaktiv"} | changes))


class _CatalogRows:
    """The wheels, service areas, channels and audiences posts link to, by name key; the
    new ones are created here."""

    def __init__(self, org_id: int, preview: Preview):
        self.org_id = org_id
        self.year = preview.year
        self.sheet = preview.catalog
        self.areas: dict[str, ServiceArea] = org_rows(ServiceArea, org_id)
        self.wheels = {name_key(w.name): w for w in preview.wheels}
        self.unknown = {("channels", u.key): u for u in preview.unknown_channels} | {
            ("audiences", u.key): u for u in preview.unknown_audiences
        }
        self.made: dict[tuple[str, str], Channel | Audience] = {}

    def prepare(self, todo: list[PlannedPost]) -> None:
        """Create every row the posts need, so the post writer finds them by id."""
        new: dict[tuple[str, str], None] = {}
        for planned in todo:
            values = planned.draft.values
            self.wheel(planned.wheel_name)
            if "service_area" in values:
                self.area(values["service_area"])
            for kind, _ids in _LINK_IDS:
                if kind in values:
                    refs = getattr(planned, kind)
                    new.update({(kind, ref): None for ref_kind, ref in refs if ref_kind == "new"})
        for kind, key in new:
            if kind == "audiences":
                self.area(self.sheet[kind].get(key, {}).get("service_area"))
        db.session.flush()  # ids for the new wheels and service areas
        for kind, key in new:
            self.made[(kind, key)] = self._make(kind, key)
        db.session.flush()  # ids for the new channels and audiences

    def wheel(self, name: str) -> Wheel:
        """The year's wheel with this name (created when new)."""
        key = name_key(name)
        if key not in self.wheels:
            self.wheels[key] = Wheel(
                organisation_id=self.org_id, year=self.year, name=name.strip()[:200]
            )
            db.session.add(self.wheels[key])
        return self.wheels[key]

    def area(self, name: str | None) -> ServiceArea | None:
        """The service area with this name (created when new); None for no name."""
        if not name:
            return None
        key = name_key(name)
        if key not in self.areas:
            self.areas[key] = ServiceArea(organisation_id=self.org_id, name=name.strip()[:120])
            db.session.add(self.areas[key])
        return self.areas[key]

    def ids(self, kind: str, refs: list[tuple[str, Any]]) -> tuple[int, ...]:
        """The ids of a post's channel or audience references."""
        return tuple(
            ref.id if ref_kind == "id" else self.made[(kind, ref)].id for ref_kind, ref in refs
        )

    def new_names(self, kind: str) -> list[str]:
        """The names of the channels or audiences the import created, sorted."""
        return sorted(row.name for (made_kind, _key), row in self.made.items() if made_kind == kind)

    def _make(self, kind: str, key: str) -> Channel | Audience:
        """A new channel or audience, with the details of our export's sheets if given."""
        entry = self.unknown[(kind, key)]
        extra = self.sheet[kind].get(key, {})
        try:
            if kind == "channels":
                data = ChannelData(
                    name=entry.name[:120],
                    type=entry.channel_type,
                    response_hours=extra.get("response_hours", 0),
                    profile_text=extra.get("profile_text", ""),
                    colour=extra.get("colour") or DEFAULT_CHANNEL_COLOUR,
                )
                return _new_channel(self.org_id, data)
            area = self.area(extra.get("service_area"))
            audience = AudienceData(
                name=entry.name[:160],
                priority=extra.get("priority", 1),
                description=extra.get("description", ""),
                service_area_id=area.id if area else None,
            )
            return write_audience(self.org_id, audience)
        except CatalogError as exc:
            raise ImportRefused([f"«{entry.name}»: {exc.message}"]) from exc


def _new_channel(org_id: int, data: ChannelData) -> Channel:
    """A new channel; a colour from the sheet that the channel rules refuse (too little
    contrast) gives way to the default colour rather than stopping the import."""
    try:
        return write_channel(org_id, data)
    except CatalogError as exc:
        if exc.field != "colour" or data.colour == DEFAULT_CHANNEL_COLOUR:
            raise
        return write_channel(org_id, replace(data, colour=DEFAULT_CHANNEL_COLOUR))
