"""Changing the peak periods (toppbelastninger) and the derived-peak proposals.

Every function validates, changes and commits, and raises :class:`StaffingError` with a
Norwegian message the page can show as is. The team, the rota, holidays and the load
model are changed in their own modules beside this one.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import delete, select

from planner.domain.dates import format_date
from planner.domain.staffing import PeakProposal, propose_peaks
from planner.domain.staffing.peaks import PeakData
from planner.extensions import db
from planner.models import PeakPeriod
from planner.models.staffing import PeakProposalDismissal
from planner.services.staffing.checks import StaffingError
from planner.services.staffing.checks import checked_period as _period
from planner.services.staffing.checks import checked_text as _text
from planner.services.staffing.peak_writer import PeakInvalid, peak_data_of, write_peak
from planner.services.staffing.plan import load_plan
from planner.services.staffing.queries import dismissed_keys

MAX_REQUIRED_STAFF = 50


# --------------------------------------------------------------------------- periods


def save_peak(
    org_id: int,
    peak: PeakPeriod | None,
    name: str,
    start: date | None,
    end: date | None,
    required_staff: int | None,
    reason: str = "",
) -> PeakPeriod:
    """Create or update a peak period (toppbelastning) through the peak writer, and commit.

    The form's bounds (a name, both dates, at most a year, 1–50 people) are checked here
    with its messages; a changed peak keeps its posts and seed key."""
    clean = _text(name, "Navnet", 200, required=True)
    start, end = _period(start, end)
    if required_staff is None or not 1 <= required_staff <= MAX_REQUIRED_STAFF:
        raise StaffingError(f"Bemanningsbehovet må være mellom 1 og {MAX_REQUIRED_STAFF}.")
    values: dict[str, Any] = dict(
        name=clean,
        start=start,
        end=end,
        required_staff=required_staff,
        reason=_text(reason, "Begrunnelsen", 10_000),
    )
    data = PeakData(**values) if peak is None else replace(peak_data_of(peak), **values)
    try:
        peak = write_peak(org_id, data, peak)
    except PeakInvalid as exc:
        raise StaffingError(next(iter(exc.errors.values()))) from exc
    db.session.commit()
    return peak


def delete_peak(peak: PeakPeriod) -> None:
    """Delete a peak period (its posts stay), and commit."""
    db.session.delete(peak)
    db.session.commit()


# --------------------------------------------------------------------------- proposals


def _proposal(org_id: int, year: int, key: str) -> PeakProposal:
    plan = load_plan(org_id, year)
    for proposal in propose_peaks(plan, dismissed_keys(org_id)):
        if proposal.key == key:
            return proposal
    raise StaffingError(
        "Forslaget finnes ikke lenger (det kan allerede være godtatt eller avvist)."
    )


def accept_proposal(org_id: int, year: int, key: str) -> PeakPeriod:
    """Make a derived peak proposal a peak period (linked to its posts), and commit."""
    proposal = _proposal(org_id, year, key)
    data = PeakData(
        name=proposal.name[:200],
        start=proposal.start,
        end=proposal.end,
        required_staff=proposal.required_staff,
        reason=proposal.reason,
        post_ids=proposal.post_ids,
    )
    peak = write_peak(org_id, data)
    db.session.commit()
    return peak


def dismiss_proposal(org_id: int, year: int, key: str, by: str = "") -> PeakProposal:
    """Dismiss a proposal; it is remembered and not proposed again. Commits."""
    proposal = _proposal(org_id, year, key)
    known = dismissed_keys(org_id)
    label = f"{proposal.name} ({format_date(proposal.start)}–{format_date(proposal.end)})"
    for dismiss_key in proposal.dismiss_keys:
        if dismiss_key not in known:
            db.session.add(
                PeakProposalDismissal(
                    organisation_id=org_id, key=dismiss_key, label=label[:300], dismissed_by=by
                )
            )
    db.session.commit()
    return proposal


def dismissals(org_id: int) -> list[PeakProposalDismissal]:
    """Dismissed proposals, newest first."""
    return list(
        db.session.execute(
            select(PeakProposalDismissal)
            .where(PeakProposalDismissal.organisation_id == org_id)
            .order_by(PeakProposalDismissal.dismissed_at.desc(), PeakProposalDismissal.id.desc())
        ).scalars()
    )


def undo_dismissal(dismissal: PeakProposalDismissal) -> None:
    """Forget a dismissal (and the others of the same proposal): it may be proposed again."""
    db.session.execute(
        delete(PeakProposalDismissal).where(
            PeakProposalDismissal.organisation_id == dismissal.organisation_id,
            PeakProposalDismissal.label == dismissal.label,
        )
    )
    db.session.commit()
