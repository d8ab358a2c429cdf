"""Date rules for the recommended årshjul, resolved for a given year.

Much of the municipal year is known in advance, but not as fixed calendar dates: the
kindergarten deadline is 1 March, vinterferie is "uke 9", the council meets on the
second Thursday, opening hours change around Easter, and a reminder goes out "14 days
before the deadline". The seed file (``seeds/recommended.toml``) therefore stores a
*rule* for every date, and this module turns a set of named rules into concrete dates
for one year.

Supported rule specs (plain dicts, as read from TOML):

* ``{rule = "fixed", month = 3, day = 1}``
* ``{rule = "nth_weekday", month = 10, weekday = "MO", n = 2}`` (``n = -1`` is the last)
* ``{rule = "iso_week", week = 9, weekday = 1}`` (ISO weekday 1 = Monday … 7 = Sunday;
  optional ``fallback_week`` when ``week`` (53) does not exist in the year)
* ``{rule = "easter", offset = -3}`` (days relative to Easter Sunday)
* ``{rule = "before", ref = "other-key", days = 14}`` and ``{rule = "after", …}``
  (optional ``working_days = true``: count only Monday–Friday that are not public holidays)
* ``{rule = "same", ref = "other-key"}``

Public holidays come from the maintained ``holidays`` package and Easter from
``dateutil.easter``; nothing here hand-rolls a holiday table. The module is pure Python
(no Flask, no database) so it can be used by the seeding service, the CLI and tests alike.
Every error is a :class:`SeedRuleError` with a Norwegian (bokmål) message.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from graphlib import CycleError, TopologicalSorter
from typing import Any

from dateutil.easter import easter
from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta
from dateutil.relativedelta import weekday as RelativeWeekday

from planner.domain.dates import MONTH_NAMES as _DATE_MONTHS
from planner.domain.dates import public_holidays

__all__ = [
    "RULES",
    "WEEKDAYS",
    "SeedRuleError",
    "is_working_day",
    "norwegian_public_holidays",
    "resolve_dates",
    "resolve_rule",
]

#: Weekday codes used by ``nth_weekday`` rules (the same codes as RFC 5545 ``BYDAY``).
WEEKDAYS: dict[str, RelativeWeekday] = {
    "MO": MO,
    "TU": TU,
    "WE": WE,
    "TH": TH,
    "FR": FR,
    "SA": SA,
    "SU": SU,
}

#: Rule name -> (required fields, optional fields). ``rule`` itself is implied.
RULES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "fixed": (frozenset({"month", "day"}), frozenset()),
    "nth_weekday": (frozenset({"month", "weekday", "n"}), frozenset()),
    "iso_week": (frozenset({"week"}), frozenset({"weekday", "fallback_week"})),
    "easter": (frozenset(), frozenset({"offset"})),
    "before": (frozenset({"ref", "days"}), frozenset({"working_days"})),
    "after": (frozenset({"ref", "days"}), frozenset({"working_days"})),
    "same": (frozenset({"ref"}), frozenset()),
}

_RELATIVE_RULES = frozenset({"before", "after", "same"})

_MONTHS = _DATE_MONTHS[1:]  # januar..desember, index 0 = januar
_WEEKDAY_NAMES = {
    "MO": "mandag",
    "TU": "tirsdag",
    "WE": "onsdag",
    "TH": "torsdag",
    "FR": "fredag",
    "SA": "lørdag",
    "SU": "søndag",
}


class SeedRuleError(ValueError):
    """A date rule that cannot be resolved (message in Norwegian bokmål)."""


# --------------------------------------------------------------------------- holidays


def norwegian_public_holidays(year: int) -> dict[date, str]:
    """Return Norway's public holidays (helligdager) in ``year`` with Norwegian names.

    Used to skip holidays when counting working days. One source for the whole planner:
    ``planner.domain.dates.public_holidays`` (the ``holidays`` package, no plain Sundays).
    """
    return public_holidays(year)


def is_working_day(day: date) -> bool:
    """Tell whether ``day`` is a Norwegian working day (Monday–Friday, not a holiday).

    "Send the reminder 5 working days before the deadline" must not land on a Saturday,
    Easter Monday or Ascension Day, when nobody is at work to answer the questions.
    """
    return day.weekday() < 5 and day not in norwegian_public_holidays(day.year)


def _shift_working_days(start: date, days: int, direction: int) -> date:
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=direction)
        if is_working_day(current):
            remaining -= 1
    return current


# --------------------------------------------------------------------------- validation


def _int_field(key: str, spec: Mapping[str, Any], name: str, default: int | None = None) -> int:
    value = spec.get(name, default)
    if value is None:
        raise SeedRuleError(f"Regelen for «{key}» mangler feltet «{name}».")
    if isinstance(value, bool) or not isinstance(value, int):
        raise SeedRuleError(f"Feltet «{name}» i regelen for «{key}» må være et heltall.")
    return value


def _check_spec(key: str, spec: Any) -> str:
    """Validate the shape of one rule spec and return its rule name."""
    if not isinstance(spec, Mapping):
        raise SeedRuleError(f"Datoregelen for «{key}» må være en tabell, f.eks. {{rule = …}}.")
    rule = spec.get("rule")
    if rule is None:
        raise SeedRuleError(f"Datoregelen for «{key}» mangler feltet «rule».")
    if rule not in RULES:
        known = ", ".join(RULES)
        raise SeedRuleError(f"Ukjent regeltype «{rule}» for «{key}». Gyldige typer: {known}.")
    required, optional = RULES[rule]
    for name in sorted(required - spec.keys()):
        raise SeedRuleError(f"Regelen «{rule}» for «{key}» mangler feltet «{name}».")
    for name in sorted(spec.keys() - required - optional - {"rule"}):
        raise SeedRuleError(f"Ukjent felt «{name}» i regelen «{rule}» for «{key}».")
    if rule in _RELATIVE_RULES and not isinstance(spec["ref"], str):
        raise SeedRuleError(f"Feltet «ref» i regelen for «{key}» må være en nøkkel (tekst).")
    if "working_days" in spec and not isinstance(spec["working_days"], bool):
        raise SeedRuleError(
            f"Feltet «working_days» i regelen for «{key}» må være true eller false."
        )
    return rule


def _month(key: str, spec: Mapping[str, Any]) -> int:
    month = _int_field(key, spec, "month")
    if not 1 <= month <= 12:
        raise SeedRuleError(f"Ugyldig måned {month} for «{key}»; må være 1–12.")
    return month


# --------------------------------------------------------------------------- rules


def _fixed(key: str, spec: Mapping[str, Any], year: int) -> date:
    month = _month(key, spec)
    day = _int_field(key, spec, "day")
    try:
        return date(year, month, day)
    except ValueError:
        raise SeedRuleError(
            f"Ugyldig dato for «{key}»: {day}. {_MONTHS[month - 1]} {year} finnes ikke."
        ) from None


def _nth_weekday(key: str, spec: Mapping[str, Any], year: int) -> date:
    month = _month(key, spec)
    code = spec["weekday"]
    if not isinstance(code, str) or code.upper() not in WEEKDAYS:
        raise SeedRuleError(
            f"Ukjent ukedag «{code}» for «{key}»; bruk en av {', '.join(WEEKDAYS)}."
        )
    code = code.upper()
    n = _int_field(key, spec, "n")
    if n == 0 or not -5 <= n <= 5:
        raise SeedRuleError(f"Feltet «n» for «{key}» må være 1–5 eller -1 til -5 (ikke {n}).")
    first = date(year, month, 1)
    if n > 0:
        result = first + relativedelta(weekday=WEEKDAYS[code](n))
    else:
        result = first + relativedelta(day=31, weekday=WEEKDAYS[code](n))
    if result.month != month or result.year != year:
        which = f"{n}." if n > 0 else f"{-n}. siste"
        raise SeedRuleError(
            f"Det finnes ingen {which} {_WEEKDAY_NAMES[code]} i {_MONTHS[month - 1]} {year} "
            f"(«{key}»)."
        )
    return result


def _iso_week(key: str, spec: Mapping[str, Any], year: int) -> date:
    week = _int_field(key, spec, "week")
    weekday = _int_field(key, spec, "weekday", default=1)
    if not 1 <= weekday <= 7:
        raise SeedRuleError(f"Ugyldig ukedag {weekday} for «{key}»; må være 1 (mandag)–7 (søndag).")
    if not 1 <= week <= 53:
        raise SeedRuleError(f"Ugyldig ukenummer {week} for «{key}»; må være 1–53.")
    try:
        return date.fromisocalendar(year, week, weekday)
    except ValueError:
        pass
    if "fallback_week" not in spec:
        raise SeedRuleError(
            f"Uke {week} finnes ikke i {year} («{key}»). Angi «fallback_week» for år uten uke 53."
        )
    fallback = _int_field(key, spec, "fallback_week")
    try:
        return date.fromisocalendar(year, fallback, weekday)
    except ValueError:
        raise SeedRuleError(
            f"Verken uke {week} eller reserveuke {fallback} finnes i {year} («{key}»)."
        ) from None


def _easter(key: str, spec: Mapping[str, Any], year: int) -> date:
    offset = _int_field(key, spec, "offset", default=0)
    return easter(year) + timedelta(days=offset)


def _relative(key: str, spec: Mapping[str, Any], rule: str, ref_date: date) -> date:
    if rule == "same":
        return ref_date
    days = _int_field(key, spec, "days")
    if days < 0:
        raise SeedRuleError(
            f"Feltet «days» for «{key}» kan ikke være negativt; bruk «before» eller «after»."
        )
    direction = -1 if rule == "before" else 1
    if spec.get("working_days", False):
        return _shift_working_days(ref_date, days, direction)
    return ref_date + timedelta(days=direction * days)


def resolve_rule(
    key: str, spec: Mapping[str, Any], year: int, resolved: Mapping[str, date] | None = None
) -> date:
    """Resolve one rule spec for ``year``; relative rules look their ref up in ``resolved``.

    This is the building block of :func:`resolve_dates`, exposed so that a form can
    preview a single rule ("when is the second Tuesday of October in 2027?") without
    building a whole rule set. ``key`` only names the rule in error messages.
    """
    rule = _check_spec(key, spec)
    if rule in _RELATIVE_RULES:
        ref = spec["ref"]
        if resolved is None or ref not in resolved:
            raise SeedRuleError(f"«{key}» viser til «{ref}», som ikke finnes.")
        result = _relative(key, spec, rule, resolved[ref])
    elif rule == "fixed":
        result = _fixed(key, spec, year)
    elif rule == "nth_weekday":
        result = _nth_weekday(key, spec, year)
    elif rule == "iso_week":
        result = _iso_week(key, spec, year)
    else:
        result = _easter(key, spec, year)
    return result


def resolve_dates(rules: Mapping[str, Mapping[str, Any]], year: int) -> dict[str, date]:
    """Resolve every named date rule in ``rules`` for ``year``.

    ``rules`` maps a key (a post's seed key, ``"<peak>.start"`` …) to its rule spec.
    Relative rules (``before``/``after``/``same``) may refer to any other key in the
    same dict regardless of order; they are resolved after what they depend on. A
    relative date may fall outside ``year`` (a reminder before 1 January) — it is
    returned as is. Raises :class:`SeedRuleError` for unknown rule types, unknown
    references, circular references and impossible dates such as 30 February.
    """
    graph: dict[str, set[str]] = {}
    for key, spec in rules.items():
        rule = _check_spec(key, spec)
        deps: set[str] = set()
        if rule in _RELATIVE_RULES:
            ref = spec["ref"]
            if ref not in rules:
                raise SeedRuleError(f"«{key}» viser til «{ref}», som ikke finnes.")
            deps.add(ref)
        graph[key] = deps
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        cycle = exc.args[1] if len(exc.args) > 1 else []
        path = " → ".join(f"«{k}»" for k in reversed(cycle))
        raise SeedRuleError(f"Datoreglene viser til hverandre i ring: {path}.") from None
    resolved: dict[str, date] = {}
    for key in order:
        resolved[key] = resolve_rule(key, rules[key], year, resolved)
    return {key: resolved[key] for key in rules}
