"""The one writer of peak periods (toppbelastninger) and the paths that use it: the
staffing form, the JSON import, seeding and roll forward."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from planner.domain.staffing.peaks import PeakData
from planner.extensions import db
from planner.models import Organisation, PeakPeriod
from planner.models.history import HistoryEntry
from planner.services import staffing
from planner.services.exports.json_export import export_json
from planner.services.imports.json_import import ImportProblems, import_json
from planner.services.posts.roll_forward import roll_forward
from planner.services.posts.seeding import seed_year
from planner.services.staffing.peak_writer import PeakInvalid, peak_data_of, write_peak

PEAK = PeakData(
    name="Innspurt barnehage",
    start=date(2026, 2, 23),
    end=date(2026, 3, 1),
    required_staff=3,
    reason="Søknadsfristen 1. mars",
    seed_key="barnehage:2026",
)


def _peaks() -> int:
    return db.session.execute(select(func.count(PeakPeriod.id))).scalar_one()


def test_write_peak_creates_with_its_posts_and_records_history(
    org: Organisation, make_post: Any
) -> None:
    post = make_post()
    before = org.data_version
    peak = write_peak(org.id, replace(PEAK, post_ids=(post.id, post.id)))
    db.session.commit()
    assert (peak.name, peak.start, peak.end) == (PEAK.name, PEAK.start, PEAK.end)
    assert (peak.required_staff, peak.reason, peak.seed_key) == (3, PEAK.reason, PEAK.seed_key)
    assert [p.id for p in peak.posts] == [post.id]
    assert peak_data_of(peak) == replace(PEAK, post_ids=(post.id,))
    db.session.refresh(org)
    assert org.data_version > before
    entry = db.session.execute(
        select(HistoryEntry).filter_by(entity="peak_period", entity_id=peak.id)
    ).scalar_one()
    assert entry.action == "create" and entry.changes["posts"] == [None, [post.title]]


def test_write_peak_changes_a_peak_and_does_not_commit(org: Organisation) -> None:
    peak = write_peak(org.id, PEAK)
    db.session.commit()
    write_peak(org.id, replace(peak_data_of(peak), required_staff=5, seed_key=None), peak)
    assert peak.required_staff == 5 and peak.seed_key is None
    db.session.rollback()
    assert db.session.get(PeakPeriod, peak.id).required_staff == 3  # type: ignore[union-attr]


def test_write_peak_refuses_broken_rules_and_foreign_posts(
    org: Organisation, make_org: Any, make_post: Any
) -> None:
    with pytest.raises(PeakInvalid) as refused:
        write_peak(org.id, replace(PEAK, end=date(2026, 1, 1), required_staff=0))
    assert refused.value.errors.keys() == {"end", "required_staff"}
    other = make_org("Nabovik kommune")
    foreign = make_post(organisation=other)
    with pytest.raises(LookupError):
        write_peak(org.id, replace(PEAK, post_ids=(foreign.id,)))
    assert _peaks() == 0


def test_the_staffing_form_keeps_a_peaks_posts_and_seed_key(
    org: Organisation, make_post: Any
) -> None:
    post = make_post()
    peak = write_peak(org.id, replace(PEAK, post_ids=(post.id,)))
    db.session.commit()
    staffing.save_peak(org.id, peak, " Ny innspurt ", date(2026, 2, 20), date(2026, 3, 2), 4)
    db.session.expire_all()
    assert peak.name == "Ny innspurt" and peak.required_staff == 4
    assert peak.seed_key == PEAK.seed_key and [p.id for p in peak.posts] == [post.id]
    with pytest.raises(staffing.StaffingError, match="Bemanningsbehovet"):
        staffing.save_peak(org.id, None, "Topp", date(2026, 1, 1), date(2026, 1, 2), 51)


def test_seeding_and_roll_forward_write_peaks_linked_to_their_posts(org: Organisation) -> None:
    result = seed_year(org, 2026)
    db.session.commit()
    assert result.created["peak_periods"] >= 1 and result.created["holiday_periods"] >= 1
    seeded = db.session.execute(
        select(PeakPeriod).where(PeakPeriod.seed_key.like("%:2026"))
    ).scalars()
    linked = [p for p in seeded if p.posts]
    assert linked and all(post.wheel.year == 2026 for p in linked for post in p.posts)
    rolled = roll_forward(org.id, 2026, 2027)
    key = str(linked[0].seed_key).replace(":2026", ":2027")
    copies = db.session.execute(select(PeakPeriod).where(PeakPeriod.seed_key == key)).scalar_one()
    assert rolled.peaks >= 1 and copies.posts
    assert all(p.wheel.year == 2027 and p.origin_uid for p in copies.posts)


def test_json_import_refuses_a_peak_against_the_shared_rules(org: Organisation) -> None:
    seed_year(org, 2026)
    db.session.commit()
    doc = copy.deepcopy(export_json(org, 2026))
    doc["peak_periods"][0]["seed_key"] = "k" * 121
    before = _peaks()
    with pytest.raises(ImportProblems) as refused:
        import_json(doc)
    assert refused.value.problems == [
        f"Toppbelastning 1 («{doc['peak_periods'][0]['name']}»): seed_key: "
        "Nøkkelen kan ha høyst 120 tegn."
    ]
    assert _peaks() == before
