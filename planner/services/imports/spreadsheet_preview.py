"""The preview of a spreadsheet import: per row what would happen, and every problem per
row and cell, in Norwegian. Reads only.

:func:`build_preview` runs the steps in order: lay out the chosen sheet (header row,
headings, column mapping), interpret its rows, match each draft to an existing post,
link the channel and audience names (unknown ones are offered to be created or mapped to
an existing one), and compare matched posts with what the sheet says.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace
from typing import Any

from planner.domain.catalog.values import name_key
from planner.domain.imports.spreadsheet_cells import cell_text
from planner.domain.imports.spreadsheet_columns import (
    find_header_row,
    guess_mapping,
    mapping_problems,
)
from planner.domain.imports.spreadsheet_rows import interpret_rows
from planner.domain.imports.spreadsheet_sheet import PostDraft, Problem, RowResult, SheetData
from planner.models import CHANNEL_TYPES, Audience, Channel, ServiceArea, Wheel
from planner.services.imports.spreadsheet_match import (
    Catalog,
    PostMatcher,
    compare,
    default_wheel,
    org_rows,
    sheet_catalog,
)
from planner.services.imports.spreadsheet_plan import (
    NEW,
    ImportChoices,
    Preview,
    PreviewRow,
    UnknownName,
    guess_channel_type,
)
from planner.services.posts.queries import wheels_for_year
from planner.services.posts.seeding import wheel_name

LINKS = ("channels", "audiences")


def build_preview(
    org_id: int, sheets: list[SheetData], choices: ImportChoices, filename: str = ""
) -> Preview:
    """Interpret the chosen sheet with the chosen mapping, against the municipality's data.

    Reads only: nothing is added to the session.
    """
    preview, sheet, target = _layout(org_id, sheets, choices, filename)
    if preview.mapping_problems:
        return preview
    known = _Known.load(org_id)
    results = interpret_rows(
        sheet.rows,
        preview.header_row,
        preview.mapping,
        choices.year,
        sheet.formulas,
        1,
        known=known.names(preview.catalog),
    )
    matcher = PostMatcher(org_id, choices.year, preview.wheels, target, results)
    linker = _Linker(preview, choices, known)
    new_areas: dict[str, str] = {}
    for result in results:
        preview.rows.append(_plan_row(result, matcher, linker, new_areas))
    preview.unknown_channels = list(linker.unknown["channels"].values())
    preview.unknown_audiences = list(linker.unknown["audiences"].values())
    preview.new_service_areas = sorted(new_areas.values())
    preview.new_wheels = sorted(matcher.new_wheels.values())
    return preview


def _layout(
    org_id: int, sheets: list[SheetData], choices: ImportChoices, filename: str
) -> tuple[Preview, SheetData, Wheel | None]:
    """The preview's frame: the chosen sheet, its header row, headings, mapping and
    samples, the year's wheels (and the one posts go to by default), the file's warnings."""
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
    target = default_wheel(wheels, choices.year, choices.wheel_id)
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
        catalog=sheet_catalog(sheets),
    )
    preview.file_warnings = [
        replace(p, heading=headings[p.column] if p.column is not None and p.column < width else "")
        for p in sheet.warnings
        if p.row - 1 > header_row
    ]
    return preview, sheet, target


@dataclass
class _Known:
    """The municipality's channels, audiences and service areas, by name key."""

    channels: dict[str, Channel]
    audiences: dict[str, Audience]
    areas: dict[str, ServiceArea]

    @classmethod
    def load(cls, org_id: int) -> _Known:
        return cls(
            org_rows(Channel, org_id), org_rows(Audience, org_id), org_rows(ServiceArea, org_id)
        )

    def names(self, catalog: Catalog) -> dict[str, list[str]]:
        """Every channel and audience name the sheet may use (so «og» in a name is kept)."""
        return {
            "channels": [c.name for c in self.channels.values()]
            + [c["name"] for c in catalog["channels"].values()],
            "audiences": [a.name for a in self.audiences.values()]
            + [a["name"] for a in catalog["audiences"].values()],
        }


