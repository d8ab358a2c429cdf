"""iCal building (planner.domain.feeds), checked by independent parsers.

``assert_valid_calendar`` is the shared check for every feed the tests produce: raw bytes
(CRLF, folding, UTF-8), the python ``icalendar`` library (component errors, missing
VTIMEZONEs), ``vobject`` with validation, our own RFC assertions, and the occurrences
expanded by ``recurring-ical-events`` and by ical.js (run with node) must agree.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import warnings
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
import recurring_ical_events
import vobject
from icalendar import Calendar

from planner.domain.dates import OSLO, to_oslo
from planner.domain.feeds import ical
from planner.domain.feeds.components import reminder_trigger, working_days_before
from planner.domain.feeds.ical import events_to_ical, post_description
from planner.domain.feeds.rrules import outlook_compatible
from planner.domain.feeds.series import derived_uid
from planner.domain.feeds.values import CalendarInfo, EventData
from planner.domain.posts.occurrences import ExceptionValues, occurrences

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
ICAL_JS = ROOT / "node_modules" / "ical.js" / "package.json"
CHECK_SCRIPT = ROOT / "tests" / "ical_js_check.mjs"
YEAR_2026 = (datetime(2026, 1, 1), datetime(2026, 12, 31, 23, 59, 59))
STAMP = datetime(2026, 1, 5, 12, 30)

Occurrence = tuple[str, str, str, str]


# --------------------------------------------------------------------------- checks


def _key_value(value: date | datetime) -> str:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=OSLO)
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


def _in_window(start: str, end: str, window: tuple[datetime, datetime]) -> bool:
    """Overlap with a window of Oslo wall-clock times, the planner's rule."""
    first, last = window
    if "T" not in start:
        return date.fromisoformat(start) <= last.date() and date.fromisoformat(end) > first.date()
    lo = _key_value(first)
    hi = _key_value(last)
    return start <= hi and (end >= lo)


def planner_occurrences(
    items: Iterable[tuple[str, datetime, datetime, bool]],
) -> list[Occurrence]:
    """(uid, start, end, all_day) with the planner's inclusive all-day end → keys."""
    keys = []
    for uid, start, end, all_day in items:
        if all_day:
            keys.append(
                (uid, start.date().isoformat(), (end.date() + timedelta(days=1)).isoformat(), "d")
            )
        else:
            keys.append((uid, _key_value(to_oslo(start)), _key_value(to_oslo(end)), "t"))
    return sorted(keys)


def _rie_occurrences(calendar: Calendar, window: tuple[datetime, datetime]) -> list[Occurrence]:
    start = window[0].replace(tzinfo=OSLO) - timedelta(days=2)
    end = window[1].replace(tzinfo=OSLO) + timedelta(days=2)
    found = []
    for event in recurring_ical_events.of(calendar).between(start, end):
        uid = str(event.get("X-ARSHJUL-SERIES-UID") or event.get("UID"))
        s = event.decoded("DTSTART")
        e = event.decoded("DTEND") if event.get("DTEND") is not None else s
        kind = "t" if isinstance(s, datetime) else "d"
        key = (uid, _key_value(s), _key_value(e), kind)
        if _in_window(key[1], key[2], window):
            found.append(key)
    return sorted(found)


def node_available() -> bool:
    """Whether ical.js can run; in CI (CI=true) its absence is an error, never a skip."""
    if shutil.which("node") and ICAL_JS.exists():
        return True
    if os.environ.get("CI"):
        pytest.fail("CI must run the ical.js checks: install node and run `npm ci`.")
    return False


def ical_js(body: bytes, window: tuple[datetime, datetime], tmp_path: Path) -> dict[str, Any]:
    """Run ical.js over the calendar (node tests/ical_js_check.mjs) and return its report."""
    path = tmp_path / f"check-{abs(hash(body))}.ics"
    path.write_bytes(body)
    start = _key_value(window[0].replace(tzinfo=OSLO) - timedelta(days=2))
    end = _key_value(window[1].replace(tzinfo=OSLO) + timedelta(days=2))
    run = subprocess.run(
        ["node", str(CHECK_SCRIPT), str(path), start, end],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        check=False,
    )
    assert run.stdout, run.stderr
    report: dict[str, Any] = json.loads(run.stdout)
    assert run.returncode == 0 and report["errors"] == [], report["errors"]
    return report


