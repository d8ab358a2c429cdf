"""No lost updates for multi-row edits (reach matrix, duty week, settings).

A form carries the state it was opened on (``original``, a compact JSON text). On save the
service compares it with the current state; if someone else changed it meanwhile, the save
is refused with a Norwegian description of *what the other person changed*, and the form
is shown again with the user's own values and the new original, so sending it once more
overwrites knowingly.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any


def snapshot(state: Mapping[str, Any]) -> str:
    """A stable JSON text of ``{key: value}`` to put in a hidden field."""
    return json.dumps({str(k): v for k, v in state.items()}, sort_keys=True, separators=(",", ":"))


def parse(text: str | None) -> dict[str, Any] | None:
    """The state a form was opened on, or None if the form did not carry one."""
    if not text:
        return None
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


def changes_since(
    original: Mapping[str, Any] | None,
    current: Mapping[str, Any],
    describe: Callable[[str, Any, Any], str],
) -> list[str]:
    """What changed between the state the form was opened on and now, described per key
    by ``describe(key, before, after)``; empty when nothing changed (or no original)."""
    if original is None:
        return []
    keys = sorted(set(original) | set(current))
    return [
        describe(key, original.get(key), current.get(key))
        for key in keys
        if original.get(key) != current.get(key)
    ]


def three_way(
    original: Mapping[str, Any],
    current: Mapping[str, Any],
    posted: Mapping[str, Any],
    default: Any = None,
) -> tuple[dict[str, Any], list[str]]:
    """Merge a multi-cell form: returns the cells the user changed (posted ≠ original),
    and the keys where someone else changed the same cell to something else meanwhile.

    Cells the user left alone are not written, so a colleague's change to them survives;
    the user's own earlier saves (e.g. cell by cell with htmx) are no conflict.
    """
    mine = {k: v for k, v in posted.items() if v != original.get(k, default)}
    conflicts = [
        k
        for k, v in mine.items()
        if current.get(k, default) != original.get(k, default) and current.get(k, default) != v
    ]
    return mine, sorted(conflicts)
