"""The repeat choices an adviser picks (planner.views.post_repeat) and the RRULE each
writes, both ways; every rule written passes the domain's own check."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from planner.domain.posts.recurrence import validate_rrule
from planner.views.post_repeat import (
    RepeatChoice,
    choice_of,
    nth_weekday,
    rule_of,
)

TUESDAY = date(2026, 3, 10)  # the second Tuesday of March 2026
LAST_FRIDAY = date(2026, 3, 27)  # the last Friday of March 2026


@pytest.mark.parametrize(
    ("choice", "start", "rule"),
    [
        (RepeatChoice(""), TUESDAY, None),
        (RepeatChoice("ukentlig"), TUESDAY, "FREQ=WEEKLY"),
        (RepeatChoice("ukentlig", ("TU",)), TUESDAY, "FREQ=WEEKLY"),
        (RepeatChoice("ukentlig", ("MO", "TU", "TH")), TUESDAY, "FREQ=WEEKLY;BYDAY=MO,TU,TH"),
        (RepeatChoice("ukentlig", ("FR",)), TUESDAY, "FREQ=WEEKLY;BYDAY=FR"),
        (RepeatChoice("annenhver-uke"), TUESDAY, "FREQ=WEEKLY;INTERVAL=2"),
        (
            RepeatChoice("annenhver-uke", ("MO", "WE")),
            TUESDAY,
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE",
        ),
        (RepeatChoice("manedlig"), TUESDAY, "FREQ=MONTHLY"),
        (RepeatChoice("maned-nte"), TUESDAY, "FREQ=MONTHLY;BYDAY=2TU"),
        (RepeatChoice("maned-siste"), LAST_FRIDAY, "FREQ=MONTHLY;BYDAY=-1FR"),
        (RepeatChoice("maned-nte"), LAST_FRIDAY, "FREQ=MONTHLY;BYDAY=4FR"),
        (RepeatChoice("arlig"), TUESDAY, "FREQ=YEARLY"),
        (
            RepeatChoice("maned-nte", until=date(2026, 12, 31)),
            TUESDAY,
            "FREQ=MONTHLY;BYDAY=2TU;UNTIL=20261231",
        ),
        (
            RepeatChoice("ukentlig", ("MO", "FR"), date(2026, 6, 19)),
            TUESDAY,
            "FREQ=WEEKLY;BYDAY=MO,FR;UNTIL=20260619",
        ),
    ],
)
def test_every_choice_writes_its_rule_and_reads_back(
    choice: RepeatChoice, start: date, rule: str | None
) -> None:
    assert rule_of(choice, start) == rule
    expected = choice
    if choice.kind in ("ukentlig", "annenhver-uke") and not choice.weekdays:
        expected = RepeatChoice(choice.kind, ("TU",), choice.until)  # the start's weekday
    assert choice_of(rule, start) == expected
    if rule:
        assert validate_rrule(rule, datetime.combine(start, datetime.min.time()))


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=DAILY",
        "FREQ=WEEKLY;COUNT=5",
        "FREQ=WEEKLY;INTERVAL=3",
        "FREQ=MONTHLY;INTERVAL=2",
        "FREQ=MONTHLY;BYDAY=3TU",  # the start is the second Tuesday
        "FREQ=MONTHLY;BYDAY=-1FR",  # the start is a Tuesday
        "FREQ=MONTHLY;BYMONTHDAY=15",
        "FREQ=YEARLY;BYMONTH=3;BYDAY=2TU",
        "FREQ=WEEKLY;UNTIL=20261231T120000Z",
        "FREQ=WEEKLY;BYDAY=1MO",
        "FREQ=WEEKLY;WKST=SU",
        "FREQ=WEEKLY;FREQ=WEEKLY",
    ],
)
def test_a_rule_no_choice_writes_has_no_choice(rule: str) -> None:
    assert choice_of(rule, TUESDAY) is None


def test_monthly_weekday_rules_need_the_start_date() -> None:
    assert choice_of("FREQ=MONTHLY;BYDAY=2TU", None) is None
    assert rule_of(RepeatChoice("maned-nte"), None) is None
    assert choice_of("FREQ=WEEKLY", None) == RepeatChoice("ukentlig")


def test_rule_text_is_read_as_the_domain_reads_it() -> None:
    assert choice_of("rrule:freq=monthly;byday=+2tu;until=20261231", TUESDAY) == RepeatChoice(
        "maned-nte", until=date(2026, 12, 31)
    )
    assert choice_of("FREQ=WEEKLY;INTERVAL=1;BYDAY=FR,MO", TUESDAY) == RepeatChoice(
        "ukentlig", ("MO", "FR")
    )


def test_weekday_position() -> None:
    assert [nth_weekday(date(2026, 3, d)) for d in (1, 7, 8, 14, 29)] == [1, 1, 2, 2, 5]
