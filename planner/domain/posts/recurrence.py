"""Recurring activities: validation and expansion of RFC 5545 RRULEs.

Activities in the årshjul can repeat ("hver mandag", "første tirsdag i måneden").
They are stored as an RFC 5545 RRULE value next to their start time, so that the
same rule can be exported to iCalendar unchanged.  This module is the only place
that interprets those rules:

* :func:`validate_rrule` checks user input (syntax, sensible bounds) and returns
  a normalised rule text to store;
* :func:`expand` / :func:`occurrences_in_year` turn a stored rule into concrete
  occurrences inside a bounded window.

Rules are evaluated on Europe/Oslo *wall-clock* time, so "every Monday at 09:00"
stays at 09:00 local time on both sides of a daylight saving change.

Bounds.  A planner has no use for events more often than once a day, and an
unbounded expansion is an easy way to exhaust a server.  Therefore rules finer
than DAILY are rejected, a rule may produce at most
:data:`MAX_OCCURRENCES_PER_YEAR` occurrences in any calendar year and at most
:data:`MAX_TOTAL_OCCURRENCES` in total, and every expansion runs over a bounded
time range with a cap on the number of results.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice

from dateutil.rrule import rrule, rrulestr

from planner.domain.dates import OSLO

__all__ = [
    "MAX_OCCURRENCES_PER_YEAR",
    "MAX_RULE_SPAN_YEARS",
    "MAX_TOTAL_OCCURRENCES",
    "RecurrenceError",
    "expand",
    "occurrences_in_year",
    "validate_rrule",
]

#: At most one occurrence per day: a daily rule (366 occurrences in a leap year)
#: is the densest recurrence a communication plan needs.  Anything denser (e.g. a
#: daily rule expanded with BYHOUR) is almost certainly a mistake and would flood
#: the årshjul and the calendar exports.
MAX_OCCURRENCES_PER_YEAR = 366

#: Upper bound on the total number of occurrences of a bounded rule (COUNT or
#: UNTIL): ten years of a daily rule.
MAX_TOTAL_OCCURRENCES = 3660

#: UNTIL may be at most this many years after the start.  Keeps validation (which
#: walks the rule up to UNTIL) cheap even for very sparse rules.
MAX_RULE_SPAN_YEARS = 100

_MAX_RULE_LENGTH = 4000

#: Unbounded rules with several occurrences per day are counted over this many
#: calendar years (28 years is the cycle of weekdays and leap years).
_YEARS_CHECKED = 28

_GREGORIAN_CYCLE_YEARS = 400

_INVALID = "Gjentakelsesregelen er ugyldig"

_ALLOWED_FREQS = ("YEARLY", "MONTHLY", "WEEKLY", "DAILY")
_TOO_FINE_FREQS = ("HOURLY", "MINUTELY", "SECONDLY")
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

#: Integer list parts and their allowed ranges (absolute value for signed ones).
_INT_LIST_PARTS: dict[str, tuple[int, int, bool]] = {
    # name: (min, max, negative values allowed)
    "BYSECOND": (0, 59, False),  # RFC allows 60 (leap second); Python cannot.
    "BYMINUTE": (0, 59, False),
    "BYHOUR": (0, 23, False),
    "BYMONTHDAY": (1, 31, True),
    "BYYEARDAY": (1, 366, True),
    "BYWEEKNO": (1, 53, True),
    "BYMONTH": (1, 12, False),
    "BYSETPOS": (1, 366, True),
}
_KNOWN_PARTS = frozenset({"FREQ", "UNTIL", "COUNT", "INTERVAL", "BYDAY", "WKST", *_INT_LIST_PARTS})

_INT_RE = re.compile(r"[+-]?\d+", re.ASCII)
_BYDAY_RE = re.compile(r"([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)", re.ASCII)
_UNTIL_RE = re.compile(r"(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?", re.ASCII)


class RecurrenceError(ValueError):
    """A recurrence rule is invalid or out of bounds.

    The message is Norwegian and meant to be shown to the user as is.
    """

    def __init__(self, message: str = f"{_INVALID}.") -> None:
        super().__init__(message)


@dataclass(frozen=True)
class _ParsedRule:
    """A syntactically valid rule, ready to be evaluated on wall-clock time."""

    normalised: str
    rule: rrule  # naive wall-clock rule, without COUNT/UNTIL
    dtstart: datetime  # naive Oslo wall clock, no microseconds
    count: int | None
    until: datetime | None  # naive Oslo wall clock, inclusive
    times_per_day: int  # upper bound on occurrences per calendar day


# --------------------------------------------------------------------------- helpers


def _invalid(detail: str) -> RecurrenceError:
    """Build a RecurrenceError for a malformed rule."""
    return RecurrenceError(f"{_INVALID}: {detail}.")


def _wall_clock(dt: datetime) -> datetime:
    """Return ``dt`` as naive Oslo wall-clock time (naive input is already that)."""
    if dt.tzinfo is not None:
        dt = dt.astimezone(OSLO).replace(tzinfo=None)
    return dt


def _instant(wall: datetime) -> datetime:
    """Return a naive Oslo wall-clock time as an aware, normalised Oslo datetime.

    Follows RFC 5545: an ambiguous time means the first occurrence, a
    non-existent time (DST gap) uses the offset before the gap, so 02:30 on the
    spring-forward day becomes 03:30 CEST.
    """
    return wall.replace(tzinfo=OSLO, fold=0).astimezone(UTC).astimezone(OSLO)


def _as_instant(dt: datetime) -> datetime:
    """Return ``dt`` as an aware datetime; naive means Oslo wall clock."""
    return _instant(dt) if dt.tzinfo is None else dt


def _add_years(dt: datetime, years: int) -> datetime:
    """Return ``dt`` moved ``years`` years ahead, clamped to the datetime range."""
    year = min(dt.year + years, datetime.max.year)
    if (dt.month, dt.day) == (2, 29):
        return dt.replace(year=year, day=28)
    return dt.replace(year=year)


def _parse_int(name: str, value: str) -> int:
    """Parse one integer rule value, rejecting anything but plain digits."""
    if not _INT_RE.fullmatch(value):
        raise _invalid(f"{name}={value} er ikke et heltall")
    return int(value)


def _parse_int_list(name: str, value: str) -> list[int]:
    """Parse and range-check a comma separated BYxxx list."""
    low, high, signed = _INT_LIST_PARTS[name]
    numbers = []
    for item in value.split(","):
        number = _parse_int(name, item.strip())
        magnitude = abs(number) if signed else number
        if not low <= magnitude <= high or (number < 0 and not signed):
            allowed = f"{low}..{high}" + (f" eller -{high}..-{low}" if signed else "")
            raise _invalid(f"{name} må være mellom {allowed}, ikke {number}")
        numbers.append(number)
    return numbers


def _parse_byday(value: str, freq: str, has_byweekno: bool) -> list[str]:
    """Parse and check BYDAY, including RFC 5545's rules for ordinals (e.g. 1MO)."""
    days = []
    for item in value.split(","):
        item = item.strip()
        match = _BYDAY_RE.fullmatch(item)
        if not match:
            raise _invalid(f"BYDAY={item} er ikke en gyldig ukedag (MO, TU, WE, TH, FR, SA, SU)")
        ordinal_text, weekday = match.groups()
        if ordinal_text is None:
            days.append(weekday)
            continue
        ordinal = int(ordinal_text)
        if freq not in ("MONTHLY", "YEARLY") or has_byweekno:
            raise _invalid(
                f"BYDAY med nummer ({item}) kan bare brukes med FREQ=MONTHLY eller "
                "FREQ=YEARLY uten BYWEEKNO"
            )
        limit = 5 if freq == "MONTHLY" else 53
        if not 1 <= abs(ordinal) <= limit:
            raise _invalid(f"BYDAY={item}: nummeret må være mellom 1 og {limit} (eller negativt)")
        days.append(f"{ordinal}{weekday}")
    return days


