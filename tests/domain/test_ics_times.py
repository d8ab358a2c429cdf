"""Start, end and duration of imported .ics events, read through icalendar's own event fields
(``Event.start``/``end``/``duration``): the planner's conventions (an inclusive last day for
all-day events, Europe/Oslo wall clock) and a Norwegian problem for each broken rule."""

from __future__ import annotations

from datetime import datetime

import pytest

from planner.domain.imports.ics import IcsImportError, parse_ics


def _calendar(*events: str, extra: str = "") -> bytes:
    body = "".join(
        f"BEGIN:VEVENT\r\nUID:{i}@test\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Hendelse {i}\r\n"
        f"{event}END:VEVENT\r\n"
        for i, event in enumerate(events)
    )
    return (
        f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:test\r\n{extra}{body}END:VCALENDAR\r\n".encode()
    )


def _times(event: str, extra: str = "") -> tuple[datetime, datetime, bool]:
    parsed = parse_ics(_calendar(event, extra=extra))
    found = parsed.events[0]
    return found.start, found.end, found.all_day


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        # All-day: DTEND is the day after, the planner keeps the last day itself.
        (
            "DTSTART;VALUE=DATE:20260302\r\nDTEND;VALUE=DATE:20260304\r\n",
            (datetime(2026, 3, 2), datetime(2026, 3, 3), True),
        ),
        ("DTSTART;VALUE=DATE:20260302\r\n", (datetime(2026, 3, 2), datetime(2026, 3, 2), True)),
        (
            "DTSTART;VALUE=DATE:20260302\r\nDURATION:P5D\r\n",
            (datetime(2026, 3, 2), datetime(2026, 3, 6), True),
        ),
        # A zero-length all-day event (some exporters write DTEND = DTSTART) is one day.
        (
            "DTSTART;VALUE=DATE:20260302\r\nDTEND;VALUE=DATE:20260302\r\n",
            (datetime(2026, 3, 2), datetime(2026, 3, 2), True),
        ),
        # Timed: UTC and other zones become Oslo wall clock, floating times are Oslo.
        (
            "DTSTART:20260212T170000Z\r\nDTEND:20260212T210000Z\r\n",
            (datetime(2026, 2, 12, 18), datetime(2026, 2, 12, 22), False),
        ),
        (
            "DTSTART;TZID=Europe/London:20260610T090000\r\nDURATION:PT90M\r\n",
            (datetime(2026, 6, 10, 10), datetime(2026, 6, 10, 11, 30), False),
        ),
        (
            "DTSTART:20260302T100000\r\n",
            (datetime(2026, 3, 2, 10), datetime(2026, 3, 2, 10), False),
        ),
    ],
)
def test_start_and_end(event: str, expected: tuple[datetime, datetime, bool]) -> None:
    assert _times(event) == expected


def test_floating_times_follow_the_calendars_time_zone() -> None:
    start, end, _all_day = _times(
        "DTSTART:20260605T180000\r\nDURATION:PT2H\r\n", extra="X-WR-TIMEZONE:Europe/London\r\n"
    )
    assert (start, end) == (datetime(2026, 6, 5, 19), datetime(2026, 6, 5, 21))


@pytest.mark.parametrize(
    ("event", "message"),
    [
        ("SUMMARY:x\r\n", "mangler starttidspunkt (DTSTART)."),
        (
            "DTSTART;VALUE=DATE:20260302\r\nDTEND:20260303T100000\r\n",
            "blander dato og klokkeslett i start og slutt.",
        ),
        (
            "DTSTART:20260302T100000\r\nDTEND:20260302T120000\r\nDURATION:PT1H\r\n",
            "har både sluttidspunkt (DTEND) og varighet (DURATION)",
        ),
        (
            "DTSTART;VALUE=DATE:20260302\r\nDURATION:PT1H\r\n",
            "varigheten (DURATION) har timer",
        ),
        ("DTSTART:20260302T100000\r\nDURATION:-PT1H\r\n", "slutt er før start."),
        ("DTSTART:20260302T100000\r\nDTEND:20260301T100000\r\n", "slutt er før start."),
        ("DTSTART;VALUE=DATE:20260302\r\nDURATION:P400D\r\n", "varer mer enn ett år."),
    ],
)
def test_broken_times_are_refused_in_norwegian(event: str, message: str) -> None:
    with pytest.raises(IcsImportError) as refused:
        parse_ics(_calendar(event))
    assert len(refused.value.problems) == 1
    problem = refused.value.problems[0]
    assert problem.startswith("Hendelsen «Hendelse 0»") and message in problem


def test_moved_occurrence_keeps_the_series_times() -> None:
    raw = _calendar(
        "DTSTART;TZID=Europe/Oslo:20260302T100000\r\nDURATION:PT1H\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\n",
    ).replace(
        b"END:VCALENDAR",
        b"BEGIN:VEVENT\r\nUID:0@test\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Flyttet\r\n"
        b"RECURRENCE-ID;TZID=Europe/Oslo:20260309T100000\r\n"
        b"DTSTART;TZID=Europe/Oslo:20260310T120000\r\nDURATION:PT2H\r\nEND:VEVENT\r\n"
        b"END:VCALENDAR",
    )
    event = parse_ics(raw).events[0]
    assert event.rrule and len(event.exceptions) == 1
    moved = event.exceptions[0]
    assert (moved.start, moved.end) == (datetime(2026, 3, 10, 12), datetime(2026, 3, 10, 14))