def _own_assertions(calendar: Calendar) -> None:
    assert calendar.get("VERSION") == "2.0"
    assert calendar.get("PRODID")
    assert calendar.get("CALSCALE") == "GREGORIAN"
    assert calendar.get("METHOD") == "PUBLISH"
    for name in ("NAME", "X-WR-CALNAME", "X-WR-CALDESC", "X-PUBLISHED-TTL"):
        assert calendar.get(name) is not None, name
    assert calendar.get("X-WR-TIMEZONE") == "Europe/Oslo"
    assert calendar["REFRESH-INTERVAL"].params.get("VALUE") == "DURATION"
    seen: set[tuple[str, str]] = set()
    for event in calendar.walk("VEVENT"):
        uid = str(event["UID"])
        for name in ("DTSTAMP", "SEQUENCE", "DTSTART", "STATUS", "SUMMARY"):
            assert event.get(name) is not None, (uid, name)
        assert event.decoded("DTSTAMP").utcoffset() == timedelta(0)
        rid = event.get("RECURRENCE-ID")
        pair = (uid, rid.to_ical().decode() if rid is not None else "")
        assert pair not in seen, f"duplicate UID/RECURRENCE-ID {pair}"
        seen.add(pair)
        start = event.decoded("DTSTART")
        if event.get("DTEND") is not None:
            end = event.decoded("DTEND")
            assert type(end) is type(start), uid
            assert end > start, uid
        if not isinstance(start, datetime):
            assert event["DTSTART"].params.get("VALUE") == "DATE"
        else:
            assert event["DTSTART"].params.get("TZID") == "Europe/Oslo"
        rule = event.get("RRULE")
        if rule is not None and "UNTIL" in rule:
            until = rule["UNTIL"][0]
            if isinstance(start, datetime):
                assert isinstance(until, datetime) and until.utcoffset() == timedelta(0), uid
                assert rule.to_ical().decode().split("UNTIL=")[1].split(";")[0].endswith("Z")
            else:
                assert not isinstance(until, datetime), uid
        for prop in (
            (event.get("EXDATE") or [])
            if isinstance(event.get("EXDATE"), list)
            else ([event["EXDATE"]] if event.get("EXDATE") is not None else [])
        ):
            for value in prop.dts:
                assert type(value.dt) is type(start), uid
                if isinstance(start, datetime):
                    assert prop.params.get("TZID") == "Europe/Oslo"
        if rid is not None:
            assert type(rid.dt) is type(start), uid
        for alarm in event.walk("VALARM"):
            assert alarm.get("ACTION") == "DISPLAY"
            assert alarm.get("TRIGGER") is not None and alarm.get("DESCRIPTION")


def assert_valid_calendar(
    body: bytes,
    window: tuple[datetime, datetime] = YEAR_2026,
    tmp_path: Path | None = None,
) -> list[Occurrence]:
    """Every check of ICAL.md; returns the occurrences (both parsers agree on them)."""
    assert body.endswith(b"\r\n")
    for line in body.split(b"\r\n")[:-1]:
        assert b"\n" not in line and b"\r" not in line, line
        assert len(line) <= 75, line
        line.decode("utf-8")  # a fold never splits a UTF-8 character
    calendar = Calendar.from_ical(body)
    for component in calendar.walk():
        assert not component.errors, (component.name, component.errors)
    assert calendar.get_missing_tzids() == set()
    timezones = calendar.walk("VTIMEZONE")
    assert [tz["TZID"] for tz in timezones] == ["Europe/Oslo"]
    assert {c.name for c in timezones[0].subcomponents} == {"STANDARD", "DAYLIGHT"}
    assert all(c.get("RDATE") is None for c in timezones[0].subcomponents)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        parsed = vobject.readOne(body.decode("utf-8"), validate=True)
    assert parsed.name == "VCALENDAR"
    _own_assertions(calendar)
    found = _rie_occurrences(calendar, window)
    if tmp_path is not None and node_available():
        report = ical_js(body, window, tmp_path)
        from_js = sorted(
            (
                o["seriesUid"],
                o["start"],
                o["end"],
                "d" if o["allDay"] else "t",
            )
            for o in report["occurrences"]
            if _in_window(o["start"], o["end"], window)
        )
        assert from_js == found
    return found


# --------------------------------------------------------------------------- helpers


def _event(**overrides: Any) -> EventData:
    values: dict[str, Any] = {
        "uid": "0f1e2d3c-test@arshjul",
        "summary": "Søknadsfrist barnehage",
        "start": datetime(2026, 3, 1),
        "end": datetime(2026, 3, 1),
        "all_day": True,
        "stamp": STAMP,
        "last_modified": STAMP,
        "window": YEAR_2026,
    }
    values.update(overrides)
    return EventData(**values)


