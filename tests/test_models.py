"""Model constraints: what the database itself refuses."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError

from planner.extensions import db
from planner.models import Channel, Post, Reach


def test_post_gets_a_stable_unique_uid(make_post: Any) -> None:
    a, b = make_post(), make_post(title="Annen")
    assert a.uid and b.uid and a.uid != b.uid
    uid = a.uid
    a.title = "Endret"
    db.session.commit()
    assert a.uid == uid


def test_post_version_increases_on_change(make_post: Any) -> None:
    post = make_post()
    assert post.version == 1
    post.title = "Ny tittel"
    db.session.commit()
    assert post.version == 2


def test_post_end_before_start_rejected(make_post: Any) -> None:
    with pytest.raises(IntegrityError):
        make_post(start=datetime(2026, 3, 2), end=datetime(2026, 3, 1))
    db.session.rollback()


def test_post_status_and_kind_are_checked(make_post: Any) -> None:
    with pytest.raises(IntegrityError):
        make_post(status="ferdig")
    db.session.rollback()
    with pytest.raises(IntegrityError):
        make_post(kind="spontan")
    db.session.rollback()


def test_norwegian_status_values_stored(make_post: Any) -> None:
    post = make_post(status="idé", kind="fortløpende")
    db.session.expire_all()
    fresh = db.session.get(Post, post.id)
    assert (fresh.status, fresh.kind) == ("idé", "fortløpende")


def test_channel_type_checked(make_channel: Any) -> None:
    with pytest.raises(IntegrityError):
        make_channel(type="tv")
    db.session.rollback()


def test_channel_names_unique_per_organisation(make_channel: Any, make_org: Any) -> None:
    make_channel("Facebook")
    other = make_org("Annen kommune")
    make_channel("Facebook", organisation=other)  # fine in another organisation
    with pytest.raises(IntegrityError):
        make_channel("Facebook")
    db.session.rollback()


def test_reach_level_and_uniqueness(make_channel: Any, make_audience: Any, org: Any) -> None:
    channel: Channel = make_channel()
    audience = make_audience()
    db.session.add(
        Reach(organisation_id=org.id, channel_id=channel.id, audience_id=audience.id, level=3)
    )
    db.session.commit()
    db.session.add(
        Reach(organisation_id=org.id, channel_id=channel.id, audience_id=audience.id, level=2)
    )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    db.session.add(
        Reach(
            organisation_id=org.id,
            channel_id=channel.id,
            audience_id=make_audience("B").id,
            level=7,
        )
    )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_deleting_a_channel_removes_it_from_posts(make_post: Any, make_channel: Any) -> None:
    channel = make_channel()
    post = make_post(channels=[channel])
    db.session.delete(channel)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Post, post.id).channels == []


def test_every_change_bumps_the_organisations_data_version(
    make_post: Any, make_channel: Any, org: Any, make_org: Any
) -> None:
    other = make_org("Nabokommune")
    post = make_post()
    db.session.refresh(org)
    v1, t1 = org.data_version, org.changed_at
    channel = make_channel()
    db.session.refresh(org)
    v1 = org.data_version  # adding a channel was a change too
    post.channels.append(channel)
    db.session.commit()
    db.session.refresh(org)
    v2 = org.data_version
    assert v2 > v1 and org.changed_at >= t1
    db.session.delete(post)
    db.session.commit()
    db.session.refresh(org)
    assert org.data_version > v2
    db.session.refresh(other)
    assert other.data_version == 1  # other organisations are untouched
