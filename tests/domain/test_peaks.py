"""The shared rules of a peak period (toppbelastning), whichever path writes it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from planner.domain.staffing.peaks import NAME_MAX, PeakData, peak_errors

GOOD = PeakData(name="Innspurt barnehage", start=date(2026, 2, 23), end=date(2026, 3, 1))


def test_a_good_peak_has_no_errors() -> None:
    assert peak_errors(GOOD) == {}
    assert peak_errors(replace(GOOD, end=GOOD.start)) == {}  # one day is a period too


def test_every_broken_rule_is_named_by_field_in_norwegian() -> None:
    bad = replace(
        GOOD,
        name="   ",
        end=date(2026, 2, 1),
        required_staff=0,
        reason="x" * 10_001,
        seed_key="k" * 121,
    )
    errors = peak_errors(bad)
    assert errors.keys() == {"name", "end", "required_staff", "reason", "seed_key"}
    assert errors["end"] == "Slutt kan ikke være før start."
    assert "navn" in errors["name"]
    assert peak_errors(replace(GOOD, name="x" * (NAME_MAX + 1))).keys() == {"name"}


def test_true_is_not_a_number_of_people() -> None:
    assert "required_staff" in peak_errors(replace(GOOD, required_staff=True))
