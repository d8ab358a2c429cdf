"""The reach matrix (rekkevidde): which channels reach which audiences, how well, and
saving it all or nothing."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from planner.domain.catalog.reach import LEVELS, ReachMatrix, poorly_reached
from planner.extensions import db
from planner.models import Audience, Channel, Reach
from planner.services.catalog.reads import audiences, channels

CELL_NAME = re.compile(r"^r-(\d{1,9})-(\d{1,9})$")


class MatrixError(ValueError):
    """The reach matrix was not saved. ``errors`` maps cell names (``r-<aud>-<chan>``, or
    ``""`` for the matrix as a whole) to Norwegian messages."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def reach_matrix(org_id: int) -> dict[tuple[int, int], int]:
    """The reach matrix ``{(channel_id, audience_id): level}`` (missing pairs: none)."""
    return {
        (row.channel_id, row.audience_id): row.level
        for row in db.session.execute(
            select(Reach.channel_id, Reach.audience_id, Reach.level).where(
                Reach.organisation_id == org_id
            )
        )
    }


def reach_gaps(audience_list: list[Audience], matrix: ReachMatrix) -> list[Audience]:
    """The audiences, in priority order, that no channel reaches at level god (2) or better."""
    gaps = set(poorly_reached([a.id for a in audience_list], matrix))
    return [a for a in audience_list if a.id in gaps]


@dataclass(frozen=True)
class _Cell:
    channel: Channel
    audience: Audience
    level: int


def cell_name(audience_id: int, channel_id: int) -> str:
    """The form field name of a matrix cell."""
    return f"r-{audience_id}-{channel_id}"


def cell_label(channel: Channel, audience: Audience) -> str:
    """The accessible label of a cell: "Facebook når Foreldre med barn i barnehagealder"."""
    return _("%(channel)s når %(audience)s", channel=channel.name, audience=audience.name)


def _parse_cells(org_id: int, cells: Mapping[str, str]) -> list[_Cell]:
    chans = {c.id: c for c in channels(org_id)}
    auds = {a.id: a for a in audiences(org_id)}
    parsed: list[_Cell] = []
    errors: dict[str, str] = {}
    for name, raw in cells.items():
        match = CELL_NAME.match(name)
        if not match:
            continue
        audience, channel = auds.get(int(match.group(1))), chans.get(int(match.group(2)))
        if audience is None or channel is None:
            errors[""] = _(
                "Rekkevidden gjelder en kanal eller målgruppe som ikke finnes lenger. "
                "Last inn siden på nytt og prøv igjen."
            )
            continue
        value = (raw or "").strip()
        if not value.isdigit() or int(value) not in LEVELS:
            errors[name] = _(
                "Velg ingen, noe, god eller svært god for «%(label)s».",
                label=cell_label(channel, audience),
            )
            continue
        parsed.append(_Cell(channel, audience, int(value)))
    if errors:
        raise MatrixError(errors)
    return parsed


def save_reach_matrix(org_id: int, cells: Mapping[str, str]) -> int:
    """Save reach levels given as ``{"r-<audience_id>-<channel_id>": "0".."3"}`` (other
    keys are ignored; cells not given stay as they are) in ONE transaction: either every
    cell is valid and saved, or ``MatrixError`` is raised and nothing changes.

    Level 0 removes the cell. Returns how many cells changed.
    """
    parsed = _parse_cells(org_id, cells)
    existing = {
        (row.channel_id, row.audience_id): row
        for row in db.session.execute(
            select(Reach).where(Reach.organisation_id == org_id)
        ).scalars()
    }
    changed = 0
    try:
        for cell in parsed:
            row = existing.get((cell.channel.id, cell.audience.id))
            if cell.level == 0:
                if row is not None:
                    db.session.delete(row)
                    changed += 1
            elif row is None:
                db.session.add(
                    Reach(
                        organisation_id=org_id,
                        channel=cell.channel,
                        audience=cell.audience,
                        level=cell.level,
                    )
                )
                changed += 1
            elif row.level != cell.level:
                row.level = cell.level
                changed += 1
        db.session.commit()
    except IntegrityError as exc:
        # Someone saved the same cell at the same moment: nothing of ours is kept.
        db.session.rollback()
        raise MatrixError(
            {"": _("Noen andre endret rekkevidden samtidig. Last inn siden og prøv igjen.")}
        ) from exc
    return changed
