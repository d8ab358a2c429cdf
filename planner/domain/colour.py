"""Colours as WCAG 2.1 sees them: hex parsing, relative luminance and contrast ratios.

One formula for the whole app: the catalog refuses channel colours that are too light
for text on white, and the wheel picks black or white text on a coloured mark.
"""

from __future__ import annotations

import re

#: WCAG 2.1 AA (1.4.3): text and marks need 4.5:1 against their background.
MIN_CONTRAST = 4.5
#: Where the sRGB curve turns from linear to the power law (WCAG 2.1 §relative luminance,
#: which prints 0.03928; the sRGB standard's 0.04045 is the same for 8-bit colours, as no
#: value n/255 lies between the two).
SRGB_LINEAR_LIMIT = 0.04045
#: The weights of red, green and blue in the relative luminance (ITU-R BT.709).
LUMINANCE_WEIGHTS = (0.2126, 0.7152, 0.0722)
#: The flare WCAG adds to both luminances of a contrast ratio.
FLARE = 0.05
WHITE = "#ffffff"
BLACK = "#000000"

_HEX = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def parse_hex_colour(value: str) -> tuple[int, int, int]:
    """``#rgb`` or ``#rrggbb`` (the ``#`` optional) as an (r, g, b) tuple of 0–255.

    Raises ``ValueError`` for anything else.
    """
    match = _HEX.match((value or "").strip())
    if not match:
        raise ValueError(f"not a hex colour: {value!r}")
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def normalise_hex_colour(value: str) -> str:
    """The colour as lower-case ``#rrggbb`` (raises ``ValueError`` if it is not one)."""
    r, g, b = parse_hex_colour(value)
    return f"#{r:02x}{g:02x}{b:02x}"


def _linear(channel: int) -> float:
    """One sRGB channel (0–255) on the linear light scale (0–1)."""
    c = channel / 255
    return c / 12.92 if c <= SRGB_LINEAR_LIMIT else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(value: str) -> float:
    """WCAG 2.1 relative luminance of an sRGB hex colour (0 black – 1 white)."""
    r, g, b = parse_hex_colour(value)
    wr, wg, wb = LUMINANCE_WEIGHTS
    return wr * _linear(r) + wg * _linear(g) + wb * _linear(b)


def contrast_ratio(hex1: str, hex2: str) -> float:
    """WCAG 2.1 contrast ratio between two hex colours, from 1.0 (same) to 21.0
    (black on white). The order of the colours does not matter."""
    lighter, darker = sorted((relative_luminance(hex1), relative_luminance(hex2)), reverse=True)
    return (lighter + FLARE) / (darker + FLARE)
