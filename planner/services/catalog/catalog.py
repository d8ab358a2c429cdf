"""The catalogue: audiences (målgrupper), channels (kanaler), service areas
(virksomhetsområder) and the reach matrix (rekkevidde) – reads, validation and commits.

Every mutation validates, changes and commits in one go and raises ``CatalogError`` (a
Norwegian message tied to a form field) without changing anything when the input is
wrong. Names are unique per organisation, compared without regard to case.

Removing a channel or audience from posts goes through the ORM (not only the database's
cascade), so the posts' version and ``updated_at`` move and an open edit form of such a
post gets a conflict instead of silently putting the deleted row back.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from planner.domain.catalog.reach import (
    LEVELS,
    MIN_CONTRAST,
    ReachMatrix,
    contrast_ratio,
    normalise_hex_colour,
    poorly_reached,
)
from planner.extensions import db
from planner.models import (
    CHANNEL_TYPES,
    Audience,
    Channel,
    Post,
    Reach,
    ServiceArea,
    post_audience,
    post_channel,
    utcnow,
)

WHITE = "#ffffff"
CELL_NAME = re.compile(r"^r-(\d{1,9})-(\d{1,9})$")


class CatalogError(ValueError):
    """A Norwegian explanation of why a change was refused; ``field`` names the form field."""

    def __init__(self, message: str, field: str = "name"):
        super().__init__(message)
        self.field = field
        self.message = message


class MatrixError(ValueError):
    """The reach matrix was not saved. ``errors`` maps cell names (``r-<aud>-<chan>``, or
    ``""`` for the matrix as a whole) to Norwegian messages."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


# --------------------------------------------------------------------------- reads


def audiences(org_id: int) -> list[Audience]:
    """The organisation's audiences in priority order (1 first)."""
    return list(
        db.session.execute(
            select(Audience)
            .where(Audience.organisation_id == org_id)
            .order_by(Audience.priority, Audience.name, Audience.id)
        ).scalars()
    )


def channels(org_id: int) -> list[Channel]:
    """The organisation's channels by name."""
    return list(
        db.session.execute(
            select(Channel).where(Channel.organisation_id == org_id).order_by(Channel.name)
        ).scalars()
    )


def service_areas(org_id: int) -> list[ServiceArea]:
    """The organisation's service areas by name."""
    return list(
        db.session.execute(
            select(ServiceArea)
            .where(ServiceArea.organisation_id == org_id)
            .order_by(ServiceArea.name)
        ).scalars()
    )


def _live_post_counts(link_column: Any, post_column: Any, org_id: int) -> dict[int, int]:
    rows = db.session.execute(
        select(link_column, func.count())
        .join(Post, Post.id == post_column)
        .where(Post.organisation_id == org_id, Post.deleted_at.is_(None))
        .group_by(link_column)
    )
    return {row[0]: row[1] for row in rows}


def channel_post_counts(org_id: int) -> dict[int, int]:
    """``{channel_id: number of posts (not in the bin) on the channel}``."""
    return _live_post_counts(post_channel.c.channel_id, post_channel.c.post_id, org_id)


def audience_post_counts(org_id: int) -> dict[int, int]:
    """``{audience_id: number of posts (not in the bin) for the audience}``."""
    return _live_post_counts(post_audience.c.audience_id, post_audience.c.post_id, org_id)


def service_area_counts(org_id: int) -> dict[int, tuple[int, int]]:
    """``{service_area_id: (posts not in the bin, audiences)}``."""
    post_rows = db.session.execute(
        select(Post.service_area_id, func.count())
        .where(Post.organisation_id == org_id, Post.deleted_at.is_(None))
        .group_by(Post.service_area_id)
    ).all()
    audience_rows = db.session.execute(
        select(Audience.service_area_id, func.count())
        .where(Audience.organisation_id == org_id)
        .group_by(Audience.service_area_id)
    ).all()
    posts = {area_id: n for area_id, n in post_rows if area_id is not None}
    groups = {area_id: n for area_id, n in audience_rows if area_id is not None}
    return {aid: (posts.get(aid, 0), groups.get(aid, 0)) for aid in {*posts, *groups}}


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


# --------------------------------------------------------------------------- texts


def response_time_label(hours: int) -> str:
    """The response time as people say it: "8 timer", "én virkedag", "2 virkedager"."""
    if hours <= 0:
        return _("ingen dialog")
    if hours % 24 == 0:
        days = hours // 24
        return _("én virkedag") if days == 1 else _("%(n)s virkedager", n=days)
    return ngettext("%(num)s time", "%(num)s timer", hours)


