"""Post editing: full pages and htmx fragments, validation (422), conflicts (409), the bin,
moving, duplicating and single occurrences of recurring posts."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from planner.extensions import db
from planner.models import Post, PostException, Reach
from tests.conftest import login

HX = {"HX-Request": "true"}


@pytest.fixture
def editor_client(client: Any, make_user: Any) -> Any:
    login(client, make_user("editor"))
    return client


def _form(make_post: Any, **overrides: Any) -> dict[str, Any]:
    wheel_post = make_post(title="Hjelpepost")  # makes sure the 2026 wheel exists
    data = {
        "title": "Påminnelse om søknadsfrist",
        "wheel": str(wheel_post.wheel_id),
        "all_day": "y",
        "start_date": "2026-02-20",
        "end_date": "",
        "repeat": "",
        "status": "planlagt",
        "kind": "proaktiv",
        "service_area": "0",
    }
    data.update(overrides)
    return data


def _count() -> int:
    return db.session.execute(
        select(func.count(Post.id)).where(Post.deleted_at.is_(None))
    ).scalar_one()


def test_new_post_form_full_page_and_fragment(editor_client: Any, make_post: Any) -> None:
    make_post()
    page = editor_client.get("/posts/ny?dato=2026-03-01")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.startswith("<!doctype html>") and 'value="2026-03-01"' in html
    assert "hx-post" not in html.split('<form method="post" action="/posts/ny')[1].split(">")[0]
    fragment = editor_client.get("/posts/ny?dato=2026-03-01", headers=HX)
    body = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<!doctype" not in body and 'hx-post="/posts/ny' in body
    assert "HX-Request" in fragment.headers["Vary"]


def test_create_post_with_htmx_triggers_refresh(
    editor_client: Any, make_post: Any, make_channel: Any
) -> None:
    channel = make_channel("Kommunens nettside", type="nettside")
    data = _form(make_post, channels=str(channel.id))
    before = _count()
    response = editor_client.post("/posts/ny", data=data, headers=HX)
    assert response.status_code == 204
    triggers = json.loads(response.headers["HX-Trigger"])
    assert "planChanged" in triggers and "lagret" in triggers["postSaved"]["message"]
    assert _count() == before + 1
    post = db.session.execute(select(Post).where(Post.title == data["title"])).scalar_one()
    assert post.start == datetime(2026, 2, 20) and post.all_day and post.channels == [channel]


def test_create_post_without_js_redirects(editor_client: Any, make_post: Any) -> None:
    response = editor_client.post("/posts/ny", data=_form(make_post))
    assert response.status_code == 302
    assert "/posts/" in response.headers["Location"]


def test_invalid_post_is_422_with_field_errors_and_nothing_saved(
    editor_client: Any, make_post: Any
) -> None:
    data = _form(
        make_post, title="", start_date="2026-03-10", end_date="2026-03-01", link="www.x.no"
    )
    before = _count()
    response = editor_client.post("/posts/ny", data=data, headers=HX)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<!doctype" not in html
    assert 'id="title-error"' in html and "Innlegget må ha en tittel." in html
    assert 'id="end_date-error"' in html and "Slutt kan ikke være før start." in html
    assert "https://" in html  # the link message
    assert 'aria-describedby="title-error"' in html
    assert _count() == before


def test_bad_recurrence_rule_is_a_field_error(editor_client: Any, make_post: Any) -> None:
    data = _form(make_post, repeat="egen", rrule_custom="FREQ=HOURLY")
    response = editor_client.post("/posts/ny", data=data)
    assert response.status_code == 422
    assert 'id="rrule_custom-error"' in response.get_data(as_text=True)


def test_weekly_repeat_with_until(editor_client: Any, make_post: Any) -> None:
    data = _form(make_post, repeat="ukentlig", repeat_until="2026-03-20")
    assert editor_client.post("/posts/ny", data=data).status_code == 302
    post = db.session.execute(select(Post).where(Post.title == data["title"])).scalar_one()
    assert post.rrule == "FREQ=WEEKLY;UNTIL=20260320"
    page = editor_client.get(f"/posts/{post.id}").get_data(as_text=True)
    assert page.count("Flytt eller avlys") == 5  # 20.02, 27.02, 06.03, 13.03, 20.03


def test_second_tuesday_is_a_choice_saved_and_shown_again(
    editor_client: Any, make_post: Any
) -> None:
    data = _form(make_post, start_date="2026-03-10", repeat="maned-nte", repeat_until="2026-12-31")
    assert editor_client.post("/posts/ny", data=data).status_code == 302
    post = db.session.execute(select(Post).where(Post.title == data["title"])).scalar_one()
    assert post.rrule == "FREQ=MONTHLY;BYDAY=2TU;UNTIL=20261231"
    html = editor_client.get(f"/posts/{post.id}/rediger").get_data(as_text=True)
    assert '<option value="maned-nte" selected>2. tirsdag i måneden</option>' in html
    assert '<details class="advanced-rule">' in html  # closed: the choice says it all
    assert 'value="2026-12-31"' in html and 'name="rrule_custom" type="text" value=""' in html


def test_weekly_repeat_on_chosen_weekdays(editor_client: Any, make_post: Any) -> None:
    data = _form(
        make_post, start_date="2026-03-10", repeat="ukentlig", repeat_weekdays=["TU", "TH"]
    )
    assert editor_client.post("/posts/ny", data=data).status_code == 302
    post = db.session.execute(select(Post).where(Post.title == data["title"])).scalar_one()
    assert post.rrule == "FREQ=WEEKLY;BYDAY=TU,TH"
    html = editor_client.get(f"/posts/{post.id}/rediger").get_data(as_text=True)
    assert '<option value="ukentlig" selected>' in html
    checked = re.findall(r'<input checked id="repeat_weekdays-\d" [^>]*value="(\w\w)">', html)
    assert checked == ["TU", "TH"]


def test_unknown_weekday_is_refused_next_to_the_weekdays(
    editor_client: Any, make_post: Any
) -> None:
    data = _form(make_post, repeat="ukentlig", repeat_weekdays=["XX"])
    response = editor_client.post("/posts/ny", data=data)
    assert response.status_code == 422
    assert 'id="repeat_weekdays-error"' in response.get_data(as_text=True)


def test_rule_no_choice_writes_opens_advanced(editor_client: Any, make_post: Any) -> None:
    post = make_post(
        start=datetime(2026, 3, 10), end=datetime(2026, 3, 10), rrule="FREQ=DAILY;COUNT=5"
    )
    html = editor_client.get(f"/posts/{post.id}/rediger").get_data(as_text=True)
    assert '<details class="advanced-rule" open>' in html
    assert 'value="FREQ=DAILY;COUNT=5"' in html
    assert '<option value="egen" selected>' in html


def test_new_form_speaks_plainly_and_hides_empty_advice(editor_client: Any, make_post: Any) -> None:
    make_post()
    html = editor_client.get("/posts/ny?dato=2026-03-10").get_data(as_text=True)
    assert "RFC" not in html and "Egendefinert" not in html
    assert '<details class="advanced-rule">' in html and "<summary>Avansert</summary>" in html
    assert "2. tirsdag i måneden" in html and "Siste tirsdag i måneden" in html
    assert 'aria-live="polite"></div>' in html  # empty, so .reach-warnings:empty hides it
    assert 'class="field time-field"' in html


def test_search_with_no_hits_says_so_once(editor_client: Any, make_post: Any) -> None:
    make_post(title="Skolestart")
    html = editor_client.get("/plan/2026?q=finnesikke").get_data(as_text=True)
    assert html.count("Ingen innlegg passer til søket.") == 1
    assert "Ingen innlegg i " not in html
    assert 'href="/plan/2026">Nullstill filteret og vis hele planen</a>' in html


def test_edit_post_and_version_conflict(editor_client: Any, make_post: Any) -> None:
    post = make_post(title="Gammel tittel")
    form = editor_client.get(f"/posts/{post.id}/rediger").get_data(as_text=True)
    assert 'value="Gammel tittel"' in form and 'name="version" type="hidden" value="1"' in form
    data = _form(
        make_post, title="Ny tittel", start_date="2026-03-01", version="1", wheel=str(post.wheel_id)
    )
    assert editor_client.post(f"/posts/{post.id}/rediger", data=data, headers=HX).status_code == 204
    db.session.refresh(post)
    assert post.title == "Ny tittel" and post.version == 2
    # a second adviser still has version 1 open
    stale = dict(data, title="Overskriver ikke", version="1")
    response = editor_client.post(f"/posts/{post.id}/rediger", data=stale, headers=HX)
    assert response.status_code == 409
    assert "Noen andre har endret innlegget" in response.get_data(as_text=True)
    db.session.refresh(post)
    assert post.title == "Ny tittel"
    # sending again (now with the current version) overwrites knowingly
    assert (
        editor_client.post(
            f"/posts/{post.id}/rediger", data=dict(stale, version="2"), headers=HX
        ).status_code
        == 204
    )


def test_viewer_cannot_change_posts(client: Any, make_user: Any, make_post: Any) -> None:
    post = make_post()
    login(client, make_user("viewer"))
    assert client.get(f"/posts/{post.id}").status_code == 200
    assert "Rediger" not in client.get(f"/posts/{post.id}").get_data(as_text=True)
    for url in ("/posts/ny", f"/posts/{post.id}/rediger", f"/posts/{post.id}/slett"):
        assert client.get(url).status_code == 403
    assert client.post(f"/posts/{post.id}/dupliser").status_code == 403


def test_duplicate_move_and_bin(editor_client: Any, make_post: Any) -> None:
    post = make_post(title="Original")
    response = editor_client.post(f"/posts/{post.id}/dupliser")
    copy = db.session.execute(select(Post).where(Post.title == "Kopi av Original")).scalar_one()
    assert response.headers["Location"].endswith(f"/posts/{copy.id}/rediger")
    assert copy.uid != post.uid
    assert (
        editor_client.post(
            f"/posts/{post.id}/flytt", data={"new_date": "2026-04-15", "version": "1"}
        ).status_code
        == 302
    )
    db.session.refresh(post)
    assert post.start == datetime(2026, 4, 15)
    delete = editor_client.post(f"/posts/{post.id}/slett", headers=HX)
    assert delete.status_code == 204 and "/plan/2026" in delete.headers["HX-Location"]
    db.session.refresh(post)
    assert post.deleted_at is not None
    assert editor_client.get(f"/posts/{post.id}").status_code == 404
    assert "Original" not in editor_client.get("/plan/2026").get_data(as_text=True).replace(
        "Kopi av Original", ""
    )
    assert "Original" in editor_client.get("/papirkurv").get_data(as_text=True)
    editor_client.post(f"/papirkurv/{post.id}/gjenopprett")
    db.session.refresh(post)
    assert post.deleted_at is None


def test_move_and_cancel_one_occurrence(editor_client: Any, make_post: Any) -> None:
    post = make_post(
        title="Bystyremøte",
        start=datetime(2026, 2, 12, 18),
        end=datetime(2026, 2, 12, 21),
        all_day=False,
        rrule="FREQ=MONTHLY;BYDAY=2TH;COUNT=4",
    )
    march = datetime(2026, 3, 12, 18)
    form = editor_client.get(f"/posts/{post.id}/forekomst?id={march.isoformat()}", headers=HX)
    assert form.status_code == 200 and "<!doctype" not in form.get_data(as_text=True)
    moved = editor_client.post(
        f"/posts/{post.id}/forekomst",
        data={
            "recurrence_id": march.isoformat(),
            "action": "move",
            "new_date": "2026-03-19",
            "new_time": "17:00",
        },
        headers=HX,
    )
    assert moved.status_code == 204
    april = datetime(2026, 4, 9, 18)
    editor_client.post(
        f"/posts/{post.id}/forekomst", data={"recurrence_id": april.isoformat(), "action": "cancel"}
    )
    rows = {e.recurrence_id: e for e in db.session.execute(select(PostException)).scalars()}
    assert rows[march].start == datetime(2026, 3, 19, 17) and rows[april].cancelled
    listing = editor_client.get("/plan/2026").get_data(as_text=True)
    assert "19.03.2026 kl. 17:00" in listing and "12.03.2026 kl. 18:00" not in listing
    assert "09.04.2026" not in listing
    editor_client.post(
        f"/posts/{post.id}/forekomst",
        data={"recurrence_id": april.isoformat(), "action": "restore"},
    )
    assert "09.04.2026 kl. 18:00" in editor_client.get("/plan/2026").get_data(as_text=True)


def test_reach_warnings_live(
    editor_client: Any, make_post: Any, make_channel: Any, make_audience: Any, org: Any
) -> None:
    fb = make_channel("Facebook")
    web = make_channel("Nettside", type="nettside")
    youth = make_audience("Ungdom")
    seniors = make_audience("Eldre")
    db.session.add(Reach(organisation_id=org.id, channel_id=fb.id, audience_id=youth.id, level=3))
    db.session.commit()
    only_fb = editor_client.post(
        "/posts/rekkevidde",
        data={"channels": [str(fb.id)], "audiences": [str(youth.id), str(seniors.id)]},
    )
    html = only_fb.get_data(as_text=True)
    assert "«Eldre»" in html and "«Ungdom»" not in html and "bare i sosiale medier" in html
    with_web = editor_client.post(
        "/posts/rekkevidde",
        data={"channels": [str(fb.id), str(web.id)], "audiences": [str(youth.id)]},
    )
    assert "<li>" not in with_web.get_data(as_text=True)


def test_month_and_week_views(editor_client: Any, make_post: Any) -> None:
    make_post(title="Frist", start=datetime(2026, 3, 1), end=datetime(2026, 3, 1))
    month = editor_client.get("/plan/2026/maned/3").get_data(as_text=True)
    assert "Frist" in month and "uke 9" in month
    week = editor_client.get("/plan/uke/2026/9").get_data(as_text=True)
    assert "Frist" in week and "Søndag 01.03.2026" in week
    assert editor_client.get("/plan/uke/2026/53").status_code == 200  # 2026 has 53 ISO weeks
    assert editor_client.get("/plan/uke/2027/53").status_code == 404
    assert editor_client.get("/plan/2026/maned/13").status_code == 404


def test_roll_forward_recomputes_rule_dates_and_is_idempotent(
    editor_client: Any, runner: Any
) -> None:
    runner.invoke(args=["seed", "--year", "2026"])
    own = Post(
        organisation_id=db.session.execute(select(Post.organisation_id)).scalars().first(),
        wheel=db.session.execute(select(Post)).scalars().first().wheel,
        title="Egen sak",
        start=datetime(2026, 6, 10),
        end=datetime(2026, 6, 10),
        all_day=True,
    )
    db.session.add(own)
    db.session.commit()
    response = editor_client.post("/plan/2026/rull-fram", data={"target_year": "2027"})
    assert response.status_code == 302

    def post_2027(title: str) -> Post:
        return db.session.execute(
            select(Post).join(Post.wheel).where(Post.title == title, Post.wheel.has(year=2027))
        ).scalar_one()

    assert post_2027("Egen sak").start == datetime(2027, 6, 10)
    n = db.session.execute(select(func.count(Post.id))).scalar_one()
    editor_client.post("/plan/2026/rull-fram", data={"target_year": "2027"})
    assert db.session.execute(select(func.count(Post.id))).scalar_one() == n
    easter_keyed = [
        p for p in db.session.execute(select(Post).where(Post.seed_key.like("%pask%"))).scalars()
    ]
    by_key: dict[str, dict[int, datetime]] = {}
    for p in easter_keyed:
        by_key.setdefault(p.seed_key, {})[p.wheel.year] = p.start
    for key, starts in by_key.items():
        # Easter 2026-04-05, 2027-03-28: the same offset from Easter in both years
        assert (starts[2026] - datetime(2026, 4, 5)) == (starts[2027] - datetime(2027, 3, 28)), key


def test_week_view_shows_staffing_warnings(editor_client: Any, runner: Any) -> None:
    runner.invoke(args=["seed", "--year", "2026"])
    html = editor_client.get("/plan/uke/2026/9").get_data(as_text=True)
    assert "Bemanningsvarsler denne uka" in html
    assert "Forslag:" in html  # e.g. the deadline on Sunday 1 March with nobody at work
