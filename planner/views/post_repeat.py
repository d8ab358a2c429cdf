"""The post form's repeat choices (gjentakelse) as an adviser sees them, and the RRULE
each one writes: :func:`rule_of` turns a choice into rule text, :func:`choice_of` reads
a stored rule back into a choice (``None`` when no choice matches, so the form shows the
rule as text under «Avansert»); :func:`repeat_labels` names the choices. The rule
itself is checked by the domain (:mod:`planner.domain.posts.recurrence`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from planner.domain.posts.rrule_text import split_rule

#: RFC 5545 weekday codes, Monday first (``date.weekday()`` order).
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKLY_KINDS = ("ukentlig", "annenhver-uke")
WEEKDAY_NAMES = (
    _l("mandag"),
    _l("tirsdag"),
    _l("onsdag"),
    _l("torsdag"),
    _l("fredag"),
    _l("lørdag"),
    _l("søndag"),
)
_DATE_RE = re.compile(r"\d{8}", re.ASCII)


@dataclass(frozen=True)
class RepeatChoice:
    """A human repeat choice: its kind (``""`` = does not repeat), the weekdays of a
    weekly rule and the last day (``Gjenta til``)."""

    kind: str
    weekdays: tuple[str, ...] = ()
    until: date | None = None


def nth_weekday(day: date) -> int:
    """Which of its month's weekdays ``day`` is: 2 for the second Tuesday."""
    return (day.day - 1) // 7 + 1


def rule_of(choice: RepeatChoice, start: date | None) -> str | None:
    """The RRULE text of a choice; the monthly weekday choices are read from ``start``.

    A weekly choice whose only weekday is the start's writes no BYDAY (the same rule)."""
    kind = choice.kind
    if kind in WEEKLY_KINDS:
        rule = "FREQ=WEEKLY" + (";INTERVAL=2" if kind == "annenhver-uke" else "")
        days = [code for code in WEEKDAY_CODES if code in choice.weekdays]
        if days and not (start and days == [WEEKDAY_CODES[start.weekday()]]):
            rule += ";BYDAY=" + ",".join(days)
    elif kind == "manedlig":
        rule = "FREQ=MONTHLY"
    elif kind in ("maned-nte", "maned-siste") and start is not None:
        code = WEEKDAY_CODES[start.weekday()]
        ordinal = -1 if kind == "maned-siste" else nth_weekday(start)
        rule = f"FREQ=MONTHLY;BYDAY={ordinal}{code}"
    elif kind == "arlig":
        rule = "FREQ=YEARLY"
    else:
        return None
    if choice.until is not None:
        rule += ";UNTIL=" + choice.until.strftime("%Y%m%d")
    return rule


def _until(parts: dict[str, str]) -> tuple[bool, date | None]:
    """Pop a date-only UNTIL: ``(True, day)``, ``(True, None)`` when absent, and
    ``(False, None)`` for one no choice can show (a time or a malformed value)."""
    text = parts.pop("UNTIL", None)
    if text is None:
        return True, None
    if not _DATE_RE.fullmatch(text):
        return False, None
    try:
        return True, datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        return False, None


def _weekdays(byday: str | None, start: date | None) -> tuple[str, ...] | None:
    """The weekdays of a weekly rule (the start's when BYDAY is absent), or ``None``
    when BYDAY holds anything but plain, distinct weekdays."""
    if byday is None:
        return (WEEKDAY_CODES[start.weekday()],) if start else ()
    days = byday.split(",")
    if len(set(days)) != len(days) or any(d not in WEEKDAY_CODES for d in days):
        return None
    return tuple(code for code in WEEKDAY_CODES if code in days)


def _monthly_kind(byday: str | None, start: date | None) -> str | None:
    """``manedlig``, ``maned-nte`` or ``maned-siste`` for a monthly rule, when it is
    the start date's own weekday position; else ``None``."""
    if byday is None:
        return "manedlig"
    if start is None:
        return None
    code = WEEKDAY_CODES[start.weekday()]
    if byday in (f"-1{code}",):
        return "maned-siste"
    if byday in (f"{nth_weekday(start)}{code}", f"+{nth_weekday(start)}{code}"):
        return "maned-nte"
    return None


def choice_of(rule: str | None, start: date | None) -> RepeatChoice | None:
    """The human choice that writes ``rule`` (the inverse of :func:`rule_of`), or
    ``None`` when no choice does."""
    if not rule or not rule.strip():
        return RepeatChoice("")
    split = split_rule(rule)
    parts = {name: value for _raw, name, value in split}
    if len(parts) != len(split):
        return None
    known, until = _until(parts)
    freq = parts.pop("FREQ", None)
    interval = parts.pop("INTERVAL", "1")
    byday = parts.pop("BYDAY", None)
    if not known or parts or interval not in ("1", "2"):
        return None
    if freq == "WEEKLY":
        days = _weekdays(byday, start)
        if days is None:
            return None
        return RepeatChoice(WEEKLY_KINDS[int(interval) - 1], days, until)
    if interval != "1":
        return None
    kind = _monthly_kind(byday, start) if freq == "MONTHLY" else None
    if freq == "YEARLY" and byday is None:
        kind = "arlig"
    return RepeatChoice(kind, until=until) if kind else None


def repeat_labels(start: date | None) -> dict[str, str]:
    """The repeat choices' labels; the monthly weekday ones read the start date."""
    labels = {
        "": gettext("Gjentas ikke"),
        "ukentlig": gettext("Hver uke"),
        "annenhver-uke": gettext("Annenhver uke"),
        "manedlig": gettext("Hver måned samme dato"),
        "arlig": gettext("Hvert år"),
        "egen": gettext("Egen regel (se «Avansert» nedenfor)"),
    }
    if start is None:
        labels["maned-nte"] = gettext("Samme ukedag og uke i måneden som startdatoen")
        labels["maned-siste"] = gettext("Siste samme ukedag i måneden som startdatoen")
    else:
        day = str(WEEKDAY_NAMES[start.weekday()])
        labels["maned-nte"] = gettext("%(n)s. %(day)s i måneden", n=nth_weekday(start), day=day)
        labels["maned-siste"] = gettext("Siste %(day)s i måneden", day=day)
    return labels
