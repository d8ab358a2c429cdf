"""What an .ics import works with: the events read from a file, the calendar they came in,
the refusal with its Norwegian problems, and the size limits. Pure: no Flask, no database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from planner.domain.posts.occurrences import ExceptionValues

#: Largest file accepted (an export of several years of a busy plan is well below 1 MB).
MAX_BYTES = 5 * 1024 * 1024
#: Most events (VEVENTs) in one file.
MAX_EVENTS = 5000
#: The title of an event without a SUMMARY.
UNTITLED = "(uten tittel)"


class IcsImportError(ValueError):
    """The file was refused; ``problems`` says why, in Norwegian, event by event."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class ImportedEvent:
    """One event of the file (a series with its moved/cancelled occurrences, or a one-off).

    ``key`` identifies it in the preview (stable for the same file). ``status`` is the
    planner status it maps to. ``meta`` holds the planner's own X-ARSHJUL-* properties
    (lists of values with their parameters) when the file is a planner export.
    """

    key: str
    uid: str
    summary: str
    start: datetime
    end: datetime
    all_day: bool
    description: str = ""
    location: str = ""
    rrule: str | None = None
    exceptions: list[ExceptionValues] = field(default_factory=list)
    status: str = "planlagt"
    categories: list[str] = field(default_factory=list)
    meta: dict[str, list[tuple[str, dict[str, str]]]] = field(default_factory=dict)

    def meta_value(self, name: str, default: str = "") -> str:
        """The first value of an X-ARSHJUL-<name> property."""
        values = self.meta.get(name.upper())
        return values[0][0] if values else default

    def meta_values(self, name: str) -> list[tuple[str, dict[str, str]]]:
        """Every X-ARSHJUL-<name> property as (value, parameters)."""
        return list(self.meta.get(name.upper(), []))


@dataclass
class ParsedCalendar:
    """The events of a file that passed every check, and what was left out (warnings)."""

    name: str
    events: list[ImportedEvent]
    warnings: list[str] = field(default_factory=list)
    organisation: str = ""

    @property
    def from_planner(self) -> bool:
        """Whether the file is an export or feed of an årshjul (it carries X-ARSHJUL-*)."""
        return any(e.meta for e in self.events)