def _build(*events: EventData, reminder_days: int | None = None, name: str = "Testvik") -> bytes:
    info = CalendarInfo(name=name, description="Kommunikasjonsplanen til Testvik kommune.")
    return events_to_ical(info, list(events), reminder_days)


def _expected(data: EventData) -> list[Occurrence]:
    assert data.window is not None
    occs = occurrences(
        data.start, data.end, data.rrule, data.exceptions, data.window[0], data.window[1]
    )
    return planner_occurrences((data.uid, o.start, o.end, data.all_day) for o in occs)


def _reference(name: str, body: bytes) -> None:
    """Compare with the reference file in tests/data (REGENERATE_ICS=1 rewrites it)."""
    path = DATA / name
    if os.environ.get("REGENERATE_ICS"):
        path.write_bytes(body)
    assert path.read_bytes() == body, f"{name} differs from the output; see the diff"


# --------------------------------------------------------------------------- tests


def test_calendar_header_and_timezone(tmp_path: Path) -> None:
    body = _build(_event(), name="Oppvekst; «plan», linje\nto")
    assert_valid_calendar(body, tmp_path=tmp_path)
    text = body.decode()
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in text
    assert "X-PUBLISHED-TTL:PT1H\r\n" in text
    # escaped as TEXT (a raw comma or newline breaks clients), on one line
    assert "X-WR-CALNAME:Oppvekst\\; «plan»\\, linje to\r\n" in text
    assert "NAME:Oppvekst\\; «plan»\\, linje to\r\n" in text
    calendar = Calendar.from_ical(body)
    daylight = calendar.walk("DAYLIGHT")[0]
    assert daylight["RRULE"].to_ical() == b"FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3"
    assert "TZID:Europe/Oslo" in text


def test_all_day_event_has_exclusive_date_end(tmp_path: Path) -> None:
    body = _build(_event(start=datetime(2026, 4, 15), end=datetime(2026, 4, 17)))
    text = body.decode()
    assert "DTSTART;VALUE=DATE:20260415\r\n" in text
    assert "DTEND;VALUE=DATE:20260418\r\n" in text
    occs = assert_valid_calendar(body, tmp_path=tmp_path)
    assert occs == [("0f1e2d3c-test@arshjul", "2026-04-15", "2026-04-18", "d")]


def test_timed_event_uses_tzid_and_zero_length_has_no_dtend(tmp_path: Path) -> None:
    meeting = _event(
        uid="m@arshjul",
        start=datetime(2026, 6, 10, 18),
        end=datetime(2026, 6, 10, 21),
        all_day=False,
    )
    instant = _event(
        uid="i@arshjul", start=datetime(2026, 6, 11, 9), end=datetime(2026, 6, 11, 9), all_day=False
    )
    body = _build(meeting, instant)
    text = body.decode()
    assert "DTSTART;TZID=Europe/Oslo:20260610T180000\r\n" in text
    assert "DTEND;TZID=Europe/Oslo:20260610T210000\r\n" in text
    calendar = Calendar.from_ical(body)
    instant_event = next(e for e in calendar.walk("VEVENT") if e["UID"] == "i@arshjul")
    assert instant_event.get("DTEND") is None
    assert ("m@arshjul", "2026-06-10T16:00:00Z", "2026-06-10T19:00:00Z", "t") in (
        assert_valid_calendar(body, tmp_path=tmp_path)
    )


def test_same_input_gives_identical_bytes() -> None:
    data = _event(
        rrule="FREQ=WEEKLY;BYDAY=MO", start=datetime(2026, 1, 5), end=datetime(2026, 1, 5)
    )
    assert _build(data, reminder_days=2) == _build(data, reminder_days=2)


