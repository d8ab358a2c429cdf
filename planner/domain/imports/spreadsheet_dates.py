"""Dates, times, ISO weeks and months in planners' spreadsheets, in the ways Norwegians
write them («01.03.2026», «1. mars», «uke 8–9», «kl. 09.00»). Pure: no Flask, no database.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, time, timedelta
from typing import Any

from planner.domain.dates import MONTH_NAMES as _DATE_MONTHS
from planner.domain.dates import weeks_in_iso_year
from planner.domain.imports.spreadsheet_cells import CellError, cell_text, normalise_heading

MONTH_NAMES = _DATE_MONTHS[1:]  # januar..desember, index 0 = januar
#: Month names and their short forms (Norwegian and English) → month number.
MONTH_WORDS: dict[str, int] = {}
for _i, _name in enumerate(MONTH_NAMES, 1):
    MONTH_WORDS[_name] = _i
    MONTH_WORDS[_name[:3]] = _i
MONTH_WORDS.update(
    {
        "sept": 9,
        "okt": 10,
        "des": 12,
        "january": 1,
        "february": 2,
        "march": 3,
        "may": 5,
        "june": 6,
        "july": 7,
        "october": 10,
        "oct": 10,
        "december": 12,
        "dec": 12,
    }
)

_DATE_DMY = re.compile(r"(\d{1,2})[./](\d{1,2})(?:[./](\d{2}|\d{4}))?\.?")
_DATE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DATE_WORDS = re.compile(r"(\d{1,2})\.?\s*([a-zæøå]+)\.?(?:\s+(\d{4}))?")
_TIME = re.compile(r"(?:kl\.?\s*)?(\d{1,2})(?:[:.](\d{2}))?")
_WEEKDAY_PREFIX = re.compile(
    r"^(?:man|tir|ons|tor|fre|lør|søn)[a-zæøå]*\.?\s+", re.IGNORECASE | re.UNICODE
)


def parse_date_value(value: Any, year: int) -> tuple[date, time | None]:
    """A date (and a time if the cell had one) from a cell: Excel dates, «01.03.2026»,
    «1.3.26», «1.3.» (the import year), «2026-03-01», «1. mars», «man. 2.3.2026»."""
    if isinstance(value, datetime):
        return value.date(), (value.time() if value.time() != time() else None)
    if isinstance(value, date):
        return value, None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 36526 <= value <= 73051:  # an Excel serial date between 2000 and 2100
            moment = datetime(1899, 12, 30) + timedelta(days=float(value))
            return moment.date(), None
        raise CellError(f"«{cell_text(value)}» er ikke en gyldig dato.")
    text = _WEEKDAY_PREFIX.sub("", cell_text(value)).casefold()
    clock: time | None = None
    if " " in text and re.search(r"\d[:.]\d{2}$", text):
        text, _, clock_text = text.rpartition(" ")
        clock = parse_time_value(clock_text)[0]
        text = text.removesuffix(" kl.").removesuffix(" kl").strip()
    original = cell_text(value)
    try:
        if match := _DATE_ISO.fullmatch(text):
            y, m, d = (int(g) for g in match.groups())
        elif match := _DATE_DMY.fullmatch(text):
            d, m = int(match.group(1)), int(match.group(2))
            y = int(match.group(3)) if match.group(3) else year
            if y < 100:
                y += 2000
        elif (match := _DATE_WORDS.fullmatch(text)) and match.group(2) in MONTH_WORDS:
            d, m = int(match.group(1)), MONTH_WORDS[match.group(2)]
            y = int(match.group(3)) if match.group(3) else year
        else:
            raise CellError(
                f"«{original}» er ikke en gyldig dato. Skriv datoen som dd.mm.åååå, "
                "for eksempel 01.03.2026."
            )
        return date(y, m, d), clock
    except ValueError as exc:
        if isinstance(exc, CellError):
            raise
        raise CellError(f"«{original}» er ikke en gyldig dato.") from None


def parse_time_value(value: Any) -> tuple[time, time | None]:
    """A time of day, or a range «09:00–10:30» (start, end); Excel times are accepted."""
    if isinstance(value, datetime):
        return value.time().replace(second=0, microsecond=0), None
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0), None
    if isinstance(value, float) and 0 <= value < 1:
        minutes = round(value * 24 * 60)
        return time(minutes // 60 % 24, minutes % 60), None
    text = cell_text(value).casefold()
    parts = [p.strip() for p in re.split(r"\s*[–—-]\s*|\s+til\s+", text) if p.strip()]
    if not 1 <= len(parts) <= 2:
        raise CellError(f"«{cell_text(value)}» er ikke et gyldig klokkeslett (skriv 09:00).")
    found: list[time] = []
    for part in parts:
        match = _TIME.fullmatch(part)
        if not match or int(match.group(1)) > 23 or int(match.group(2) or 0) > 59:
            raise CellError(f"«{cell_text(value)}» er ikke et gyldig klokkeslett (skriv 09:00).")
        found.append(time(int(match.group(1)), int(match.group(2) or 0)))
    return found[0], (found[1] if len(found) == 2 else None)


def parse_week_value(value: Any, year: int) -> tuple[int, int]:
    """An ISO week or a range of weeks: 9, «uke 9», «U9», «2026-W09», «uke 8–9»."""
    original = cell_text(value)
    text = original.casefold()
    if match := re.fullmatch(r"(\d{4})-?w(\d{1,2})", text):
        text = match.group(2)
    text = re.sub(r"^(?:uke|veke|week|u|w)\.?\s*", "", text)
    match = re.fullmatch(
        r"(\d{1,2})(?:\s*(?:[–—/-]|og|til)\s*(?:uke\s*|veke\s*|u)?(\d{1,2}))?", text
    )
    if not match:
        raise CellError(f"«{original}» er ikke et gyldig ukenummer (skriv for eksempel 9).")
    first = int(match.group(1))
    last = int(match.group(2)) if match.group(2) else first
    top = weeks_in_iso_year(year)
    for week in (first, last):
        if not 1 <= week <= top:
            raise CellError(f"«{original}»: uke {week} finnes ikke i {year}.")
    if last < first:
        raise CellError(f"«{original}»: siste uke kan ikke være før første uke.")
    return first, last


def parse_month_value(value: Any) -> int:
    """A month from a number (1–12) or a Norwegian month name («mars», «Mar.»)."""
    if isinstance(value, datetime | date):
        return value.month
    text = normalise_heading(value)
    if text.isdigit() and 1 <= int(text) <= 12:
        return int(text)
    first = text.split()[0] if text else ""
    if first in MONTH_WORDS:
        return MONTH_WORDS[first]
    raise CellError(f"«{cell_text(value)}» er ikke en måned (skriv for eksempel mars eller 3).")


def month_span(year: int, month: int) -> tuple[date, date]:
    """The first and last day of a month."""
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def week_span(year: int, first: int, last: int) -> tuple[date, date]:
    """Monday of the first ISO week to Sunday of the last."""
    return date.fromisocalendar(year, first, 1), date.fromisocalendar(year, last, 7)


def midnight(day: date) -> datetime:
    """The start of a day (how all-day posts are stored)."""
    return datetime.combine(day, time())


def period_in_date_cell(value: Any, year: int) -> tuple[date, date] | None:
    """A week («uke 9», «uke 8–9») or a month name («mars») written in a date column."""
    if not isinstance(value, str):
        return None
    text = value.strip().casefold()
    if re.match(r"(?:uke|veke)\b", text):
        try:
            return week_span(year, *parse_week_value(text, year))
        except CellError:
            return None
    if text.rstrip(".") in MONTH_WORDS:
        return month_span(year, MONTH_WORDS[text.rstrip(".")])
    return None
