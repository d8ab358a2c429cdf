"""Polar geometry for the årshjul: angles, points, annular sectors and text placement.

Pure and deterministic: every number is rounded to one decimal when written into path
data, so the same layout always gives byte-identical SVG (tests and caches rely on it).
Angles are in degrees, 0° at twelve o'clock, growing clockwise, as on a clock face.
"""

from __future__ import annotations

import math
from functools import lru_cache

from planner.domain.colour import BLACK, WHITE, contrast_ratio

__all__ = ["fmt", "point", "sector_path", "arc_length", "tangential_rotation", "contrast_text"]


def fmt(value: float) -> str:
    """A coordinate as text with one decimal (``12.04`` → ``"12.0"``)."""
    return f"{value:.1f}"


def point(cx: float, cy: float, r: float, angle: float) -> tuple[float, float]:
    """The point at radius ``r`` and ``angle`` degrees (clockwise from twelve o'clock)."""
    rad = math.radians(angle)
    return cx + r * math.sin(rad), cy - r * math.cos(rad)


def sector_path(cx: float, cy: float, r_in: float, r_out: float, a0: float, a1: float) -> str:
    """SVG path data of the annular sector between radii ``r_in``..``r_out`` and angles
    ``a0``..``a1`` (``a1 > a0``, less than a full turn)."""
    large = 1 if a1 - a0 > 180 else 0
    s0, c0 = math.sin(math.radians(a0)), math.cos(math.radians(a0))
    s1, c1 = math.sin(math.radians(a1)), math.cos(math.radians(a1))
    return (
        f"M{cx + r_out * s0:.1f} {cy - r_out * c0:.1f}"
        f"A{r_out:.1f} {r_out:.1f} 0 {large} 1 {cx + r_out * s1:.1f} {cy - r_out * c1:.1f}"
        f"L{cx + r_in * s1:.1f} {cy - r_in * c1:.1f}"
        f"A{r_in:.1f} {r_in:.1f} 0 {large} 0 {cx + r_in * s0:.1f} {cy - r_in * c0:.1f}Z"
    )


def arc_length(r: float, degrees: float) -> float:
    """Length of an arc of ``degrees`` at radius ``r``."""
    return r * math.radians(degrees)


def tangential_rotation(angle: float) -> float:
    """Rotation for text laid along the circle at ``angle`` that is never upside down."""
    a = angle % 360
    return a if a <= 90 or a >= 270 else a - 180


@lru_cache(maxsize=256)
def contrast_text(background: str) -> str:
    """Black or white, whichever contrasts more with ``background`` (a ``#rrggbb`` colour).

    The better of the two always reaches at least 4.5:1, so count labels on marks are
    readable whatever colour a municipality gives a channel.
    """
    try:
        on_white = contrast_ratio(background, WHITE)
        on_black = contrast_ratio(background, BLACK)
    except ValueError:
        return BLACK
    return WHITE if on_white >= on_black else BLACK
