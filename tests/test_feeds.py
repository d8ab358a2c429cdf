"""Calendar feeds: content (checked by icalendar, vobject, recurring-ical-events and
ical.js), HTTP behaviour (conditional GET, gzip, no cookies, 404 for revoked tokens),
isolation between organisations, the feed pages and ``flask feed create``."""

from __future__ import annotations

import gzip
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from icalendar import Calendar

from planner.domain.dates import OSLO
from planner.domain.filters import PlanFilter
from planner.extensions import db, dispose_engines
from planner.models import (
    Audience,
    Channel,
    DutyAssignment,
    Feed,
    FeedSnapshot,
    Organisation,
    Post,
    PostException,
    ServiceArea,
    StaffMember,
    User,
    Wheel,
)
from planner.services.feeds import serving
from planner.services.feeds.cache import FeedBody, FeedCache, feed_cache
from planner.services.feeds.management import (
    FeedError,
    create_feed,
    delete_feed,
    revoke_feed,
    rotate_feed,
)
from planner.services.posts.queries import items_for_year
from planner.services.posts.seeding import seed_year
from tests.conftest import csrf_token_from, login, make_app
from tests.domain.test_ical import assert_valid_calendar, planner_occurrences

YEAR = 2026
WINDOW = (datetime(YEAR, 1, 1), datetime(YEAR, 12, 31, 23, 59, 59))
NOW = datetime(YEAR, 11, 21, 10, 0, tzinfo=OSLO)


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """Feeds hold last year and later, and bin posts for 30 days: pin "now" to 2026."""
    monkeypatch.setattr(serving, "now_oslo", lambda: NOW)
    return NOW


@pytest.fixture
def seeded(app: Flask, org: Organisation) -> Organisation:
    """The recommended årshjul for 2026, a recurring post with a cancelled and a moved
    occurrence (across the DST change), and a small duty rota."""
    seed_year(org, YEAR)
    db.session.commit()
    wheel_id = db.session.execute(
        db.select(Post.wheel_id).where(Post.organisation_id == org.id)
    ).scalar()
    weekly = Post(
        organisation_id=org.id,
        wheel_id=wheel_id,
        title="Redaksjonsmøte for sosiale medier",
        start=datetime(YEAR, 3, 2, 9),
        end=datetime(YEAR, 3, 2, 9, 45),
        all_day=False,
        rrule="FREQ=WEEKLY;BYDAY=MO",
        responsible="Kari Nordmann",
    )
    weekly.exceptions = [
        PostException(
            organisation_id=org.id, recurrence_id=datetime(YEAR, 3, 9, 9), cancelled=True
        ),
        PostException(
            organisation_id=org.id,
            recurrence_id=datetime(YEAR, 3, 23, 9),
            start=datetime(YEAR, 3, 31, 14),
            end=datetime(YEAR, 3, 31, 15),
        ),
    ]
    db.session.add(weekly)
    kari = StaffMember(organisation_id=org.id, name="Kari Nordmann")
    ola = StaffMember(organisation_id=org.id, name="Ola Nordmann")
    db.session.add_all([kari, ola])
    db.session.flush()
    for week in range(1, 6):
        monday = date.fromisocalendar(YEAR, week, 1)
        main, backup = (kari, ola) if week % 2 else (ola, kari)
        db.session.add(
            DutyAssignment(
                organisation_id=org.id, staff_member_id=main.id, week_start=monday, role="main"
            )
        )
        db.session.add(
            DutyAssignment(
                organisation_id=org.id, staff_member_id=backup.id, week_start=monday, role="backup"
            )
        )
    db.session.commit()
    return org


def _id(model: Any, org: Organisation, name: str) -> int:
    return int(
        db.session.execute(
            db.select(model.id).filter_by(organisation_id=org.id, name=name)
        ).scalar_one()
    )


def _weekly_uid(org: Organisation) -> str:
    return str(
        db.session.execute(
            db.select(Post.uid).filter_by(
                organisation_id=org.id, title="Redaksjonsmøte for sosiale medier"
            )
        ).scalar_one()
    )


