"""A peak period (toppbelastning) as one plain value: what every path that writes one hands
to the writer.

The staffing pages, an accepted proposal, the recommended årshjul, roll forward (rull fram)
and the JSON import turn their input into a :class:`PeakData` and give it to
:func:`planner.services.staffing.peak_writer.write_peak`, the one place that creates or
changes a ``PeakPeriod`` row. :func:`peak_errors` holds the rules every peak period meets,
whichever path wrote it (the staffing form adds its own, stricter bounds).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

NAME_MAX = 200
REASON_MAX = 10_000
SEED_KEY_MAX = 120


@dataclass(frozen=True)
class PeakData:
    """Everything a peak period is, as plain values (mirrors ``PeakPeriod``).

    ``start`` and ``end`` are the first and last day (inclusive); ``post_ids`` are the posts
    that cause the peak, by id within the organisation. ``seed_key`` marks a period of the
    recommended årshjul or a rolled-forward copy (``<key>:<year>``); None otherwise.
    """

    name: str
    start: date
    end: date
    required_staff: int = 2
    reason: str = ""
    seed_key: str | None = None
    post_ids: tuple[int, ...] = ()


def peak_errors(data: PeakData) -> dict[str, str]:
    """``{field: Norwegian message}`` for every rule ``data`` breaks (empty when valid)."""
    errors: dict[str, str] = {}
    if not data.name.strip():
        errors["name"] = "Toppbelastningen må ha et navn."
    elif len(data.name) > NAME_MAX:
        errors["name"] = f"Navnet kan ha høyst {NAME_MAX} tegn."
    if data.end < data.start:
        errors["end"] = "Slutt kan ikke være før start."
    if isinstance(data.required_staff, bool) or data.required_staff < 1:
        errors["required_staff"] = "Bemanningsbehovet må være minst 1."
    if len(data.reason) > REASON_MAX:
        errors["reason"] = f"Begrunnelsen kan ha høyst {REASON_MAX} tegn."
    if data.seed_key is not None and len(data.seed_key) > SEED_KEY_MAX:
        errors["seed_key"] = f"Nøkkelen kan ha høyst {SEED_KEY_MAX} tegn."
    return errors