def default_profile_text(response_hours: int) -> str:
    """A good profile-page text for a channel with this response time (svartid): the
    response time, no case handling, no personal data, what gets deleted (KS and Difi
    guidance). Empty for channels without dialogue (response time 0)."""
    if response_hours <= 0:
        return ""
    if response_hours % 24:
        when = _("Vi svarer normalt innen %(time)s på hverdager (kl. 08.00–15.30).")
    else:
        when = _("Vi svarer normalt innen %(time)s.")
    return " ".join(
        [
            _("Her deler kommunen nyheter, frister og tilbud, og vi svarer gjerne på spørsmål."),
            when % {"time": response_time_label(response_hours)},
            _(
                "Vi behandler ikke saker her: søknader, klager og spørsmål om din egen sak "
                "sender du via kommunens nettside eller til postmottaket."
            ),
            _(
                "Ikke del personopplysninger, helseopplysninger eller fødselsnummer – verken "
                "om deg selv eller andre."
            ),
            _(
                "Innlegg som er klart usaklige, inneholder personangrep, navngir "
                "tredjepersoner eller er i strid med norsk lov, slettes."
            ),
            _("Arkivverdige henvendelser blir journalført."),
        ]
    )


def effective_profile_text(channel: Channel) -> str:
    """The channel's own profile text, or the default generated from its response time."""
    return channel.profile_text or default_profile_text(channel.response_hours)


def colour_contrast(colour: str) -> float:
    """The colour's contrast ratio against white (the page background)."""
    return contrast_ratio(colour, WHITE)


def format_ratio(ratio: float) -> str:
    """A contrast ratio the Norwegian way: "4,5:1"."""
    return format_decimal(int(ratio * 10) / 10, format="0.0") + ":1"


# --------------------------------------------------------------------------- helpers


def _name_taken(model: Any, org_id: int, name: str, exclude_id: int | None) -> bool:
    stmt = select(model.id).where(
        model.organisation_id == org_id, func.lower(model.name) == name.lower()
    )
    if exclude_id is not None:
        stmt = stmt.where(model.id != exclude_id)
    return db.session.execute(stmt.limit(1)).first() is not None


def _taken_message(model: Any, name: str) -> str:
    if model is Channel:
        return _("Det finnes allerede en kanal som heter «%(name)s».", name=name)
    if model is Audience:
        return _("Det finnes allerede en målgruppe som heter «%(name)s».", name=name)
    return _("Det finnes allerede et virksomhetsområde som heter «%(name)s».", name=name)


