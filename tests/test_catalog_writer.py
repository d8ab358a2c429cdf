"""The one writer of audiences and channels: the catalog pages' checks, no commit, and
history and data_version on flush."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import select

from planner.domain.catalog.values import DEFAULT_CHANNEL_COLOUR, AudienceData, ChannelData
from planner.extensions import db
from planner.models import Audience, Channel, Organisation, ServiceArea
from planner.models.history import HistoryEntry
from planner.services.catalog.names import CatalogError
from planner.services.catalog.writer import (
    audience_data_of,
    channel_data_of,
    write_audience,
    write_channel,
)


def _area(org: Organisation, name: str = "Oppvekst") -> ServiceArea:
    area = ServiceArea(organisation_id=org.id, name=name)
    db.session.add(area)
    db.session.commit()
    return area


def test_write_audience_creates_and_changes_without_committing(org: Organisation) -> None:
    area = _area(org)
    data = AudienceData("  Foreldre   med barn ", " Små barn. ", 2, area.id)
    audience = write_audience(org.id, data)
    assert audience in db.session.new
    assert (audience.name, audience.description, audience.priority) == (
        "Foreldre med barn",
        "Små barn.",
        2,
    )
    assert audience.service_area is area
    db.session.rollback()  # the caller decides: nothing was committed
    assert db.session.execute(select(Audience)).first() is None

    audience = write_audience(org.id, data)
    db.session.commit()
    changed = write_audience(
        org.id, replace(audience_data_of(audience), name="Foreldre", service_area_id=None), audience
    )
    assert changed is audience and audience.name == "Foreldre" and audience.service_area is None
    assert audience.priority == 2 and audience.description == "Små barn."


def test_write_audience_refuses_like_the_catalog_pages(
    org: Organisation, make_org: Any, make_audience: Any
) -> None:
    make_audience("Foreldre")
    with pytest.raises(CatalogError) as taken:
        write_audience(org.id, AudienceData("FORELDRE"))
    assert taken.value.message == "Det finnes allerede en målgruppe som heter «FORELDRE»."
    with pytest.raises(CatalogError) as empty:
        write_audience(org.id, AudienceData("   "))
    assert (empty.value.message, empty.value.field) == ("Skriv inn et navn.", "name")
    theirs = _area(make_org("Nabokommune"))
    with pytest.raises(CatalogError) as area:
        write_audience(org.id, AudienceData("Ungdom", service_area_id=theirs.id))
    assert area.value.field == "service_area"
    with pytest.raises(CatalogError) as priority:
        write_audience(org.id, AudienceData("Ungdom", priority=0))
    assert priority.value.field == "priority"
    assert not db.session.new


def test_write_channel_checks_type_hours_and_colour(org: Organisation, make_channel: Any) -> None:
    channel = write_channel(org.id, ChannelData("Instagram", "delingsmedium", 8, " Hei "))
    assert (channel.name, channel.type, channel.response_hours, channel.profile_text) == (
        "Instagram",
        "delingsmedium",
        8,
        "Hei",
    )
    assert channel.colour == DEFAULT_CHANNEL_COLOUR
    db.session.commit()
    write_channel(org.id, replace(channel_data_of(channel), colour="#1B4F9C"), channel)
    assert channel.colour == "#1b4f9c"
    make_channel("Facebook")
    cases = [
        (ChannelData("facebook", "nettsamfunn"), "name"),
        (ChannelData("Avis", "avis"), "type"),
        (ChannelData("Avis", "annonse_lokalavis", -1), "response_hours"),
        (ChannelData("Avis", "annonse_lokalavis", colour="blå"), "colour"),
        (ChannelData("Avis", "annonse_lokalavis", colour="#ffff00"), "colour"),
    ]
    for data, field in cases:
        with pytest.raises(CatalogError) as refused:
            write_channel(org.id, data)
        assert refused.value.field == field, data
    assert not db.session.new


def test_rows_of_another_organisation_are_not_written(
    make_org: Any, make_channel: Any, make_audience: Any
) -> None:
    other = make_org("Nabokommune")
    channel, audience = make_channel("Facebook"), make_audience("Foreldre")
    with pytest.raises(LookupError):
        write_channel(other.id, channel_data_of(channel), channel)
    with pytest.raises(LookupError):
        write_audience(other.id, audience_data_of(audience), audience)


def test_the_flush_records_history_and_bumps_data_version(org: Organisation) -> None:
    before = org.data_version
    channel = write_channel(org.id, ChannelData("Nettsiden", "nettside"))
    audience = write_audience(org.id, AudienceData("Ungdom", priority=3))
    db.session.commit()
    db.session.refresh(org)
    assert org.data_version > before
    entries = db.session.execute(
        select(HistoryEntry.entity, HistoryEntry.entity_id, HistoryEntry.action)
    ).all()
    assert ("channel", channel.id, "create") in entries
    assert ("audience", audience.id, "create") in entries
    assert isinstance(db.session.get(Channel, channel.id), Channel)
