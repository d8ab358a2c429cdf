"""Derived peaks: peak periods the planner proposes from the plan itself.

Two signals, both explainable:

* **deadline posts** – a post whose title names a deadline (søknadsfrist, klagefristen …)
  that no peak period covers gets a proposal for the week up to it (``DEADLINE_LEAD_DAYS``);
* **dense weeks** – weeks whose expected answering load (the load model) is at least
  ``DENSE_FACTOR`` times that of an ordinary week (the median of the weeks with any load)
  and at least ``DENSE_MIN_HOURS``; neighbouring dense weeks make one proposal.

The user accepts a proposal (it becomes a peak period) or dismisses it; dismissals are
remembered by key (``dismiss_keys``), so a proposal once dismissed does not come back.
"""

from __future__ import annotations

import statistics
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

from planner.domain.dates import week_range_label
from planner.domain.staffing.model import StaffingPlan, monday_of
from planner.domain.staffing.text import day_text, hours_text
from planner.domain.staffing.warning import is_deadline
from planner.domain.staffing.weekly import WeekLoad, week_loads

DEADLINE_LEAD_DAYS = 7
DENSE_FACTOR = 2.0
DENSE_MIN_HOURS = 6.0
PROPOSED_STAFF = 2


@dataclass(frozen=True)
class PeakProposal:
    """A proposed peak period, with why it is proposed."""

    key: str
    source: str  # "deadline" | "dense"
    name: str
    start: date
    end: date
    required_staff: int
    reason: str
    post_ids: tuple[int, ...] = ()
    dismiss_keys: tuple[str, ...] = ()

    @property
    def weeks(self) -> str:
        return week_range_label(self.start, self.end)


def week_key(monday: date) -> str:
    """``tett:2026-W14``: the remembered key of one dense week."""
    year, week, _ = monday.isocalendar()
    return f"tett:{year}-W{week:02d}"


def _covered(plan: StaffingPlan, start: date, end: date) -> bool:
    return any(p.overlaps(start, end) for p in plan.peaks)


def _deadline_proposals(plan: StaffingPlan, dismissed: Collection[str]) -> list[PeakProposal]:
    proposals: dict[str, PeakProposal] = {}
    for occ in plan.posts:
        day = occ.day
        if day.year != plan.year or not is_deadline(occ.title):
            continue
        if any(p.contains(day) for p in plan.peaks):
            continue
        key = f"frist:{occ.uid or occ.post_id}:{day.isoformat()}"
        if key in dismissed or key in proposals:
            continue
        proposals[key] = PeakProposal(
            key=key,
            source="deadline",
            name=f"Innspurt: {occ.title}",
            start=day - timedelta(days=DEADLINE_LEAD_DAYS),
            end=day,
            required_staff=PROPOSED_STAFF,
            reason=(
                f"«{occ.title}» er en frist {day_text(day)}. Spørsmålene kommer særlig de siste "
                "dagene før en frist; KS anbefaler å planlegge bemanning for trafikktopper man "
                "vet kommer."
            ),
            post_ids=(occ.post_id,),
            dismiss_keys=(key,),
        )
    return list(proposals.values())


def _dense_proposals(
    plan: StaffingPlan, dismissed: Collection[str], all_loads: dict[date, WeekLoad] | None
) -> list[PeakProposal]:
    all_loads = week_loads(plan) if all_loads is None else all_loads
    loads = {m: w for m, w in all_loads.items() if w.demand > 0}
    if len(loads) < 3:
        return []
    ordinary = statistics.median(w.demand for w in loads.values())
    threshold = max(DENSE_MIN_HOURS, DENSE_FACTOR * ordinary)
    dense = [
        m
        for m, w in sorted(loads.items())
        if w.demand >= threshold
        and week_key(m) not in dismissed
        and not _covered(plan, m, m + timedelta(days=6))
    ]
    runs: list[list[date]] = []
    for monday in dense:
        if runs and monday - runs[-1][-1] == timedelta(weeks=1):
            runs[-1].append(monday)
        else:
            runs.append([monday])
    proposals = []
    for run in runs:
        start, end = run[0], run[-1] + timedelta(days=6)
        demand = sum(loads[m].demand for m in run)
        posts = sorted({occ.post_id for m in run for occ, _ in loads[m].posts})
        count = sum(len(loads[m].posts) for m in run)
        proposals.append(
            PeakProposal(
                key=week_key(run[0]),
                source="dense",
                name=f"{'Travel uke' if len(run) == 1 else 'Travle uker'}: {week_range_label(start, end)}",
                start=start,
                end=end,
                required_staff=PROPOSED_STAFF,
                reason=(
                    f"{count} innlegg i dialogkanaler gir anslagsvis {hours_text(demand)} "
                    f"svararbeid i {week_range_label(start, end)}, mot {hours_text(ordinary)} i "
                    "en vanlig uke (lastmodellen)."
                ),
                post_ids=tuple(posts),
                dismiss_keys=tuple(week_key(m) for m in run),
            )
        )
    return proposals


def propose_peaks(
    plan: StaffingPlan,
    dismissed: Collection[str] = (),
    loads: dict[date, WeekLoad] | None = None,
) -> list[PeakProposal]:
    """Proposals for the plan's year that are neither covered by a peak nor dismissed
    (``loads``: the plan's week loads, when the caller has them already)."""
    found = _deadline_proposals(plan, dismissed) + _dense_proposals(plan, dismissed, loads)
    return sorted(found, key=lambda p: (p.start, p.key))


def proposal_monday(proposal: PeakProposal) -> date:
    """The Monday of the proposal's first week (for links to the rota)."""
    return monday_of(proposal.start)