def _clean_name(model: Any, org_id: int, name: str, exclude_id: int | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise CatalogError(_("Skriv inn et navn."))
    if _name_taken(model, org_id, name, exclude_id):
        raise CatalogError(_taken_message(model, name))
    return name


def _commit(model: Any, name: str) -> None:
    """Commit; a name taken by a concurrent request is reported like any taken name."""
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise CatalogError(_taken_message(model, name)) from exc


def _service_area(org_id: int, service_area_id: int | None) -> ServiceArea | None:
    if not service_area_id:
        return None
    area = db.session.get(ServiceArea, service_area_id)
    if area is None or area.organisation_id != org_id:
        raise CatalogError(_("Velg et virksomhetsområde fra listen."), "service_area")
    return area


def _posts_linked(link_table: Any, column: Any, object_id: int) -> list[Post]:
    """All posts (also those in the bin) linked to a channel or audience."""
    return list(
        db.session.execute(
            select(Post)
            .join(link_table, link_table.c.post_id == Post.id)
            .where(column == object_id)
        ).scalars()
    )


# --------------------------------------------------------------------------- audiences


def create_audience(
    org_id: int, name: str, description: str = "", service_area_id: int | None = None
) -> Audience:
    """Add an audience at the lowest priority (last) and commit."""
    clean = _clean_name(Audience, org_id, name)
    lowest = db.session.execute(
        select(func.max(Audience.priority)).where(Audience.organisation_id == org_id)
    ).scalar()
    audience = Audience(
        organisation_id=org_id,
        name=clean,
        description=(description or "").strip(),
        priority=(lowest or 0) + 1,
        service_area=_service_area(org_id, service_area_id),
    )
    db.session.add(audience)
    _commit(Audience, clean)
    return audience


def update_audience(
    audience: Audience, name: str, description: str = "", service_area_id: int | None = None
) -> None:
    """Change an audience's name, description and service area, and commit."""
    org_id = audience.organisation_id
    clean = _clean_name(Audience, org_id, name, audience.id)
    area = _service_area(org_id, service_area_id)
    audience.name = clean
    audience.description = (description or "").strip()
    audience.service_area = area
    _commit(Audience, clean)


def _renumber(ordered: list[Audience]) -> None:
    for position, audience in enumerate(ordered, start=1):
        if audience.priority != position:
            audience.priority = position


def move_audience(audience: Audience, offset: int) -> int | None:
    """Move the audience ``offset`` places in the priority order (-1 up, +1 down), renumber
    the priorities 1…n and commit. Returns the new position, or None at the top/bottom."""
    ordered = audiences(audience.organisation_id)
    index = ordered.index(audience)
    target = index + offset
    if offset == 0 or not 0 <= target < len(ordered):
        return None
    ordered.insert(target, ordered.pop(index))
    _renumber(ordered)
    db.session.commit()
    return target + 1


def delete_audience(audience: Audience) -> None:
    """Delete an audience: take it off its posts, drop its reach row, renumber, commit."""
    for post in _posts_linked(post_audience, post_audience.c.audience_id, audience.id):
        post.audiences.remove(audience)
        post.updated_at = utcnow()  # a changed collection alone does not move the version
    remaining = [a for a in audiences(audience.organisation_id) if a.id != audience.id]
    db.session.delete(audience)
    db.session.flush()
    _renumber(remaining)
    db.session.commit()


# --------------------------------------------------------------------------- channels


def _channel_values(
    org_id: int, values: Mapping[str, Any], exclude_id: int | None
) -> dict[str, Any]:
    name = _clean_name(Channel, org_id, str(values.get("name") or ""), exclude_id)
    kind = values.get("type")
    if kind not in CHANNEL_TYPES:
        raise CatalogError(_("Velg en type kanal fra listen."), "type")
    hours = values.get("response_hours")
    if not isinstance(hours, int) or hours < 0:
        raise CatalogError(
            _("Svartiden må være et helt antall timer, 0 eller mer."), "response_hours"
        )
    try:
        colour = normalise_hex_colour(str(values.get("colour") or ""))
    except ValueError as exc:
        raise CatalogError(
            _("Fargen må skrives som #rrggbb, for eksempel #1b4f9c."), "colour"
        ) from exc
    ratio = colour_contrast(colour)
    if ratio < MIN_CONTRAST:
        raise CatalogError(
            _(
                "Fargen %(colour)s har for lav kontrast mot hvit bakgrunn (%(ratio)s). "
                "Fargen brukes til tekst og merker og må ha minst 4,5:1 – velg en mørkere "
                "farge.",
                colour=colour,
                ratio=format_ratio(ratio),
            ),
            "colour",
        )
    return {
        "name": name,
        "type": kind,
        "response_hours": hours,
        "colour": colour,
        "profile_text": str(values.get("profile_text") or "").strip(),
    }


def create_channel(org_id: int, values: Mapping[str, Any]) -> Channel:
    """Add a channel from ``values`` (name, type, response_hours, colour, profile_text)."""
    clean = _channel_values(org_id, values, None)
    channel = Channel(organisation_id=org_id, **clean)
    db.session.add(channel)
    _commit(Channel, clean["name"])
    return channel


def update_channel(channel: Channel, values: Mapping[str, Any]) -> None:
    """Change a channel from ``values`` (as ``create_channel``) and commit."""
    clean = _channel_values(channel.organisation_id, values, channel.id)
    for key, value in clean.items():
        setattr(channel, key, value)
    _commit(Channel, clean["name"])


def delete_channel(channel: Channel) -> None:
    """Delete a channel: take it off its posts, drop its reach rows, commit."""
    for post in _posts_linked(post_channel, post_channel.c.channel_id, channel.id):
        post.channels.remove(channel)
        post.updated_at = utcnow()  # a changed collection alone does not move the version
    db.session.delete(channel)
    db.session.commit()


# --------------------------------------------------------------------------- service areas


def create_service_area(org_id: int, name: str) -> ServiceArea:
    """Add a service area and commit."""
    clean = _clean_name(ServiceArea, org_id, name)
    area = ServiceArea(organisation_id=org_id, name=clean)
    db.session.add(area)
    _commit(ServiceArea, clean)
    return area


def rename_service_area(area: ServiceArea, name: str) -> None:
    """Rename a service area and commit."""
    clean = _clean_name(ServiceArea, area.organisation_id, name, area.id)
    area.name = clean
    _commit(ServiceArea, clean)


def delete_service_area(area: ServiceArea) -> None:
    """Delete a service area; its posts and audiences keep existing without one."""
    posts = select(Post).where(Post.service_area_id == area.id)
    for post in db.session.execute(posts).scalars():
        post.service_area = None
    groups = select(Audience).where(Audience.service_area_id == area.id)
    for audience in db.session.execute(groups).scalars():
        audience.service_area = None
    db.session.delete(area)
    db.session.commit()


# --------------------------------------------------------------------------- reach matrix


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