def _get(client: Any, feed: Feed, **headers: str) -> Any:
    return client.get(feed.path, headers=headers)


# --------------------------------------------------------------------------- content


def test_every_feed_of_the_seeded_plan_is_accepted_by_every_parser(
    client: Any, seeded: Organisation, tmp_path: Path
) -> None:
    org = seeded
    kari = _id(StaffMember, org, "Kari Nordmann")
    channel = (
        db.session.execute(db.select(Channel).filter_by(organisation_id=org.id)).scalars().first()
    )
    audience = (
        db.session.execute(db.select(Audience).filter_by(organisation_id=org.id)).scalars().first()
    )
    area = (
        db.session.execute(db.select(ServiceArea).filter_by(organisation_id=org.id))
        .scalars()
        .first()
    )
    feeds = [
        create_feed(org.id, "Hele planen"),
        create_feed(org.id, "Med ideer og påminnelser", include_drafts=True, reminder_days=2),
        create_feed(org.id, "Kanal", plan_filter=PlanFilter(channels=(channel.id,))),
        create_feed(org.id, "Målgruppe", plan_filter=PlanFilter(audiences=(audience.id,))),
        create_feed(org.id, "Område", plan_filter=PlanFilter(service_areas=(area.id,))),
        create_feed(org.id, "Søk", plan_filter=PlanFilter(q="barnehage", kinds=("proaktiv",))),
        create_feed(org.id, "Toppbelastninger", kind="peaks", reminder_days=5),
        create_feed(org.id, "Vaktliste", kind="duty"),
        create_feed(org.id, "Mine vakter", kind="duty", staff_member_id=kari),
    ]
    counts = {}
    for feed in feeds:
        response = _get(client, feed)
        assert response.status_code == 200, feed.name
        counts[feed.name] = len(assert_valid_calendar(response.data, WINDOW, tmp_path))
    assert counts["Hele planen"] > 60
    assert 0 < counts["Kanal"] < counts["Hele planen"]
    assert 0 < counts["Område"] < counts["Hele planen"]
    assert 0 < counts["Søk"] < counts["Hele planen"]
    assert counts["Toppbelastninger"] >= 3
    assert counts["Vaktliste"] == 10 and counts["Mine vakter"] == 5


def test_feed_occurrences_equal_the_planners_own(
    client: Any, seeded: Organisation, tmp_path: Path
) -> None:
    """recurring-ical-events and ical.js expand exactly what the plan shows for the year,
    moved and cancelled occurrences and the DST changes included."""
    feed = create_feed(seeded.id, "Alt", include_drafts=True)
    found = assert_valid_calendar(_get(client, feed).data, WINDOW, tmp_path)
    expected = planner_occurrences(
        (i.post.uid, i.occurrence.start, i.occurrence.end, i.post.all_day)
        for i in items_for_year(seeded.id, YEAR)
    )
    assert found == expected
    weekly = [o for o in found if o[0] == _weekly_uid(seeded)]
    starts = {o[1] for o in weekly}
    assert "2026-03-02T08:00:00Z" in starts  # 09:00 CET before the change
    assert "2026-03-30T07:00:00Z" in starts  # 09:00 CEST after it
    assert "2026-03-09T08:00:00Z" not in starts  # cancelled
    assert "2026-03-23T08:00:00Z" not in starts and "2026-03-31T12:00:00Z" in starts  # moved


