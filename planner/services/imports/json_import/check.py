"""The first step of the JSON import: is it an export document at all, and the collector of
the problems every later step reports (in Norwegian, with where each one is)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import select

from planner.domain.backup_format import document_problems, parse_date
from planner.extensions import db


class ImportProblems(ValueError):
    """The import was refused; ``problems`` lists every problem found, in Norwegian."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


class Checker:
    """Collects problems while the document is read; nothing is written if there are any."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, where: str, message: str) -> None:
        """Record a problem at ``where`` (e.g. «Innlegg 3 («Søknadsfrist»)»)."""
        self.problems.append(f"{where}: {message}")

    def text(
        self, item: dict[str, Any], key: str, where: str, max_len: int, required: bool = False
    ) -> str:
        """The text field ``key`` of ``item`` ("" when missing or null), checked for type,
        presence (``required``) and length."""
        value = item.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.fail(where, f"«{key}» må være tekst.")
            return ""
        if required and not value.strip():
            self.fail(where, f"«{key}» mangler.")
        if len(value) > max_len:
            self.fail(where, f"«{key}» kan ha høyst {max_len} tegn.")
        return value

    def whole_number(
        self, item: dict[str, Any], key: str, where: str, default: int, least: int, message: str
    ) -> int | None:
        """The whole number ``key`` of ``item`` (``default`` when missing); None (and
        ``message`` as the problem) when it is no whole number or less than ``least``."""
        value = item.get(key, default)
        if not isinstance(value, int) or value < least:
            self.fail(where, message)
            return None
        return value

    def period(self, item: dict[str, Any], where: str) -> tuple[date, date] | None:
        """The ``start`` and ``end`` dates of ``item``; None (a problem recorded) when
        either is no date."""
        try:
            return parse_date(item.get("start")), parse_date(item.get("end"))
        except ValueError as exc:
            self.fail(where, f"{exc}.")
            return None


def check_document(data: Any) -> None:
    """Refuse (``ImportProblems``) what is no export document of our format: not an object,
    another format version, sections missing or not lists, fields of the wrong type."""
    problems = document_problems(data)
    if problems:
        raise ImportProblems(problems)


def _name(row: Any) -> Any:
    return row.name


def existing_by(model: Any, org_id: int, key: Callable[[Any], Any] = _name) -> dict[Any, Any]:
    """The organisation's rows of ``model`` by ``key`` (their name unless said): what the
    file's rows are matched on."""
    rows = db.session.execute(select(model).where(model.organisation_id == org_id)).scalars()
    return {key(r): r for r in rows}


def where_named(label: str, i: int, name: Any) -> str:
    """Where the ``i``-th row of a section stands, for its problems, with its name cut to
    60 characters: «Ferie 3 («Vinterferie»)»."""
    return f"{label} {i} («{str(name)[:60]}»)"