def _parse_until(value: str) -> tuple[datetime, bool]:
    """Parse UNTIL into naive Oslo wall-clock time.

    Returns ``(until, date_only)``.  UTC values (``...Z``) are converted to Oslo
    time; a date-only value includes the whole day, which is what users mean by
    "til og med 01.03.2026".
    """
    match = _UNTIL_RE.fullmatch(value)
    if not match:
        raise _invalid(f"UNTIL={value} må ha formen ÅÅÅÅMMDD eller ÅÅÅÅMMDDTHHMMSS(Z)")
    year, month, day, hour, minute, second, utc = match.groups()
    try:
        if hour is None:
            return datetime.combine(date(int(year), int(month), int(day)), time.max), True
        until = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second))
        if utc:
            until = until.replace(tzinfo=UTC).astimezone(OSLO).replace(tzinfo=None)
    except (ValueError, OverflowError):
        raise _invalid(f"UNTIL={value} er ikke en gyldig dato") from None
    return until, False


def _split_parts(text: str) -> dict[str, str]:
    """Split rule text into uppercase ``{NAME: value}``; reject structural problems."""
    if not isinstance(text, str):
        raise _invalid("regelen må være tekst")
    if len(text) > _MAX_RULE_LENGTH:
        raise _invalid("regelen er for lang")
    body = text.strip().upper()
    if "DTSTART" in body:
        raise _invalid("DTSTART kan ikke stå i regelen; starttidspunktet angis separat")
    if "\n" in body or "\r" in body:
        raise _invalid("regelen kan bare ha én linje")
    if body.startswith("RRULE:"):
        body = body[len("RRULE:") :]
    if ":" in body:
        raise _invalid("bare én RRULE-verdi er tillatt")
    parts: dict[str, str] = {}
    for raw in body.split(";"):
        if not raw.strip():
            continue  # tolerate a trailing or doubled ';'
        name, sep, value = raw.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name or not value:
            raise _invalid(f"«{raw.strip()}» er ikke på formen NAVN=VERDI")
        if name not in _KNOWN_PARTS:
            raise _invalid(f"ukjent del «{name}»")
        if name in parts:
            raise _invalid(f"{name} står mer enn én gang")
        parts[name] = value
    if not parts:
        raise _invalid("regelen er tom")
    return parts


