"""Reading an RFC 5545 RRULE's text: split it into parts, check every part and the
combinations RFC 5545 forbids, bound UNTIL, and build the dateutil rule on Oslo
wall-clock time. :mod:`planner.domain.posts.recurrence` counts and expands the result.

Every refusal is a :class:`RecurrenceError` with a Norwegian message shown as is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from dateutil.rrule import rrule, rrulestr

from planner.domain.dates import OSLO

#: Upper bound on the total number of occurrences of a bounded rule (COUNT or
#: UNTIL): ten years of a daily rule.
MAX_TOTAL_OCCURRENCES = 3660

#: UNTIL may be at most this many years after the start.  Keeps validation (which
#: walks the rule up to UNTIL) cheap even for very sparse rules.
MAX_RULE_SPAN_YEARS = 100

_MAX_RULE_LENGTH = 4000
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
class ParsedRule:
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


def wall_clock(dt: datetime) -> datetime:
    """Return ``dt`` as naive Oslo wall-clock time (naive input is already that)."""
    if dt.tzinfo is not None:
        dt = dt.astimezone(OSLO).replace(tzinfo=None)
    return dt


def add_years(dt: datetime, years: int) -> datetime:
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


def rule_body(text: str) -> str:
    """RRULE text upper-cased and stripped, without a leading ``RRULE:``."""
    body = text.strip().upper()
    if body.startswith("RRULE:"):
        body = body[len("RRULE:") :]
    return body


def split_rule(text: str) -> list[tuple[str, str, str]]:
    """The ``NAME=VALUE`` parts of RRULE text as ``(part, name, value)``, each stripped and
    upper-cased, without a leading ``RRULE:``. Blank parts (a trailing or doubled ``;``)
    are skipped; ``value`` is ``""`` when a part has no ``=``.

    The one splitter of rule text: :func:`parse_rule` checks the parts strictly, the
    calendar feeds read them leniently."""
    parts = []
    for raw in rule_body(text).split(";"):
        if not raw.strip():
            continue
        name, _, value = raw.partition("=")
        parts.append((raw.strip(), name.strip(), value.strip()))
    return parts


def _split_parts(text: str) -> dict[str, str]:
    """Split rule text into uppercase ``{NAME: value}``; reject structural problems."""
    if not isinstance(text, str):
        raise _invalid("regelen må være tekst")
    if len(text) > _MAX_RULE_LENGTH:
        raise _invalid("regelen er for lang")
    body = rule_body(text)
    if "DTSTART" in body:
        raise _invalid("DTSTART kan ikke stå i regelen; starttidspunktet angis separat")
    if "\n" in body or "\r" in body:
        raise _invalid("regelen kan bare ha én linje")
    if ":" in body:
        raise _invalid("bare én RRULE-verdi er tillatt")
    parts: dict[str, str] = {}
    for raw, name, value in split_rule(body):
        if not name or not value:
            raise _invalid(f"«{raw}» er ikke på formen NAVN=VERDI")
        if name not in _KNOWN_PARTS:
            raise _invalid(f"ukjent del «{name}»")
        if name in parts:
            raise _invalid(f"{name} står mer enn én gang")
        parts[name] = value
    if not parts:
        raise _invalid("regelen er tom")
    return parts


def _frequency(parts: dict[str, str]) -> str:
    """The rule's FREQ, refused when missing, finer than daily or unknown."""
    freq = parts.get("FREQ")
    if freq is None:
        raise _invalid("FREQ mangler")
    if freq in _TOO_FINE_FREQS:
        raise _invalid(f"FREQ={freq} er ikke tillatt; hyppigste gjentakelse er daglig (DAILY)")
    if freq not in _ALLOWED_FREQS:
        raise _invalid(f"ukjent FREQ «{freq}» (bruk DAILY, WEEKLY, MONTHLY eller YEARLY)")
    return freq


def _normalise(parts: dict[str, str], freq: str) -> tuple[dict[str, str], dict[str, list[int]]]:
    """Every part checked and written the one way it is stored (FREQ first), and the
    integer lists by name."""
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
    return normalised, numbers


def _check_combinations(parts: dict[str, str], freq: str) -> None:
    """Combinations RFC 5545 forbids (dateutil would silently accept them)."""
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


def _until(parts: dict[str, str], start: datetime) -> datetime | None:
    """UNTIL as naive wall-clock time, refused before the start or too far after it."""
    if "UNTIL" not in parts:
        return None
    until, date_only = _parse_until(parts["UNTIL"])
    too_early = until.date() < start.date() if date_only else until < start
    if too_early:
        raise _invalid("sluttdatoen (UNTIL) er før starttidspunktet")
    if until > add_years(start, MAX_RULE_SPAN_YEARS):
        raise _invalid(
            f"sluttdatoen (UNTIL) kan ikke være mer enn {MAX_RULE_SPAN_YEARS} år "
            "etter starttidspunktet"
        )
    return until


def _dateutil_rule(normalised: dict[str, str], start: datetime) -> rrule:
    """The rule without COUNT and UNTIL as a dateutil ``rrule`` from ``start``."""
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
    return parsed


def parse_rule(text: str, dtstart: datetime) -> ParsedRule:
    """Parse and check a rule (everything except counting occurrences)."""
    parts = _split_parts(text)
    freq = _frequency(parts)
    normalised, numbers = _normalise(parts, freq)
    _check_combinations(parts, freq)
    start = wall_clock(dtstart).replace(microsecond=0)
    until = _until(parts, start)
    normalised_text = ";".join(f"{name}={value}" for name, value in normalised.items())
    parsed = _dateutil_rule(normalised, start)
    times_per_day = 1
    for name in ("BYHOUR", "BYMINUTE", "BYSECOND"):
        times_per_day *= len(set(numbers.get(name, [0])))
    count = int(normalised["COUNT"]) if "COUNT" in normalised else None
    return ParsedRule(normalised_text, parsed, start, count, until, times_per_day)
