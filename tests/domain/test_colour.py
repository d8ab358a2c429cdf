"""Tests for planner.domain.colour: the one WCAG formula the catalog and the wheel share."""

from __future__ import annotations

import pytest

from planner.domain.colour import (
    MIN_CONTRAST,
    contrast_ratio,
    normalise_hex_colour,
    parse_hex_colour,
    relative_luminance,
)
from planner.domain.wheel.geometry import contrast_text


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("#000000", "#ffffff", 21.0),
        ("#ffffff", "#ffffff", 1.0),
        ("#767676", "#ffffff", 4.54),  # the classic lightest AA grey on white
        ("#777777", "#ffffff", 4.48),
        ("#0000ff", "#ffffff", 8.59),
        ("#ff0000", "#ffffff", 4.0),
        ("#1b4f9c", "#ffffff", 7.94),
    ],
)
def test_contrast_ratio_follows_wcag(a: str, b: str, expected: float) -> None:
    assert contrast_ratio(a, b) == pytest.approx(expected, abs=0.01)
    assert contrast_ratio(b, a) == pytest.approx(expected, abs=0.01)


def test_relative_luminance_ends() -> None:
    assert relative_luminance("#000") == 0.0
    assert relative_luminance("#fff") == pytest.approx(1.0)


def test_short_and_long_hex_forms_agree() -> None:
    assert parse_hex_colour("#abc") == parse_hex_colour("aabbcc") == (0xAA, 0xBB, 0xCC)
    assert normalise_hex_colour(" #ABC ") == "#aabbcc"


@pytest.mark.parametrize("bad", ["", "#12", "#12345", "#gggggg", "rgb(0,0,0)", "#1234567"])
def test_invalid_colours_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_hex_colour(bad)


def test_the_linear_limit_gives_the_same_luminance_as_wcags_printed_one() -> None:
    """WCAG prints 0.03928, sRGB 0.04045: no 8-bit channel value lies between them."""
    assert not any(0.03928 < n / 255 <= 0.04045 for n in range(256))


@pytest.mark.parametrize("colour", ["#ffff00", "#1b4f9c", "#767676", "#000000", "#ffffff", "#abc"])
def test_the_wheels_text_colour_is_the_better_of_black_and_white(colour: str) -> None:
    chosen = contrast_text(colour)
    other = "#000000" if chosen == "#ffffff" else "#ffffff"
    assert contrast_ratio(colour, chosen) >= contrast_ratio(colour, other)
    assert contrast_ratio(colour, chosen) >= MIN_CONTRAST