def _parse(text: str, dtstart: datetime) -> _ParsedRule:
    """Parse and check a rule (everything except counting occurrences)."""
    parts = _split_parts(text)
    freq = parts.get("FREQ")
    if freq is None:
        raise _invalid("FREQ mangler")
    if freq in _TOO_FINE_FREQS:
        raise _invalid(f"FREQ={freq} er ikke tillatt; hyppigste gjentakelse er daglig (DAILY)")
    if freq not in _ALLOWED_FREQS:
        raise _invalid(f"ukjent FREQ «{freq}» (bruk DAILY, WEEKLY, MONTHLY eller YEARLY)")

    normalised: dict[str, str] = {"FREQ": freq}
    numbers: dict[str, list[int]] = {}
    for name, value in parts.items():
        if name in _INT_LIST_PARTS:
            numbers[name] = _parse_int_list(name, value)
            normalised[name] = ",".join(str(n) for n in numbers[name])
        elif name == "BYDAY":
            normalised[name] = ",".join(_parse_byday(value, freq, "BYWEEKNO" in parts))
        elif name == "WKST":
            if value not in _WEEKDAYS:
                raise _invalid(f"WKST={value} er ikke en gyldig ukedag")
            normalised[name] = value
        elif name in ("COUNT", "INTERVAL"):
            number = _parse_int(name, value)
            if number < 1:
                raise _invalid(f"{name} må være minst 1")
            if name == "COUNT" and number > MAX_TOTAL_OCCURRENCES:
                raise RecurrenceError(
                    "Gjentakelsen gir for mange forekomster "
                    f"(mer enn {MAX_TOTAL_OCCURRENCES} totalt)"
                )
            normalised[name] = str(number)
        elif name == "UNTIL":
            normalised[name] = value

    # Combinations RFC 5545 forbids (dateutil would silently accept them).
    if "COUNT" in parts and "UNTIL" in parts:
        raise _invalid("COUNT og UNTIL kan ikke brukes sammen")
    if "BYWEEKNO" in parts and freq != "YEARLY":
        raise _invalid("BYWEEKNO kan bare brukes med FREQ=YEARLY")
    if "BYYEARDAY" in parts and freq != "YEARLY":
        raise _invalid("BYYEARDAY kan bare brukes med FREQ=YEARLY")
    if "BYMONTHDAY" in parts and freq == "WEEKLY":
        raise _invalid("BYMONTHDAY kan ikke brukes med FREQ=WEEKLY")
    if "BYSETPOS" in parts and not any(
        name.startswith("BY") and name != "BYSETPOS" for name in parts
    ):
        raise _invalid("BYSETPOS må brukes sammen med en annen BY-del")

    start = _wall_clock(dtstart).replace(microsecond=0)
    until: datetime | None = None
    if "UNTIL" in parts:
        until, date_only = _parse_until(parts["UNTIL"])
        too_early = until.date() < start.date() if date_only else until < start
        if too_early:
            raise _invalid("sluttdatoen (UNTIL) er før starttidspunktet")
        if until > _add_years(start, MAX_RULE_SPAN_YEARS):
            raise _invalid(
                f"sluttdatoen (UNTIL) kan ikke være mer enn {MAX_RULE_SPAN_YEARS} år "
                "etter starttidspunktet"
            )

    normalised_text = ";".join(f"{name}={value}" for name, value in normalised.items())
    bare = ";".join(
        f"{name}={value}" for name, value in normalised.items() if name not in ("COUNT", "UNTIL")
    )
    try:
        parsed = rrulestr(bare, dtstart=start)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:
        # Not expected after the checks above; dateutil's message is English.
        raise _invalid("regelen kunne ikke tolkes") from exc
    if not isinstance(parsed, rrule):  # pragma: no cover - single RRULE always gives rrule
        raise _invalid("regelen kunne ikke tolkes")

    times_per_day = 1
    for name in ("BYHOUR", "BYMINUTE", "BYSECOND"):
        times_per_day *= len(set(numbers.get(name, [0])))

    count = int(normalised["COUNT"]) if "COUNT" in normalised else None
    return _ParsedRule(normalised_text, parsed, start, count, until, times_per_day)


