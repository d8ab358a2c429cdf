"""Command line: ``flask --app planner …`` or the ``planner`` console script (CONTRACTS.md).

This module has the commands of the whole app (``seed``, ``create-user``, ``export``,
``import``); each area adds its own from a module in :mod:`planner.commands`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click
from flask import Flask

from planner.commands import backup, feeds, staffing
from planner.domain.imports.errors import ImportRefused
from planner.domain.posts.seed_rules import SeedRuleError
from planner.extensions import db
from planner.formats import exporters, importer_for
from planner.services.accounts import AccountError, create_user, resolve_organisation
from planner.services.posts.seeding import seed_year

MAX_PROBLEMS_SHOWN = 200


#: The areas' command modules (``planner.commands``), each with ``register(app)``.
AREA_COMMANDS = (backup, feeds, staffing)


def register_cli(app: Flask) -> None:
    """Attach the planner's commands to ``app.cli``: the app's own and every area module's.

    A Norwegian :class:`~planner.services.accounts.AccountError` from any of them (such as
    «Fant ingen kommune med navnet …») ends the command as a plain error message.
    """
    others = set(app.cli.commands)  # e.g. Flask-Migrate's ``db``: not ours to change
    _register_account_commands(app.cli)
    _register_file_commands(app.cli)
    for module in AREA_COMMANDS:
        module.register(app)
    for name, command in app.cli.commands.items():
        if name not in others:
            _account_errors_as_cli_errors(command)


def _register_account_commands(cli: click.Group) -> None:
    """``seed`` and ``create-user``: a municipality's first plan and its users."""

    @cli.command("seed")
    @click.option(
        "--year", type=click.IntRange(2000, 2100), required=True, help="Året som skal planlegges."
    )
    @click.option(
        "--municipality", default=None, help="Kommunens navn (opprettes om den ikke finnes)."
    )
    def seed_command(year: int, municipality: str | None) -> None:
        """Load the recommended årshjul for a year (idempotent)."""
        org = resolve_organisation(municipality, create=True)
        try:
            result = seed_year(org, year)
        except SeedRuleError as exc:
            db.session.rollback()
            raise click.ClickException(str(exc)) from exc
        db.session.commit()
        made = ", ".join(f"{k}: {v}" for k, v in sorted(result.created.items())) or "ingenting nytt"
        click.echo(f"Anbefalt årshjul for {year} lastet inn for {org.name} ({made}).")

    @cli.command("create-user")
    @click.argument("email")
    @click.option("--role", type=click.Choice(["admin", "editor", "viewer"]), required=True)
    @click.option("--name", default="", help="Personens navn.")
    @click.option("--municipality", default=None, help="Kommunens navn.")
    def create_user_command(email: str, role: str, name: str, municipality: str | None) -> None:
        """Create a user; the password comes from PLANNER_PASSWORD or a prompt."""
        password = os.environ.get("PLANNER_PASSWORD") or click.prompt(
            "Passord", hide_input=True, confirmation_prompt=True
        )
        org = resolve_organisation(municipality, create=bool(municipality))
        try:
            user = create_user(org, email, password, role, name)
        except AccountError as exc:
            db.session.rollback()
            raise click.ClickException(str(exc)) from exc
        db.session.commit()
        click.echo(f"Opprettet {user.email} ({user.role}) i {org.name}.")


def _register_file_commands(cli: click.Group) -> None:
    """``export`` and ``import``: the plan of a year to and from a file (planner.formats)."""

    @cli.command("export")
    @click.option(
        "--format", "fmt", type=click.Choice(sorted(exporters())), default="json", show_default=True
    )
    @click.option("--year", type=click.IntRange(2000, 2100), required=True)
    @click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True)
    @click.option("--municipality", default=None)
    def export_command(fmt: str, year: int, output: str, municipality: str | None) -> None:
        """Export the plan for a year (JSON is the lossless backup format)."""
        org = resolve_organisation(municipality)
        data = exporters()[fmt].export(org, year, None)
        if output == "-":
            sys.stdout.buffer.write(data)
            return
        Path(output).write_bytes(data)
        click.echo(f"Eksporterte planen for {year} som {fmt} til {output}.")

    @cli.command("import")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False))
    @click.option("--municipality", default=None, help="Importer til denne kommunen.")
    def import_command(file: str, municipality: str | None) -> None:
        """Import a file (all or nothing). The format is recognised from the content."""
        raw = Path(file).read_bytes()
        module = importer_for(raw, Path(file).name)
        if module is None:
            raise click.ClickException(f"Kjenner ikke igjen formatet til {file}.")
        org = resolve_organisation(municipality, create=True) if municipality else None
        try:
            summary = module.import_file(raw, Path(file).name, org)
        except ImportRefused as exc:
            _echo_refusal(exc.problems)
            raise SystemExit(1) from exc
        click.echo(summary)


def _echo_refusal(problems: list[str]) -> None:
    """Why an import was refused, on stderr (the first ``MAX_PROBLEMS_SHOWN`` problems)."""
    click.echo("Importen ble avbrutt, ingenting er lagret:", err=True)
    for problem in problems[:MAX_PROBLEMS_SHOWN]:
        click.echo(f"  – {problem}", err=True)
    if len(problems) > MAX_PROBLEMS_SHOWN:
        click.echo(f"  … og {len(problems) - MAX_PROBLEMS_SHOWN} problemer til.", err=True)


def _account_errors_as_cli_errors(command: click.Command) -> None:
    """Make ``command`` (every command of a group) end with a plain message, not a
    traceback, when it raises :class:`~planner.services.accounts.AccountError`."""
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _account_errors_as_cli_errors(sub)
    elif command.callback is not None:
        command.callback = _plain_account_errors(command.callback)


def _plain_account_errors(callback: Callable[..., Any]) -> Callable[..., Any]:
    """``callback`` with AccountError turned into click's own error (message, exit code 1)."""

    @wraps(callback)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        try:
            return callback(*args, **kwargs)
        except AccountError as exc:
            raise click.ClickException(str(exc)) from exc

    return wrapped
