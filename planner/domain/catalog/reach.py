"""Reach (rekkevidde): does a post's choice of channels reach its audiences.

Pure functions over plain data (ids, levels, type names), so the post form, importers
and the catalog pages give the same answer for the same input.

The reach matrix is a mapping ``{(channel_id, audience_id): level}`` with levels
1 noe, 2 god, 3 svært god; a missing pair means the channel does not reach the audience
(level 0, "ingen").

Warnings follow the guidance: choose channels from knowledge of the audience (Difi 001
§2.3), and social media supplement but never replace other channels – the information
must also be on universally designed platforms such as the municipality's own web site
(001 §2.1 "Nå alle").
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

ReachMatrix = Mapping[tuple[int, int], int]
"""``{(channel_id, audience_id): level}``; pairs that are missing have level 0."""

LEVEL_NONE = 0
LEVELS = (0, 1, 2, 3)
# Good reach ("god") or better: what an audience should get from at least one channel.
GOOD_LEVEL = 2

# The channel types, kept equal to ``planner.models.plan`` (a test checks it); the domain
# may not import the models.
SOCIAL_CHANNEL_TYPES = frozenset(
    {"nettsamfunn", "mikroblogg", "blogg", "delingsmedium", "diskusjonsforum", "wiki"}
)
# A channel of this type is a universally designed page of the municipality's own.
WEB_CHANNEL_TYPES = frozenset({"nettside"})


def N_(message: str) -> str:  # noqa: N802  (the usual name of the no-op marker)
    """Mark a message for translation without translating it here (the caller does)."""
    return message


NO_CHANNEL = N_("Innlegget har ingen kanal, så det når ingen av målgruppene.")
AUDIENCE_NOT_REACHED = N_("Ingen av de valgte kanalene når målgruppen «%(audience)s».")
ONLY_SOCIAL = N_(
    "Innlegget går bare i sosiale medier. Legg informasjonen også på kommunens nettside "
    "eller lenk til den, så alle kan nå den (universell utforming)."
)

WarningKind = Literal["no_channel", "audience_not_reached", "only_social"]


@dataclass(frozen=True)
class ReachWarning:
    """One warning about a post's reach.

    ``kind`` is stable for code and tests; ``message`` is Norwegian (translated with the
    ``translate`` callable given to ``reach_warnings``); ``audience_id`` is set for
    ``audience_not_reached``.
    """

    kind: WarningKind
    message: str
    audience_id: int | None = None


def reach_warnings(
    channel_ids: Collection[int],
    audience_ids: Iterable[int],
    matrix: ReachMatrix,
    channel_types: Mapping[int, str],
    *,
    has_link: bool = False,
    audience_names: Mapping[int, str] | None = None,
    translate: Callable[[str], str] = N_,
) -> list[ReachWarning]:
    """Warnings for a post sent on ``channel_ids`` to ``audience_ids`` (empty when fine).

    - ``no_channel``: the post names audiences but no channel at all.
    - ``audience_not_reached``: one per audience (in the order given) that no chosen
      channel reaches at level ≥ 1 in ``matrix``.
    - ``only_social``: every chosen channel is a social medium (by ``channel_types``,
      ``{channel_id: type}``), none is a web page, and the post has no link
      (``has_link``), so people outside social media cannot find the information.

    ``audience_names`` (``{audience_id: name}``) names audiences in the messages;
    ``translate`` is e.g. ``flask_babel.gettext``. Unknown channel ids count as
    non-social channels without reach.
    """
    names = audience_names or {}
    audiences = list(dict.fromkeys(audience_ids))
    chosen = set(channel_ids)
    warnings: list[ReachWarning] = []
    if not chosen:
        if audiences:
            warnings.append(ReachWarning("no_channel", translate(NO_CHANNEL)))
        return warnings
    for audience_id in audiences:
        if best_level(audience_id, matrix, chosen) == LEVEL_NONE:
            name = names.get(audience_id, str(audience_id))
            warnings.append(
                ReachWarning(
                    "audience_not_reached",
                    translate(AUDIENCE_NOT_REACHED) % {"audience": name},
                    audience_id,
                )
            )
    types = {channel_types.get(cid, "") for cid in chosen}
    if not has_link and types <= SOCIAL_CHANNEL_TYPES:
        warnings.append(ReachWarning("only_social", translate(ONLY_SOCIAL)))
    return warnings


def best_level(
    audience_id: int, matrix: ReachMatrix, channel_ids: Collection[int] | None = None
) -> int:
    """The best level (0–3) at which any channel (or any of ``channel_ids``) reaches the
    audience."""
    return max(
        (
            level
            for (cid, aid), level in matrix.items()
            if aid == audience_id and (channel_ids is None or cid in channel_ids)
        ),
        default=LEVEL_NONE,
    )


def poorly_reached(
    audience_ids: Iterable[int], matrix: ReachMatrix, min_level: int = GOOD_LEVEL
) -> list[int]:
    """The audiences (in the order given, e.g. priority) that no channel reaches at
    ``min_level`` or better – the gaps the reach matrix page warns about."""
    best: dict[int, int] = {}
    for (_cid, aid), level in matrix.items():
        best[aid] = max(best.get(aid, LEVEL_NONE), level)
    return [aid for aid in audience_ids if best.get(aid, LEVEL_NONE) < min_level]
