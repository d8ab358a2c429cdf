"""The peak-period step of the JSON import: every peak period (toppbelastning) of the file is
checked and becomes a :class:`PeakDraft`, matched on its seed key (or name and start);
once the whole document has no problems, the drafts are written by the one writer of peak
periods (``write_peak``), linked to their posts by UID."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from planner.domain.staffing.peaks import PeakData, peak_errors
from planner.models import PeakPeriod, Post
from planner.services.imports.json_import.check import (
    Checker,
    ImportProblems,
    existing_by,
    where_named,
)
from planner.services.imports.json_import.posts import PostDrafts
from planner.services.staffing.peak_writer import PeakInvalid, write_peak


@dataclass
class PeakDraft:
    """A checked peak period of the file: its values, the UIDs of its posts (ids once they
    are written) and the peak period it changes."""

    data: PeakData
    post_uids: list[str]
    peak: PeakPeriod | None


def check_peaks(
    data: dict[str, Any], org_id: int, posts: PostDrafts, check: Checker
) -> list[PeakDraft]:
    """Check every peak period of the file (dates, staff needed, known posts and the shared
    peak rules); problems go to ``check``. Two with the same key are one, the last wins."""
    existing = existing_by(
        PeakPeriod, org_id, lambda p: p.seed_key or f"{p.name}|{p.start.isoformat()}"
    )
    drafts: dict[str, PeakDraft] = {}
    for i, item in enumerate(data["peak_periods"], 1):
        where = where_named("Toppbelastning", i, item.get("name", ""))
        before = len(check.problems)
        name = check.text(item, "name", where, 200, required=True)
        if (period := check.period(item, where)) is None:
            continue
        start, end = period
        if end < start:
            check.fail(where, "slutt kan ikke være før start.")
            continue
        required = check.whole_number(
            item,
            "required_staff",
            where,
            2,
            1,
            "bemanningsbehov må være et helt tall fra 1 og oppover.",
        )
        if required is None:
            continue
        peak = PeakData(
            name=name,
            start=start,
            end=end,
            required_staff=required,
            reason=check.text(item, "reason", where, 10_000),
            seed_key=item.get("seed_key") or None,
        )
        uids = [uid for uid in item.get("posts", []) or [] if _known(uid, posts, where, check)]
        if len(check.problems) == before:  # what the checks above have not said already
            for field_name, message in peak_errors(peak).items():
                check.fail(where, f"{field_name}: {message}")
        key = item.get("seed_key") or f"{name}|{start.isoformat()}"
        drafts[key] = PeakDraft(data=peak, post_uids=uids, peak=existing.get(key))
    return list(drafts.values())


def _known(uid: Any, posts: PostDrafts, where: str, check: Checker) -> bool:
    if not posts.known(uid):
        check.fail(where, f"viser til et ukjent innlegg «{uid}».")
        return False
    return True


def write_peaks(org_id: int, drafts: list[PeakDraft], posts_by_uid: dict[str, Post]) -> None:
    """Write every draft through the writer (a document without problems only), linked to
    the posts by id (the posts must have theirs: flush first)."""
    for draft in drafts:
        data = replace(draft.data, post_ids=tuple(posts_by_uid[u].id for u in draft.post_uids))
        try:
            write_peak(org_id, data, draft.peak)
        except PeakInvalid as exc:  # the checks above have the same rules
            raise ImportProblems([f"Toppbelastning «{draft.data.name}»: {exc}"]) from exc
