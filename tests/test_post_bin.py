"""The bin (papirkurv) service: listing and emptying stay within one organisation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import Flask
from sqlalchemy import select

from planner.extensions import db
from planner.models import Organisation, Post
from planner.services.posts.bin import binned_posts, empty_bin
from planner.services.posts.operations import move_to_bin


def test_binned_posts_newest_first_and_empty_bin_deletes_only_those(
    app: Flask,
    org: Organisation,
    make_org: Callable[..., Organisation],
    make_post: Callable[..., Post],
) -> None:
    kept = make_post(title="Beholdes")
    older = make_post(title="Eldre", deleted_at=datetime(2026, 1, 1))
    newer = make_post(title="Nyere")
    move_to_bin(newer)
    other = make_org("Annenby kommune")
    elsewhere = make_post(
        title="Annen kommune", organisation=other, deleted_at=datetime(2026, 1, 2)
    )
    assert binned_posts(org.id) == [newer, older]

    assert empty_bin(org.id) == 2
    assert binned_posts(org.id) == []
    remaining = set(db.session.execute(select(Post.title)).scalars())
    assert remaining == {kept.title, elsewhere.title}
    assert binned_posts(other.id) == [elsewhere]
