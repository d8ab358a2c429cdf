"""Validation of a post's values, shared by forms, importers and the CLI.

Pure: works on plain values and returns field-level Norwegian messages, so every
entry point gives the same answer for the same bad input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from planner.domain.posts.recurrence import RecurrenceError, validate_rrule

STATUSES = ("idé", "planlagt", "godkjent", "publisert", "avlyst")
KINDS = ("proaktiv", "fortløpende", "reaktiv")
TITLE_MAX = 200
LINK_MAX = 500
MAX_SPAN_DAYS = 366


@dataclass
class PostValues:
    """The plain values of a post to validate."""

    title: str
    start: datetime
    end: datetime
    all_day: bool = True
    status: str = "planlagt"
    kind: str = "proaktiv"
    rrule: str | None = None
    link: str = ""
    errors: dict[str, str] = field(default_factory=dict)


def wheel_year_error(start_year: int, wheel_name: str, wheel_year: int) -> str | None:
    """Why a post starting in ``start_year`` cannot be in the wheel ``wheel_name`` of
    ``wheel_year`` (None when the years agree): a post outside its wheel's year is shown in
    no view of the plan."""
    if start_year == wheel_year:
        return None
    return (
        f"Datoen ligger i {start_year}, men årshjulet «{wheel_name}» gjelder {wheel_year}. "
        f"Velg en dato i {wheel_year}, eller velg et årshjul for {start_year}."
    )


def validate_post(values: PostValues) -> dict[str, str]:
    """Return ``{field: message}`` for everything wrong with ``values`` (empty when valid).

    On success ``values.rrule`` is replaced by its normalised text.
    """
    errors: dict[str, str] = {}
    title = (values.title or "").strip()
    if not title:
        errors["title"] = "Innlegget må ha en tittel."
    elif len(title) > TITLE_MAX:
        errors["title"] = f"Tittelen kan ha høyst {TITLE_MAX} tegn (den har {len(title)})."
    if values.end < values.start:
        errors["end"] = "Slutt kan ikke være før start."
    elif (values.end - values.start).days > MAX_SPAN_DAYS:
        errors["end"] = "Et innlegg kan ikke vare mer enn ett år."
    if values.all_day and (values.start.time() != datetime.min.time()):
        errors["start"] = "Et heldagsinnlegg kan ikke ha klokkeslett."
    if values.status not in STATUSES:
        errors["status"] = f"Ukjent status «{values.status}». Gyldige: {', '.join(STATUSES)}."
    if values.kind not in KINDS:
        errors["kind"] = f"Ukjent type «{values.kind}». Gyldige: {', '.join(KINDS)}."
    if len(values.link or "") > LINK_MAX:
        errors["link"] = f"Lenken kan ha høyst {LINK_MAX} tegn."
    elif values.link and not values.link.startswith(("https://", "http://")):
        errors["link"] = "Lenken må begynne med https:// eller http://."
    if values.rrule:
        try:
            values.rrule = validate_rrule(values.rrule, values.start)
        except RecurrenceError as exc:
            errors["rrule"] = str(exc)
    return errors