def test_text_is_escaped_folded_and_norwegian_characters_survive(tmp_path: Path) -> None:
    description = post_description(
        "Første linje; med komma, semikolon og \\ bakstrek.\nAndre linje: " + "æøå ÆØÅ " * 30,
        status="planlagt",
        kind="proaktiv",
        channels=["Facebook", "Kommunens nettside"],
        audiences=["Foreldre, små barn"],
        responsible="Kari Nordmann",
        url="https://planlegger.kommune.no/posts/7",
    )
    body = _build(
        _event(
            summary="Blåbærtur; «kom, alle»",
            description=description,
            categories=("Facebook", "Foreldre, små barn"),
            url="https://planlegger.kommune.no/posts/7",
        )
    )
    assert_valid_calendar(body, tmp_path=tmp_path)
    event = Calendar.from_ical(body).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Blåbærtur; «kom, alle»"
    assert str(event["DESCRIPTION"]) == description
    assert "Kanaler: Facebook, Kommunens nettside" in description
    assert "Ansvarlig: Kari Nordmann" in description
    assert "Åpne i årshjulet: https://planlegger.kommune.no/posts/7" in description
    assert [str(c) for c in event["CATEGORIES"].cats] == ["Facebook", "Foreldre, små barn"]
    assert str(event["URL"]) == "https://planlegger.kommune.no/posts/7"


def test_allday_rrule_with_exdate_and_moved_occurrence(tmp_path: Path) -> None:
    data = _event(
        uid="allday-weekly@arshjul",
        summary="Ukesoppsummering",
        start=datetime(2026, 3, 2),
        end=datetime(2026, 3, 2),
        rrule="FREQ=WEEKLY;BYDAY=MO;COUNT=10",
        exceptions=(
            ExceptionValues(datetime(2026, 3, 16), True),
            ExceptionValues(
                datetime(2026, 3, 23), False, datetime(2026, 3, 24), datetime(2026, 3, 24)
            ),
        ),
    )
    body = _build(data)
    _reference("allday_rrule_exdate.ics", body)
    text = body.decode()
    assert "RRULE:FREQ=WEEKLY;UNTIL=20260504;BYDAY=MO\r\n" in text
    assert "EXDATE;VALUE=DATE:20260316\r\n" in text
    assert "RECURRENCE-ID;VALUE=DATE:20260323\r\n" in text
    assert assert_valid_calendar(body, tmp_path=tmp_path) == _expected(data)


def test_timed_rrule_across_dst_with_override_and_utc_until(tmp_path: Path) -> None:
    data = _event(
        uid="timed-weekly@arshjul",
        summary="Redaksjonsmøte",
        start=datetime(2026, 3, 2, 9),
        end=datetime(2026, 3, 2, 10),
        all_day=False,
        rrule="FREQ=WEEKLY;BYDAY=MO",
        exceptions=(
            ExceptionValues(datetime(2026, 3, 9, 9), True),
            # moved across the spring change (29.03.2026) and back over the autumn one
            ExceptionValues(
                datetime(2026, 3, 23, 9),
                False,
                datetime(2026, 3, 30, 8),
                datetime(2026, 3, 30, 8, 30),
            ),
            ExceptionValues(
                datetime(2026, 10, 26, 9),
                False,
                datetime(2026, 10, 27, 13),
                datetime(2026, 10, 27, 14),
            ),
        ),
    )
    body = _build(data)
    _reference("timed_rrule_override_dst.ics", body)
    text = body.decode()
    # the last Monday of 2026 at 09:00 CET is 08:00 UTC
    assert "RRULE:FREQ=WEEKLY;UNTIL=20261228T080000Z;BYDAY=MO\r\n" in text
    assert "EXDATE;TZID=Europe/Oslo:20260309T090000\r\n" in text
    assert "RECURRENCE-ID;TZID=Europe/Oslo:20260323T090000\r\n" in text
    occs = assert_valid_calendar(body, tmp_path=tmp_path)
    assert occs == _expected(data)
    # 09:00 Oslo is 08:00 UTC in winter and 07:00 UTC in summer
    starts = {o[1] for o in occs}
    assert "2026-03-02T08:00:00Z" in starts and "2026-04-06T07:00:00Z" in starts
    assert "2026-11-02T08:00:00Z" in starts and "2026-03-09T08:00:00Z" not in starts


def test_rule_outlook_cannot_read_is_expanded_with_stable_uids(tmp_path: Path) -> None:
    data = _event(
        uid="council@arshjul",
        summary="Kommunestyremøte",
        start=datetime(2026, 2, 12, 18),
        end=datetime(2026, 2, 12, 22),
        all_day=False,
        rrule="FREQ=MONTHLY;BYMONTH=2,3,4,5,6,9,10,11,12;BYDAY=2TH;COUNT=9",
        exceptions=(
            ExceptionValues(
                datetime(2026, 4, 9, 18),
                False,
                datetime(2026, 4, 16, 18),
                datetime(2026, 4, 16, 21),
            ),
        ),
    )
    body = _build(data)
    _reference("expanded_monthly_bymonth.ics", body)
    calendar = Calendar.from_ical(body)
    events = calendar.walk("VEVENT")
    assert all(e.get("RRULE") is None for e in events)
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == 9
    assert derived_uid("council@arshjul", datetime(2026, 4, 9, 18), False) in uids
    assert all(str(e["X-ARSHJUL-SERIES-UID"]) == "council@arshjul" for e in events)
    assert assert_valid_calendar(body, tmp_path=tmp_path) == _expected(data)
    assert _build(data) == body  # stable


