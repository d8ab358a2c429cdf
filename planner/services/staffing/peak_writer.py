"""The one writer of peak periods (toppbelastninger): every path that creates or changes one
comes here.

The staffing pages (``save_peak``), an accepted proposal, the recommended årshjul, roll
forward and the JSON import build a :class:`~planner.domain.staffing.peaks.PeakData` and call
:func:`write_peak`. The writer checks the shared rules (``peak_errors``), resolves post ids
within the organisation and sets every field, so a path cannot forget one.

It does not commit: the caller's transaction decides (one form save, or a whole import all
or nothing). What happens on flush is in ``planner.models.events``: the organisation's
``data_version`` and ``changed_at`` rise (every cache of the plan, the peak feeds included,
is rebuilt from them), and a history row records what changed — a change to the linked
posts only counts as a change of the row too.
"""

from __future__ import annotations

from planner.domain.staffing.peaks import PeakData, peak_errors
from planner.extensions import db
from planner.models import PeakPeriod, Post


class PeakInvalid(ValueError):
    """The values break the peak rules; ``errors`` is ``{field: Norwegian message}``."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def write_peak(org_id: int, data: PeakData, peak: PeakPeriod | None = None) -> PeakPeriod:
    """Create a peak period from ``data`` (``peak`` is None) or change ``peak`` to match it.

    Raises :class:`PeakInvalid` when the values break the rules, and ``LookupError`` when a
    post id does not name a post of the organisation; nothing is changed on ``peak`` then.
    A new peak period is added to the session.
    """
    errors = peak_errors(data)
    if errors:
        raise PeakInvalid(errors)
    posts = [_post(post_id, org_id) for post_id in dict.fromkeys(data.post_ids)]
    if peak is None:
        peak = PeakPeriod(organisation_id=org_id)
        db.session.add(peak)
    peak.name, peak.start, peak.end = data.name, data.start, data.end
    peak.required_staff = data.required_staff
    peak.reason = data.reason
    peak.seed_key = data.seed_key
    peak.posts = posts
    return peak


def peak_data_of(peak: PeakPeriod) -> PeakData:
    """A peak period's current values, e.g. to change a few with ``dataclasses.replace``."""
    return PeakData(
        name=peak.name,
        start=peak.start,
        end=peak.end,
        required_staff=peak.required_staff,
        reason=peak.reason,
        seed_key=peak.seed_key,
        post_ids=tuple(p.id for p in peak.posts),
    )


def _post(post_id: int, org_id: int) -> Post:
    """The organisation's post with ``post_id`` (from the session when it is loaded)."""
    post = db.session.get(Post, post_id)
    if post is None or post.organisation_id != org_id:
        raise LookupError(f"Post {post_id} is not in organisation {org_id}")
    return post
