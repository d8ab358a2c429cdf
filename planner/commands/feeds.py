"""``flask feed create NAME [--channel C]… [--audience A]… [--service-area S]`` prints the
new feed's URL path ``/feeds/<token>.ics`` (CONTRACTS.md); ``flask feed list`` shows them."""

from __future__ import annotations

from typing import Any

import click
from flask import Flask
from flask.cli import AppGroup

from planner.domain.feeds.values import FeedData
from planner.domain.filters import PlanFilter
from planner.models import Audience, Channel, ServiceArea, StaffMember
from planner.services.accounts import resolve_organisation
from planner.services.feeds import management


def _ids_by_name(model: Any, org_id: int, names: tuple[str, ...], label: str) -> tuple[int, ...]:
    """The ids of the named rows (sorted, without repeats); stops at a name not found."""
    ids = []
    for name in names:
        found = management.id_by_name(model, org_id, name)
        if found is None:
            raise click.ClickException(f"Fant ingen {label} med navnet «{name}».")
        ids.append(found)
    return tuple(sorted(set(ids)))


@click.group("feed", cls=AppGroup)
def feed_group() -> None:
    """Kalenderfeeder (iCal-abonnement)."""


@feed_group.command("create")
@click.argument("name")
@click.option("--channel", "channels", multiple=True, help="Kanal (kan gjentas).")
@click.option("--audience", "audiences", multiple=True, help="Målgruppe (kan gjentas).")
@click.option(
    "--service-area", "service_areas", multiple=True, help="Virksomhetsområde (kan gjentas)."
)
@click.option(
    "--kind",
    type=click.Choice(["plan", "peaks", "duty"]),
    default="plan",
    show_default=True,
    help="plan: innleggene; peaks: toppbelastninger; duty: vaktlisten.",
)
@click.option("--staff", default=None, help="Bare vaktukene til denne personen (duty).")
@click.option("--include-drafts", is_flag=True, help="Ta med ideer (status idé).")
@click.option(
    "--reminder-days",
    type=click.IntRange(1, 20),
    default=None,
    help="Påminnelse så mange virkedager før.",
)
@click.option("--public", is_flag=True, help="Offentlig feed (synlig for alle brukere).")
@click.option("--municipality", default=None, help="Kommunens navn.")
def create_command(
    name: str,
    channels: tuple[str, ...],
    audiences: tuple[str, ...],
    service_areas: tuple[str, ...],
    kind: str,
    staff: str | None,
    include_drafts: bool,
    reminder_days: int | None,
    public: bool,
    municipality: str | None,
) -> None:
    """Create a feed and print its URL path /feeds/<token>.ics."""
    org = resolve_organisation(municipality)
    plan_filter = PlanFilter(
        channels=_ids_by_name(Channel, org.id, channels, "kanal"),
        audiences=_ids_by_name(Audience, org.id, audiences, "målgruppe"),
        service_areas=_ids_by_name(ServiceArea, org.id, service_areas, "virksomhetsområde"),
    )
    staff_id = None
    if staff:
        staff_id = _ids_by_name(StaffMember, org.id, (staff,), "medarbeider")[0]
    data = FeedData(
        name=name,
        kind=kind,
        plan_filter=plan_filter,
        staff_member_id=staff_id,
        include_drafts=include_drafts,
        reminder_days=reminder_days,
        public=public,
    )
    try:
        feed = management.save_feed(org.id, data)
    except management.FeedError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(feed.path)


@feed_group.command("list")
@click.option("--municipality", default=None, help="Kommunens navn.")
def list_command(municipality: str | None) -> None:
    """List the feeds with their URL paths."""
    org = resolve_organisation(municipality)
    for feed in management.organisation_feeds(org.id):
        state = "tilbakekalt" if feed.revoked_at else ("offentlig" if feed.public else "privat")
        click.echo(f"{feed.name}\t{feed.kind}\t{state}\t{feed.path}")


def register(app: Flask) -> None:
    """Add the ``feed`` command group (``create``, ``list``) to the app's CLI."""
    app.cli.add_command(feed_group)
