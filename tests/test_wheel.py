"""The wheel pages (årshjul): full page and htmx fragment, filters, rings, zoom, the list
equivalent, the standalone SVG and a constant number of queries."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event

from planner.domain.dates import now_oslo
from planner.domain.filters import PlanFilter
from planner.extensions import db
from planner.models import HolidayPeriod, PeakPeriod, PostException, ServiceArea
from planner.services.wheel import data as wheel_data
from planner.services.wheel.render import WheelQuery, render_wheel_svg
from tests.conftest import login

HX = {"HX-Request": "true"}


@pytest.fixture
def plan(make_post: Any, make_channel: Any, make_audience: Any, org: Any) -> dict[str, Any]:
    """Two channels, two audiences and a few posts in the 2026 wheel."""
    fb = make_channel("Facebook", colour="#1b4f9c")
    web = make_channel("Nettsiden", type="nettside", colour="#00594f")
    parents = make_audience("Foreldre", priority=1)
    youth = make_audience("Ungdom", priority=2)
    area = ServiceArea(organisation_id=org.id, name="Oppvekst")
    db.session.add(area)
    db.session.commit()
    deadline = make_post(
        title="Søknadsfrist barnehage",
        start=datetime(2026, 3, 1),
        end=datetime(2026, 3, 1),
        channels=[fb, web],
        audiences=[parents],
        service_area_id=area.id,
    )
    summer = make_post(
        title="Sommerjobb for ungdom",
        start=datetime(2026, 5, 4),
        end=datetime(2026, 5, 4),
        channels=[fb],
        audiences=[youth],
        status="idé",
    )
    return {
        "fb": fb,
        "web": web,
        "parents": parents,
        "youth": youth,
        "area": area,
        "deadline": deadline,
        "summer": summer,
    }


def marks(html: str) -> list[str]:
    """The accessible names of the marks on the page."""
    return re.findall(r'class="wheel-mark"[^>]*aria-label="([^"]*)"', html)


def test_index_redirects_to_this_year_keeping_the_arguments(client: Any, make_user: Any) -> None:
    login(client, make_user("viewer"))
    response = client.get("/arshjul?ring=malgruppe&zoom=k2")
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith(f"/arshjul/{now_oslo().year}?")
    assert "ring=malgruppe" in location and "zoom=k2" in location


def test_full_page_and_htmx_fragment(client: Any, make_user: Any, plan: dict[str, Any]) -> None:
    login(client, make_user("viewer"))
    page = client.get("/arshjul/2026")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert "HX-Request" in page.headers["Vary"]
    assert 'id="wheel-area"' in html and 'hx-trigger="planChanged from:body"' in html
    assert 'src="/static/js/wheel.js"' in html
    fragment = client.get("/arshjul/2026", headers=HX)
    body = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "HX-Request" in fragment.headers["Vary"]
    assert "<!doctype" not in body.lower() and "<html" not in body
    assert body.strip().startswith('<div id="wheel-area"')
    assert marks(body) == marks(html)


def test_marks_name_the_post_and_link_to_it(
    client: Any, make_user: Any, plan: dict[str, Any]
) -> None:
    login(client, make_user("viewer"))
    html = client.get("/arshjul/2026").get_data(as_text=True)
    names = marks(html)
    # The deadline is in two channel rings, the summer job in one.
    assert len(names) == 3
    deadline = next(n for n in names if n.startswith("Søknadsfrist"))
    assert "01.03.2026" in deadline and "uke 9" in deadline
    assert "Kanaler: Facebook, Nettsiden" in deadline and "Målgrupper: Foreldre" in deadline
    assert f'href="/posts/{plan["deadline"].id}"' in html
    assert 'role="group" aria-label="Kanal: Facebook"' in html
    assert '<title id="wheel-title">Årshjul 2026</title>' in html
    assert '<desc id="wheel-desc">' in html
    # Tooltip data carries title, date, channels and audiences.
    tip = re.search(r'data-tip="(Søknadsfrist[^"]*)"', html)
    assert tip and "Kanaler: Facebook, Nettsiden" in tip.group(1) and "Foreldre" in tip.group(1)
    # The idea is an outline (not colour alone).
    assert 'stroke-dasharray="2.5 1.5"' in html


def test_the_shared_filter_narrows_the_wheel(
    client: Any, make_user: Any, plan: dict[str, Any]
) -> None:
    login(client, make_user("viewer"))
    by_text = marks(client.get("/arshjul/2026?q=sommerjobb").get_data(as_text=True))
    assert len(by_text) == 1 and by_text[0].startswith("Sommerjobb")
    by_status = marks(client.get("/arshjul/2026?status=idé").get_data(as_text=True))
    assert [n.split(",")[0] for n in by_status] == ["Sommerjobb for ungdom"]
    html = client.get(f"/arshjul/2026?malgruppe={plan['parents'].id}&zoom=k1&ring=omrade").get_data(
        as_text=True
    )
    assert [n.split(",")[0] for n in marks(html)] == ["Søknadsfrist barnehage"]
    # The filter form keeps ring type and zoom, and the period links keep the filter.
    assert '<input type="hidden" name="zoom" value="k1">' in html
    assert '<input type="hidden" name="ring" value="omrade">' in html
    assert f"malgruppe={plan['parents'].id}" in re.search(
        r'id="zoom-k2" href="([^"]*)"', html
    ).group(1)


def test_filtering_on_channels_shows_those_channel_rings(
    client: Any, make_user: Any, plan: dict[str, Any]
) -> None:
    login(client, make_user("viewer"))
    html = client.get(f"/arshjul/2026?kanal={plan['web'].id}").get_data(as_text=True)
    assert 'aria-label="Kanal: Nettsiden"' in html and 'aria-label="Kanal: Facebook"' not in html
    assert [n.split(",")[0] for n in marks(html)] == ["Søknadsfrist barnehage"]


def test_rings_by_audience_or_area_picked_and_ordered(
    client: Any, make_user: Any, plan: dict[str, Any]
) -> None:
    login(client, make_user("viewer"))
    html = client.get("/arshjul/2026?ring=malgruppe").get_data(as_text=True)
    groups = re.findall(r'role="group" aria-label="([^"]*)" data-ring', html)
    assert groups == ["Målgruppe: Foreldre", "Målgruppe: Ungdom"]
    reordered = client.get(
        f"/arshjul/2026?ring=malgruppe&vis={plan['youth'].id},{plan['parents'].id}"
    ).get_data(as_text=True)
    assert re.findall(r'role="group" aria-label="([^"]*)" data-ring', reordered) == [
        "Målgruppe: Ungdom",
        "Målgruppe: Foreldre",
    ]
    only = client.get(f"/arshjul/2026?vis={plan['web'].id}&vis=999&vis=x").get_data(as_text=True)
    assert re.findall(r'role="group" aria-label="([^"]*)" data-ring', only) == ["Kanal: Nettsiden"]
    # The chooser lists hidden rings unchecked, so they can be brought back.
    assert f'id="ring-{plan["fb"].id}" name="vis" value="{plan["fb"].id}" >' in only
    area = client.get("/arshjul/2026?ring=omrade").get_data(as_text=True)
    assert re.findall(r'role="group" aria-label="([^"]*)" data-ring', area) == [
        "Virksomhetsområde: Oppvekst",
        "Virksomhetsområde: Uten område",
    ]


def test_zoom_to_quarter_and_month(client: Any, make_user: Any, plan: dict[str, Any]) -> None:
    login(client, make_user("viewer"))
    q1 = client.get("/arshjul/2026?zoom=k1").get_data(as_text=True)
    assert "<h1>Årshjul 2026 – 1. kvartal</h1>" in q1
    assert [n.split(",")[0] for n in marks(q1)] == ["Søknadsfrist barnehage"] * 2
    assert 'id="zoom-k1" href="/arshjul/2026?zoom=k1" aria-current="page"' in q1
    assert 'href="/arshjul/2025?zoom=k4" rel="prev"' in q1
    may = client.get("/arshjul/2026?zoom=m5").get_data(as_text=True)
    assert [n.split(",")[0] for n in marks(may)] == ["Sommerjobb for ungdom"]
    assert ">17</text>" in may  # day numbers on the month ring
    assert client.get("/arshjul/2026?zoom=k9").status_code == 200  # ignored, whole year


def test_busy_week_becomes_a_count_linking_to_the_list(
    client: Any, make_user: Any, make_post: Any, plan: dict[str, Any]
) -> None:
    for n in range(5):
        make_post(
            title=f"Travel uke {n}",
            start=datetime(2026, 9, 14 + n),
            end=datetime(2026, 9, 14 + n),
            channels=[plan["web"]],
        )
    login(client, make_user("viewer"))
    html = client.get("/arshjul/2026").get_data(as_text=True)
    label = next(n for n in marks(html) if "5 innlegg" in n)
    assert label.startswith("Nettsiden, uke 38")
    link = re.search(
        r'<a class="wheel-mark" href="([^"]*)" aria-label="Nettsiden, uke 38', html
    ).group(1)
    assert (
        f"kun={plan['web'].id}" in link and "uke=2026-38" in link and link.endswith("#uke-2026-38")
    )
    listing = client.get(link.replace("&amp;", "&").split("#")[0]).get_data(as_text=True)
    assert "Viser bare uke 38 i ringen Nettsiden." in listing
    assert listing.count("Travel uke") == 5 and "Søknadsfrist" not in listing
    assert 'id="uke-2026-38"' in listing


def test_the_list_equivalent_has_weeks_bands_and_rings(
    client: Any, make_user: Any, org: Any, plan: dict[str, Any]
) -> None:
    db.session.add_all(
        [
            PeakPeriod(
                organisation_id=org.id,
                name="Innspurt barnehage",
                start=date(2026, 2, 20),
                end=date(2026, 3, 1),
            ),
            HolidayPeriod(
                organisation_id=org.id,
                name="Vinterferie",
                start=date(2026, 2, 23),
                end=date(2026, 2, 27),
            ),
        ]
    )
    db.session.commit()
    login(client, make_user("viewer"))
    page = client.get("/arshjul/2026")
    html = page.get_data(as_text=True)
    assert 'href="/arshjul/2026/liste"' in html  # one link away, before the picture
    assert html.index("/arshjul/2026/liste") < html.index("<svg")
    assert "Toppbelastning: Innspurt barnehage" in html and "Skoleferie: Vinterferie" in html
    assert "Første påskedag (05.04.2026)" in html
    listing = client.get("/arshjul/2026/liste").get_data(as_text=True)
    week9 = listing[listing.index('id="uke-2026-9"') :]
    week9 = week9[: week9.index("</section>")]
    assert "Uke 9 (23.02.2026–28.02.2026)" in week9
    assert "Toppbelastning: Innspurt barnehage" in week9 and "Skoleferie: Vinterferie" in week9
    march = listing[listing.index("Mars 2026") :]
    assert "Søknadsfrist barnehage" in march[: march.index("</section>")]
    assert (
        "Kanaler: Facebook, Nettsiden" in listing and "Virksomhetsområde: Oppvekst" not in listing
    )
    by_area = client.get("/arshjul/2026/liste?ring=omrade").get_data(as_text=True)
    assert "Virksomhetsområde: Oppvekst" in by_area
    assert "Helligdag: Første påskedag (05.04.2026)" in listing


def test_bin_and_other_organisations_stay_out(
    client: Any, make_user: Any, make_post: Any, make_org: Any, plan: dict[str, Any]
) -> None:
    make_post(title="I papirkurven", deleted_at=datetime(2026, 1, 5))
    make_post(title="Nabokommunens innlegg", organisation=make_org("Nabokommune"))
    login(client, make_user("viewer"))
    for url in ("/arshjul/2026", "/arshjul/2026/liste", "/arshjul/2026.svg"):
        text = client.get(url).get_data(as_text=True)
        assert "papirkurven" not in text and "Nabokommunens" not in text and "Søknadsfrist" in text


def test_recurring_posts_and_moved_occurrences(
    client: Any, make_user: Any, make_post: Any, org: Any, plan: dict[str, Any]
) -> None:
    weekly = make_post(
        title="Ukesbrev",
        start=datetime(2026, 6, 1),
        end=datetime(2026, 6, 1),
        rrule="FREQ=WEEKLY;COUNT=3",
        channels=[plan["web"]],
    )
    db.session.add(
        PostException(
            organisation_id=org.id,
            post_id=weekly.id,
            recurrence_id=datetime(2026, 6, 8),
            cancelled=False,
            start=datetime(2026, 7, 20),
            end=datetime(2026, 7, 20),
        )
    )
    db.session.commit()
    login(client, make_user("viewer"))
    names = [
        n
        for n in marks(client.get("/arshjul/2026").get_data(as_text=True))
        if n.startswith("Ukesbrev")
    ]
    assert sorted(n.split(", ")[1] for n in names) == ["01.06.2026", "15.06.2026", "20.07.2026"]


def test_iso_week_53(client: Any, make_user: Any, make_post: Any, plan: dict[str, Any]) -> None:
    make_post(
        title="Romjulshilsen",
        start=datetime(2026, 12, 30),
        end=datetime(2026, 12, 30),
        channels=[plan["fb"]],
    )
    login(client, make_user("viewer"))
    html = client.get("/arshjul/2026?zoom=m12").get_data(as_text=True)
    assert any(n.startswith("Romjulshilsen, 30.12.2026, uke 53.") for n in marks(html))
    assert 'id="uke-2026-53"' in client.get("/arshjul/2026/liste").get_data(as_text=True)


def test_year_outside_range_is_404(client: Any, make_user: Any) -> None:
    login(client, make_user("viewer"))
    assert client.get("/arshjul/1999").status_code == 404
    assert client.get("/arshjul/2101.svg").status_code == 404


def test_editor_gets_the_new_post_button_viewer_does_not(client: Any, make_user: Any) -> None:
    login(client, make_user("viewer"))
    assert "Nytt innlegg" not in client.get("/arshjul/2026").get_data(as_text=True)
    client.post("/logout")
    login(client, make_user("editor"))
    assert "Nytt innlegg" in client.get("/arshjul/2026").get_data(as_text=True)


# --------------------------------------------------------------------------- SVG


def test_standalone_svg_file(client: Any, make_user: Any, plan: dict[str, Any]) -> None:
    login(client, make_user("viewer"))
    response = client.get("/arshjul/2026.svg?zoom=k1")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert 'filename="arshjul-2026.svg"' in response.headers["Content-Disposition"]
    svg = response.get_data(as_text=True)
    root = ET.fromstring(svg.encode())
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg" and root.get("width") and root.get("role") == "img"
    assert root.find(f"{ns}title").text == "Årshjul 2026 – 1. kvartal"
    assert "Søknadsfrist barnehage" in svg and "Tegnforklaring" in svg
    # Styling by presentation attributes, so an SVG→PNG converter draws it the same.
    assert "class=" not in svg and "style=" not in svg
    assert root.find(f".//{ns}path[@fill]") is not None and root.get("font-family")
    again = client.get(
        "/arshjul/2026.svg?zoom=k1", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304


def test_svg_etag_changes_when_the_plan_changes(
    client: Any, make_user: Any, make_post: Any, plan: dict[str, Any]
) -> None:
    login(client, make_user("viewer"))
    first = client.get("/arshjul/2026.svg").headers["ETag"]
    make_post(title="Nytt")
    second = client.get("/arshjul/2026.svg", headers={"If-None-Match": first})
    assert second.status_code == 200 and second.headers["ETag"] != first


def test_render_wheel_svg_function(app: Flask, org: Any, plan: dict[str, Any]) -> None:
    svg = render_wheel_svg(
        org.id,
        WheelQuery(2026, PlanFilter(q="barnehage"), rings="malgruppe", zoom="m3"),
        today=date(2026, 3, 10),
    )
    assert svg.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert "Søknadsfrist barnehage" in svg and "Sommerjobb" not in svg
    assert ">I dag</text>" in svg
    assert render_wheel_svg(org.id, WheelQuery(2026), today=date(2026, 3, 10)) == (
        render_wheel_svg(org.id, WheelQuery(2026), today=date(2026, 3, 10))
    )
    ET.fromstring(svg.encode())


# --------------------------------------------------------------------------- outside events


def test_outside_calendar_is_a_read_only_outer_ring(
    client: Any, make_user: Any, org: Any, plan: dict[str, Any]
) -> None:
    from planner.models import ExternalCalendar, ExternalEvent

    calendar = ExternalCalendar(organisation_id=org.id, name="Kommunestyret", kind="møter")
    db.session.add(calendar)
    db.session.flush()
    db.session.add(
        ExternalEvent(
            organisation_id=org.id,
            calendar_id=calendar.id,
            uid="ks-1@x",
            summary="Kommunestyremøte",
            start=datetime(2026, 3, 12, 18),
            end=datetime(2026, 3, 12, 21),
            all_day=False,
        )
    )
    db.session.commit()
    login(client, make_user("viewer"))
    html = client.get("/arshjul/2026").get_data(as_text=True)
    groups = re.findall(r'role="group" aria-label="([^"]*)" data-ring', html)
    assert groups[0] == "Eksterne kalendere (bare til visning)"
    read_only = re.search(
        r'<g class="wheel-mark" tabindex="0" role="img" aria-label="([^"]*)"', html
    )
    assert read_only and read_only.group(1).startswith(
        "Ekstern hendelse: Kommunestyremøte, 12.03.2026 kl. 18:00"
    )
    assert "Kommunestyret" in read_only.group(1)
    assert "Kommunestyremøte" in client.get("/arshjul/2026/liste").get_data(as_text=True)


def test_without_the_outside_calendar_area_there_is_no_outer_ring(
    client: Any, make_user: Any, plan: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(wheel_data, "external_events_for_year", None)
    login(client, make_user("viewer"))
    html = client.get("/arshjul/2026").get_data(as_text=True)
    assert "Eksterne kalendere" not in html and len(marks(html)) == 3


# --------------------------------------------------------------------------- queries


@contextmanager
def counted_queries(app: Flask) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _add_posts(org: Any, n: int, channels: list[Any], audiences: list[Any]) -> None:
    from planner.models import Post, Wheel

    wheel = db.session.execute(
        db.select(Wheel).filter_by(organisation_id=org.id, year=2026)
    ).scalar_one()
    for i in range(n):
        day = datetime(2026, 1, 1 + i % 28).replace(month=1 + i % 12)
        db.session.add(
            Post(
                organisation_id=org.id,
                wheel=wheel,
                title=f"Innlegg {i}",
                start=day,
                end=day,
                rrule="FREQ=MONTHLY;COUNT=3" if i % 50 == 0 else None,
                channels=[channels[i % len(channels)]],
                audiences=[audiences[i % len(audiences)]],
            )
        )
    db.session.commit()


def test_queries_per_page_do_not_grow_with_the_plan(
    app: Flask, client: Any, make_user: Any, org: Any, plan: dict[str, Any]
) -> None:
    login(client, make_user("viewer"))
    channels, audiences = [plan["fb"], plan["web"]], [plan["parents"], plan["youth"]]
    _add_posts(org, 10, channels, audiences)
    counts = {}
    for size in ("small", "big"):
        if size == "big":
            _add_posts(org, 1000, channels, audiences)
        db.session.expire_all()
        for url in (
            "/arshjul/2026",
            "/arshjul/2026?ring=malgruppe&zoom=k2&q=innlegg",
            "/arshjul/2026.svg",
            "/arshjul/2026/liste",
        ):
            with counted_queries(app) as statements:
                assert client.get(url).status_code == 200
            counts[(size, url)] = len(statements)
    for url in (
        "/arshjul/2026",
        "/arshjul/2026?ring=malgruppe&zoom=k2&q=innlegg",
        "/arshjul/2026.svg",
        "/arshjul/2026/liste",
    ):
        assert counts[("small", url)] == counts[("big", url)], (url, counts)
        assert counts[("big", url)] <= 12, (url, counts)


def test_a_change_shows_at_once_and_redraws_only_the_rings_it_touches(
    app: Flask, client: Any, make_user: Any, plan: dict[str, Any]
) -> None:
    login(client, make_user("viewer"))
    client.get("/arshjul/2026")
    ring_svgs = app.extensions["wheel_ring_svg"]
    drawn = len(ring_svgs)
    assert client.get("/arshjul/2026").get_data(as_text=True)  # unchanged: from the cache
    assert len(ring_svgs) == drawn
    plan["summer"].title = "Sommerjobb 2026"  # only in the Facebook ring
    db.session.commit()
    html = client.get("/arshjul/2026").get_data(as_text=True)
    assert any(n.startswith("Sommerjobb 2026,") for n in marks(html))
    assert not any(n.startswith("Sommerjobb for ungdom") for n in marks(html))
    assert len(ring_svgs) == drawn + 1
