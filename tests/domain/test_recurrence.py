"""Tests for planner.domain.posts.recurrence: RRULE validation, bounds and expansion."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from planner.domain.dates import OSLO
from planner.domain.posts.recurrence import (
    MAX_OCCURRENCES_PER_YEAR,
    MAX_TOTAL_OCCURRENCES,
    RecurrenceError,
    expand,
    occurrences_in_year,
    validate_rrule,
)
from planner.domain.posts.rrule_text import split_rule

START = datetime(2026, 1, 5, 9, 0)  # a Monday, 09:00 Oslo wall clock
HOURS = ",".join(str(h) for h in range(24))
MONTH_DAYS = ",".join(str(d) for d in range(1, 32))


def setpos(n: int) -> str:
    """Return 'BYSETPOS=1,2,...,n'."""
    return "BYSETPOS=" + ",".join(str(p) for p in range(1, n + 1))


# --------------------------------------------------------------------------- constants


def test_bounds_constants() -> None:
    assert MAX_OCCURRENCES_PER_YEAR == 366
    assert MAX_TOTAL_OCCURRENCES == 3660


def test_recurrence_error_is_value_error_with_norwegian_default() -> None:
    assert issubclass(RecurrenceError, ValueError)
    assert "Gjentakelsesregelen er ugyldig" in str(RecurrenceError())


# --------------------------------------------------------------------------- normalisation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FREQ=DAILY", "FREQ=DAILY"),
        ("RRULE:FREQ=WEEKLY;BYDAY=MO,WE", "FREQ=WEEKLY;BYDAY=MO,WE"),
        ("rrule:freq=weekly;byday=mo", "FREQ=WEEKLY;BYDAY=MO"),
        ("  FREQ=DAILY; COUNT=3 ;", "FREQ=DAILY;COUNT=3"),
        ("COUNT=3;FREQ=DAILY", "FREQ=DAILY;COUNT=3"),  # FREQ first (RFC 5545)
        ("FREQ=MONTHLY;BYDAY=+1MO", "FREQ=MONTHLY;BYDAY=1MO"),
        ("FREQ=MONTHLY;BYDAY=-1FR;INTERVAL=02", "FREQ=MONTHLY;BYDAY=-1FR;INTERVAL=2"),
        ("FREQ=YEARLY;BYMONTH=5;BYDAY=-1MO", "FREQ=YEARLY;BYMONTH=5;BYDAY=-1MO"),
        ("FREQ=DAILY;UNTIL=20261231", "FREQ=DAILY;UNTIL=20261231"),
        ("FREQ=DAILY;UNTIL=20261231T230000Z", "FREQ=DAILY;UNTIL=20261231T230000Z"),
        ("FREQ=WEEKLY;WKST=SU;BYDAY=SU,MO", "FREQ=WEEKLY;WKST=SU;BYDAY=SU,MO"),
    ],
)
def test_validate_returns_normalised_text(text: str, expected: str) -> None:
    assert validate_rrule(text, START) == expected


def test_validate_accepts_aware_dtstart() -> None:
    aware = datetime(2026, 1, 5, 9, 0, tzinfo=OSLO)
    assert validate_rrule("FREQ=WEEKLY;COUNT=10", aware) == "FREQ=WEEKLY;COUNT=10"


# --------------------------------------------------------------------------- bounds


def test_unbounded_daily_rule_is_allowed() -> None:
    assert validate_rrule("FREQ=DAILY", START) == "FREQ=DAILY"


def test_daily_rule_in_leap_year_is_exactly_at_the_limit() -> None:
    assert validate_rrule("FREQ=DAILY;UNTIL=20281231", datetime(2028, 1, 1, 9))


def test_count_at_total_limit_is_allowed() -> None:
    assert validate_rrule(f"FREQ=DAILY;COUNT={MAX_TOTAL_OCCURRENCES}", START)


@pytest.mark.parametrize("count", [MAX_TOTAL_OCCURRENCES + 1, 100000, 10**9])
def test_too_large_count_is_rejected(count: int) -> None:
    with pytest.raises(RecurrenceError, match="mer enn 3660 totalt"):
        validate_rrule(f"FREQ=DAILY;COUNT={count}", START)


def test_until_bounded_rule_with_too_many_occurrences_is_rejected() -> None:
    with pytest.raises(RecurrenceError, match="for mange forekomster"):
        validate_rrule("FREQ=DAILY;UNTIL=20400101", START)


@pytest.mark.parametrize("freq", ["HOURLY", "MINUTELY", "SECONDLY"])
def test_frequencies_finer_than_daily_are_rejected(freq: str) -> None:
    with pytest.raises(RecurrenceError, match=f"FREQ={freq} er ikke tillatt"):
        validate_rrule(f"FREQ={freq};COUNT=2", START)


def test_byhour_expanding_a_daily_rule_is_rejected() -> None:
    with pytest.raises(RecurrenceError, match=r"mer enn 366 i ett år"):
        validate_rrule(f"FREQ=DAILY;BYHOUR={HOURS}", START)


def test_two_times_a_day_is_rejected() -> None:
    with pytest.raises(RecurrenceError, match=r"mer enn 366 i ett år"):
        validate_rrule("FREQ=DAILY;BYHOUR=9,15", START)


def test_minute_and_second_expansion_is_rejected_quickly() -> None:
    minutes = ",".join(str(m) for m in range(60))
    began = time.perf_counter()
    with pytest.raises(RecurrenceError, match="i ett år"):
        validate_rrule(f"FREQ=YEARLY;BYHOUR={HOURS};BYMINUTE={minutes};BYSECOND={minutes}", START)
    assert time.perf_counter() - began < 2.5


def test_per_year_bound_is_checked_beyond_the_first_year() -> None:
    # Only two occurrences in 2026, but 730 in 2027.
    with pytest.raises(RecurrenceError, match="i ett år"):
        validate_rrule("FREQ=DAILY;BYHOUR=9,15", datetime(2026, 12, 31, 9))


def test_per_year_bound_counts_real_occurrences_of_bounded_rules() -> None:
    # Twice a day, but only during January: 62 occurrences.
    rule = "FREQ=DAILY;BYHOUR=9,15;UNTIL=20260131T235959"
    assert validate_rrule(rule, datetime(2026, 1, 1, 9)) == rule


def test_several_times_a_week_is_allowed() -> None:
    assert validate_rrule("FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=9,13", START)


def test_bysetpos_picking_one_time_per_day_is_allowed() -> None:
    rule = f"FREQ=DAILY;BYHOUR={HOURS};BYSETPOS=1"
    assert validate_rrule(rule, START) == rule
    first_week = expand(rule, datetime(2026, 1, 5, 0, 0), START, START + timedelta(days=6))
    assert [o.hour for o in first_week] == [0] * 6


def test_bysetpos_picking_two_times_per_day_is_rejected() -> None:
    with pytest.raises(RecurrenceError, match="i ett år"):
        validate_rrule(f"FREQ=DAILY;BYHOUR={HOURS};BYSETPOS=1,-1", START)


def test_bysetpos_within_the_yearly_limit_is_allowed() -> None:
    # 62 candidates a month, 30 kept: 360 a year.
    rule = f"FREQ=MONTHLY;BYMONTHDAY={MONTH_DAYS};BYHOUR=8,16;{setpos(30)}"
    assert validate_rrule(rule, START) == rule


def test_bysetpos_above_the_yearly_limit_is_rejected() -> None:
    # 32 kept a month: 384 a year.
    with pytest.raises(RecurrenceError, match="i ett år"):
        validate_rrule(f"FREQ=MONTHLY;BYMONTHDAY={MONTH_DAYS};BYHOUR=8,16;{setpos(32)}", START)


def test_bysetpos_across_the_whole_year_is_rejected() -> None:
    positions = ",".join(str(p) for p in [*range(1, 200), *range(-200, 0)])
    with pytest.raises(RecurrenceError, match="i ett år"):
        validate_rrule(
            f"FREQ=YEARLY;BYMONTH=1,2,3,4,5,6,7,8,9,10,11,12;BYHOUR=8,16;"
            f"BYMONTHDAY={MONTH_DAYS};BYSETPOS={positions}",
            START,
        )


# --------------------------------------------------------------------------- invalid rules


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "garbage",
        "FREQ",
        "FREQ=",
        "=DAILY",
        "BYDAY=MO",  # no FREQ
        "FREQ=FORTNIGHTLY",
        "FREQ=DAILY;FREQ=WEEKLY",
        "FREQ=DAILY;FOO=BAR",
        "FREQ=DAILY;X-NAME=1",
        "FREQ=DAILY;BYEASTER=0",  # dateutil extension, not RFC 5545
        "FREQ=DAILY;BYWEEKDAY=MO",  # dateutil alias, not RFC 5545
        "FREQ=DAILY;COUNT=abc",
        "FREQ=DAILY;COUNT=1_0",
        "FREQ=DAILY;COUNT=0",
        "FREQ=DAILY;COUNT=-3",
        "FREQ=DAILY;INTERVAL=0",
        "FREQ=DAILY;INTERVAL=1.5",
        "FREQ=DAILY;BYHOUR=24",
        "FREQ=DAILY;BYHOUR=-1",
        "FREQ=DAILY;BYMINUTE=60",
        "FREQ=DAILY;BYSECOND=60",
        "FREQ=DAILY;BYMONTH=13",
        "FREQ=DAILY;BYMONTH=0",
        "FREQ=MONTHLY;BYMONTHDAY=32",
        "FREQ=MONTHLY;BYMONTHDAY=0",
        "FREQ=YEARLY;BYYEARDAY=367",
        "FREQ=YEARLY;BYWEEKNO=54",
        "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=0",
        "FREQ=WEEKLY;BYDAY=XX",
        "FREQ=WEEKLY;BYDAY=MO,",
        "FREQ=WEEKLY;BYDAY=1MO",  # ordinal only with MONTHLY/YEARLY
        "FREQ=DAILY;BYDAY=-1FR",
        "FREQ=MONTHLY;BYDAY=6MO",
        "FREQ=MONTHLY;BYDAY=0MO",
        "FREQ=YEARLY;BYWEEKNO=10;BYDAY=1MO",
        "FREQ=WEEKLY;WKST=XX",
        "FREQ=WEEKLY;BYMONTHDAY=3",
        "FREQ=MONTHLY;BYWEEKNO=3",
        "FREQ=MONTHLY;BYYEARDAY=100",
        "FREQ=DAILY;BYSETPOS=1",  # BYSETPOS without another BYxxx
        "FREQ=DAILY;COUNT=3;UNTIL=20270101",
        "FREQ=DAILY;UNTIL=2027",
        "FREQ=DAILY;UNTIL=20270230",
        "FREQ=DAILY;UNTIL=20270101T250000",
        "FREQ=DAILY\nFREQ=WEEKLY",
        "FREQ=DAILY\r\nCOUNT=3",
        "RRULE:FREQ=DAILY\nEXDATE:20260110T090000",
        "DTSTART:20260105T090000\nRRULE:FREQ=DAILY",
        "DTSTART=20260105T090000;FREQ=DAILY",
        "FREQ=DAILY;DTSTART=20260105T090000",
        "EXDATE:20260110T090000",
        "RRULE:RRULE:FREQ=DAILY",
        "FREQ=DAILY;" + "BYHOUR=1," * 1000,
    ],
)
def test_invalid_rules_are_rejected_with_norwegian_message(text: str) -> None:
    with pytest.raises(RecurrenceError, match="^Gjentakelsesregelen er ugyldig"):
        validate_rrule(text, START)


def test_error_message_says_what_is_wrong() -> None:
    with pytest.raises(RecurrenceError, match="ukjent del «FOO»"):
        validate_rrule("FREQ=DAILY;FOO=1", START)
    with pytest.raises(RecurrenceError, match="BYHOUR må være mellom 0..23"):
        validate_rrule("FREQ=DAILY;BYHOUR=25", START)
    with pytest.raises(RecurrenceError, match="DTSTART"):
        validate_rrule("DTSTART:20260105T090000\nRRULE:FREQ=DAILY", START)


def test_until_before_dtstart_is_rejected() -> None:
    with pytest.raises(RecurrenceError, match=r"UNTIL\) er før starttidspunktet"):
        validate_rrule("FREQ=DAILY;UNTIL=20260104T235959", START)
    with pytest.raises(RecurrenceError, match="før starttidspunktet"):
        validate_rrule("FREQ=DAILY;UNTIL=20260101", START)
    with pytest.raises(RecurrenceError, match="før starttidspunktet"):
        # 07:59 UTC is 08:59 in Oslo, one minute before the start.
        validate_rrule("FREQ=DAILY;UNTIL=20260105T075900Z", START)


def test_until_on_the_start_day_is_allowed() -> None:
    assert validate_rrule("FREQ=DAILY;UNTIL=20260105", START)
    assert validate_rrule("FREQ=DAILY;UNTIL=20260105T090000", START)
    assert validate_rrule("FREQ=DAILY;UNTIL=20260105T080000Z", START)


def test_until_far_in_the_future_is_rejected() -> None:
    with pytest.raises(RecurrenceError, match="100 år"):
        validate_rrule("FREQ=YEARLY;UNTIL=21500101", START)


def test_rule_without_occurrences_is_rejected() -> None:
    with pytest.raises(RecurrenceError, match="ingen forekomster"):
        validate_rrule("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", START)


@pytest.mark.parametrize(
    "text",
    [
        "FREQ=DAILY;BYDAY=MO;BYSETPOS=2",
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=DAILY;BYMONTH=4;BYMONTHDAY=31;COUNT=5",
    ],
)
def test_never_matching_rules_are_rejected_quickly(text: str) -> None:
    # dateutil alone searches such rules day by day up to year 9999 (seconds).
    began = time.perf_counter()
    with pytest.raises(RecurrenceError, match="ingen forekomster"):
        validate_rrule(text, START)
    assert time.perf_counter() - began < 2.0


def test_rare_rules_are_allowed() -> None:
    # 29 February on a Monday: 2044, 2072, ...
    rule = "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO"
    assert validate_rrule(rule, START) == rule
    assert expand(rule, START, datetime(2026, 1, 1), datetime(2080, 1, 1)) == [
        datetime(2044, 2, 29, 9, 0),
        datetime(2072, 2, 29, 9, 0),
    ]


# --------------------------------------------------------------------------- expand


def test_expand_weekly_keeps_local_time_across_spring_dst() -> None:
    start = datetime(2026, 3, 16, 9, 0)  # Monday
    occurrences = expand("FREQ=WEEKLY", start, datetime(2026, 3, 1), datetime(2026, 4, 13, 9))
    assert occurrences == [
        datetime(2026, 3, 16, 9, 0),
        datetime(2026, 3, 23, 9, 0),
        datetime(2026, 3, 30, 9, 0),  # after the 2026-03-29 change
        datetime(2026, 4, 6, 9, 0),
        datetime(2026, 4, 13, 9, 0),  # window end is inclusive
    ]
    assert all(o.tzinfo is None for o in occurrences)


def test_expand_aware_weekly_keeps_local_time_across_both_dst_changes() -> None:
    start = datetime(2026, 3, 23, 9, 0, tzinfo=OSLO)
    occurrences = expand(
        "FREQ=WEEKLY",
        start,
        datetime(2026, 1, 1, tzinfo=OSLO),
        datetime(2026, 12, 31, 23, 59, tzinfo=OSLO),
    )
    assert len(occurrences) == 41
    assert all(o.tzinfo is OSLO and (o.hour, o.minute) == (9, 0) for o in occurrences)
    by_date = {o.date(): o.utcoffset() for o in occurrences}
    assert by_date[datetime(2026, 3, 23).date()] == timedelta(hours=1)
    assert by_date[datetime(2026, 3, 30).date()] == timedelta(hours=2)
    assert by_date[datetime(2026, 10, 19).date()] == timedelta(hours=2)
    assert by_date[datetime(2026, 10, 26).date()] == timedelta(hours=1)
    # In UTC the meeting moves, as it should.
    assert occurrences[0].astimezone(UTC).hour == 8
    assert occurrences[1].astimezone(UTC).hour == 7


def test_expand_converts_aware_dtstart_from_other_time_zone_to_oslo() -> None:
    start = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)  # 09:00 in Oslo
    occurrences = expand("FREQ=WEEKLY;COUNT=3", start, START, START + timedelta(days=30))
    assert [o.isoformat() for o in occurrences] == [
        "2026-01-05T09:00:00+01:00",
        "2026-01-12T09:00:00+01:00",
        "2026-01-19T09:00:00+01:00",
    ]


def test_expand_occurrence_in_dst_gap() -> None:
    rule = "FREQ=DAILY"
    naive = expand(rule, datetime(2026, 3, 28, 2, 30), datetime(2026, 3, 28), datetime(2026, 3, 30))
    assert [o.day for o in naive] == [28, 29]
    assert naive[1] == datetime(2026, 3, 29, 2, 30)  # wall clock as stored
    aware = expand(
        rule,
        datetime(2026, 3, 28, 2, 30, tzinfo=OSLO),
        datetime(2026, 3, 28),
        datetime(2026, 3, 30),
    )
    # RFC 5545: a non-existent local time uses the offset before the gap.
    assert aware[1].isoformat() == "2026-03-29T03:30:00+02:00"


def test_expand_removes_exdates() -> None:
    occurrences = expand(
        "FREQ=DAILY;COUNT=5",
        START,
        START,
        START + timedelta(days=10),
        exdates=[
            datetime(2026, 1, 6, 9, 0),  # naive: Oslo wall clock
            datetime(2026, 1, 8, 8, 0, tzinfo=UTC),  # 09:00 in Oslo
            datetime(2026, 1, 7, 10, 0),  # not an occurrence: ignored
        ],
    )
    assert occurrences == [
        datetime(2026, 1, 5, 9, 0),
        datetime(2026, 1, 7, 9, 0),
        datetime(2026, 1, 9, 9, 0),
    ]


def test_expand_removes_exdates_for_aware_dtstart() -> None:
    start = datetime(2026, 1, 5, 9, 0, tzinfo=OSLO)
    occurrences = expand(
        "FREQ=WEEKLY;COUNT=3",
        start,
        start,
        start + timedelta(days=30),
        exdates=[datetime(2026, 1, 12, 9, 0, tzinfo=OSLO)],
    )
    assert [o.day for o in occurrences] == [5, 19]


def test_expand_unbounded_rule_honours_window() -> None:
    occurrences = expand("FREQ=DAILY", START, datetime(2030, 6, 1), datetime(2030, 6, 30, 23, 59))
    assert len(occurrences) == 30
    assert occurrences[0] == datetime(2030, 6, 1, 9, 0)
    assert occurrences[-1] == datetime(2030, 6, 30, 9, 0)


def test_expand_window_bounds_are_inclusive() -> None:
    occurrences = expand("FREQ=DAILY", START, datetime(2026, 1, 6, 9), datetime(2026, 1, 8, 9))
    assert occurrences == [datetime(2026, 1, d, 9) for d in (6, 7, 8)]


def test_expand_aware_window_is_compared_as_instants() -> None:
    # Window 08:00-08:00 UTC is 09:00-09:00 in Oslo in winter.
    occurrences = expand(
        "FREQ=DAILY",
        START,
        datetime(2026, 1, 6, 8, 0, tzinfo=UTC),
        datetime(2026, 1, 7, 7, 59, tzinfo=UTC),
    )
    assert occurrences == [datetime(2026, 1, 6, 9, 0)]


def test_expand_count_is_counted_from_dtstart_not_window() -> None:
    occurrences = expand("FREQ=DAILY;COUNT=5", START, datetime(2026, 1, 8), datetime(2026, 2, 1))
    assert occurrences == [datetime(2026, 1, 8, 9), datetime(2026, 1, 9, 9)]


def test_expand_until_date_includes_that_day() -> None:
    occurrences = expand("FREQ=DAILY;UNTIL=20260107", START, START, datetime(2026, 2, 1))
    assert occurrences[-1] == datetime(2026, 1, 7, 9, 0)


def test_expand_until_in_utc() -> None:
    # 08:00Z is 09:00 in Oslo: the 7th is the last occurrence.
    occurrences = expand("FREQ=DAILY;UNTIL=20260107T080000Z", START, START, datetime(2026, 2, 1))
    assert occurrences[-1] == datetime(2026, 1, 7, 9, 0)


def test_expand_cap_limits_results() -> None:
    occurrences = expand("FREQ=DAILY", START, START, datetime(2100, 1, 1), cap=10)
    assert len(occurrences) == 10
    assert occurrences[-1] == datetime(2026, 1, 14, 9, 0)


def test_expand_default_cap_bounds_long_windows() -> None:
    occurrences = expand("FREQ=DAILY", START, START, datetime(2100, 1, 1))
    assert len(occurrences) == MAX_TOTAL_OCCURRENCES


def test_expand_rejects_invalid_cap() -> None:
    with pytest.raises(ValueError):
        expand("FREQ=DAILY", START, START, START, cap=0)


def test_expand_empty_or_reversed_window() -> None:
    assert expand("FREQ=DAILY", START, datetime(2027, 1, 1), datetime(2026, 1, 1)) == []
    assert expand("FREQ=DAILY", START, datetime(2025, 1, 1), datetime(2025, 12, 31)) == []


def test_expand_rejects_invalid_rules() -> None:
    with pytest.raises(RecurrenceError):
        expand("FREQ=HOURLY", START, START, START + timedelta(days=1))
    with pytest.raises(RecurrenceError):
        expand("not a rule", START, START, START + timedelta(days=1))


def test_expand_of_never_matching_rule_is_quick() -> None:
    began = time.perf_counter()
    assert expand("FREQ=DAILY;BYDAY=MO;BYSETPOS=2", START, START, datetime(2027, 1, 1)) == []
    assert time.perf_counter() - began < 2.0


def test_expand_monthly_by_ordinal_weekday() -> None:
    occurrences = expand(
        "FREQ=MONTHLY;BYDAY=1TU;COUNT=3", datetime(2026, 1, 6, 13, 0), START, datetime(2027, 1, 1)
    )
    assert occurrences == [
        datetime(2026, 1, 6, 13, 0),
        datetime(2026, 2, 3, 13, 0),
        datetime(2026, 3, 3, 13, 0),
    ]


# --------------------------------------------------------------------------- occurrences_in_year


def test_occurrences_in_year_daily_in_leap_year() -> None:
    occurrences = occurrences_in_year("FREQ=DAILY", datetime(2020, 1, 1, 9), 2028)
    assert len(occurrences) == 366
    assert occurrences[0] == datetime(2028, 1, 1, 9)
    assert occurrences[-1] == datetime(2028, 12, 31, 9)


def test_occurrences_in_year_monthly_on_the_31st() -> None:
    occurrences = occurrences_in_year("FREQ=MONTHLY", datetime(2026, 1, 31, 9), 2026)
    assert [o.month for o in occurrences] == [1, 3, 5, 7, 8, 10, 12]


def test_occurrences_in_year_with_exdates_and_aware_start() -> None:
    start = datetime(2026, 12, 24, 12, 0, tzinfo=OSLO)
    occurrences = occurrences_in_year(
        "FREQ=YEARLY", start, 2027, exdates=[datetime(2028, 12, 24, 12, 0)]
    )
    assert occurrences == [datetime(2027, 12, 24, 12, 0, tzinfo=OSLO)]
    assert occurrences_in_year("FREQ=YEARLY", start, 2028, [datetime(2028, 12, 24, 12)]) == []


def test_occurrences_in_year_includes_late_evening_of_new_years_eve() -> None:
    occurrences = occurrences_in_year("FREQ=YEARLY", datetime(2026, 12, 31, 23, 30), 2027)
    assert occurrences == [datetime(2027, 12, 31, 23, 30)]


# --------------------------------------------------------------------------- split_rule


def test_split_rule_is_the_one_splitter_of_rule_text() -> None:
    """Upper-cased, without RRULE:, blank parts skipped, a part without '=' kept with no value."""
    assert split_rule(" rrule:freq=weekly; byday = mo ;;COUNT;") == [
        ("FREQ=WEEKLY", "FREQ", "WEEKLY"),
        ("BYDAY = MO", "BYDAY", "MO"),
        ("COUNT", "COUNT", ""),
    ]
    assert split_rule("") == []


def test_validate_rrule_names_the_part_as_written() -> None:
    with pytest.raises(RecurrenceError, match="«BYDAY =» er ikke på formen NAVN=VERDI"):
        validate_rrule("FREQ=WEEKLY; BYDAY = ;", START)
