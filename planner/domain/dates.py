"""Date, week and time zone helpers for the planner.

Everything the planner shows is in Norwegian (bokmål), in the Europe/Oslo time
zone and uses ISO weeks, because that is how Norwegian municipalities plan and
talk about their year ("uke 9", "01.03.2026").  The functions here are pure
(apart from :func:`now_oslo`) and have no Flask or database dependencies, so the
rest of the application can rely on one consistent definition.

Naive datetimes are, throughout the planner, *wall-clock time in Europe/Oslo*.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

__all__ = [
    "MONTH_NAMES",
    "OSLO",
    "WEEKDAY_NAMES",
    "format_date",
    "format_datetime",
    "is_nonexistent_local_time",
    "iso_week",
    "monday_of_iso_week",
    "now_oslo",
    "parse_norwegian_date",
    "public_holidays",
    "to_oslo",
    "week_label",
    "week_range_label",
    "weeks_in_iso_year",
]

OSLO = ZoneInfo("Europe/Oslo")

#: Norwegian month names; index 1..12 (index 0 is an empty placeholder so that
#: ``MONTH_NAMES[d.month]`` works directly).
MONTH_NAMES: tuple[str, ...] = (
    "",
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
)

#: Norwegian weekday names; index 0..6 matches :meth:`datetime.date.weekday`
#: (0 = mandag).
WEEKDAY_NAMES: tuple[str, ...] = (
    "mandag",
    "tirsdag",
    "onsdag",
    "torsdag",
    "fredag",
    "lørdag",
    "søndag",
)

_EN_DASH = "\u2013"
_NORWEGIAN_DATE_RE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", re.ASCII)
_ISO_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)


# --------------------------------------------------------------------------- time zone


def now_oslo() -> datetime:
    """Return the current time as an aware datetime in Europe/Oslo.

    Use this instead of ``datetime.now()`` so that "today" and "this week" are
    always the Norwegian ones, whatever time zone the server runs in.
    """
    return datetime.now(OSLO)


def to_oslo(dt: datetime) -> datetime:
    """Return ``dt`` as an aware datetime in Europe/Oslo.

    A naive ``dt`` is treated as Oslo wall-clock time (the planner's convention).
    Ambiguous wall-clock times (the repeated hour in October) resolve to the first
    occurrence, and non-existent times (the skipped hour in March) are moved
    forward by the length of the gap (02:30 becomes 03:30 CEST), which is the
    interpretation RFC 5545 prescribes.  An aware ``dt`` is converted to Oslo.
    """
    if dt.tzinfo is None:
        # fold=0 + UTC round trip: gaps use the pre-transition offset (RFC 5545)
        # and the result is normalised to a wall-clock time that really exists.
        return dt.replace(tzinfo=OSLO, fold=0).astimezone(UTC).astimezone(OSLO)
    return dt.astimezone(OSLO)


def is_nonexistent_local_time(naive_dt: datetime) -> bool:
    """Tell whether a wall-clock time is skipped by a DST change in Oslo.

    For example 2026-03-29 02:30 does not exist: clocks jump from 02:00 to 03:00.
    Forms use this to warn the user instead of silently moving the time.  The
    check is a zoneinfo round trip: a wall-clock time exists if converting it to
    UTC and back gives the same wall-clock time for at least one ``fold``.

    A naive datetime is interpreted in Europe/Oslo; for an aware datetime its
    wall-clock time is checked in its own time zone.
    """
    tz = naive_dt.tzinfo if naive_dt.tzinfo is not None else OSLO
    wall = naive_dt.replace(tzinfo=None)
    for fold in (0, 1):
        candidate = wall.replace(tzinfo=tz, fold=fold)
        if candidate.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == wall:
            return False
    return True


def _local_date(d: date | datetime) -> date:
    """Return the calendar date of ``d``; aware datetimes are seen from Oslo."""
    if isinstance(d, datetime):
        return to_oslo(d).date() if d.tzinfo is not None else d.date()
    return d


# --------------------------------------------------------------------------- formatting


def format_date(d: date | datetime) -> str:
    """Format a date the Norwegian way, e.g. ``"01.03.2026"``.

    Aware datetimes are converted to Oslo first, so an event at 23:30 UTC shows
    up on the date the Norwegian reader experiences it.
    """
    local = _local_date(d)
    return f"{local.day:02d}.{local.month:02d}.{local.year:04d}"


def format_datetime(dt: datetime) -> str:
    """Format a datetime the Norwegian way, e.g. ``"01.03.2026 kl. 09:00"``.

    Naive datetimes are shown as they are (Oslo wall clock); aware datetimes are
    converted to Oslo first.
    """
    local = to_oslo(dt) if dt.tzinfo is not None else dt
    return f"{format_date(local)} kl. {local.hour:02d}:{local.minute:02d}"


# --------------------------------------------------------------------------- ISO weeks


def iso_week(d: date | datetime) -> tuple[int, int]:
    """Return ``(iso_year, week)`` for ``d``.

    The ISO year differs from the calendar year around New Year: 2027-01-01 is in
    week 53 of ISO year 2026.  Aware datetimes are seen from Oslo.
    """
    iso = _local_date(d).isocalendar()
    return iso.year, iso.week


def week_label(d: date | datetime) -> str:
    """Return the Norwegian week label for ``d``, e.g. ``"uke 9"``."""
    return f"uke {iso_week(d)[1]}"


def week_range_label(start: date, end: date) -> str:
    """Return a compact label for the ISO weeks spanned by ``start``..``end``.

    ``"uke 9"`` when both dates are in the same week, ``"uke 8–9"`` within one ISO
    year, and ``"uke 52 (2026)–1 (2027)"`` when the range crosses an ISO year so
    the reader is not left guessing which week 1 is meant.
    """
    start_year, start_week = iso_week(start)
    end_year, end_week = iso_week(end)
    if (end_year, end_week) < (start_year, start_week):
        raise ValueError(
            f"Sluttdatoen ({format_date(end)}) kan ikke være før "
            f"startdatoen ({format_date(start)})."
        )
    if (start_year, start_week) == (end_year, end_week):
        return f"uke {start_week}"
    if start_year == end_year:
        return f"uke {start_week}{_EN_DASH}{end_week}"
    return f"uke {start_week} ({start_year}){_EN_DASH}{end_week} ({end_year})"


def weeks_in_iso_year(iso_year: int) -> int:
    """Return the number of ISO weeks (52 or 53) in ``iso_year``.

    28 December is always in the last ISO week of its year.
    """
    return date(iso_year, 12, 28).isocalendar().week


def monday_of_iso_week(iso_year: int, week: int) -> date:
    """Return the Monday that starts ISO week ``week`` of ``iso_year``.

    Raises ``ValueError`` with a Norwegian message for weeks that do not exist,
    e.g. week 53 of 2027.
    """
    if not 1 <= week <= weeks_in_iso_year(iso_year):
        raise ValueError(f"Uke {week} finnes ikke i {iso_year}.")
    return date.fromisocalendar(iso_year, week, 1)


# --------------------------------------------------------------------------- parsing


def parse_norwegian_date(text: str) -> date:
    """Parse a date typed by a user.

    Accepts ``"01.03.2026"``, ``"1.3.2026"`` and ISO ``"2026-03-01"`` (what
    ``<input type="date">`` sends).  Anything else raises ``ValueError`` with a
    Norwegian message that can be shown in the form as is; dates that have the
    right format but do not exist (e.g. 29.02.2027) are reported as such.
    """
    cleaned = text.strip()
    match = _NORWEGIAN_DATE_RE.fullmatch(cleaned)
    if match:
        day, month, year = (int(part) for part in match.groups())
    else:
        match = _ISO_DATE_RE.fullmatch(cleaned)
        if not match:
            raise ValueError(f"Ugyldig dato: «{cleaned}». Bruk formatet dd.mm.åååå.")
        year, month, day = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        detail = f"{day:02d}.{month:02d}.{year:04d} finnes ikke"
        if (day, month) == (29, 2):
            detail += f" ({year} er ikke et skuddår)"
        raise ValueError(f"Ugyldig dato: «{cleaned}». {detail}.") from None


# --------------------------------------------------------------------------- holidays


@lru_cache(maxsize=64)
def _public_holidays_cached(year: int) -> tuple[tuple[date, str], ...]:
    """Compute (and cache) the sorted Norwegian public holidays of ``year``."""
    # include_sundays=False is the library default, but we spell it out: every
    # Sunday is a "helligdag" in Norway, and we only want the named holidays.
    calendar = holidays.Norway(years=year, language="no", include_sundays=False)
    return tuple(sorted(calendar.items()))


def public_holidays(year: int) -> dict[date, str]:
    """Return Norway's public holidays in ``year`` with Norwegian names.

    Plain Sundays are not included (the ``holidays`` package can list every
    Sunday as a holiday), but named holidays that fall on a Sunday are, such as
    første påskedag and første pinsedag.  Used to mark "røde dager" in the
    årshjul and to warn when something is planned on one.
    """
    return dict(_public_holidays_cached(year))


def format_utc(dt: datetime) -> str:
    """A stored naive-UTC timestamp shown in Oslo time: ``21.11.2026 kl. 09:05``."""
    return format_datetime(dt.replace(tzinfo=UTC).astimezone(OSLO))
