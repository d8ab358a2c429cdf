"""A staffing warning (bemanningsvarsel): what is wrong, why it matters and what to do.

Every warning says what is wrong (``message``), why it matters (``reason``) and what to do
about it (``fix``), in Norwegian, with its period and ISO week. The rules that make them
are in :mod:`planner.domain.staffing.rules`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from planner.domain.dates import week_range_label

SEVERITIES = ("high", "medium", "low")
SEVERITY_LABELS = {"high": "Høy", "medium": "Middels", "low": "Lav"}
KIND_LABELS = {
    "no_rota": "Ingen vaktliste",
    "no_main": "Mangler hovedansvarlig",
    "duty_while_absent": "På vakt mens borte",
    "peak_understaffed": "For få på vakt i toppbelastning",
    "peak_load_unfair": "Skjev fordeling av toppuker",
    "deadline_on_closed_day": "Frist på helg eller helligdag",
    "peak_in_holiday": "Toppbelastning i ferie",
    "overload": "Svarbelastning over kapasitet",
    "post_without_duty": "Innlegg uten noen på vakt",
}
_DEADLINE = re.compile(r"\w+frist(?:en)?\b|\bsiste frist\b|\bfrist(?:en)?\s+(?:for|går|er)\b", re.I)


@lru_cache(maxsize=4096)
def is_deadline(title: str) -> bool:
    """Whether a post is a deadline: «frist» in its title (søknadsfrist, klagefristen …)."""
    return bool(_DEADLINE.search(title))


@dataclass(frozen=True)
class StaffingWarning:
    """One warning about the staffing of the year's plan."""

    kind: str
    severity: str
    start: date
    end: date
    message: str
    reason: str
    fix: str
    subject: str = ""
    peak_id: int | None = None
    holiday_id: int | None = None
    staff_ids: tuple[int, ...] = ()
    post_ids: tuple[int, ...] = field(default=())

    @property
    def iso_year(self) -> int:
        """The ISO year of the warning's first day."""
        return self.start.isocalendar().year

    @property
    def iso_week(self) -> int:
        """The ISO week of the warning's first day."""
        return self.start.isocalendar().week

    @property
    def weeks(self) -> str:
        """``uke 9`` or ``uke 8–9``: how the team talks about the period."""
        return week_range_label(self.start, self.end)

    @property
    def severity_label(self) -> str:
        """The severity in Norwegian (Høy, Middels, Lav)."""
        return SEVERITY_LABELS[self.severity]

    @property
    def kind_label(self) -> str:
        """What kind of warning it is, in Norwegian."""
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def key(self) -> str:
        """Stable identity of the warning (for anchors and comparisons)."""
        return f"{self.kind}:{self.start.isoformat()}:{self.end.isoformat()}:{self.subject}"

    def to_dict(self) -> dict[str, Any]:
        """The warning as JSON with stable keys (``flask flags --format json``)."""
        return {
            "key": self.key,
            "kind": self.kind,
            "kind_label": self.kind_label,
            "severity": self.severity,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "iso_year": self.iso_year,
            "iso_week": self.iso_week,
            "weeks": self.weeks,
            "subject": self.subject,
            "message": self.message,
            "reason": self.reason,
            "fix": self.fix,
            "peak_period_id": self.peak_id,
            "holiday_period_id": self.holiday_id,
            "staff_member_ids": list(self.staff_ids),
            "post_ids": list(self.post_ids),
        }


#: The name the other areas use (``warnings_for_year(...) -> list[Warning]``).
Warning = StaffingWarning
