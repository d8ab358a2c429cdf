"""Tests for planner.domain.dates: formatting, ISO weeks, parsing, time zone, holidays."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from planner.domain.dates import (
    MONTH_NAMES,
    OSLO,
    WEEKDAY_NAMES,
    format_date,
    format_datetime,
    is_nonexistent_local_time,
    iso_week,
    monday_of_iso_week,
    now_oslo,
    parse_norwegian_date,
    public_holidays,
    to_oslo,
    week_label,
    week_range_label,
    weeks_in_iso_year,
)

# --------------------------------------------------------------------------- names


def test_oslo_zone() -> None:
    assert OSLO.key == "Europe/Oslo"


def test_month_names_are_indexed_by_month_number() -> None:
    assert MONTH_NAMES[1] == "januar"
    assert MONTH_NAMES[3] == "mars"
    assert MONTH_NAMES[5] == "mai"
    assert MONTH_NAMES[12] == "desember"
    assert len(MONTH_NAMES) == 13
    assert MONTH_NAMES[date(2026, 10, 1).month] == "oktober"


def test_weekday_names_match_date_weekday() -> None:
    assert WEEKDAY_NAMES == (
        "mandag",
        "tirsdag",
        "onsdag",
        "torsdag",
        "fredag",
        "lørdag",
        "søndag",
    )
    assert WEEKDAY_NAMES[date(2026, 3, 1).weekday()] == "søndag"


# --------------------------------------------------------------------------- formatting


def test_format_date() -> None:
    assert format_date(date(2026, 3, 1)) == "01.03.2026"
    assert format_date(datetime(2026, 12, 24, 15, 0)) == "24.12.2026"


def test_format_date_converts_aware_datetimes_to_oslo() -> None:
    # 23:30 UTC on 28 February is 00:30 on 1 March in Oslo.
    assert format_date(datetime(2026, 2, 28, 23, 30, tzinfo=UTC)) == "01.03.2026"


def test_format_datetime() -> None:
    assert format_datetime(datetime(2026, 3, 1, 9, 0)) == "01.03.2026 kl. 09:00"
    assert format_datetime(datetime(2026, 7, 1, 7, 5, tzinfo=UTC)) == "01.07.2026 kl. 09:05"


# --------------------------------------------------------------------------- ISO weeks


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 3, 1), (2026, 9)),  # Sunday
        (date(2026, 3, 2), (2026, 10)),  # Monday
        (date(2025, 12, 29), (2026, 1)),  # ISO 2026 starts in December 2025
        (date(2026, 12, 31), (2026, 53)),
        (date(2027, 1, 1), (2026, 53)),  # 1 January 2027 is in week 53 of 2026
        (date(2027, 1, 3), (2026, 53)),
        (date(2027, 1, 4), (2027, 1)),
    ],
)
def test_iso_week(day: date, expected: tuple[int, int]) -> None:
    assert iso_week(day) == expected


def test_iso_week_of_aware_datetime_uses_oslo() -> None:
    # Sunday 23:30 UTC is already Monday in Oslo.
    assert iso_week(datetime(2026, 3, 1, 23, 30, tzinfo=UTC)) == (2026, 10)
    assert iso_week(datetime(2026, 3, 1, 23, 30)) == (2026, 9)


def test_week_label() -> None:
    assert week_label(date(2026, 3, 1)) == "uke 9"
    assert week_label(date(2027, 1, 1)) == "uke 53"


def test_weeks_in_iso_year() -> None:
    assert weeks_in_iso_year(2026) == 53
    assert weeks_in_iso_year(2027) == 52
    assert weeks_in_iso_year(2020) == 53
    assert weeks_in_iso_year(2025) == 52


def test_monday_of_iso_week() -> None:
    assert monday_of_iso_week(2026, 1) == date(2025, 12, 29)
    assert monday_of_iso_week(2026, 9) == date(2026, 2, 23)
    assert monday_of_iso_week(2026, 53) == date(2026, 12, 28)
    assert monday_of_iso_week(2027, 1) == date(2027, 1, 4)


@pytest.mark.parametrize(("year", "week"), [(2027, 53), (2026, 54), (2026, 0), (2026, -1)])
def test_monday_of_nonexistent_iso_week(year: int, week: int) -> None:
    with pytest.raises(ValueError, match=f"Uke {week} finnes ikke i {year}"):
        monday_of_iso_week(year, week)


def test_week_range_label_same_week() -> None:
    assert week_range_label(date(2026, 2, 23), date(2026, 3, 1)) == "uke 9"


def test_week_range_label_within_a_year() -> None:
    assert week_range_label(date(2026, 2, 16), date(2026, 3, 1)) == "uke 8\u20139"


def test_week_range_label_across_iso_years() -> None:
    assert week_range_label(date(2026, 12, 21), date(2027, 1, 4)) == "uke 52 (2026)\u20131 (2027)"
    # 1 January 2027 still belongs to ISO year 2026: no year shown.
    assert week_range_label(date(2026, 12, 21), date(2027, 1, 1)) == "uke 52\u201353"


def test_week_range_label_rejects_reversed_range() -> None:
    with pytest.raises(ValueError, match="kan ikke være før"):
        week_range_label(date(2026, 3, 9), date(2026, 3, 1))


# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    "text",
    ["01.03.2026", "1.3.2026", "01.3.2026", "1.03.2026", "2026-03-01", "  01.03.2026\n"],
)
def test_parse_norwegian_date(text: str) -> None:
    assert parse_norwegian_date(text) == date(2026, 3, 1)


def test_parse_leap_day() -> None:
    assert parse_norwegian_date("29.02.2028") == date(2028, 2, 29)
    assert parse_norwegian_date("2028-02-29") == date(2028, 2, 29)


def test_parse_leap_day_in_non_leap_year_is_rejected() -> None:
    with pytest.raises(
        ValueError, match=r"Ugyldig dato: «29\.02\.2027»\. 29\.02\.2027 finnes ikke"
    ):
        parse_norwegian_date("29.02.2027")
    with pytest.raises(ValueError, match=r"29\.02\.2027 finnes ikke"):
        parse_norwegian_date("2027-02-29")
    with pytest.raises(ValueError, match=r"29\.02\.2100 finnes ikke"):
        parse_norwegian_date("29.2.2100")  # not a leap year (divisible by 100)


@pytest.mark.parametrize("text", ["31.04.2026", "32.01.2026", "01.13.2026", "00.01.2026"])
def test_parse_nonexistent_date_is_rejected(text: str) -> None:
    with pytest.raises(ValueError, match=r"^Ugyldig dato: .*finnes ikke\.$"):
        parse_norwegian_date(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "i morgen",
        "01/03/2026",
        "01-03-2026",
        "1.3.26",
        "2026-3-1",
        "2026-03-01T09:00",
        "01.03.2026 09:00",
        "001.03.2026",
        "01.03.20260",
        "1. mars 2026",
        "\u0661.\u0663.\u0662\u0660\u0662\u0666",  # Arabic-Indic digits
    ],
)
def test_parse_garbage_is_rejected(text: str) -> None:
    with pytest.raises(ValueError) as excinfo:
        parse_norwegian_date(text)
    assert str(excinfo.value) == f"Ugyldig dato: «{text.strip()}». Bruk formatet dd.mm.åååå."


# --------------------------------------------------------------------------- time zone


def test_now_oslo_is_aware_and_current() -> None:
    now = now_oslo()
    assert now.tzinfo is OSLO
    assert abs(now - datetime.now(UTC)) < timedelta(minutes=1)


def test_to_oslo_naive_is_wall_clock() -> None:
    winter = to_oslo(datetime(2026, 1, 5, 9, 0))
    summer = to_oslo(datetime(2026, 7, 6, 9, 0))
    assert (winter.tzinfo, winter.hour, winter.utcoffset()) == (OSLO, 9, timedelta(hours=1))
    assert (summer.tzinfo, summer.hour, summer.utcoffset()) == (OSLO, 9, timedelta(hours=2))


def test_to_oslo_converts_aware() -> None:
    converted = to_oslo(datetime(2026, 7, 6, 7, 0, tzinfo=UTC))
    assert converted.tzinfo is OSLO
    assert converted.replace(tzinfo=None) == datetime(2026, 7, 6, 9, 0)


def test_to_oslo_moves_time_in_dst_gap_forward() -> None:
    assert to_oslo(datetime(2026, 3, 29, 2, 30)).isoformat() == "2026-03-29T03:30:00+02:00"


def test_to_oslo_ambiguous_time_is_first_occurrence() -> None:
    assert to_oslo(datetime(2026, 10, 25, 2, 30)).isoformat() == "2026-10-25T02:30:00+02:00"


@pytest.mark.parametrize(
    ("wall", "expected"),
    [
        (datetime(2026, 3, 29, 2, 0), True),
        (datetime(2026, 3, 29, 2, 30), True),
        (datetime(2026, 3, 29, 2, 59, 59), True),
        (datetime(2026, 3, 29, 1, 59), False),
        (datetime(2026, 3, 29, 3, 0), False),
        (datetime(2026, 3, 28, 2, 30), False),
        (datetime(2026, 10, 25, 2, 30), False),  # ambiguous, but exists
        (datetime(2026, 6, 1, 12, 0), False),
    ],
)
def test_is_nonexistent_local_time(wall: datetime, expected: bool) -> None:
    assert is_nonexistent_local_time(wall) is expected


def test_is_nonexistent_local_time_for_aware_checks_its_own_zone() -> None:
    assert is_nonexistent_local_time(datetime(2026, 3, 29, 2, 30, tzinfo=OSLO)) is True
    assert is_nonexistent_local_time(datetime(2026, 3, 29, 2, 30, tzinfo=UTC)) is False


# --------------------------------------------------------------------------- holidays


def test_public_holidays_2026() -> None:
    days = public_holidays(2026)
    assert days[date(2026, 1, 1)] == "Første nyttårsdag"
    assert days[date(2026, 4, 2)] == "Skjærtorsdag"
    assert days[date(2026, 4, 3)] == "Langfredag"
    assert days[date(2026, 4, 5)] == "Første påskedag"
    assert days[date(2026, 4, 6)] == "Andre påskedag"
    assert days[date(2026, 5, 1)] == "Arbeidernes dag"
    assert days[date(2026, 5, 14)] == "Kristi himmelfartsdag"
    assert days[date(2026, 5, 17)] == "Grunnlovsdag"
    assert days[date(2026, 5, 24)] == "Første pinsedag"
    assert days[date(2026, 5, 25)] == "Andre pinsedag"
    assert days[date(2026, 12, 25)] == "Første juledag"
    assert days[date(2026, 12, 26)] == "Andre juledag"
    assert len(days) == 12


def test_public_holidays_exclude_ordinary_sundays() -> None:
    days = public_holidays(2026)
    assert date(2026, 3, 1) not in days  # an ordinary Sunday
    sundays = {d for d in days if d.weekday() == 6}
    # Easter Sunday, Whit Sunday and (in 2026) 17 May.
    assert sundays == {date(2026, 4, 5), date(2026, 5, 24), date(2026, 5, 17)}


def test_public_holidays_are_sorted_and_of_the_requested_year() -> None:
    days = public_holidays(2027)
    assert list(days) == sorted(days)
    assert all(d.year == 2027 for d in days)
    assert days[date(2027, 3, 25)] == "Skjærtorsdag"


def test_public_holidays_returns_a_fresh_dict() -> None:
    public_holidays(2026).clear()
    assert len(public_holidays(2026)) == 12