def test_feed_properties(client: Any, seeded: Organisation) -> None:
    feed = create_feed(seeded.id, "Oppvekst – plan", reminder_days=2)
    calendar = Calendar.from_ical(_get(client, feed).data)
    assert str(calendar["NAME"]) == "Oppvekst – plan"
    assert "Testvik kommune" in str(calendar["X-WR-CALDESC"])
    post = db.session.execute(
        db.select(Post).filter_by(organisation_id=seeded.id, seed_key="barnehage-soknadsfrist")
    ).scalar()
    if post is None:
        post = (
            db.session.execute(db.select(Post).filter_by(organisation_id=seeded.id))
            .scalars()
            .first()
        )
    event = next(e for e in calendar.walk("VEVENT") if str(e["UID"]) == post.uid)
    assert str(event["URL"]).endswith(f"/posts/{post.id}")
    assert str(event["URL"]).startswith("http://localhost/")
    description = str(event["DESCRIPTION"])
    if post.channels:
        assert "Kanaler: " + ", ".join(c.name for c in post.channels) in description
        assert {str(c) for c in event["CATEGORIES"].cats} >= {c.name for c in post.channels}
    assert f"Åpne i årshjulet: http://localhost/posts/{post.id}" in description
    assert event.decoded("SEQUENCE") == post.version - 1
    assert event.walk("VALARM")


def test_sequence_rises_and_uid_stays_when_a_post_changes(client: Any, make_post: Any) -> None:
    post = make_post(title="Før")
    feed = create_feed(post.organisation_id, "Alt")
    first = Calendar.from_ical(_get(client, feed).data).walk("VEVENT")[0]
    post.title = "Etter"
    post.start = post.end = datetime(YEAR, 3, 2)
    db.session.commit()
    second = Calendar.from_ical(_get(client, feed).data).walk("VEVENT")[0]
    assert str(first["UID"]) == str(second["UID"]) == post.uid
    assert second.decoded("SEQUENCE") > first.decoded("SEQUENCE")
    assert str(second["SUMMARY"]) == "Etter"


def test_drafts_cancelled_and_bin(client: Any, make_post: Any, org: Organisation) -> None:
    idea = make_post(title="Idé", status="idé")
    cancelled = make_post(title="Avlyst", status="avlyst")
    recent_bin = make_post(
        title="Nylig slettet", deleted_at=NOW.replace(tzinfo=None) - timedelta(days=3)
    )
    old_bin = make_post(
        title="Gammelt slettet", deleted_at=NOW.replace(tzinfo=None) - timedelta(days=45)
    )
    plain = create_feed(org.id, "Uten ideer")
    drafts = create_feed(org.id, "Med ideer", include_drafts=True)
    events = {str(e["UID"]): e for e in Calendar.from_ical(_get(client, plain).data).walk("VEVENT")}
    assert idea.uid not in events and old_bin.uid not in events
    assert str(events[cancelled.uid]["STATUS"]) == "CANCELLED"
    assert str(events[recent_bin.uid]["STATUS"]) == "CANCELLED"
    with_drafts = {
        str(e["UID"]): e for e in Calendar.from_ical(_get(client, drafts).data).walk("VEVENT")
    }
    assert str(with_drafts[idea.uid]["STATUS"]) == "TENTATIVE"


def test_feed_window_starts_last_year(client: Any, make_post: Any, org: Organisation) -> None:
    old_wheel = Wheel(organisation_id=org.id, year=YEAR - 2, name="Gammelt")
    last_wheel = Wheel(organisation_id=org.id, year=YEAR - 1, name="I fjor")
    db.session.add_all([old_wheel, last_wheel])
    db.session.commit()
    old = Post(
        organisation_id=org.id,
        wheel=old_wheel,
        title="For lenge siden",
        start=datetime(YEAR - 2, 5, 1),
        end=datetime(YEAR - 2, 5, 1),
    )
    last = Post(
        organisation_id=org.id,
        wheel=last_wheel,
        title="I fjor",
        start=datetime(YEAR - 1, 5, 1),
        end=datetime(YEAR - 1, 5, 1),
    )
    db.session.add_all([old, last])
    db.session.commit()
    feed = create_feed(org.id, "Alt")
    uids = {str(e["UID"]) for e in Calendar.from_ical(_get(client, feed).data).walk("VEVENT")}
    assert last.uid in uids and old.uid not in uids


# --------------------------------------------------------------------------- HTTP


