"""The one writer of calendar feeds (``write_feed`` with a ``FeedData``), its committing
form ``save_feed``, the reads the feed page and ``flask feed`` use, and serving's single
token digest per request."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from planner.domain.feeds.values import FeedData
from planner.domain.filters import PlanFilter
from planner.extensions import db
from planner.models import Channel, Feed, Organisation, StaffMember
from planner.models.feeds import token_digest
from planner.services.feeds import serving
from planner.services.feeds.management import (
    FeedError,
    create_feed,
    data_of,
    feed_choices,
    feed_listings,
    id_by_name,
    organisation_feeds,
    save_feed,
    write_feed,
)


def _feeds(org: Organisation) -> list[Feed]:
    return list(db.session.execute(db.select(Feed).filter_by(organisation_id=org.id)).scalars())


def _staff(org: Organisation, name: str = "Kari Nordmann") -> StaffMember:
    person = StaffMember(organisation_id=org.id, name=name)
    db.session.add(person)
    db.session.commit()
    return person


def test_write_feed_creates_without_committing_and_keeps_what_the_kind_uses(
    org: Organisation, make_channel: Any, make_user: Any
) -> None:
    channel = make_channel()
    person = _staff(org)
    user = make_user("editor")
    data = FeedData(
        name="  Vaktene mine  ",
        kind="duty",
        plan_filter=PlanFilter(channels=(channel.id,)),
        staff_member_id=person.id,
        include_drafts=True,
        reminder_days=2,
        public=True,
    )
    feed = write_feed(org.id, data, user=user, token="t" * 43)
    assert feed in db.session.new
    assert (feed.name, feed.kind, feed.staff_member_id) == ("Vaktene mine", "duty", person.id)
    assert feed.filter == {} and feed.include_drafts is False  # plan settings only for plan
    assert (feed.reminder_days, feed.public, feed.created_by_id) == (2, True, user.id)
    assert (feed.token, feed.token_digest) == ("t" * 43, token_digest("t" * 43))
    db.session.rollback()  # nothing was committed
    assert _feeds(org) == []
    plan = write_feed(org.id, replace(data, kind="plan"))
    assert PlanFilter.from_json(plan.filter).channels == (channel.id,)
    assert plan.include_drafts is True and plan.staff_member_id is None
    assert plan.created_by_id is None and len(plan.token) >= 40


def test_write_feed_changes_a_feed_and_its_token_only_when_asked(org: Organisation) -> None:
    feed = create_feed(org.id, "Alt", reminder_days=1)
    token = feed.token
    data = replace(data_of(feed), name="Hele planen", reminder_days=None, include_drafts=True)
    assert write_feed(org.id, data, feed) is feed
    db.session.commit()
    assert (feed.name, feed.reminder_days, feed.include_drafts) == ("Hele planen", None, True)
    assert feed.token == token and _feeds(org) == [feed]
    write_feed(org.id, data_of(feed), feed, token="n" * 43)
    assert (feed.token, feed.token_digest) == ("n" * 43, token_digest("n" * 43))
    assert data_of(feed) == data


def test_write_feed_refuses_wrong_values_with_field_messages(
    org: Organisation, make_org: Any, make_channel: Any
) -> None:
    theirs = make_channel(name="Deres kanal", organisation=make_org("Annenby kommune"))
    feed = create_feed(org.id, "Alt")
    bad = FeedData(
        name=" ",
        kind="alt",
        plan_filter=PlanFilter(channels=(theirs.id,), audiences=(9999,)),
        staff_member_id=9999,
        reminder_days=21,
    )
    with pytest.raises(FeedError) as caught:
        write_feed(org.id, bad, feed)
    assert set(caught.value.errors) == {
        "name",
        "kind",
        "channels",
        "audiences",
        "staff_member",
        "reminder_days",
    }
    assert "Gi feeden et navn" in caught.value.errors["name"]
    assert feed.name == "Alt" and feed not in db.session.dirty  # left as it was
    with pytest.raises(FeedError, match="høyst 200 tegn"):
        write_feed(org.id, FeedData(name="x" * 201))


def test_only_editors_make_a_feed_public(org: Organisation, make_user: Any) -> None:
    viewer = make_user("viewer")
    with pytest.raises(FeedError) as caught:
        save_feed(org.id, FeedData(name="Offentlig", public=True), user=viewer)
    assert "Bare redaktører" in caught.value.errors["public"]
    public = save_feed(org.id, FeedData(name="Offentlig", public=True), user=make_user("editor"))
    # A viewer who may manage it keeps it public when changing something else.
    renamed = save_feed(org.id, replace(data_of(public), name="Nytt navn"), public, user=viewer)
    assert renamed.public and renamed.name == "Nytt navn"


def test_save_feed_commits_or_rolls_back(org: Organisation, make_channel: Any) -> None:
    channel = make_channel()
    feed = save_feed(org.id, FeedData(name="Facebook", plan_filter=PlanFilter((channel.id,))))
    db.session.expire_all()
    assert _feeds(org) == [feed] and feed.filter["channels"] == [channel.id]
    channel.name = "Endret, ikke lagret"
    with pytest.raises(FeedError):
        save_feed(org.id, replace(data_of(feed), name=""), feed)
    assert db.session.get(Channel, channel.id).name == "Facebook"  # rolled back


def test_reads_for_the_feed_page_and_the_command_line(
    org: Organisation, make_org: Any, make_channel: Any, make_audience: Any, make_user: Any
) -> None:
    make_channel(name="Instagram")
    facebook = make_channel(name="Facebook")
    make_audience(name="Foreldre")
    kari = _staff(org)
    make_channel(name="Annen", organisation=make_org("Annenby kommune"))
    choices = feed_choices(org.id)
    assert [name for _id, name in choices.channels] == ["Facebook", "Instagram"]
    assert [name for _id, name in choices.audiences] == ["Foreldre"]
    assert choices.service_areas == [] and choices.staff == [(kari.id, "Kari Nordmann")]
    assert id_by_name(Channel, org.id, " FACEBOOK ") == facebook.id
    assert id_by_name(Channel, org.id, "Annen") is None
    owner, other = make_user("viewer"), make_user("viewer")
    mine = create_feed(org.id, "Mine", created_by=owner)
    shared = create_feed(org.id, "Felles", public=True)
    assert organisation_feeds(org.id) == [shared, mine]
    listings = feed_listings(owner)
    assert [(x.feed, x.can_manage) for x in listings] == [(shared, False), (mine, True)]
    assert listings[1].description.startswith("Kommunikasjonsplanen (årshjulet) til")
    assert [x.feed for x in feed_listings(other)] == [shared]


def test_a_feed_token_is_digested_once_per_request(
    client: Any, make_post: Any, org: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_post()
    feed = create_feed(org.id, "Alt")
    digests: list[str] = []

    def counting(token: str) -> str:
        digests.append(token)
        return token_digest(token)

    monkeypatch.setattr(serving, "token_digest", counting)
    found = serving.served_feed(feed.token, "http://localhost/")  # a miss: built
    assert found is not None and digests == [feed.token]
    assert serving.served_feed(feed.token, "http://localhost/") == found  # a hit
    assert digests == [feed.token] * 2
    assert serving.served_feed("kort", "http://localhost/") is None  # not a token shape
    assert len(digests) == 2


def test_cli_feed_create_goes_through_the_writer(runner: Any, org: Organisation) -> None:
    kari = _staff(org)
    result = runner.invoke(
        args=["feed", "create", "Karis vakter", "--kind", "duty", "--staff", "kari NORDMANN"]
    )
    assert result.exit_code == 0, result.output
    feed = db.session.execute(db.select(Feed)).scalar_one()
    assert (feed.kind, feed.staff_member_id, feed.path) == ("duty", kari.id, result.output.strip())
    unknown = runner.invoke(args=["feed", "create", "X", "--kind", "duty", "--staff", "Ola"])
    assert unknown.exit_code != 0 and "Fant ingen medarbeider" in unknown.output
    nameless = runner.invoke(args=["feed", "create", "   "])
    assert nameless.exit_code != 0 and "Gi feeden et navn" in nameless.output
    assert _feeds(org) == [feed]
