"""The recommended årshjul's seed file (``seeds/recommended.toml``) as plain data.

Read by the seeding of a year (``planner.services.posts.seeding``), roll forward and the
staffing area's holiday periods. Dates in the file are rules, resolved for a year by
``planner.domain.posts.seed_rules``; this module only reads the file and names the rules.
No Flask, no database: the one side effect is reading the bundled file.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

SEED_PATH = Path(__file__).resolve().parents[2] / "seeds" / "recommended.toml"


def load_seed(path: Path | None = None) -> dict[str, Any]:
    """Read the seed file (the bundled one unless ``path`` is given)."""
    with open(path or SEED_PATH, "rb") as fh:
        return tomllib.load(fh)


def applies_in_year(item: dict[str, Any], year: int) -> bool:
    """Whether an item with ``years = "odd"|"even"|"all"`` belongs in ``year`` (e.g. elections)."""
    which = item.get("years", "all")
    return which == "all" or (which == "odd") == (year % 2 == 1)


def date_rules(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The date rule of every post (by key) and peak period (``<key>.start``/``.end``)."""
    rules: dict[str, dict[str, Any]] = {}
    for post in data.get("posts", []):
        rules[post["key"]] = post["date"]
    for peak in data.get("peak_periods", []):
        rules[f"{peak['key']}.start"] = peak["start"]
        rules[f"{peak['key']}.end"] = peak["end"]
    return rules


def holiday_rules(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """:func:`date_rules` with the holiday periods' too (they may refer to posts)."""
    rules = date_rules(data)
    for item in data.get("holiday_periods", []):
        rules[f"{item['key']}.start"] = item["start"]
        rules[f"{item['key']}.end"] = item["end"]
    return rules