def test_http_headers_and_conditional_get(client: Any, make_post: Any, org: Organisation) -> None:
    make_post()
    feed = create_feed(org.id, "Alt")
    response = _get(client, feed)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "Content-Disposition" not in response.headers
    etag = response.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert response.headers["Last-Modified"]
    assert "Set-Cookie" not in response.headers
    assert _get(client, feed, **{"If-None-Match": etag}).status_code == 304
    not_modified = _get(client, feed, **{"If-Modified-Since": response.headers["Last-Modified"]})
    assert not_modified.status_code == 304 and not_modified.data == b""
    assert _get(client, feed, **{"If-None-Match": '"something-else"'}).status_code == 200
    assert _get(client, feed, **{"If-Modified-Since": "garbage"}).status_code == 200
    assert client.head(feed.path).status_code == 200


def test_gzip_only_when_asked(client: Any, make_post: Any, org: Organisation) -> None:
    make_post()
    feed = create_feed(org.id, "Alt")
    plain = _get(client, feed)
    zipped = _get(client, feed, **{"Accept-Encoding": "gzip, deflate"})
    assert "Content-Encoding" not in plain.headers
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.data) == plain.data
    assert zipped.headers["ETag"] != plain.headers["ETag"]
    assert "Accept-Encoding" in zipped.headers["Vary"]
    refused = _get(client, feed, **{"Accept-Encoding": "gzip;q=0, identity"})
    assert "Content-Encoding" not in refused.headers
    again = _get(
        client, feed, **{"Accept-Encoding": "gzip", "If-None-Match": zipped.headers["ETag"]}
    )
    assert again.status_code == 304


def test_cache_is_invalidated_by_changes_and_last_modified_never_goes_back(
    app: Flask, client: Any, make_post: Any, org: Organisation
) -> None:
    post = make_post()
    feed = create_feed(org.id, "Alt")
    first = _get(client, feed)
    assert _get(client, feed).headers["ETag"] == first.headers["ETag"]
    cache = feed_cache()
    assert len(cache) == 1
    post.title = "Endret tittel"
    db.session.commit()
    second = _get(client, feed)
    assert second.headers["ETag"] != first.headers["ETag"]
    assert b"Endret tittel" in second.data
    assert second.last_modified > first.last_modified
    db.session.delete(post)
    db.session.commit()
    third = _get(client, feed)
    assert post.uid.encode() not in third.data
    assert third.last_modified > second.last_modified
    # a client holding an older date must not get 304 for the new content
    stale = _get(client, feed, **{"If-Modified-Since": second.headers["Last-Modified"]})
    assert stale.status_code == 200


def test_unrelated_change_keeps_last_modified_when_content_is_unchanged(
    client: Any, make_post: Any, make_channel: Any, org: Organisation
) -> None:
    make_post()
    feed = create_feed(org.id, "Alt")
    first = _get(client, feed)
    make_channel(name="Ny kanal")  # bumps data_version, not this feed's content
    second = _get(client, feed)
    assert second.headers["ETag"] == first.headers["ETag"]
    assert second.headers["Last-Modified"] == first.headers["Last-Modified"]


def test_last_modified_is_shared_by_workers_and_hosts_and_serving_writes_no_change(
    app: Flask, client: Any, make_post: Any, org: Organisation
) -> None:
    make_post()
    feed = create_feed(org.id, "Alt")
    first = _get(client, feed)
    version = db.session.execute(
        db.select(Organisation.data_version).filter_by(id=org.id)
    ).scalar_one()
    # Another worker process: an empty in-process cache, same answer.
    app.extensions["planner_feed_cache"] = FeedCache()
    again = _get(client, feed)
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Last-Modified"] == first.headers["Last-Modified"]
    # Asked for under another host name: its links differ, the content has not changed.
    other_host = client.get(feed.path, base_url="https://kalender.testvik.kommune.no")
    assert b"https://kalender.testvik.kommune.no/posts/" in other_host.data
    assert other_host.headers["ETag"] != first.headers["ETag"]
    assert other_host.headers["Last-Modified"] == first.headers["Last-Modified"]
    # Serving feeds is not a change to the plan.
    assert (
        db.session.execute(db.select(Organisation.data_version).filter_by(id=org.id)).scalar_one()
        == version
    )


