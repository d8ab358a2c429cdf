"""The file of an .ics import before it is parsed: recognised, decoded and checked cheaply
(size, encoding, shape, nesting, number of events and time zones), and its time zones
checked once parsed. Every refusal is an :class:`IcsImportError` with a Norwegian reason.
Pure: no Flask, no database.
"""

from __future__ import annotations

from icalendar import Calendar

from planner.domain.imports.ics_model import MAX_BYTES, MAX_EVENTS, IcsImportError

_MAX_LINES = 200_000
_MAX_DEPTH = 4
_MAX_TIMEZONES = 50


def looks_like_ics(raw: bytes) -> bool:
    """Whether ``raw`` starts like an iCalendar file (after a BOM and white space)."""
    head = raw[:512]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            head = head.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return False
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return head[:15].upper() == b"BEGIN:VCALENDAR"


def decode_ics(raw: bytes) -> str:
    """The text of the file: UTF-8 (a BOM is allowed), or UTF-16 with a BOM.

    Anything else is refused with a Norwegian message saying where the bad byte is;
    guessing (Windows-1252?) would silently garble æ, ø and å.
    """
    if len(raw) > MAX_BYTES:
        raise IcsImportError(
            [
                f"Filen er for stor ({len(raw) / 1024 / 1024:.1f} MB). "
                f"Største tillatte størrelse er {MAX_BYTES // 1024 // 1024} MB."
            ]
        )
    if not raw.strip():
        raise IcsImportError(["Filen er tom."])
    try:
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = raw.decode("utf-16")
        else:
            text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IcsImportError(
            [
                "Filen er ikke lagret som UTF-8 (ugyldig tegn ved byte "
                f"{exc.start + 1}). Eksporter kalenderen på nytt med tegnkoding UTF-8, "
                "så æ, ø og å kommer riktig med."
            ]
        ) from None
    if "\x00" in text:
        raise IcsImportError(["Filen inneholder binære data og er ikke en kalenderfil (.ics)."])
    return text


def check_structure(text: str) -> None:
    """Cheap checks before the real parser: shape, size, nesting."""
    stripped = text.lstrip(" \t\r\n")
    if not stripped[:15].upper() == "BEGIN:VCALENDAR":
        raise IcsImportError(
            ["Filen er ikke en iCalendar-fil (.ics): den må begynne med BEGIN:VCALENDAR."]
        )
    lines = text.splitlines()
    if len(lines) > _MAX_LINES:
        raise IcsImportError([f"Filen har for mange linjer (over {_MAX_LINES})."])
    depth = events = timezones = 0
    for number, line in enumerate(lines, 1):
        upper = line[:40].upper()
        if upper.startswith("BEGIN:"):
            depth += 1
            if depth > _MAX_DEPTH:
                raise IcsImportError([f"Linje {number}: komponentene er nøstet for dypt."])
            name = upper[6:].strip()
            events += name == "VEVENT"
            timezones += name == "VTIMEZONE"
        elif upper.startswith("END:"):
            depth -= 1
            if depth < 0:
                raise IcsImportError([f"Linje {number}: END uten tilhørende BEGIN."])
    if depth != 0:
        raise IcsImportError(["Filen er avkortet eller ødelagt: en BEGIN mangler sin END."])
    if events > MAX_EVENTS:
        raise IcsImportError(
            [f"Filen har {events} hendelser; høyst {MAX_EVENTS} kan importeres om gangen."]
        )
    if timezones > _MAX_TIMEZONES:
        raise IcsImportError([f"Filen har for mange tidssoner ({timezones})."])


def check_timezones(calendar: Calendar, problems: list[str]) -> None:
    """Time zone rules must be yearly (a hostile VTIMEZONE could ask for millions)."""
    for tz in calendar.walk("VTIMEZONE"):
        for sub in tz.subcomponents:
            rule = sub.get("rrule")
            if rule is None:
                continue
            freq = rule.get("FREQ") if hasattr(rule, "get") else None
            if not freq or str(freq[0]).upper() != "YEARLY":
                problems.append(
                    f"Tidssonen «{tz.get('tzid')}» har en ugyldig regel (må gjenta seg årlig)."
                )
