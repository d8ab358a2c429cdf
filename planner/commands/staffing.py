"""``flask flags --year YYYY [--format text|json] [--municipality NAME]``: the staffing and
planning warnings of a year (CONTRACTS.md). Exits 0 even when there are warnings."""

from __future__ import annotations

import json

import click
from flask import Flask

from planner.services.accounts import resolve_organisation
from planner.services.staffing import proposals_for_year, warnings_for_year


def register(app: Flask) -> None:
    """Add ``flags`` to the app's CLI."""

    @app.cli.command("flags")
    @click.option("--year", type=click.IntRange(2000, 2100), required=True, help="Året.")
    @click.option(
        "--format",
        "fmt",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help="text for folk, json for skript.",
    )
    @click.option("--municipality", default=None, help="Kommunens navn.")
    def flags_command(year: int, fmt: str, municipality: str | None) -> None:
        """Print the staffing warnings of a year, with reason and suggested fix."""
        org = resolve_organisation(municipality)
        warnings = warnings_for_year(org.id, year)
        if fmt == "json":
            click.echo(json.dumps([w.to_dict() for w in warnings], ensure_ascii=False, indent=2))
            return
        if not warnings:
            click.echo(f"Ingen bemanningsvarsler for {org.name} i {year}.")
        else:
            click.echo(f"{len(warnings)} bemanningsvarsler for {org.name} i {year}:")
        for w in warnings:
            click.echo("")
            click.echo(f"[{w.severity_label}] {w.weeks} ({w.kind_label}): {w.message}")
            click.echo(f"  Hvorfor: {w.reason}")
            click.echo(f"  Forslag: {w.fix}")
        proposals = proposals_for_year(org.id, year)
        if proposals:
            click.echo("")
            click.echo(f"{len(proposals)} forslag til toppbelastninger venter på vurdering:")
            for p in proposals:
                click.echo(f"  – {p.name} ({p.weeks}): {p.reason}")
