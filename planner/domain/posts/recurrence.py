"""Recurring activities: validation and expansion of RFC 5545 RRULEs.

Activities in the årshjul can repeat ("hver mandag", "første tirsdag i måneden").
They are stored as an RFC 5545 RRULE value next to their start time, so that the
same rule can be exported to iCalendar unchanged.  This module is the only place
that interprets those rules:

* :func:`validate_rrule` checks user input (syntax, sensible bounds) and returns
  a normalised rule text to store (the text is read in
  :mod:`planner.domain.posts.rrule_text`);
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

from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from itertools import islice

from planner.domain.dates import OSLO
from planner.domain.posts.rrule_text import (
    MAX_RULE_SPAN_YEARS,
    MAX_TOTAL_OCCURRENCES,
    ParsedRule,
    RecurrenceError,
    add_years,
    parse_rule,
    wall_clock,
)

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

#: Unbounded rules with several occurrences per day are counted over this many
#: calendar years (28 years is the cycle of weekdays and leap years).
_YEARS_CHECKED = 28

_GREGORIAN_CYCLE_YEARS = 400


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


def _shift_years(dt: datetime, years: int) -> datetime:
    """Move ``dt`` by a multiple of 400 years (keeps 29 February valid)."""
    return dt.replace(year=dt.year + years)


def _iterate(parsed: ParsedRule, horizon: datetime) -> Iterator[datetime]:
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
    parsed = parse_rule(text, dtstart)
    bounded = parsed.count is not None or parsed.until is not None
    horizon = add_years(parsed.dtstart, MAX_RULE_SPAN_YEARS)

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
    parsed = parse_rule(rule, dtstart)
    start = _as_instant(window_start)
    end = _as_instant(window_end)
    if end < start:
        return []
    excluded = {wall_clock(exdate).replace(microsecond=0) for exdate in exdates}
    aware = dtstart.tzinfo is not None

    # Walk a little past the window on the wall clock, then filter on real
    # instants, so DST transitions at the window edges are handled exactly.
    margin = timedelta(days=1)
    try:
        horizon = wall_clock(end) + margin
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
