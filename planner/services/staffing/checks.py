"""What every staffing change checks first: a text field and a period, refused with a
:class:`StaffingError` whose Norwegian message the page can show as is."""

from __future__ import annotations

from datetime import date

from planner.domain.dates import format_date


class StaffingError(ValueError):
    """Why a staffing change was refused, in Norwegian."""


def checked_text(value: str | None, what: str, max_len: int, required: bool = False) -> str:
    """``value`` stripped; refused when required and empty, or longer than ``max_len``."""
    clean = (value or "").strip()
    if required and not clean:
        raise StaffingError(f"{what} må fylles ut.")
    if len(clean) > max_len:
        raise StaffingError(f"{what} kan ha høyst {max_len} tegn.")
    return clean


def checked_period(start: date | None, end: date | None) -> tuple[date, date]:
    """``(start, end)``; refused when either is missing, they are the wrong way round or the
    period lasts more than a year."""
    if start is None or end is None:
        raise StaffingError("Både fra- og til-dato må fylles ut.")
    if end < start:
        raise StaffingError(
            f"Til-datoen ({format_date(end)}) kan ikke være før fra-datoen ({format_date(start)})."
        )
    if (end - start).days > 366:
        raise StaffingError("En periode kan vare høyst ett år.")
    return start, end
