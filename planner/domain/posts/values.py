"""A post (innlegg) as one plain value: what every path that writes a post hands to the writer.

The form, duplicate, roll forward (rull fram), the recommended årshjul and the JSON,
spreadsheet and .ics imports all turn their input into a :class:`PostData` and give it to
:func:`planner.services.posts.writer.write_post`, the one place that creates or changes a
``Post`` row. A new field of a post is added here, on the model, in the form and in the
JSON format; the writer copies every plain field by name.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime

from planner.domain.posts.rules import PostValues


@dataclass(frozen=True)
class ExceptionData:
    """One changed occurrence of a recurring post: cancelled (EXDATE) or moved
    (RECURRENCE-ID with a new start and end)."""

    recurrence_id: datetime
    cancelled: bool = False
    start: datetime | None = None
    end: datetime | None = None


@dataclass(frozen=True)
class PostData:
    """Everything a post is, as plain values.

    ``start``/``end`` are naive wall-clock datetimes in Europe/Oslo; an all-day post's end is
    its last day (inclusive). Links to the catalog are by id, within the post's organisation.
    ``exceptions`` of ``None`` keeps the post's changed occurrences as they are (they are
    dropped when the post no longer repeats).
    """

    title: str
    start: datetime
    end: datetime
    wheel_id: int
    all_day: bool = True
    status: str = "planlagt"
    kind: str = "proaktiv"
    rrule: str | None = None
    description: str = ""
    responsible: str = ""
    link: str = ""
    archive_worthy: bool = False
    notes: str = ""
    seed_key: str | None = None
    origin_uid: str | None = None
    service_area_id: int | None = None
    channel_ids: tuple[int, ...] = ()
    audience_ids: tuple[int, ...] = ()
    exceptions: tuple[ExceptionData, ...] | None = field(default=None)

    def rule_values(self) -> PostValues:
        """The values the shared validation rules (``validate_post``) check."""
        return PostValues(
            title=self.title,
            start=self.start,
            end=self.end,
            all_day=self.all_day,
            status=self.status,
            kind=self.kind,
            rrule=self.rrule,
            link=self.link,
        )


# Fields the writer sets as they are; the rest are links (catalog rows, exceptions).
LINK_FIELDS = frozenset(
    {"wheel_id", "service_area_id", "channel_ids", "audience_ids", "exceptions"}
)
PLAIN_FIELDS = tuple(f.name for f in fields(PostData) if f.name not in LINK_FIELDS)
