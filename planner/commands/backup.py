"""``flask backup`` and ``flask restore``."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import Flask, current_app

from planner.services.exports.backup import (
    SQLITE_MAGIC,
    backup_sqlite,
    restore_json,
    restore_sqlite,
    sqlite_path,
    write_json,
)
from planner.services.imports.json_import import ImportProblems


def register(app: Flask) -> None:
    """Attach the backup commands."""

    @app.cli.command("backup")
    @click.option("-o", "--output", type=click.Path(dir_okay=False), required=True)
    @click.option(
        "--format",
        "fmt",
        type=click.Choice(["auto", "sqlite", "json"]),
        default="auto",
        show_default=True,
        help="auto: a SQLite copy on SQLite, JSON on other databases.",
    )
    def backup_command(output: str, fmt: str) -> None:
        """Back up the whole installation (every municipality, user and year)."""
        db_file = sqlite_path(current_app.config["SQLALCHEMY_DATABASE_URI"])
        target = Path(output)
        if fmt == "sqlite" and db_file is None:
            raise click.ClickException(
                "SQLite-kopi går bare når databasen er SQLite. Bruk --format json eller pg_dump."
            )
        if db_file is not None and fmt in ("auto", "sqlite"):
            backup_sqlite(db_file, target)
            click.echo(f"Sikkerhetskopi (SQLite) skrevet til {target}.")
        else:
            write_json(target)
            click.echo(f"Sikkerhetskopi (JSON) skrevet til {target}.")

    @app.cli.command("restore")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False))
    def restore_command(file: str) -> None:
        """Restore a backup: a SQLite copy replaces the SQLite database; a JSON backup is
        imported into an empty database (all or nothing). Stop the app first."""
        source = Path(file)
        with open(source, "rb") as fh:
            head = fh.read(16)
        if head == SQLITE_MAGIC:
            db_file = sqlite_path(current_app.config["SQLALCHEMY_DATABASE_URI"])
            if db_file is None:
                raise click.ClickException(
                    "En SQLite-kopi kan bare gjenopprettes til en SQLite-database."
                )
            restore_sqlite(source, db_file)
            click.echo(f"Databasen er gjenopprettet fra {source}.")
            return
        try:
            document = json.loads(source.read_text(encoding="utf-8-sig"))
            count = restore_json(document)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise click.ClickException(
                f"{source} er verken en SQLite- eller JSON-sikkerhetskopi."
            ) from exc
        except ImportProblems as exc:
            click.echo("Gjenopprettingen ble avbrutt, ingenting er lagret:", err=True)
            for problem in exc.problems[:50]:
                click.echo(f"  – {problem}", err=True)
            raise SystemExit(1) from exc
        click.echo(f"Gjenopprettet {count} kommune(r) fra {source}.")
