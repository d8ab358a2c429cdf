"""Tests for planner.domain.catalog.reach: post reach warnings, poorly reached audiences."""

from __future__ import annotations

import pytest

from planner.domain.catalog import reach
from planner.domain.catalog.reach import best_level, poorly_reached, reach_warnings
from planner.models import SOCIAL_CHANNEL_TYPES, TRADITIONAL_CHANNEL_TYPES

FACEBOOK, INSTAGRAM, WEB, PAPER = 1, 2, 3, 4
PARENTS, YOUTH, ELDERLY = 10, 11, 12
TYPES = {
    FACEBOOK: "nettsamfunn",
    INSTAGRAM: "delingsmedium",
    WEB: "nettside",
    PAPER: "annonse_lokalavis",
}
NAMES = {PARENTS: "Foreldre med barn i barnehagealder", YOUTH: "Ungdom 13–19 år", ELDERLY: "Eldre"}
MATRIX = {
    (FACEBOOK, PARENTS): 3,
    (INSTAGRAM, PARENTS): 2,
    (INSTAGRAM, YOUTH): 3,
    (WEB, PARENTS): 2,
    (WEB, ELDERLY): 1,
    (PAPER, ELDERLY): 3,
}


def kinds(warnings: list[reach.ReachWarning]) -> list[str]:
    return [w.kind for w in warnings]


def test_channel_types_match_the_models() -> None:
    assert reach.SOCIAL_CHANNEL_TYPES == set(SOCIAL_CHANNEL_TYPES)
    assert reach.WEB_CHANNEL_TYPES <= set(TRADITIONAL_CHANNEL_TYPES)


def test_no_warnings_when_the_channels_reach_every_audience_and_the_web_is_included() -> None:
    assert reach_warnings([FACEBOOK, WEB], [PARENTS], MATRIX, TYPES, audience_names=NAMES) == []


def test_audience_not_reached_by_any_chosen_channel_is_named() -> None:
    warnings = reach_warnings(
        [FACEBOOK, WEB], [PARENTS, YOUTH, ELDERLY], MATRIX, TYPES, audience_names=NAMES
    )
    assert kinds(warnings) == ["audience_not_reached"]
    assert warnings[0].audience_id == YOUTH
    assert warnings[0].message == "Ingen av de valgte kanalene når målgruppen «Ungdom 13–19 år»."


def test_level_one_counts_as_reached() -> None:
    # "noe" (1) is enough for a post: only level 0 (no row) is "not reached".
    assert reach_warnings([WEB], [ELDERLY], MATRIX, TYPES) == []


def test_one_warning_per_unreached_audience_in_the_order_given_without_duplicates() -> None:
    warnings = reach_warnings([PAPER], [YOUTH, PARENTS, YOUTH], MATRIX, TYPES, audience_names=NAMES)
    assert [w.audience_id for w in warnings] == [YOUTH, PARENTS]


def test_only_social_without_link_warns_about_universal_design() -> None:
    warnings = reach_warnings([FACEBOOK, INSTAGRAM], [PARENTS], MATRIX, TYPES)
    assert kinds(warnings) == ["only_social"]
    assert "nettside" in warnings[0].message


def test_only_social_with_a_link_is_fine() -> None:
    assert reach_warnings([FACEBOOK], [PARENTS], MATRIX, TYPES, has_link=True) == []


@pytest.mark.parametrize("other", [WEB, PAPER])
def test_a_traditional_channel_next_to_social_media_is_fine(other: int) -> None:
    warnings = reach_warnings([FACEBOOK, other], [], MATRIX, TYPES)
    assert "only_social" not in kinds(warnings)


def test_unknown_channel_ids_are_not_treated_as_social() -> None:
    assert "only_social" not in kinds(reach_warnings([999], [], MATRIX, TYPES))


def test_no_channel_but_audiences_gives_one_warning() -> None:
    warnings = reach_warnings([], [PARENTS, YOUTH], MATRIX, TYPES)
    assert kinds(warnings) == ["no_channel"]


def test_nothing_chosen_gives_no_warnings() -> None:
    assert reach_warnings([], [], MATRIX, TYPES) == []


def test_unnamed_audience_falls_back_to_its_id_and_translate_is_used() -> None:
    def nynorsk(message: str) -> str:
        return message.replace("Ingen av de valgte kanalene når", "Ingen av dei valde kanalane når")

    warnings = reach_warnings([PAPER], [YOUTH], MATRIX, TYPES, translate=nynorsk)
    assert warnings[0].message == f"Ingen av dei valde kanalane når målgruppen «{YOUTH}»."


def test_best_level_overall_and_among_chosen_channels() -> None:
    assert best_level(PARENTS, MATRIX) == 3
    assert best_level(PARENTS, MATRIX, {INSTAGRAM, WEB}) == 2
    assert best_level(YOUTH, MATRIX, {FACEBOOK}) == 0
    assert best_level(99, MATRIX) == 0


def test_poorly_reached_keeps_the_given_priority_order() -> None:
    matrix = {(WEB, ELDERLY): 1, (FACEBOOK, YOUTH): 2}
    assert poorly_reached([ELDERLY, PARENTS, YOUTH], matrix) == [ELDERLY, PARENTS]
    assert poorly_reached([ELDERLY, PARENTS, YOUTH], matrix, min_level=1) == [PARENTS]