def test_a_feed_built_by_one_server_is_served_by_the_others_without_building_it(
    app: Flask, client: Any, make_post: Any, org: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    post = make_post()
    feed = create_feed(org.id, "Alt")
    first = _get(client, feed, **{"Accept-Encoding": "gzip"})
    snapshots = db.select(FeedSnapshot).filter_by(feed_id=feed.id)
    assert len(db.session.execute(snapshots).scalars().all()) == 1

    def must_not_build(*_args: Any) -> bytes:
        raise AssertionError("the feed was built again")

    # Another server (or worker): an empty in-process cache, the same database.
    app.extensions["planner_feed_cache"] = FeedCache()
    monkeypatch.setattr(serving, "build_feed", must_not_build)
    again = _get(client, feed, **{"Accept-Encoding": "gzip"})
    assert (again.status_code, again.data) == (200, first.data)
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Last-Modified"] == first.headers["Last-Modified"]
    assert gzip.decompress(again.data) == _get(client, feed).data
    monkeypatch.undo()
    monkeypatch.setattr(serving, "now_oslo", lambda: NOW)
    # After a change the feed is built anew and replaces the old snapshot.
    post.title = "Søknadsfrist SFO"
    db.session.commit()
    changed = _get(client, feed)
    assert b"S\xc3\xb8knadsfrist SFO" in changed.data
    assert len(db.session.execute(snapshots).scalars().all()) == 1
    # Snapshots go with their feed.
    revoke_feed(feed)
    delete_feed(feed)
    assert db.session.execute(snapshots).scalars().all() == []


def test_revoked_and_unknown_tokens_are_the_same_404(
    client: Any, make_post: Any, org: Organisation
) -> None:
    make_post()
    feed = create_feed(org.id, "Alt")
    assert _get(client, feed).status_code == 200
    path = feed.path
    revoke_feed(feed)
    revoked = client.get(path)
    unknown = client.get("/feeds/" + "A" * 43 + ".ics")
    malformed = client.get("/feeds/kort.ics")
    for response in (revoked, unknown, malformed):
        assert response.status_code == 404
        assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
        assert "Set-Cookie" not in response.headers
    assert revoked.data == unknown.data == malformed.data
    assert "Fant ikke kalenderen" in revoked.get_data(as_text=True)


def test_rotating_gives_a_new_address_and_kills_the_old(
    client: Any, make_post: Any, org: Organisation
) -> None:
    make_post()
    feed = create_feed(org.id, "Alt")
    old_path = feed.path
    rotate_feed(feed)
    assert feed.path != old_path
    assert client.get(old_path).status_code == 404
    assert client.get(feed.path).status_code == 200


def test_no_session_cookie_even_for_a_logged_in_browser(
    client: Any, make_post: Any, make_user: Any, org: Organisation
) -> None:
    make_post()
    feed = create_feed(org.id, "Alt")
    login(client, make_user("viewer"))
    response = _get(client, feed)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_feeds_cannot_reach_another_organisations_data(
    client: Any, make_post: Any, make_org: Any, make_channel: Any, org: Organisation
) -> None:
    other = make_org("Annenby kommune")
    ours = make_post(title="Vårt innlegg")
    theirs = make_post(title="Deres innlegg", organisation=other)
    their_channel = make_channel(name="Deres kanal", organisation=other)
    feed = create_feed(org.id, "Alt")
    body = _get(client, feed).data
    assert ours.uid.encode() in body and theirs.uid.encode() not in body
    with pytest.raises(FeedError) as refused:
        create_feed(org.id, "Lur", plan_filter=PlanFilter(channels=(their_channel.id,)))
    assert "channels" in refused.value.errors
    db.session.rollback()
    # Even a feed row pointing at foreign ids only ever reads its own organisation.
    sneaky = create_feed(org.id, "Lur 2")
    sneaky.filter = PlanFilter(channels=(their_channel.id,)).to_json()
    db.session.commit()
    assert b"BEGIN:VEVENT" not in _get(client, sneaky).data


def test_two_apps_never_share_the_feed_cache(tmp_path: Path) -> None:
    bodies = []
    for n in (1, 2):
        (tmp_path / str(n)).mkdir()
        app = make_app(tmp_path / str(n))
        with app.app_context():
            org = Organisation(name=f"Kommune {n}")
            db.session.add(org)
            db.session.commit()
            feed = create_feed(org.id, f"Feed {n}")
            feed.set_token("samme-adresse-i-begge-appene-0123456789")
            db.session.commit()
            bodies.append(app.test_client().get(feed.path).data)
            db.session.remove()
            db.drop_all()
            dispose_engines()
    assert b"Feed 1" in bodies[0] and b"Feed 2" in bodies[1]


def test_cache_is_bounded() -> None:
    cache = FeedCache(max_entries=2, max_bytes=1000)
    body = FeedBody(b"x" * 100, b"y" * 10, "e", datetime(2026, 1, 1))
    for n in range(5):
        cache.put((n,), body)
    assert len(cache) == 2 and cache.get((0,)) is None and cache.get((4,)) is body
    # A feed over the whole budget is kept alone (else it would be rebuilt on every poll).
    big = FeedBody(b"x" * 2000, b"", "f", datetime(2026, 1, 1))
    cache.put(("big",), big)
    assert len(cache) == 1 and cache.get(("big",)) is big
    cache.put((5,), body)
    assert len(cache) == 1 and cache.get(("big",)) is None and cache.get((5,)) is body


# --------------------------------------------------------------------------- pages


def test_feed_page_lists_creates_and_prefills(
    client: Any, make_user: Any, org: Organisation, make_channel: Any
) -> None:
    channel = make_channel(name="Facebook")
    viewer = make_user("viewer")
    login(client, viewer)
    page = client.get(f"/kalenderfeeder?kanal={channel.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    checkbox = re.search(r'<input[^>]*name="channels"[^>]*>', html)
    assert (
        checkbox and "checked" in checkbox.group(0) and f'value="{channel.id}"' in checkbox.group(0)
    )
    assert "8. til 24. time" in html  # Google's refresh is said plainly
    response = client.post(
        "/kalenderfeeder",
        data={
            "name": "Mine Facebook-innlegg",
            "kind": "plan",
            "channels": [str(channel.id)],
            "reminder_days": "2",
            "staff_member": "0",
        },
    )
    assert response.status_code == 302
    feed = db.session.execute(db.select(Feed)).scalar_one()
    assert feed.created_by_id == viewer.id and feed.reminder_days == 2 and not feed.public
    assert PlanFilter.from_json(feed.filter).channels == (channel.id,)
    html = client.get("/kalenderfeeder").get_data(as_text=True)
    assert f"http://localhost/feeds/{feed.token}.ics" in html
    assert f"webcal://localhost/feeds/{feed.token}.ics" in html
    assert 'data-copy="https-' in html


def test_feed_form_errors_are_field_level_and_422(client: Any, make_user: Any) -> None:
    login(client, make_user("viewer"))
    response = client.post(
        "/kalenderfeeder", data={"name": "", "kind": "plan", "staff_member": "0"}
    )
    assert response.status_code == 422
    assert 'id="name-error"' in response.get_data(as_text=True)
    public = client.post(
        "/kalenderfeeder",
        data={"name": "Offentlig", "kind": "plan", "public": "y", "staff_member": "0"},
    )
    assert public.status_code == 422
    assert "Bare redaktører" in public.get_data(as_text=True)


def test_private_feeds_are_only_seen_and_managed_by_their_owner(
    client: Any, make_user: Any, org: Organisation
) -> None:
    owner, other, admin = make_user("viewer"), make_user("editor"), make_user("admin")
    private = create_feed(org.id, "Privat", created_by=owner)
    public = create_feed(org.id, "Offentlig", public=True, created_by=admin)
    login(client, other)
    html = client.get("/kalenderfeeder").get_data(as_text=True)
    assert "Offentlig" in html and private.token not in html
    assert client.post(f"/kalenderfeeder/{private.id}/trekk-tilbake").status_code == 404
    assert (
        client.post(f"/kalenderfeeder/{public.id}/ny-adresse").status_code == 302
    )  # editors manage public feeds
    client.post("/logout")
    login(client, owner)
    assert client.post(f"/kalenderfeeder/{public.id}/trekk-tilbake").status_code == 403
    assert client.post(f"/kalenderfeeder/{private.id}/trekk-tilbake").status_code == 302
    assert db.session.get(Feed, private.id).revoked_at is not None
    assert client.post(f"/kalenderfeeder/{private.id}/slett").status_code == 302
    assert db.session.get(Feed, private.id) is None


def test_feed_pages_of_another_organisation_are_404(
    client: Any, make_user: Any, make_org: Any
) -> None:
    other = make_org("Annenby kommune")
    theirs = create_feed(other.id, "Deres", public=True)
    login(client, make_user("admin"))
    assert theirs.token not in client.get("/kalenderfeeder").get_data(as_text=True)
    assert client.post(f"/kalenderfeeder/{theirs.id}/trekk-tilbake").status_code == 404


def test_csrf_is_required_on_the_feed_forms(tmp_path: Path) -> None:
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    with app.app_context():
        org = Organisation(name="Testvik")
        db.session.add(org)
        db.session.commit()
        user = User(organisation_id=org.id, email="kari@testvik.no", role="editor")
        user.set_password("riktig-hemmelig-passord")
        db.session.add(user)
        db.session.commit()
        feed = create_feed(org.id, "Alt", created_by=user)
        client = app.test_client()
        page = client.get("/login")
        client.post(
            "/login",
            data={
                "email": user.email,
                "password": "riktig-hemmelig-passord",
                "csrf_token": csrf_token_from(page.get_data(as_text=True)),
            },
        )
        assert client.post(f"/kalenderfeeder/{feed.id}/trekk-tilbake").status_code == 400
        token = csrf_token_from(client.get("/kalenderfeeder").get_data(as_text=True))
        assert (
            client.post(
                f"/kalenderfeeder/{feed.id}/trekk-tilbake", data={"csrf_token": token}
            ).status_code
            == 302
        )
        assert client.get(feed.path).status_code == 404
        db.session.remove()
        db.drop_all()
        dispose_engines()


# --------------------------------------------------------------------------- CLI


def test_cli_feed_create_prints_the_path(runner: Any, client: Any, seeded: Organisation) -> None:
    channel = (
        db.session.execute(db.select(Channel).filter_by(organisation_id=seeded.id))
        .scalars()
        .first()
    )
    result = runner.invoke(
        args=["feed", "create", "Facebook-planen", "--channel", channel.name.upper()]
    )
    assert result.exit_code == 0, result.output
    path = result.output.strip()
    assert path.startswith("/feeds/") and path.endswith(".ics")
    response = client.get(path)
    assert response.status_code == 200
    feed = db.session.execute(db.select(Feed)).scalar_one()
    assert PlanFilter.from_json(feed.filter).channels == (channel.id,)
    listing = runner.invoke(args=["feed", "list"])
    assert path in listing.output
    unknown = runner.invoke(args=["feed", "create", "X", "--audience", "Finnes ikke"])
    assert unknown.exit_code != 0 and "Fant ingen målgruppe" in unknown.output


def test_cli_export_ics(runner: Any, seeded: Organisation, tmp_path: Path) -> None:
    target = tmp_path / "plan.ics"
    result = runner.invoke(
        args=["export", "--format", "ics", "--year", str(YEAR), "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    found = assert_valid_calendar(target.read_bytes(), WINDOW, tmp_path)
    expected = planner_occurrences(
        (i.post.uid, i.occurrence.start, i.occurrence.end, i.post.all_day)
        for i in items_for_year(seeded.id, YEAR)
    )
    assert found == expected