def _shift_years(dt: datetime, years: int) -> datetime:
    """Move ``dt`` by a multiple of 400 years (keeps 29 February valid)."""
    return dt.replace(year=dt.year + years)


def _iterate(parsed: _ParsedRule, horizon: datetime) -> Iterator[datetime]:
    """Yield the rule's wall-clock occurrences up to ``horizon`` (inclusive), lazily.

    dateutil only checks UNTIL when it has found an occurrence, so a rule that
    never matches (e.g. ``FREQ=DAILY;BYDAY=MO;BYSETPOS=2``) is searched day by day
    up to year 9999, which takes seconds.  The Gregorian calendar repeats exactly
    every 400 years (same weekdays, leap years and ISO weeks), so we evaluate the
    rule shifted by a multiple of 400 years towards year 9999, where dateutil's
    own end-of-calendar stop comes at most ~400 years after ``horizon``, and
    shift the occurrences back.  COUNT is applied here for the same reason.
    """
    end = horizon if parsed.until is None else min(horizon, parsed.until)
    if end < parsed.dtstart:
        return
    cycles = max(0, (datetime.max.year - 1 - end.year) // _GREGORIAN_CYCLE_YEARS)
    shift = cycles * _GREGORIAN_CYCLE_YEARS
    shifted = parsed.rule.replace(
        dtstart=_shift_years(parsed.dtstart, shift),
        until=_shift_years(end, shift),
        count=None,
    )
    for occurrence in islice(shifted, parsed.count):
        yield _shift_years(occurrence, -shift)


# --------------------------------------------------------------------------- public API


def validate_rrule(text: str, dtstart: datetime) -> str:
    """Check a user-supplied RRULE and return its normalised text.

    ``text`` is an RFC 5545 RRULE value, with or without the ``RRULE:`` prefix.
    ``dtstart`` is the start of the activity (naive = Oslo wall clock).  The
    rule is rejected with a Norwegian :class:`RecurrenceError` if it is
    malformed, has several lines, contains DTSTART, has unknown parts, repeats
    more often than daily, ends before it starts, produces no occurrences, or
    produces more than :data:`MAX_OCCURRENCES_PER_YEAR` occurrences in a
    calendar year or more than :data:`MAX_TOTAL_OCCURRENCES` in total.
    Unbounded rules (no COUNT/UNTIL) are allowed.

    The occurrences are counted lazily with caps, never materialised in full.
    A rule with a single time of day cannot occur more than once per day, so it
    satisfies the per-year bound by construction; rules with several times per
    day (BYHOUR/BYMINUTE/BYSECOND) are counted year by year, over their whole
    span if bounded and over the first years with occurrences otherwise.

    The returned text is uppercase, without ``RRULE:`` and with FREQ first (as
    RFC 5545 requires for backwards compatibility), ready to be stored.
    """
    parsed = _parse(text, dtstart)
    bounded = parsed.count is not None or parsed.until is not None
    horizon = _add_years(parsed.dtstart, MAX_RULE_SPAN_YEARS)

    total = 0
    per_year: Counter[int] = Counter()
    for occurrence in _iterate(parsed, horizon):
        total += 1
        if bounded and total > MAX_TOTAL_OCCURRENCES:
            raise RecurrenceError(
                f"Gjentakelsen gir for mange forekomster (mer enn {MAX_TOTAL_OCCURRENCES} totalt)"
            )
        per_year[occurrence.year] += 1
        if per_year[occurrence.year] > MAX_OCCURRENCES_PER_YEAR:
            raise RecurrenceError(
                "Gjentakelsen gir for mange forekomster "
                f"(mer enn {MAX_OCCURRENCES_PER_YEAR} i ett år)"
            )
        if not bounded:
            if parsed.times_per_day == 1:
                break  # at most one per day: only need to know that it occurs
            if len(per_year) > _YEARS_CHECKED:
                break
    if total == 0:
        raise RecurrenceError(
            "Gjentakelsesregelen gir ingen forekomster; kontroller regelen og startdatoen."
        )
    return parsed.normalised


def expand(
    rule: str,
    dtstart: datetime,
    window_start: datetime,
    window_end: datetime,
    exdates: Iterable[datetime] = (),
    cap: int = MAX_TOTAL_OCCURRENCES,
) -> list[datetime]:
    """Return the occurrences of ``rule`` within ``[window_start, window_end]``.

    This is what the årshjul, lists and exports use to show a recurring activity.
    The rule is evaluated on Oslo wall-clock time, so a weekly 09:00 activity is
    at 09:00 local time in both summer and winter.  Like ``rrule.between(...,
    inc=True)`` both window ends are inclusive, but the rule is walked lazily and
    never past the window, so unbounded rules are safe, and at most ``cap``
    occurrences (the earliest ones) are returned.

    Naive datetimes (``dtstart``, window, ``exdates``) mean Oslo wall clock.  The
    result is naive wall-clock datetimes if ``dtstart`` is naive and aware
    Europe/Oslo datetimes if it is aware; an occurrence falling in the spring DST
    gap is then moved forward by an hour (RFC 5545).  Occurrences whose
    wall-clock time equals an entry of ``exdates`` are left out.  Like dateutil,
    occurrences have whole-second precision (microseconds of ``dtstart`` are
    dropped).

    The rule is parsed and checked for syntax but not counted; run
    :func:`validate_rrule` on user input before storing it.
    """
    if cap < 1:
        raise ValueError("cap må være minst 1.")
    parsed = _parse(rule, dtstart)
    start = _as_instant(window_start)
    end = _as_instant(window_end)
    if end < start:
        return []
    excluded = {_wall_clock(exdate).replace(microsecond=0) for exdate in exdates}
    aware = dtstart.tzinfo is not None

    # Walk a little past the window on the wall clock, then filter on real
    # instants, so DST transitions at the window edges are handled exactly.
    margin = timedelta(days=1)
    try:
        horizon = _wall_clock(end) + margin
    except OverflowError:
        horizon = datetime.max
    results: list[datetime] = []
    for wall in _iterate(parsed, horizon):
        instant = _instant(wall)
        # No early break on ``instant > end``: a wall-clock time in the DST gap
        # maps to a later instant than the wall-clock times just after it.
        if instant < start or instant > end or wall in excluded:
            continue
        results.append(instant if aware else wall)
        if len(results) >= cap:
            break
    if aware:
        results.sort()  # a gap time moved forward may overtake its successor
    return results


def occurrences_in_year(
    rule: str,
    dtstart: datetime,
    year: int,
    exdates: Iterable[datetime] = (),
) -> list[datetime]:
    """Return the occurrences of ``rule`` in calendar ``year`` (Oslo time).

    Convenience wrapper around :func:`expand` for the årshjul, which always
    shows one year at a time.
    """
    window_start = datetime(year, 1, 1)
    window_end = datetime(year, 12, 31, 23, 59, 59, 999999)
    return expand(rule, dtstart, window_start, window_end, exdates)