def test_unsynchronised_dtstart_is_moved_to_first_occurrence(tmp_path: Path) -> None:
    # Starts on a Wednesday but repeats on Mondays: clients would add the Wednesday.
    data = _event(
        uid="sync@arshjul",
        start=datetime(2026, 1, 7),
        end=datetime(2026, 1, 7),
        rrule="FREQ=WEEKLY;BYDAY=MO",
    )
    body = _build(data)
    assert "DTSTART;VALUE=DATE:20260112\r\n" in body.decode()
    assert assert_valid_calendar(body, tmp_path=tmp_path) == _expected(data)


def test_move_past_a_neighbour_is_expanded(tmp_path: Path) -> None:
    data = _event(
        uid="jump@arshjul",
        start=datetime(2026, 5, 4),
        end=datetime(2026, 5, 4),
        rrule="FREQ=WEEKLY;COUNT=4",
        exceptions=(
            ExceptionValues(
                datetime(2026, 5, 11), False, datetime(2026, 5, 20), datetime(2026, 5, 20)
            ),
        ),
    )
    body = _build(data)
    assert "RRULE" not in body.decode().split("END:VTIMEZONE")[1]
    assert assert_valid_calendar(body, tmp_path=tmp_path) == _expected(data)


def test_unbounded_rule_is_clipped_to_the_wheel_year(tmp_path: Path) -> None:
    data = _event(
        uid="forever@arshjul",
        start=datetime(2026, 11, 1),
        end=datetime(2026, 11, 1),
        rrule="FREQ=MONTHLY",
    )
    body = _build(data)
    assert "RRULE:FREQ=MONTHLY;UNTIL=20261201\r\n" in body.decode()
    next_year = (datetime(2027, 1, 1), datetime(2027, 12, 31, 23, 59, 59))
    assert assert_valid_calendar(body, window=next_year, tmp_path=tmp_path) == []


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("FREQ=DAILY;INTERVAL=3", True),
        ("FREQ=WEEKLY;BYDAY=MO,WE,FR", True),
        ("FREQ=MONTHLY;BYMONTHDAY=15", True),
        ("FREQ=MONTHLY;BYDAY=2TH", True),
        ("FREQ=MONTHLY;BYDAY=-1FR", True),
        ("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", True),
        ("FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1", True),
        ("FREQ=YEARLY;BYMONTH=10;BYDAY=2MO", True),
        ("FREQ=MONTHLY;BYMONTH=2,3;BYDAY=2TH", False),
        ("FREQ=MONTHLY;BYDAY=5FR", False),
        ("FREQ=MONTHLY;BYMONTHDAY=1,15", False),
        ("FREQ=YEARLY;BYWEEKNO=9", False),
        ("FREQ=DAILY;BYDAY=MO,TU", False),
        ("FREQ=YEARLY;BYDAY=1MO", False),
    ],
)
def test_outlook_templates(rule: str, expected: bool) -> None:
    assert outlook_compatible(rule) is expected


def test_working_days_skip_weekends_and_easter() -> None:
    assert working_days_before(date(2026, 3, 2), 2) == date(2026, 2, 26)  # Mon → Thu
    # Tuesday after Easter 2026: Mon 6.4, Fri 3.4, Thu 2.4 are holidays
    assert working_days_before(date(2026, 4, 7), 1) == date(2026, 4, 1)
    assert reminder_trigger(datetime(2026, 3, 1), 2) == -timedelta(days=2, hours=15)
    assert reminder_trigger(datetime(2026, 3, 2, 10), 2) == -timedelta(days=4, hours=1)


