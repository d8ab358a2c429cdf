"""The import area (/import): the overview, the menu entry, the old addresses (308), the one
upload form, and the spreadsheet wizard's mapping form (WTForms: CSRF, one select per
column, Norwegian errors next to the fields)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from planner.domain.imports.spreadsheet_sheet import SheetData
from planner.extensions import db, dispose_engines
from planner.models import Channel, Organisation, Post, User
from planner.services.accounts import AccountError, resolve_organisation
from planner.services.exports.json_export import export_json
from planner.views.imports.forms import UploadForm, mapping_form
from tests.conftest import PASSWORD, csrf_token_from, login, make_app

DATA = Path(__file__).parent / "data"
SHEET = "Dato;Tittel;Kanal(er)\n02.03.2026;Ny frist;Facebook og Plakatsøyle\n03.03.2026;Annen;Web\n"


def _upload_sheet(client: Any, text: str = SHEET) -> str:
    response = client.post(
        "/import/regneark",
        data={"year": "2026", "file": (io.BytesIO(text.encode("utf-8")), "plan.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return str(response.headers["Location"])


def _posts() -> int:
    return int(db.session.execute(select(func.count(Post.id))).scalar_one())


# --------------------------------------------------------------------------- overview and menu


def test_overview_says_what_each_import_is_for(client: Any, make_user: Any) -> None:
    login(client, make_user("editor"))
    page = client.get("/import")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<h1>Import</h1>" in html
    for text in (
        "Regneark: årshjulet fra Excel eller CSV",
        "Excel-arbeidsbok (.xlsx) eller CSV (.csv), høyst 20 MB og 20 000 rader",
        "Kalenderfil (.ics) på høyst 5 MB",
        "Sikkerhetskopi (.json)",
        "Bare administratorer kan gjenopprette en sikkerhetskopi.",
    ):
        assert text in html
    assert 'href="/import/regneark?year=' in html and 'href="/import/kalender"' in html
    assert 'href="/import/sikkerhetskopi"' not in html.split("</nav>", 2)[-1]


def test_overview_and_menu_by_role(client: Any, make_user: Any) -> None:
    login(client, make_user("admin"))
    html = client.get("/import").get_data(as_text=True)
    assert "Gjenopprett en sikkerhetskopi" in html
    assert re.search(r'<a href="/import"[^>]*>Import</a>', html)  # the menu entry
    client.post("/logout")
    login(client, make_user("viewer"))
    assert client.get("/import").status_code == 403
    assert 'href="/import"' not in client.get("/plan/").get_data(as_text=True)


def test_the_wizards_are_linked_from_where_they_were(client: Any, make_user: Any) -> None:
    login(client, make_user("admin"))
    exports = client.get("/eksport/").get_data(as_text=True)
    assert 'href="/import/regneark?year=' in exports and 'href="/import/kalender"' in exports
    feeds = client.get("/kalenderfeeder").get_data(as_text=True)
    assert 'href="/import/kalender"' in feeds
    backup = client.get("/eksport/sikkerhetskopi").get_data(as_text=True)
    assert 'href="/import/sikkerhetskopi"' in backup


# --------------------------------------------------------------------------- old addresses


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/eksport/import?year=2026", "/import/regneark?year=2026"),
        ("/eksport/import/abc123", "/import/regneark/abc123"),
        ("/kalenderfeeder/import", "/import/kalender"),
        ("/kalenderfeeder/import/abc123", "/import/kalender/abc123"),
    ],
)
def test_old_addresses_redirect_permanently(
    client: Any, make_user: Any, old: str, new: str
) -> None:
    viewer = make_user("viewer")
    anonymous = client.get(old)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    login(client, viewer)
    for method in ("GET", "POST"):
        response = client.open(old, method=method)
        assert response.status_code == 308, (method, old)
        assert response.headers["Location"] == new


def test_a_post_to_an_old_address_arrives_with_its_file(client: Any, make_user: Any) -> None:
    login(client, make_user("editor"))
    response = client.post(
        "/kalenderfeeder/import",
        data={"file": (io.BytesIO((DATA / "council_meetings_utc.ics").read_bytes()), "m.ics")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert response.request.path.startswith("/import/kalender/")
    assert "Velg hva som skal importeres" in response.get_data(as_text=True)


def test_restore_moved_from_the_backup_page(client: Any, make_user: Any, org: Organisation) -> None:
    login(client, make_user("admin"))
    document = export_json(org, 2026)
    moved = client.post("/eksport/sikkerhetskopi", data={})
    assert moved.status_code == 308 and moved.headers["Location"] == "/import/sikkerhetskopi"
    done = client.post(
        "/eksport/sikkerhetskopi",
        data={"file": (io.BytesIO(json.dumps(document).encode()), "kopi.json")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "Sikkerhetskopien er gjenopprettet" in done.get_data(as_text=True)
    assert done.request.path == "/import/sikkerhetskopi"


# --------------------------------------------------------------------------- one upload form


def test_one_upload_form_for_every_import(client: Any, make_user: Any) -> None:
    login(client, make_user("admin"))
    for url, label, missing in (
        ("/import/regneark", "Regneark (.xlsx eller .csv)", "Velg en fil å importere."),
        ("/import/kalender", "Kalenderfil (.ics)", "Velg en kalenderfil (.ics) å importere."),
        (
            "/import/sikkerhetskopi",
            "Sikkerhetskopi (.json)",
            "Velg en sikkerhetskopi å gjenopprette.",
        ),
    ):
        assert f'<label for="file">{label}</label>' in client.get(url).get_data(as_text=True)
        empty = client.post(url, data={"year": "2026"}, content_type="multipart/form-data")
        assert empty.status_code == 422 and missing in empty.get_data(as_text=True), url


def test_upload_form_label_and_message_per_wizard(app: Flask) -> None:
    with app.test_request_context(method="POST", data={}):
        form = UploadForm(
            label="Kalenderfil (.ics)", missing="Velg en kalenderfil.", meta={"csrf": False}
        )
        assert not form.validate()
        assert form.file.label.text == "Kalenderfil (.ics)"
        assert form.errors == {"file": ["Velg en kalenderfil."]}


# --------------------------------------------------------------------------- the mapping form


def test_mapping_form_has_a_select_per_column_of_the_widest_sheet(app: Flask) -> None:
    sheets = [
        SheetData("Innlegg", [["Dato", "Tittel", "Kanal"], ["01.03.2026", "A", "Web"]]),
        SheetData("Om", [["Laget", "i dag"]]),
    ]
    channel = Channel(id=7, organisation_id=1, name="Web", type="nettside")
    data = MultiDict(
        {
            "ark": "0",
            "overskriftsrad": "1",
            "ar": "2026",
            "hjul": "",
            "forrige-ark": "0",
            "forrige-rad": "1",
            "kolonne-0": "start_date",
            "kolonne-1": "title",
            "kolonne-2": "week:53",
            "kanal-0-navn": "Plakat",
            "kanal-0-valg": "7",
            "kanal-0-type": "plakat",
        }
    )
    with app.test_request_context(method="POST", data=data):
        form = mapping_form(sheets, channels=[channel], audiences=[], wheels=[])
        form.meta.csrf = False
        assert [c.name for c in form.columns] == ["kolonne-0", "kolonne-1", "kolonne-2"]
        assert form.validate(), form.errors
        choices = form.import_choices(2026)
    assert choices.mapping == ["start_date", "title", "week:53"]
    assert (choices.sheet, choices.header_row, choices.year) == (0, 0, 2026)
    assert choices.channel_actions == {"plakat": "7"} and choices.channel_types == {
        "plakat": "plakat"
    }


def test_mapping_form_errors_are_norwegian_and_next_to_the_field(
    client: Any, make_user: Any, make_channel: Any
) -> None:
    make_channel("Facebook")
    login(client, make_user("editor"))
    url = _upload_sheet(client, SHEET.replace("Kanal(er)\n", "Kanal(er);Notat\n"))
    html = client.get(url).get_data(as_text=True)
    assert (
        'name="kanal-0-valg"' in html
        and 'name="kanal-0-navn" type="hidden" value="Plakatsøyle"' in html
    )
    before = _posts()
    response = client.post(
        url,
        data={
            "ark": "0",
            "overskriftsrad": "1",
            "ar": "1800",
            "forrige-ark": "0",
            "forrige-rad": "1",
            "kolonne-0": "start_date",
            "kolonne-1": "title",
            "kolonne-2": "channels",
            "kolonne-3": "ikke-et-felt",
            "kanal-0-navn": "Plakatsøyle",
            "kanal-0-valg": "999999",
            "kanal-0-type": "nettside",
            "handling": "importer",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert '<p class="error" id="ar-error">Året må være mellom 2000 og 2100.</p>' in html
    assert 'aria-describedby="ar-error" aria-invalid="true"' in html
    assert '<p class="error" id="kolonne-3-error">Velg et av alternativene i listen.</p>' in html
    assert '<p class="error" id="kanal-0-valg-error">Velg et av alternativene i listen.</p>' in html
    assert "Valgene må rettes" in html and 'href="#kolonne-3"' in html
    db.session.expire_all()
    assert _posts() == before  # nothing imported from a form with errors


def test_mapping_form_rejects_a_missing_csrf_token(tmp_path: Path) -> None:
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    try:
        with app.app_context():
            org = Organisation(name="Testvik kommune")
            db.session.add(org)
            db.session.commit()
            user = User(organisation_id=org.id, email="red@testvik.no", role="editor")
            user.set_password(PASSWORD)
            db.session.add(user)
            db.session.commit()
        client = app.test_client()
        token = csrf_token_from(client.get("/login").get_data(as_text=True))
        client.post(
            "/login", data={"email": "red@testvik.no", "password": PASSWORD, "csrf_token": token}
        )
        page = client.get("/import/regneark").get_data(as_text=True)
        response = client.post(
            "/import/regneark",
            data={
                "csrf_token": csrf_token_from(page),
                "year": "2026",
                "file": (io.BytesIO(SHEET.encode()), "plan.csv"),
            },
            content_type="multipart/form-data",
        )
        url = response.headers["Location"]
        mapping = client.get(url).get_data(as_text=True)
        assert 'name="csrf_token"' in mapping
        assert client.post(url, data={"ar": "2026", "handling": "forhandsvis"}).status_code == 400
        sent = client.post(url, data={"csrf_token": csrf_token_from(mapping), "ar": "2026"})
        assert sent.status_code == 200
    finally:
        with app.app_context():
            db.session.remove()
            db.drop_all()
            dispose_engines()


# --------------------------------------------------------------------------- the organisation


def test_resolve_organisation(org: Organisation, make_org: Any) -> None:
    assert resolve_organisation(None) == org
    assert resolve_organisation("Testvik kommune") == org
    with pytest.raises(AccountError, match="Fant ingen kommune med navnet «Ukjent»"):
        resolve_organisation("Ukjent")
    created = resolve_organisation("Nyby kommune", create=True)
    assert created.id is not None and created.name == "Nyby kommune"
    with pytest.raises(AccountError, match="flere kommuner"):
        resolve_organisation(None)
