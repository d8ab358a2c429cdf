"""Command line: ``flask --app planner …`` or the ``planner`` console script (CONTRACTS.md)."""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import FlaskGroup
from sqlalchemy import select

from planner.extensions import db
from planner.models import Organisation


def resolve_organisation(name: str | None, create: bool = False) -> Organisation:
    """The organisation named ``name``; without a name, the only one there is.

    With ``create`` a missing named organisation is created (not committed).
    """
    if name:
        org = db.session.execute(select(Organisation).where(Organisation.name == name)).scalar()
        if org is None:
            if not create:
                raise click.ClickException(f"Fant ingen kommune med navnet «{name}».")
            from planner.services.accounts import get_or_create_organisation

            org = get_or_create_organisation(name)
        return org
    orgs = list(
        db.session.execute(select(Organisation).order_by(Organisation.id).limit(2)).scalars()
    )
    if len(orgs) == 1:
        return orgs[0]
    if not orgs:
        raise click.ClickException(
            "Det finnes ingen kommune ennå. Oppgi --municipality NAVN eller kjør oppsettet i nettleseren."
        )
    raise click.ClickException("Det finnes flere kommuner: oppgi --municipality NAVN.")


def register_cli(app: Flask) -> None:
    """Attach the planner's commands to ``app.cli``."""

    @app.cli.command("seed")
    @click.option(
        "--year", type=click.IntRange(2000, 2100), required=True, help="Året som skal planlegges."
    )
    @click.option(
        "--municipality", default=None, help="Kommunens navn (opprettes om den ikke finnes)."
    )
    def seed_command(year: int, municipality: str | None) -> None:
        """Load the recommended årshjul for a year (idempotent)."""
        from planner.domain.posts.seed_rules import SeedRuleError
        from planner.services.posts.seeding import seed_year

        org = resolve_organisation(municipality, create=True)
        try:
            result = seed_year(org, year)
        except SeedRuleError as exc:
            db.session.rollback()
            raise click.ClickException(str(exc)) from exc
        db.session.commit()
        made = ", ".join(f"{k}: {v}" for k, v in sorted(result.created.items())) or "ingenting nytt"
        click.echo(f"Anbefalt årshjul for {year} lastet inn for {org.name} ({made}).")

    @app.cli.command("create-user")
    @click.argument("email")
    @click.option("--role", type=click.Choice(["admin", "editor", "viewer"]), required=True)
    @click.option("--name", default="", help="Personens navn.")
    @click.option("--municipality", default=None, help="Kommunens navn.")
    def create_user_command(email: str, role: str, name: str, municipality: str | None) -> None:
        """Create a user; the password comes from PLANNER_PASSWORD or a prompt."""
        from planner.services.accounts import AccountError, create_user

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

    from planner.formats import ImportRefused, exporters, importer_for

    @app.cli.command("export")
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

    @app.cli.command("import")
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
            click.echo("Importen ble avbrutt, ingenting er lagret:", err=True)
            for problem in exc.problems[:200]:
                click.echo(f"  – {problem}", err=True)
            if len(exc.problems) > 200:
                click.echo(f"  … og {len(exc.problems) - 200} problemer til.", err=True)
            raise SystemExit(1) from exc
        click.echo(summary)

    # Area modules in planner/commands add their own commands.
    from planner import commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        if hasattr(module, "register"):
            module.register(app)


def main() -> None:
    """Entry point of the ``planner`` console script."""
    from planner import create_app

    FlaskGroup(create_app=create_app)(prog_name="planner")
