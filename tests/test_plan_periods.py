"""Peak periods (toppbelastninger), holiday periods and public holidays on the month grid
and on a post's page, with the staffing warnings that concern the post."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from planner.domain.period_marks import grid_marks, row_marks
from planner.domain.staffing.model import Period
from planner.extensions import db
from planner.models import Organisation, Post
from planner.services.posts.seeding import seed_year
from planner.services.staffing.periods import month_marks, post_periods
from tests.conftest import login


@pytest.fixture
def seeded_2027(org: Organisation) -> Organisation:
    seed_year(org, 2027)
    db.session.commit()
    return org


def _post(org: Organisation, title: str, year: int) -> Post:
    return db.session.execute(
        select(Post).where(
            Post.organisation_id == org.id,
            Post.title == title,
            Post.start >= date(year, 1, 1),
            Post.start < date(year + 1, 1, 1),
        )
    ).scalar_one()


def _cell(html: str, day: int) -> str:
    """The month grid's cell of one day of the month shown."""
    start = html.index(f'<span class="day-number">{day}.</span>')
    return html[start : html.index("</td>", start)]


# --------------------------------------------------------------------------- pure marks


def test_row_marks_give_each_period_a_lane_and_label_its_first_visible_day() -> None:
    days = [date(2027, 2, 22) + timedelta(days=n) for n in range(7)]
    peak = Period(date(2027, 2, 15), date(2027, 3, 1))
    holiday = Period(date(2027, 2, 26), date(2027, 2, 28))
    elsewhere = Period(date(2027, 5, 1), date(2027, 5, 2))
    marks = row_marks(days, [peak, elsewhere, holiday])
    assert all(len(lanes) == 2 for lanes in marks.values())  # «elsewhere» gets no lane
    monday, friday, sunday = marks[days[0]], marks[days[4]], marks[days[6]]
    assert monday[0] is not None and monday[0].first and not monday[0].last
    assert monday[1] is None
    assert friday[1] is not None and friday[1].first and friday[0] is not None
    assert not friday[0].first
    assert sunday[0] is not None and sunday[0].last and sunday[1] is not None and sunday[1].last
    next_week = [d + timedelta(days=7) for d in days]
    grid = grid_marks([days, next_week], [peak])
    assert grid[next_week[0]][0] is not None and grid[next_week[0]][0].first  # label again
    assert grid[next_week[1]] == [None]
    assert row_marks([], [peak]) == {}


# --------------------------------------------------------------------------- month grid


def test_february_2027_shows_the_kindergarten_peak_and_holidays_in_words(
    client: Any, make_user: Any, seeded_2027: Organisation
) -> None:
    login(client, make_user("viewer"))
    html = client.get("/plan/2027/maned/2").get_data(as_text=True)
    label = "Toppbelastning: Innspurt barnehagesøknader"
    # The peak runs 15.02–01.03.2027: labelled once per week row it touches (February 2027
    # is the four rows of weeks 5–8), a hidden-text mark on its other days.
    assert html.count(f'<span class="band-label">{label}</span>') == 2
    assert f'<span class="band-label">{label}</span>' in _cell(html, 22)
    assert f'<span class="band-label">{label}</span>' in _cell(html, 15)
    assert f'<span class="visually-hidden">{label}</span>' in _cell(html, 16)
    assert label not in _cell(html, 14)
    march = client.get("/plan/2027/maned/3").get_data(as_text=True)
    assert '<span class="band-label">Skoleferie: Vinterferie</span>' in _cell(march, 1)
    assert f'<span class="band-label">{label}</span>' in _cell(march, 1)
    assert "Første påskedag" in _cell(march, 28) and "Skjærtorsdag" in _cell(march, 25)
    assert "Toppbelastning: Eiendomsskatt: utlegging og klagefrist" in march


def test_month_entries_carry_their_first_channel_in_colour_and_words(
    client: Any, make_user: Any, make_post: Any, make_channel: Any
) -> None:
    web = make_channel("Nettsiden", type="nettside", colour="#0b4f8a")
    post = make_post(title="Vårrengjøring", start=datetime(2026, 4, 14), end=datetime(2026, 4, 14))
    post.channels = [web, make_channel("Facebook", colour="#1d5e20")]  # first by name
    db.session.commit()
    login(client, make_user("viewer"))
    html = client.get("/plan/2026/maned/4").get_data(as_text=True)
    item = html[html.index("Vårrengjøring") - 400 : html.index("Vårrengjøring") + 200]
    assert 'fill="#1d5e20"' in item and '<span class="item-channel">Facebook</span>' in item
    assert 'fill="#0b4f8a"' not in item
    week = client.get("/plan/uke/2026/16").get_data(as_text=True)
    assert 'fill="#1d5e20"' in week


def test_month_marks_read_the_periods_in_two_queries(app: Any, seeded_2027: Organisation) -> None:
    from sqlalchemy import event

    statements: list[str] = []
    event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    import calendar

    weeks = calendar.Calendar().monthdatescalendar(2027, 3)
    marks = month_marks(seeded_2027.id, weeks)
    assert len(statements) == 2
    assert {m.period.name for lanes in marks.values() for m in lanes if m} >= {
        "Innspurt barnehagesøknader",
        "Vinterferie",
    }


# --------------------------------------------------------------------------- a post's page


def test_a_post_page_lists_its_peak_holiday_and_public_holiday(
    client: Any, make_user: Any, seeded_2027: Organisation
) -> None:
    post = _post(seeded_2027, "Søknadsfrist for barnehageplass (hovedopptak)", 2027)
    login(client, make_user("viewer"))
    html = client.get(f"/posts/{post.id}").get_data(as_text=True)
    section = html[html.index('id="periods-heading"') : html.index("</section>")]
    assert re.search(
        r">Toppbelastning: Innspurt barnehagesøknader</a> \(15\.02\.2027–01\.03\.2027, uke 7–9\)"
        r" – knyttet til innlegget",
        section,
    )
    assert "Skoleferie: Vinterferie</a> (01.03.2027–07.03.2027, uke 9)" in section
    assert "Bemanningsvarsler for innlegget" in section


def test_a_post_page_shows_the_staffing_warnings_that_name_it(
    client: Any, make_user: Any, org: Organisation
) -> None:
    seed_year(org, 2026)
    db.session.commit()
    # 1 March 2026 is a Sunday: the kindergarten deadline gets a warning naming the post.
    post = _post(org, "Søknadsfrist for barnehageplass (hovedopptak)", 2026)
    other = _post(org, "Siste dager for å søke barnehageplass", 2026)
    login(client, make_user("viewer"))
    html = client.get(f"/posts/{post.id}").get_data(as_text=True)
    section = html[html.index('id="periods-heading"') : html.index("</section>")]
    assert "Frist på helg eller helligdag" in section and "søndag 01.03.2026" in section
    assert "Toppbelastning: Innspurt barnehagesøknader" in section
    quiet = client.get(f"/posts/{other.id}").get_data(as_text=True)
    assert "søndag 01.03.2026 – en søndag" not in quiet


def test_post_periods_of_a_day_outside_every_period(app: Any, org: Organisation) -> None:
    found = post_periods(org.id, 999, 2026, [(date(2026, 6, 3), date(2026, 6, 3))])
    assert (found.peaks, found.holidays, found.public_holidays, found.warnings) == ([], [], [], [])
    holiday = post_periods(org.id, 999, 2026, [(date(2026, 5, 16), date(2026, 5, 18))])
    assert holiday.public_holidays == [(date(2026, 5, 17), "Grunnlovsdag")]