def test_valarm_working_days_before_and_none_when_cancelled(tmp_path: Path) -> None:
    planned = _event(uid="a@arshjul", start=datetime(2026, 4, 7), end=datetime(2026, 4, 7))
    cancelled = _event(uid="b@arshjul", status="CANCELLED")
    body = _build(planned, cancelled, reminder_days=1)
    assert_valid_calendar(body, tmp_path=tmp_path)
    events = {str(e["UID"]): e for e in Calendar.from_ical(body).walk("VEVENT")}
    alarm = events["a@arshjul"].walk("VALARM")[0]
    assert alarm.decoded("TRIGGER") == -timedelta(days=5, hours=15)  # 01.04 kl. 09
    assert str(alarm["DESCRIPTION"]) == "Påminnelse: Søknadsfrist barnehage"
    assert events["b@arshjul"].walk("VALARM") == []
    assert Calendar.from_ical(_build(planned)).walk("VALARM") == []


def test_reference_file_is_stable_over_time() -> None:
    """The reference files were made with fixed stamps: regenerating must not differ."""
    for name in (
        "allday_rrule_exdate.ics",
        "timed_rrule_override_dst.ics",
        "expanded_monthly_bymonth.ics",
    ):
        body = (DATA / name).read_bytes()
        assert body.startswith(b"BEGIN:VCALENDAR\r\n")
        assert b"DTSTAMP:20260105T123000Z\r\n" in body
        assert Calendar.from_ical(body).walk("VEVENT")


def test_window_helper_sees_utc_instants() -> None:
    assert _key_value(datetime(2026, 7, 1, 12, tzinfo=OSLO)) == "2026-07-01T10:00:00Z"
    assert _key_value(date(2026, 7, 1)) == "2026-07-01"
    assert _in_window("2026-12-31T22:30:00Z", "2026-12-31T23:30:00Z", YEAR_2026)
    assert not _in_window("2027-01-01T00:30:00Z", "2027-01-01T01:00:00Z", YEAR_2026)
    assert datetime.combine(date(2026, 1, 1), time()) == YEAR_2026[0]


def test_the_checks_catch_a_broken_calendar(tmp_path: Path) -> None:
    """The shared checks are not a formality: a TZID without VTIMEZONE, a bare LF and an
    over-long line are each caught."""
    body = _build(
        _event(start=datetime(2026, 3, 2, 9), end=datetime(2026, 3, 2, 10), all_day=False)
    )
    unknown_zone = body.replace(b"TZID=Europe/Oslo", b"TZID=Mars/Olympus")
    with pytest.raises(AssertionError):
        assert_valid_calendar(unknown_zone, tmp_path=tmp_path)
    if node_available():
        with pytest.raises(AssertionError, match="without a VTIMEZONE"):
            ical_js(unknown_zone, YEAR_2026, tmp_path)
    with pytest.raises(AssertionError):
        assert_valid_calendar(body.replace(b"\r\nSUMMARY", b"\nSUMMARY"), tmp_path=tmp_path)
    long_line = body.replace(b"SUMMARY:", b"SUMMARY:" + b"x" * 80)
    with pytest.raises(AssertionError):
        assert_valid_calendar(long_line, tmp_path=tmp_path)


def test_event_cache_gives_the_same_bytes_and_serialises_only_what_changed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    info = CalendarInfo(name="Testvik")
    weekly = _event(
        uid="weekly@arshjul",
        rrule="FREQ=WEEKLY;BYDAY=MO",
        start=datetime(2026, 1, 5, 9),
        end=datetime(2026, 1, 5, 10),
        all_day=False,
    )
    events = [weekly, *(_event(uid=f"e{n}@arshjul", start=datetime(2026, 3, n)) for n in (2, 1))]
    cache: dict[Any, Any] = {}
    plain = events_to_ical(info, events, 2)
    assert events_to_ical(info, events, 2, cache) == plain
    assert len(cache) == 3
    made: list[str] = []
    original = ical.vevent

    def counting(data: EventData, *args: Any, **kwargs: Any) -> Any:
        made.append(data.uid)
        return original(data, *args, **kwargs)

    monkeypatch.setattr(ical, "vevent", counting)
    assert events_to_ical(info, events, 2, cache) == plain  # all from the cache
    assert made == []
    changed = [*events[:2], replace(events[2], summary="Søknadsfrist SFO", sequence=1)]
    body = events_to_ical(info, changed, 2, cache)
    assert made == ["e1@arshjul"]  # only the changed event was serialised again
    assert body == events_to_ical(info, changed, 2)
    assert b"SUMMARY:S\xc3\xb8knadsfrist SFO" in body
    assert events_to_ical(info, events, None, cache) == events_to_ical(info, events, None)