def _plan_row(
    result: RowResult, matcher: PostMatcher, linker: _Linker, new_areas: dict[str, str]
) -> PreviewRow:
    """A row's planned posts and problems (new service areas are noted in ``new_areas``)."""
    row = PreviewRow(result.row, [], list(result.problems))
    for draft in result.drafts:
        planned = matcher.plan(draft, row, linker.columns)
        if planned is None:
            continue
        planned.channels = linker.refs("channels", draft, row)
        planned.audiences = linker.refs("audiences", draft, row)
        area = draft.values.get("service_area")
        if area and name_key(area) not in linker.known.areas:
            new_areas.setdefault(name_key(area), area)
        compare(planned, linker.known.areas)
        row.posts.append(planned)
    return row


class _Linker:
    """Turns the channel and audience names of drafts into references: ``("id", row)`` for
    a known (or mapped) one, ``("new", key)`` for one to create; unknown names are kept
    for the page, and a name neither created nor mapped is a problem of its row."""

    def __init__(self, preview: Preview, choices: ImportChoices, known: _Known):
        self.preview = preview
        self.choices = choices
        self.known = known
        self.columns = {name: i for i, name in enumerate(preview.mapping) if name}
        self.unknown: dict[str, dict[str, UnknownName]] = {kind: {} for kind in LINKS}

    def refs(self, kind: str, draft: PostDraft, row: PreviewRow) -> list[tuple[str, Any]]:
        """The references for the ``kind`` ("channels"|"audiences") names of ``draft``."""
        existing: dict[str, Any] = (
            self.known.channels if kind == "channels" else self.known.audiences
        )
        refs: list[tuple[str, Any]] = []
        for name in draft.values.get(kind, []) or []:
            key = name_key(name)
            if key in existing:
                refs.append(("id", existing[key]))
                continue
            entry = self.unknown[kind].setdefault(
                key, _unknown(name, key, kind, existing, self.choices, self.preview.catalog)
            )
            if row.row not in entry.rows:
                entry.rows.append(row.row)
            ref = _chosen(entry, existing)
            if ref is not None:
                refs.append(ref)
            else:
                row.problems.append(self._problem(kind, name, row.row))
        return refs

    def _problem(self, kind: str, name: str, row: int) -> Problem:
        label = "kanal" if kind == "channels" else "målgruppe"
        column = self.columns.get(kind)
        return Problem(
            row,
            f"Ukjent {label} «{name}» (velg å opprette den, eller rett navnet).",
            column,
            self.preview.headings[column] if column is not None else "",
        )


def _chosen(entry: UnknownName, existing: dict[str, Any]) -> tuple[str, Any] | None:
    """What the user chose for an unknown name: create it, an existing row, or nothing."""
    if entry.action == NEW:
        return ("new", entry.key)
    if entry.action.isdigit():
        by_id = {e.id: e for e in existing.values()}
        if int(entry.action) in by_id:
            return ("id", by_id[int(entry.action)])
    return None


def _unknown(
    name: str,
    key: str,
    kind: str,
    existing: dict[str, Any],
    choices: ImportChoices,
    catalog: Catalog,
) -> UnknownName:
    """An unknown name with its action: the user's, else a close existing name, else new."""
    actions = choices.channel_actions if kind == "channels" else choices.audience_actions
    close = difflib.get_close_matches(key, list(existing), n=1, cutoff=0.85)
    suggestion = str(existing[close[0]].id) if close else ""
    action = actions.get(key) or suggestion or NEW
    channel_type = ""
    if kind == "channels":
        channel_type = choices.channel_types.get(key) or (
            catalog["channels"][key]["type"]
            if key in catalog["channels"]
            else guess_channel_type(name)
        )
        if channel_type not in CHANNEL_TYPES:
            channel_type = guess_channel_type(name)
    return UnknownName(name, key, [], action, suggestion, channel_type)
