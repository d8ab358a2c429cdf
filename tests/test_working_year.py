"""The year being worked on (arbeidsåret): the pure rule, the menu's links and the year-less
addresses after setting up with the recommended årshjul for next year, a new post's default
date, the writer's refusal of a post outside its wheel's year, and the site icon."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import select

from planner.domain.posts.working_year import (
    default_post_day,
    first_working_day,
    working_year,
)
from planner.extensions import db
from planner.models import Post, Wheel
from planner.services.posts import working_year as working_year_service
from planner.services.posts.writer import PostInvalid, data_of, write_post
from planner.views import plan_posts
from tests.conftest import PASSWORD, login

HX = {"HX-Request": "true"}
TODAY = date(2026, 12, 6)  # the app's "today": December, so next year is the one planned


# --------------------------------------------------------------------------- the rule


def test_october_to_december_opens_the_coming_year_when_it_has_a_plan() -> None:
    assert working_year(date(2026, 12, 6), [2026, 2027]) == 2027
    assert working_year(date(2026, 10, 1), [2027]) == 2027
    assert working_year(date(2026, 9, 30), [2026, 2027]) == 2026  # not yet autumn


def test_this_year_or_the_nearest_year_with_a_plan() -> None:
    assert working_year(date(2026, 12, 6), [2026]) == 2026
    assert working_year(date(2026, 5, 6), [2027]) == 2027
    assert working_year(date(2026, 5, 6), [2020, 2024]) == 2024
    assert working_year(date(2026, 5, 6), [2025, 2027]) == 2027  # a tie goes forward


def test_no_plans_at_all_is_this_year() -> None:
    assert working_year(date(2026, 12, 6), []) == 2026


def test_the_year_last_looked_at_wins() -> None:
    assert working_year(date(2026, 12, 6), [2027], last_viewed=2025) == 2025
    assert working_year(date(2026, 12, 6), [2027], last_viewed=1850) == 2027  # not a plan year


def test_default_post_day_lies_in_the_year_on_screen() -> None:
    assert default_post_day(TODAY, 2027) == date(2027, 1, 4)  # 1 Jan holiday, 2–3 weekend
    assert default_post_day(TODAY, 2026) == TODAY
    assert default_post_day(TODAY, None) == TODAY
    assert default_post_day(TODAY, 2027, date(2027, 3, 3)) == date(2027, 3, 3)
    assert first_working_day(2026) == date(2026, 1, 2)


# --------------------------------------------------------------------------- the app


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    """Fix "today" at 06.12.2026 for the working year and the post form."""
    now = datetime(2026, 12, 6, 9, 0)
    monkeypatch.setattr(working_year_service, "now_oslo", lambda: now)
    monkeypatch.setattr(plan_posts, "now_oslo", lambda: now)
    return TODAY


@pytest.fixture
def set_up_2027(client: Any, today: date) -> Any:
    """A first visit: setup with the recommended årshjul for 2027, logged in."""
    response = client.post(
        "/setup",
        data={
            "municipality": "Nyby kommune",
            "name": "Ny Rådgiver",
            "email": "ny@nyby.kommune.no",
            "password": PASSWORD,
            "seed": "y",
            "year": "2027",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"].endswith("/plan/2027")
    return client


def _nav_links(html: str) -> dict[str, str]:
    nav = html.split('aria-label="Hovedmeny"')[1].split("</nav>")[0]
    return {label: href for href, label in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav)}


def test_menu_opens_the_seeded_year_after_setup(set_up_2027: Any) -> None:
    client = set_up_2027
    links = _nav_links(client.get("/arshjul/2027").get_data(as_text=True))
    assert links["Årshjul"] == "/arshjul/2027"
    assert links["Plan"] == "/plan/2027"
    assert links["Bemanning"] == "/bemanning?year=2027"
    assert links["Eksport"] == "/eksport/?year=2027"


def test_menu_opens_the_nearest_planned_year_without_a_session_year(
    client: Any, make_user: Any, today: date, org: Any
) -> None:
    db.session.add(Wheel(organisation_id=org.id, year=2026, name="Årshjul 2026"))  # empty
    wheel = Wheel(organisation_id=org.id, year=2027, name="Årshjul 2027")
    day = datetime(2027, 3, 1)
    db.session.add(Post(organisation_id=org.id, wheel=wheel, title="Vår", start=day, end=day))
    db.session.commit()
    login(client, make_user("editor"))
    links = _nav_links(client.get("/historikk").get_data(as_text=True))
    assert links["Årshjul"] == "/arshjul/2027"


def test_year_less_addresses_go_to_the_working_year(set_up_2027: Any) -> None:
    client = set_up_2027
    for path in ("/plan", "/", "/arshjul"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].rsplit("/", 1)[-1] == "2027", path
    assert "2027" in client.get("/bemanning").get_data(as_text=True)


def test_the_year_last_looked_at_is_remembered(set_up_2027: Any) -> None:
    client = set_up_2027
    assert client.get("/arshjul/2029").status_code == 200
    assert client.get("/plan").headers["Location"].endswith("/plan/2029")
    links = _nav_links(client.get("/historikk").get_data(as_text=True))
    assert links["Årshjul"] == "/arshjul/2029"


def test_new_post_from_next_years_wheel_starts_in_that_year(set_up_2027: Any) -> None:
    client = set_up_2027
    html = client.get("/arshjul/2027").get_data(as_text=True)
    assert "/posts/ny?aar=2027" in html
    form = client.get("/posts/ny?aar=2027").get_data(as_text=True)
    assert 'name="start_date" required type="date" value="2027-01-04"' in form
    wheel = db.session.execute(select(Wheel).where(Wheel.year == 2027)).scalar_one()
    assert re.search(rf'<option selected value="{wheel.id}">', form)
    # The day clicked wins; today when it is in the year shown.
    form = client.get("/posts/ny?aar=2027&dato=2027-05-03").get_data(as_text=True)
    assert 'value="2027-05-03"' in form
    form = client.get("/posts/ny?aar=2026").get_data(as_text=True)
    assert 'name="start_date" required type="date" value="2026-12-06"' in form


def _form(wheel_id: int, start: str, **extra: str) -> dict[str, str]:
    data = {
        "title": "Julegrantenning",
        "wheel": str(wheel_id),
        "all_day": "y",
        "start_date": start,
        "end_date": "",
        "repeat": "",
        "status": "planlagt",
        "kind": "proaktiv",
        "service_area": "0",
    }
    data.update(extra)
    return data


def test_form_refuses_a_date_outside_the_wheels_year(set_up_2027: Any) -> None:
    client = set_up_2027
    wheel = db.session.execute(select(Wheel).where(Wheel.year == 2027)).scalar_one()
    response = client.post("/posts/ny?aar=2027", data=_form(wheel.id, "2026-12-06"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert (
        f"Datoen ligger i 2026, men årshjulet «{wheel.name}» gjelder 2027. "
        "Velg en dato i 2027, eller velg et årshjul for 2026." in html
    )


def test_saving_into_another_year_says_where_it_went(set_up_2027: Any) -> None:
    client = set_up_2027
    wheel_2028 = Wheel(
        organisation_id=db.session.execute(select(Wheel.organisation_id)).scalars().first(),
        year=2028,
        name="Årshjul 2028",
    )
    db.session.add(wheel_2028)
    db.session.commit()
    response = client.post(
        "/posts/ny?aar=2027", data=_form(wheel_2028.id, "2028-02-01"), headers=HX
    )
    assert response.status_code == 204
    saved = json.loads(response.headers["HX-Trigger"])["postSaved"]
    assert "Det ligger i årshjulet «Årshjul 2028» for 2028, ikke i 2027." in saved["message"]
    assert saved["link"] == {"href": "/arshjul/2028", "text": "Gå til årshjulet for 2028"}
    # Without htmx the message is flashed with the link; the same year needs no link.
    response = client.post(
        "/posts/ny?aar=2027", data=_form(wheel_2028.id, "2028-02-02"), follow_redirects=True
    )
    assert '<a href="/arshjul/2028">Gå til årshjulet for 2028</a>' in response.get_data(
        as_text=True
    )
    response = client.post(
        "/posts/ny?aar=2028", data=_form(wheel_2028.id, "2028-02-03"), headers=HX
    )
    assert "link" not in json.loads(response.headers["HX-Trigger"])["postSaved"]


def test_writer_refuses_a_post_outside_its_wheels_year(make_post: Any, org: Any) -> None:
    post = make_post()
    wheel_2027 = Wheel(organisation_id=org.id, year=2027, name="Årshjul 2027")
    db.session.add(wheel_2027)
    db.session.flush()
    data = data_of(post)
    with pytest.raises(PostInvalid) as refused:
        write_post(org.id, data.__class__(**{**data.__dict__, "wheel_id": wheel_2027.id}))
    assert refused.value.errors["start"].startswith(
        "Datoen ligger i 2026, men årshjulet «Årshjul 2027»"
    )
    db.session.rollback()
    assert db.session.get(Post, post.id).wheel.year == 2026


def test_moving_a_post_out_of_its_year_is_refused(
    client: Any, make_user: Any, make_post: Any
) -> None:
    login(client, make_user("editor"))
    post = make_post()
    response = client.post(
        f"/posts/{post.id}/flytt",
        data={"new_date": "2027-01-04", "version": "1"},
        follow_redirects=True,
    )
    assert "Datoen ligger i 2027, men årshjulet «Årshjul 2026» gjelder 2026." in response.get_data(
        as_text=True
    )
    assert db.session.get(Post, post.id).start == datetime(2026, 3, 1)


def test_favicon(client: Any) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert b"<svg" in response.data
    assert 'rel="icon"' in client.get("/login", follow_redirects=True).get_data(as_text=True)
