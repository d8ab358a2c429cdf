"""The catalog pages: audiences, channels, the reach matrix and service areas.

Every route is tried for roles (viewers read, editors change), other organisations'
objects, validation messages, htmx fragments versus full pages, and the all-or-nothing
save of the reach matrix.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from planner.extensions import db, dispose_engines
from planner.models import Audience, Channel, Post, Reach, ServiceArea
from planner.services.catalog import reads, texts
from tests.conftest import login

HX = {"HX-Request": "true"}


def count(model: Any) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def text(response: Any) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def editor(client: FlaskClient, make_user: Any) -> FlaskClient:
    login(client, make_user("editor"))
    return client


@pytest.fixture
def viewer(client: FlaskClient, make_user: Any) -> FlaskClient:
    login(client, make_user("viewer"))
    return client


@pytest.fixture
def catalog(org: Any, make_channel: Any, make_audience: Any) -> dict[str, Any]:
    """Two channels, three audiences in priority order, a service area and some reach."""
    area = ServiceArea(organisation_id=org.id, name="Oppvekst")
    db.session.add(area)
    db.session.commit()
    facebook = make_channel("Facebook", "nettsamfunn", response_hours=8)
    web = make_channel("Kommunens nettside", "nettside", colour="#00594f")
    parents = make_audience(
        "Foreldre med barn i barnehagealder", priority=1, service_area_id=area.id
    )
    youth = make_audience("Ungdom 13–19 år", priority=2)
    elderly = make_audience("Eldre", priority=3)
    db.session.add_all(
        [
            Reach(organisation_id=org.id, channel=facebook, audience=parents, level=3),
            Reach(organisation_id=org.id, channel=web, audience=parents, level=2),
            Reach(organisation_id=org.id, channel=web, audience=elderly, level=1),
        ]
    )
    db.session.commit()
    return {
        "area": area,
        "facebook": facebook,
        "web": web,
        "parents": parents,
        "youth": youth,
        "elderly": elderly,
    }


def priorities() -> list[str]:
    return [
        a.name
        for a in reads.audiences(db.session.execute(select(Audience)).scalar().organisation_id)
    ]


# --------------------------------------------------------------------------- roles


def _object_urls(c: dict[str, Any]) -> list[str]:
    a, ch, s = c["parents"].id, c["facebook"].id, c["area"].id
    return [
        f"/malgrupper/{a}/endre",
        f"/malgrupper/{a}/slett",
        f"/kanaler/{ch}/endre",
        f"/kanaler/{ch}/slett",
        f"/virksomhetsomrader/{s}/endre",
        f"/virksomhetsomrader/{s}/slett",
    ]


def _change_posts(c: dict[str, Any]) -> list[tuple[str, dict[str, str]]]:
    a, ch, s = c["parents"].id, c["facebook"].id, c["area"].id
    return [
        ("/malgrupper", {"name": "Ny"}),
        (f"/malgrupper/{a}/endre", {f"audience-{a}-name": "Nytt navn"}),
        (f"/malgrupper/{a}/flytt", {"direction": "ned"}),
        (f"/malgrupper/{a}/slett", {"confirm": "1"}),
        ("/kanaler", {"name": "Ny", "type": "blogg", "response_hours": "8", "colour": "#000000"}),
        (f"/kanaler/{ch}/endre", {f"channel-{ch}-name": "Nytt"}),
        (f"/kanaler/{ch}/slett", {"confirm": "1"}),
        ("/rekkevidde", {f"r-{a}-{ch}": "0"}),
        (f"/rekkevidde/{a}/{ch}", {f"r-{a}-{ch}": "0"}),
        ("/virksomhetsomrader", {"name": "Ny"}),
        (f"/virksomhetsomrader/{s}/endre", {f"service-area-{s}-name": "Nytt"}),
        (f"/virksomhetsomrader/{s}/slett", {"confirm": "1"}),
    ]


def test_viewer_reads_every_page_but_gets_403_on_every_change(
    viewer: FlaskClient, catalog: dict[str, Any]
) -> None:
    for url in ("/malgrupper", "/kanaler", "/rekkevidde", "/virksomhetsomrader"):
        response = viewer.get(url)
        assert response.status_code == 200, url
        html = text(response)
        assert '<form method="post" action="' + url not in html  # no create/save form
        assert "<select" not in html or url != "/rekkevidde"
    assert "Foreldre med barn i barnehagealder" in text(viewer.get("/malgrupper"))
    assert "svært god" in text(viewer.get("/rekkevidde"))
    for url in _object_urls(catalog):
        assert viewer.get(url).status_code == 403, url
    before = (count(Audience), count(Channel), count(Reach), count(ServiceArea))
    for url, data in _change_posts(catalog):
        assert viewer.post(url, data=data).status_code == 403, url
        assert viewer.post(url, data=data, headers=HX).status_code == 403, url
    assert (count(Audience), count(Channel), count(Reach), count(ServiceArea)) == before
    db.session.refresh(catalog["parents"])
    assert catalog["parents"].name == "Foreldre med barn i barnehagealder"


def test_viewer_row_fragments_are_readable(viewer: FlaskClient, catalog: dict[str, Any]) -> None:
    a, ch, s = catalog["parents"].id, catalog["facebook"].id, catalog["area"].id
    for url in (f"/malgrupper/{a}", f"/kanaler/{ch}", f"/virksomhetsomrader/{s}"):
        response = viewer.get(url, headers=HX)
        assert response.status_code == 200
        assert "<!doctype" not in text(response)
        assert "Endre" not in text(response) and "Slett" not in text(response)


def test_editor_sees_the_forms_and_sub_navigation(editor: FlaskClient, catalog: Any) -> None:
    html = text(editor.get("/kanaler"))
    assert 'aria-label="Målgrupper og kanaler"' in html
    assert 'href="/rekkevidde"' in html and 'href="/virksomhetsomrader"' in html
    assert '<a href="/kanaler" aria-current="page">' in html
    assert "Legg til kanal" in html
    assert 'type="color"' in html


def test_other_organisations_objects_are_404(
    editor: FlaskClient, make_org: Any, make_channel: Any, make_audience: Any
) -> None:
    other = make_org("Nabokommune")
    area = ServiceArea(organisation_id=other.id, name="Naboområde")
    db.session.add(area)
    db.session.commit()
    foreign = {
        "parents": make_audience("Naboforeldre", organisation=other),
        "facebook": make_channel("Nabofacebook", organisation=other),
        "area": area,
    }
    a, ch, s = foreign["parents"].id, foreign["facebook"].id, area.id
    for url in [
        *_object_urls(foreign),
        f"/malgrupper/{a}",
        f"/kanaler/{ch}",
        f"/virksomhetsomrader/{s}",
    ]:
        assert editor.get(url).status_code == 404, url
        assert editor.get(url, headers=HX).status_code == 404, url
    for url, data in _change_posts(foreign):
        if url in ("/malgrupper", "/kanaler", "/virksomhetsomrader", "/rekkevidde"):
            continue
        assert editor.post(url, data=data).status_code == 404, url
    assert count(Audience) == count(Channel) == count(ServiceArea) == 1
    for url in ("/malgrupper", "/kanaler", "/rekkevidde", "/virksomhetsomrader"):
        html = text(editor.get(url))
        assert "Nabo" not in html, url


# --------------------------------------------------------------------------- audiences


def test_create_audience_goes_last_with_service_area(
    editor: FlaskClient, catalog: dict[str, Any]
) -> None:
    response = editor.post(
        "/malgrupper",
        data={
            "name": "  Hytteeiere  ",
            "description": "Eiere av fritidsboliger, mange bor i andre kommuner.",
            "service_area": str(catalog["area"].id),
        },
    )
    assert response.status_code == 302
    audience = db.session.execute(select(Audience).filter_by(name="Hytteeiere")).scalar_one()
    assert response.headers["Location"].endswith(f"/malgrupper#audience-{audience.id}")
    assert audience.priority == 4 and audience.service_area_id == catalog["area"].id
    assert "Målgruppen «Hytteeiere» er lagt til." in text(editor.get("/malgrupper"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "Skriv inn et navn på målgruppen."),
        ({"name": "x" * 161}, "Navnet kan ha høyst 160 tegn."),
        ({"name": "ELDRE"}, "Det finnes allerede en målgruppe som heter «ELDRE»."),
        ({"name": "Ny", "service_area": "9999"}, "Not a valid choice"),
    ],
)
def test_audience_validation_messages(
    editor: FlaskClient, catalog: Any, data: dict[str, str], message: str
) -> None:
    response = editor.post("/malgrupper", data=data)
    assert response.status_code == 422
    html = text(response)
    if message == "Not a valid choice":
        assert 'id="service_area-error"' in html and message not in html  # Norwegian instead
    else:
        assert message in html
        assert 'aria-invalid="true"' in html and 'class="error-summary"' in html
    assert count(Audience) == 3


def test_edit_audience_without_htmx(editor: FlaskClient, catalog: dict[str, Any]) -> None:
    youth = catalog["youth"]
    page = editor.get(f"/malgrupper/{youth.id}/endre")
    assert page.status_code == 200 and "<!doctype html>" in text(page)
    assert f'name="audience-{youth.id}-name"' in text(page)
    response = editor.post(
        f"/malgrupper/{youth.id}/endre",
        data={
            f"audience-{youth.id}-name": "Ungdom",
            f"audience-{youth.id}-description": "13–19 år",
            f"audience-{youth.id}-service_area": str(catalog["area"].id),
        },
    )
    assert response.status_code == 302
    db.session.refresh(youth)
    assert (youth.name, youth.description, youth.service_area_id) == (
        "Ungdom",
        "13–19 år",
        catalog["area"].id,
    )


def test_edit_audience_inline_with_htmx(editor: FlaskClient, catalog: dict[str, Any]) -> None:
    youth = catalog["youth"]
    form = editor.get(f"/malgrupper/{youth.id}/endre", headers=HX)
    html = text(form)
    assert form.status_code == 200 and "<!doctype" not in html
    assert html.lstrip().startswith(f'<tr id="audience-{youth.id}" class="editing">')
    assert "autofocus" in html and "HX-Request" in form.headers["Vary"]

    bad = editor.post(
        f"/malgrupper/{youth.id}/endre", data={f"audience-{youth.id}-name": "Eldre"}, headers=HX
    )
    assert bad.status_code == 422
    assert "Det finnes allerede en målgruppe som heter «Eldre»." in text(bad)
    assert "<!doctype" not in text(bad) and "HX-Trigger" not in bad.headers

    ok = editor.post(
        f"/malgrupper/{youth.id}/endre", data={f"audience-{youth.id}-name": "Unge"}, headers=HX
    )
    assert ok.status_code == 200 and "Location" not in ok.headers
    assert "catalogChanged" in ok.headers["HX-Trigger"]
    row = text(ok)
    assert row.lstrip().startswith(f'<tr id="audience-{youth.id}">') and "Unge" in row
    assert 'hx-swap-oob="innerHTML:#messages"' in row and "Målgruppen «Unge» er lagret." in row
    # Cancel: the display row again (with htmx), the list at the row (without).
    assert "Unge" in text(editor.get(f"/malgrupper/{youth.id}", headers=HX))
    plain = editor.get(f"/malgrupper/{youth.id}")
    assert plain.status_code == 302 and plain.headers["Location"].endswith(
        f"/malgrupper#audience-{youth.id}"
    )


def test_move_audiences_up_and_down(editor: FlaskClient, catalog: dict[str, Any]) -> None:
    elderly, parents = catalog["elderly"], catalog["parents"]
    assert (
        editor.post(f"/malgrupper/{elderly.id}/flytt", data={"direction": "opp"}).status_code == 302
    )
    assert priorities() == ["Foreldre med barn i barnehagealder", "Eldre", "Ungdom 13–19 år"]
    response = editor.post(f"/malgrupper/{elderly.id}/flytt", data={"direction": "opp"}, headers=HX)
    assert response.status_code == 200
    html = text(response)
    assert html.lstrip().startswith('<table class="plan-table catalog-table" id="audience-table">')
    assert "«Eldre» har nå prioritet 1." in html
    assert priorities() == ["Eldre", "Foreldre med barn i barnehagealder", "Ungdom 13–19 år"]
    assert [a.priority for a in reads.audiences(parents.organisation_id)] == [1, 2, 3]
    # Already at the top: nothing moves, and the page says so.
    again = editor.post(f"/malgrupper/{elderly.id}/flytt", data={"direction": "opp"}, headers=HX)
    assert "«Eldre» har allerede høyest prioritet." in text(again)
    assert (
        f'id="audience-{elderly.id}-up" class="secondary"\n              aria-disabled="true"'
        in text(again)
    )
    assert priorities()[0] == "Eldre"
    assert (
        editor.post(f"/malgrupper/{elderly.id}/flytt", data={"direction": "x"}).status_code == 400
    )


def test_delete_unused_audience_directly(editor: FlaskClient, catalog: dict[str, Any]) -> None:
    response = editor.post(f"/malgrupper/{catalog['youth'].id}/slett")
    assert response.status_code == 302
    assert priorities() == ["Foreldre med barn i barnehagealder", "Eldre"]
    assert [a.priority for a in reads.audiences(catalog["parents"].organisation_id)] == [1, 2]


def test_delete_audience_in_use_asks_first_and_counts_posts(
    editor: FlaskClient, catalog: dict[str, Any], make_post: Any
) -> None:
    parents = catalog["parents"]
    post = make_post(audiences=[parents])
    make_post(title="Påminnelse", audiences=[parents])
    make_post(title="I papirkurven", audiences=[parents], deleted_at=datetime(2026, 1, 1))
    version = post.version
    confirm = editor.post(f"/malgrupper/{parents.id}/slett")
    assert confirm.status_code == 200
    html = text(confirm)
    assert "brukes av 2 innlegg" in html and 'name="confirm" value="1"' in html
    assert count(Audience) == 3
    assert editor.get(f"/malgrupper/{parents.id}/slett").status_code == 200

    done = editor.post(f"/malgrupper/{parents.id}/slett", data={"confirm": "1"})
    assert done.status_code == 302
    assert count(Audience) == 2 and count(Post) == 3
    assert db.session.execute(select(Reach).filter_by(audience_id=parents.id)).first() is None
    db.session.refresh(post)
    assert post.audiences == [] and post.version == version + 1


# --------------------------------------------------------------------------- channels


def _channel(**overrides: str) -> dict[str, str]:
    data = {
        "name": "TikTok",
        "type": "delingsmedium",
        "response_hours": "24",
        "colour": "#3d3d3d",
        "profile_text": "",
    }
    data.update(overrides)
    return data


def test_create_channel(editor: FlaskClient, catalog: Any) -> None:
    response = editor.post("/kanaler", data=_channel(colour="#3D3D3D"))
    assert response.status_code == 302
    tiktok = db.session.execute(select(Channel).filter_by(name="TikTok")).scalar_one()
    assert (tiktok.type, tiktok.response_hours, tiktok.colour) == ("delingsmedium", 24, "#3d3d3d")
    html = text(editor.get("/kanaler"))
    assert "Kanalen «TikTok» er lagt til." in html
    assert "én virkedag" in html and "Standardtekst (fra svartiden)" in html
    assert 'fill="#3d3d3d"' in html


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": "facebook"}, "name", "Det finnes allerede en kanal som heter «facebook»."),
        ({"name": ""}, "name", "Skriv inn et navn på kanalen."),
        ({"type": "tv"}, "type", "Not a valid choice"),
        ({"response_hours": "-1"}, "response_hours", "Svartiden må være mellom 0 og 720 timer."),
        ({"response_hours": "åtte"}, "response_hours", "Svartiden må være et helt antall timer"),
        ({"response_hours": ""}, "response_hours", "Skriv inn svartiden i hele timer"),
        ({"colour": "blå"}, "colour", "Fargen må skrives som #rrggbb"),
        ({"colour": "#ffcc00"}, "colour", "har for lav kontrast mot hvit bakgrunn (1,5:1)"),
        ({"colour": "#777777"}, "colour", "minst 4,5:1"),
    ],
)
def test_channel_validation_messages(
    editor: FlaskClient, catalog: Any, overrides: dict[str, str], field: str, message: str
) -> None:
    response = editor.post("/kanaler", data=_channel(**overrides))
    assert response.status_code == 422
    html = text(response)
    assert f'id="{field}-error"' in html
    if message == "Not a valid choice":
        assert message not in html  # WTForms' message comes in Norwegian
    else:
        assert message in html
    assert count(Channel) == 2


def test_lightest_grey_that_passes_is_accepted(editor: FlaskClient, catalog: Any) -> None:
    assert editor.post("/kanaler", data=_channel(colour="#767676")).status_code == 302


def test_duplicate_channel_name_message_is_exact(editor: FlaskClient, catalog: Any) -> None:
    html = text(editor.post("/kanaler", data=_channel(name=" Facebook ")))
    assert "Det finnes allerede en kanal som heter «Facebook»." in html


def test_suggest_fills_the_default_profile_text_without_saving(
    editor: FlaskClient, catalog: Any
) -> None:
    response = editor.post("/kanaler", data=_channel(response_hours="8", suggest="1"))
    assert response.status_code == 200 and count(Channel) == 2
    html = text(response)
    assert "Vi svarer normalt innen 8 timer på hverdager" in html
    assert "Standardteksten er fylt inn" in html
    none = editor.post("/kanaler", data=_channel(response_hours="0", suggest="1"))
    assert "Skriv inn en svartid over 0 først" in text(none)


def test_default_profile_text_covers_the_guidance(app: Any) -> None:
    with app.test_request_context():
        text_8 = texts.default_profile_text(8)
        assert "innen 8 timer på hverdager" in text_8
        assert "Vi behandler ikke saker her" in text_8
        assert "Ikke del personopplysninger" in text_8
        assert "slettes" in text_8
        assert "innen én virkedag." in texts.default_profile_text(24)
        assert "innen 2 virkedager." in texts.default_profile_text(48)
        assert "innen 1 time på hverdager" in texts.default_profile_text(1)
        assert texts.default_profile_text(0) == ""


def test_edit_channel_inline_and_plain(editor: FlaskClient, catalog: dict[str, Any]) -> None:
    fb = catalog["facebook"]
    prefix = f"channel-{fb.id}-"
    fragment = editor.get(f"/kanaler/{fb.id}/endre", headers=HX)
    assert text(fragment).lstrip().startswith(f'<tr id="channel-{fb.id}" class="editing">')
    data = {prefix + k: v for k, v in _channel(name="Facebook-siden", colour="#1b4f9c").items()}
    bad = editor.post(
        f"/kanaler/{fb.id}/endre", data={**data, prefix + "colour": "#ffff00"}, headers=HX
    )
    assert bad.status_code == 422 and "for lav kontrast" in text(bad)
    assert f'id="{prefix}colour"' in text(bad) and "autofocus" in text(bad)
    suggest = editor.post(f"/kanaler/{fb.id}/endre", data={**data, "suggest": "1"}, headers=HX)
    assert suggest.status_code == 200 and "innen én virkedag" in text(suggest)
    ok = editor.post(f"/kanaler/{fb.id}/endre", data=data, headers=HX)
    assert ok.status_code == 200 and "catalogChanged" in ok.headers["HX-Trigger"]
    assert "Kanalen «Facebook-siden» er lagret." in text(ok)
    assert (
        editor.post(
            f"/kanaler/{fb.id}/endre", data={**data, prefix + "response_hours": "4"}
        ).status_code
        == 302
    )
    db.session.refresh(fb)
    assert (fb.name, fb.response_hours, fb.type) == ("Facebook-siden", 4, "delingsmedium")
    assert editor.get(f"/kanaler/{fb.id}/endre").status_code == 200


def test_delete_channel_in_use_asks_first(
    editor: FlaskClient, catalog: dict[str, Any], make_post: Any
) -> None:
    fb, web = catalog["facebook"], catalog["web"]
    post = make_post(channels=[fb, web])
    html = text(editor.post(f"/kanaler/{fb.id}/slett"))
    assert "Kanalen «Facebook» brukes av 1 innlegg." in html and count(Channel) == 2
    assert editor.post(f"/kanaler/{fb.id}/slett", data={"confirm": "1"}).status_code == 302
    db.session.refresh(post)
    assert [c.name for c in post.channels] == ["Kommunens nettside"]
    assert db.session.execute(select(Reach).filter_by(channel_id=fb.id)).first() is None


def test_delete_unused_channel_directly(editor: FlaskClient, catalog: dict[str, Any]) -> None:
    assert editor.post(f"/kanaler/{catalog['web'].id}/slett").status_code == 302
    assert count(Channel) == 1


# --------------------------------------------------------------------------- reach matrix


def levels() -> dict[tuple[str, str], int]:
    return {
        (r.channel.name, r.audience.name): r.level
        for r in db.session.execute(select(Reach)).scalars()
    }


def test_reach_matrix_page(editor: FlaskClient, catalog: dict[str, Any]) -> None:
    html = text(editor.get("/rekkevidde"))
    p, fb = catalog["parents"], catalog["facebook"]
    assert (
        f'<label for="r-{p.id}-{fb.id}" class="visually-hidden">Facebook når Foreldre med barn i barnehagealder</label>'
        in html
    )
    assert '<th scope="row">1. Foreldre med barn i barnehagealder</th>' in html
    # Ungdom (no reach) and Eldre (only "noe") are not reached well.
    assert "2 målgrupper nås ikke godt av noen kanal" in html
    assert "Prioritet 2: Ungdom 13–19 år" in html and "Prioritet 3: Eldre" in html
    assert html.count("ingen kanal når målgruppen godt") == 2
    assert '<option value="3" selected>svært god</option>' in html


def test_save_whole_matrix(editor: FlaskClient, catalog: dict[str, Any]) -> None:
    c = catalog
    cells = {
        f"r-{c['parents'].id}-{c['facebook'].id}": "2",  # change
        f"r-{c['parents'].id}-{c['web'].id}": "0",  # remove
        f"r-{c['youth'].id}-{c['facebook'].id}": "3",  # add
        f"r-{c['elderly'].id}-{c['web'].id}": "1",  # unchanged
    }
    response = editor.post("/rekkevidde", data=cells)
    assert response.status_code == 302
    assert levels() == {
        ("Facebook", "Foreldre med barn i barnehagealder"): 2,
        ("Facebook", "Ungdom 13–19 år"): 3,
        ("Kommunens nettside", "Eldre"): 1,
    }
    assert "Rekkevidden er lagret (3 endringer)." in text(editor.get("/rekkevidde"))


@pytest.mark.parametrize("bad", ["4", "god", "", "-1"])
def test_matrix_save_is_all_or_nothing_on_a_bad_level(
    editor: FlaskClient, catalog: dict[str, Any], bad: str
) -> None:
    c = catalog
    before = levels()
    bad_cell = f"r-{c['elderly'].id}-{c['facebook'].id}"
    response = editor.post(
        "/rekkevidde",
        data={
            f"r-{c['youth'].id}-{c['facebook'].id}": "3",
            f"r-{c['parents'].id}-{c['web'].id}": "0",
            bad_cell: bad,
        },
    )
    assert response.status_code == 422
    html = text(response)
    assert "Rekkevidden ble ikke lagret" in html and "Ingenting er endret" in html
    assert "Velg ingen, noe, god eller svært god for «Facebook når Eldre»." in html
    assert f'aria-describedby="{bad_cell}-error"' in html
    assert levels() == before
    # What the user chose is kept on the page.
    assert f'name="r-{c["youth"].id}-{c["facebook"].id}"' in html


def test_matrix_save_refuses_another_organisations_cells(
    editor: FlaskClient, catalog: dict[str, Any], make_org: Any, make_channel: Any
) -> None:
    foreign = make_channel("Nabokanal", organisation=make_org("Nabokommune"))
    before = levels()
    response = editor.post(
        "/rekkevidde",
        data={
            f"r-{catalog['youth'].id}-{catalog['facebook'].id}": "3",
            f"r-{catalog['youth'].id}-{foreign.id}": "3",
        },
    )
    assert response.status_code == 422
    assert "som ikke finnes lenger" in text(response)
    assert levels() == before and count(Reach) == 3


def test_save_one_cell_with_htmx(editor: FlaskClient, catalog: dict[str, Any]) -> None:
    youth, fb = catalog["youth"], catalog["facebook"]
    name = f"r-{youth.id}-{fb.id}"
    response = editor.post(f"/rekkevidde/{youth.id}/{fb.id}", data={name: "2"}, headers=HX)
    assert response.status_code == 200
    html = text(response)
    assert html.lstrip().startswith(f'<td id="reach-status-{youth.id}"')
    assert "Ja (god)" in html
    assert 'id="reach-summary" hx-swap-oob="true"' in html
    assert "1 målgruppe nås ikke godt av noen kanal" in html
    assert "Lagret: Facebook når Ungdom 13–19 år – god." in html
    assert "catalogChanged" in response.headers["HX-Trigger"]
    assert levels()[("Facebook", "Ungdom 13–19 år")] == 2

    bad = editor.post(f"/rekkevidde/{youth.id}/{fb.id}", data={name: "9"}, headers=HX)
    assert bad.status_code == 422 and "Velg ingen, noe, god eller svært god" in text(bad)
    assert levels()[("Facebook", "Ungdom 13–19 år")] == 2

    plain = editor.post(f"/rekkevidde/{youth.id}/{fb.id}", data={name: "0"})
    assert plain.status_code == 302 and plain.headers["Location"].endswith(
        f"/rekkevidde#reach-row-{youth.id}"
    )
    assert ("Facebook", "Ungdom 13–19 år") not in levels()


def test_reach_page_without_catalog(editor: FlaskClient) -> None:
    html = text(editor.get("/rekkevidde"))
    assert "Legg inn målgrupper og kanaler først" in html


# --------------------------------------------------------------------------- service areas


def test_service_area_create_rename_and_duplicates(
    editor: FlaskClient, catalog: dict[str, Any]
) -> None:
    assert editor.post("/virksomhetsomrader", data={"name": "Teknisk"}).status_code == 302
    dup = editor.post("/virksomhetsomrader", data={"name": "oppvekst"})
    assert dup.status_code == 422
    assert "Det finnes allerede et virksomhetsområde som heter «oppvekst»." in text(dup)
    empty = editor.post("/virksomhetsomrader", data={"name": "  "})
    assert "Skriv inn et navn på virksomhetsområdet." in text(empty)

    area = catalog["area"]
    field = f"service-area-{area.id}-name"
    assert editor.get(f"/virksomhetsomrader/{area.id}/endre").status_code == 200
    taken = editor.post(f"/virksomhetsomrader/{area.id}/endre", data={field: "Teknisk"}, headers=HX)
    assert taken.status_code == 422 and "«Teknisk»" in text(taken)
    ok = editor.post(
        f"/virksomhetsomrader/{area.id}/endre", data={field: "Oppvekst og skole"}, headers=HX
    )
    assert ok.status_code == 200 and "Virksomhetsområdet heter nå «Oppvekst og skole»." in text(ok)
    # Renaming to itself with other case is allowed.
    assert (
        editor.post(
            f"/virksomhetsomrader/{area.id}/endre", data={field: "OPPVEKST OG SKOLE"}
        ).status_code
        == 302
    )
    html = text(editor.get("/virksomhetsomrader"))
    assert "OPPVEKST OG SKOLE" in html and "Teknisk" in html


def test_delete_service_area_in_use_asks_with_counts(
    editor: FlaskClient, catalog: dict[str, Any], make_post: Any
) -> None:
    area = catalog["area"]
    post = make_post(service_area_id=area.id)
    make_post(title="I papirkurven", service_area_id=area.id, deleted_at=datetime(2026, 1, 1))
    catalog["youth"].service_area_id = area.id
    db.session.commit()
    confirm = editor.post(f"/virksomhetsomrader/{area.id}/slett")
    assert confirm.status_code == 200
    assert "«Oppvekst» brukes av 1 innlegg og 2 målgrupper." in text(confirm)
    assert count(ServiceArea) == 1
    assert (
        editor.post(f"/virksomhetsomrader/{area.id}/slett", data={"confirm": "1"}).status_code
        == 302
    )
    assert count(ServiceArea) == 0 and count(Audience) == 3
    db.session.refresh(post)
    assert post.service_area_id is None


def test_delete_unused_service_area_directly(editor: FlaskClient, org: Any) -> None:
    area = ServiceArea(organisation_id=org.id, name="Kultur")
    db.session.add(area)
    db.session.commit()
    assert editor.get(f"/virksomhetsomrader/{area.id}/slett").status_code == 200
    assert editor.post(f"/virksomhetsomrader/{area.id}/slett").status_code == 302
    assert count(ServiceArea) == 0


def test_changes_bump_the_organisation_data_version(
    editor: FlaskClient, catalog: dict[str, Any], org: Any
) -> None:
    before = org.data_version
    editor.post(
        f"/rekkevidde/{catalog['youth'].id}/{catalog['web'].id}",
        data={f"r-{catalog['youth'].id}-{catalog['web'].id}": "1"},
        headers=HX,
    )
    db.session.refresh(org)
    assert org.data_version > before


def test_changes_need_the_csrf_token(tmp_path: Any) -> None:
    from planner.models import Organisation, User
    from tests.conftest import PASSWORD, csrf_token_from, make_app

    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    with app.app_context():
        org = Organisation(name="Testvik kommune")
        db.session.add(org)
        db.session.flush()
        user = User(organisation_id=org.id, email="r@testvik.kommune.no", role="editor")
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        client = app.test_client()
        token = csrf_token_from(client.get("/login").get_data(as_text=True))
        client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
        assert client.post("/virksomhetsomrader", data={"name": "Kultur"}).status_code == 400
        page = client.get("/virksomhetsomrader").get_data(as_text=True)
        token = csrf_token_from(page)
        ok = client.post("/virksomhetsomrader", data={"name": "Kultur", "csrf_token": token})
        assert ok.status_code == 302
        area = db.session.execute(select(ServiceArea)).scalar_one()
        rename = client.post(
            f"/virksomhetsomrader/{area.id}/endre",
            data={f"service-area-{area.id}-name": "Kultur og fritid"},
            headers={**HX, "X-CSRFToken": token},
        )
        assert rename.status_code == 200
        db.session.remove()
        db.drop_all()
        dispose_engines()
