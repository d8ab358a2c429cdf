"""The JSON backup format's pure rules: moments and weeks both ways, and the document
checks the import runs before it reads anything."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from planner.domain.backup_format import (
    FORMAT_VERSION,
    document_problems,
    format_moment,
    iso_week_text,
    parse_date,
    parse_moment,
    parse_week,
)


def test_moments_and_weeks_round_trip() -> None:
    summer = datetime(2026, 6, 1, 9, 30)
    assert format_moment(summer, all_day=False) == "2026-06-01T09:30:00+02:00"
    assert parse_moment(format_moment(summer, all_day=False)) == (summer, False)
    assert parse_moment(format_moment(summer, all_day=True)) == (datetime(2026, 6, 1), True)
    assert parse_moment("2026-06-01T07:30:00Z") == (summer, False)  # to Oslo wall-clock
    assert iso_week_text(date(2026, 3, 1)) == "2026-W09"
    assert parse_week("2026-W09") == date(2026, 2, 23)


@pytest.mark.parametrize(
    ("parse", "text", "message"),
    [
        (parse_moment, "1.3.2026", "ikke en gyldig ISO 8601-dato"),
        (parse_moment, None, "mangler"),
        (parse_date, "2026-02-30", "ikke en gyldig dato"),
        (parse_week, "uke 9", "ikke en gyldig ISO-uke"),
    ],
)
def test_unreadable_values_say_why_in_norwegian(parse: object, text: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse(text)  # type: ignore[operator]


def _document(**changes: object) -> dict[str, object]:
    doc: dict[str, object] = {
        "format_version": FORMAT_VERSION,
        "organisation": {"name": "Testvik kommune"},
        "audiences": [],
        "channels": [],
        "posts": [],
        "peak_periods": [],
        "duty": [],
    }
    doc.update(changes)
    return doc


def test_document_checks_stop_at_the_first_stage_that_fails() -> None:
    assert document_problems(_document()) == []
    assert document_problems([1, 2]) == [
        "Filen er ikke en JSON-eksport fra årshjulet (forventet et objekt)."
    ]
    assert "Ukjent formatversjon «99»" in document_problems(_document(format_version=99))[0]
    missing = _document(posts="ingen")
    del missing["duty"]
    assert document_problems(missing) == [
        "Filen: mangler «duty».",
        "Filen: «posts» må være en liste.",
    ]
    assert document_problems(_document(organisation="Testvik")) == [
        "«organisation» må være et objekt med navnet på kommunen."
    ]


def test_every_field_of_the_wrong_type_is_named() -> None:
    doc = _document(
        posts=[{"title": 5, "all_day": 1, "channels": ["Facebook", 3]}],
        peak_periods=["topp"],
        staff=[{"working_days": [1, True]}],
    )
    assert document_problems(doc) == [
        "«posts» nr. 1: «title» må være tekst.",
        "«posts» nr. 1: «all_day» må være true/false.",
        "«posts» nr. 1: «channels» må være en liste av tekst.",
        "«peak_periods» nr. 1: må være et objekt.",
        "«staff» nr. 1: «working_days» må være en liste av et helt tall.",
    ]
