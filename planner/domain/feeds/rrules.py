"""RRULEs as calendar clients read them: which rules Outlook understands, and a rule rewritten
to end at a given occurrence (UNTIL instead of COUNT).

Outlook imports only the recurrence templates of MS-OXCICAL 2.1.3.2.2 and "gracefully
fails" on anything else (it shows the first occurrence only), so a series whose rule is not
one of them is published expanded (:mod:`planner.domain.feeds.series`).
"""

from __future__ import annotations

from datetime import UTC, datetime

from planner.domain.dates import to_oslo
from planner.domain.posts.rrule_text import split_rule

_OUTLOOK_ORDINALS = {"1", "2", "3", "4", "-1"}
_PLAIN_DAYS = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"}


def rule_parts(rule: str) -> dict[str, str]:
    """The rule's parts by name (upper case), with or without the ``RRULE:`` prefix, read
    leniently (a later part wins)."""
    return {name: value for _, name, value in split_rule(rule) if name}


def _nth_pattern(parts: dict[str, str]) -> bool:
    """BYDAY=2TH (one ordinal weekday) or BYDAY=MO,TU…;BYSETPOS=n (Outlook's "n-th")."""
    days = parts["BYDAY"].split(",")
    if "BYSETPOS" in parts:
        return parts["BYSETPOS"] in _OUTLOOK_ORDINALS and all(d in _PLAIN_DAYS for d in days)
    if len(days) != 1:
        return False
    ordinal, weekday = days[0][:-2], days[0][-2:]
    return weekday in _PLAIN_DAYS and ordinal.lstrip("+") in _OUTLOOK_ORDINALS


def outlook_compatible(rule: str) -> bool:
    """Whether an RRULE fits one of the recurrence templates Outlook imports
    (MS-OXCICAL 2.1.3.2.2: daily, weekly, monthly, monthly n-th, yearly, yearly n-th).

    Outlook "gracefully fails" on anything else (it shows only the first occurrence), so
    such series are published expanded instead. Google and Apple understand both forms.
    """
    parts = rule_parts(rule)
    freq = parts.get("FREQ")
    allowed_common = {"FREQ", "INTERVAL", "COUNT", "UNTIL", "WKST"}
    extra = set(parts) - allowed_common
    if freq == "DAILY":
        return not extra
    if freq == "WEEKLY":
        if extra - {"BYDAY"}:
            return False
        return all(d in _PLAIN_DAYS for d in parts.get("BYDAY", "MO").split(","))
    if freq == "MONTHLY":
        if not extra:
            return True
        if extra == {"BYMONTHDAY"}:
            return "," not in parts["BYMONTHDAY"] and parts["BYMONTHDAY"] != "-0"
        if extra in ({"BYDAY"}, {"BYDAY", "BYSETPOS"}):
            return _nth_pattern(parts)
        return False
    if freq == "YEARLY":
        if extra <= {"BYMONTH", "BYMONTHDAY"}:
            return all("," not in parts[p] for p in extra)
        if extra in ({"BYDAY", "BYMONTH"}, {"BYDAY", "BYMONTH", "BYSETPOS"}):
            return "," not in parts["BYMONTH"] and _nth_pattern(parts)
        return False
    return False


def rule_with_until(rule: str, last: datetime, all_day: bool) -> str:
    """The rule without COUNT/UNTIL, ending at ``last`` (an occurrence, Oslo wall clock)."""
    parts = {k: v for k, v in rule_parts(rule).items() if k not in ("COUNT", "UNTIL")}
    if all_day:
        parts["UNTIL"] = last.strftime("%Y%m%d")
    else:
        parts["UNTIL"] = to_oslo(last).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return ";".join(f"{k}={v}" for k, v in parts.items())
