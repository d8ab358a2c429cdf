"""Exports for the communication strategy: Word (python-docx and LibreOffice), PDF, XLSX,
CSV, PNG; the export, print, import and backup pages; the JSON backup round trip."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import struct
import subprocess
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import func, select

from planner.extensions import db, dispose_engines
from planner.formats import docx as docx_format
from planner.formats import pdf as pdf_format
from planner.formats import xlsx as xlsx_format
from planner.models import (
    Absence,
    DutyAssignment,
    Organisation,
    Post,
    ServiceArea,
    StaffMember,
    User,
)
from planner.services.exports import strategy
from tests.conftest import PASSWORD, csrf_token_from, login, make_app

SMALL_SVG = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
    'width="200" height="100" viewBox="0 0 200 100"><title>Årshjul 2026</title>'
    "<desc>Ringer: Facebook, Nettside.</desc>"
    '<circle cx="50" cy="50" r="40" fill="#1b4f9c"/></svg>'
)


def _seed(runner: Any) -> Organisation:
    result = runner.invoke(args=["seed", "--year", "2026", "--municipality", "Testvik kommune"])
    assert result.exit_code == 0, result.output
    org = db.session.execute(select(Organisation)).scalar_one()
    kari = StaffMember(organisation_id=org.id, name="Kari")
    kari.absences.append(
        Absence(
            organisation_id=org.id, start=date(2026, 7, 6), end=date(2026, 7, 24), reason="Ferie"
        )
    )
    db.session.add(kari)
    db.session.add(
        DutyAssignment(
            organisation_id=org.id, staff_member=kari, week_start=date(2026, 2, 23), role="main"
        )
    )
    db.session.commit()
    return org


def _deadline() -> Post:
    """The kindergarten application deadline of the recommended årshjul (1 March)."""
    return db.session.execute(
        select(Post).where(Post.seed_key == "barnehage-soknadsfrist")
    ).scalar_one()


def _user(org: Organisation, role: str) -> User:
    user = User(organisation_id=org.id, email=f"{role}@testvik.kommune.no", role=role)
    user.set_password(PASSWORD)
    db.session.add(user)
    db.session.commit()
    return user


def _texts(document: Any) -> list[str]:
    return [p.text for p in document.paragraphs]


def _table_rows(table: Any) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


# --------------------------------------------------------------------------- Word


def test_docx_has_the_strategy_content(runner: Any, tmp_path: Path, monkeypatch: Any) -> None:
    _seed(runner)
    monkeypatch.setattr(docx_format, "wheel_svg", lambda *args: SMALL_SVG)
    path = tmp_path / "strategi.docx"
    result = runner.invoke(args=["export", "--format", "docx", "--year", "2026", "-o", str(path)])
    assert result.exit_code == 0, result.output

    document = Document(str(path))
    assert document.core_properties.title == "Årshjul for kommunikasjon 2026 – Testvik kommune"
    assert document.core_properties.language == "nb-NO"
    headings = {
        p.text: p.style.name for p in document.paragraphs if p.style.name.startswith("Heading")
    }
    for name in (
        "Årshjulet",
        "Målgrupper",
        "Kanaler",
        "Planen måned for måned",
        "Toppbelastninger og bemanning",
        "Rutiner",
    ):
        assert headings[name] == "Heading 1"
    assert headings["Mars"] == "Heading 2" and headings["Vaktordning (rundgang)"] == "Heading 2"
    assert document.paragraphs[0].style.name == "Title"

    # The wheel: a PNG with the SVG's title and description as alt text.
    (shape,) = document.inline_shapes
    assert shape._inline.docPr.get("descr") == "Årshjul 2026. Ringer: Facebook, Nettside."
    blob = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
    image = document.part.related_parts[blob].blob
    assert image.startswith(b"\x89PNG") and struct.unpack(">I", image[16:20])[0] == 2400
    assert any(t.startswith("Figur 1. Årshjulet for 2026") for t in _texts(document))

    tables = [_table_rows(t) for t in document.tables]
    audiences = next(t for t in tables if t[0][0] == "Målgruppe")
    assert audiences[0] == [
        "Målgruppe",
        "Virksomhetsområde",
        "Beskrivelse",
        "Prioritet",
        "Kanaler som når dem",
    ]
    first = audiences[1]
    assert first[0] == "Foreldre med barn i barnehagealder" and first[1] == "Oppvekst"
    assert first[3] == "1" and "(svært god)" in first[4]
    channels = next(t for t in tables if t[0][0] == "Kanal")
    facebook = next(r for r in channels if r[0] == "Facebook")
    assert facebook[1:3] == ["Nettsamfunn", "Innen 8 timer"] and "svarer" in facebook[3]
    plan = [t for t in tables if t[0][0] == "Dato"]
    assert len(plan) == 12  # every month has posts in the recommended årshjul
    assert plan[2][0] == [
        "Dato",
        "Uke",
        "Tittel",
        "Kanaler",
        "Målgrupper",
        "Type",
        "Ansvarlig",
        "Status",
    ]
    deadline = next(r for r in plan[2] if r[2] == _deadline().title)
    assert deadline[:2] == ["01.03.2026", "uke 9"] and deadline[7] == "planlagt"
    peaks = next(t for t in tables if t[0][0] == "Periode")
    kindergarten = next(r for r in peaks if r[2] == "Innspurt barnehagesøknader")
    assert kindergarten[1] == "uke 7–9" and "Kari" in kindergarten[5]
    rota = next(t for t in tables if t[0][:3] == ["Uke", "Datoer", "Hovedansvarlig"])
    assert ["uke 9", "23.02.2026–01.03.2026", "Kari"] in [r[:3] for r in rota]
    absences = next(t for t in tables if t[0] == ["Person", "Periode", "Årsak"])
    assert absences[1][0] == "Kari" and absences[1][2] == "Ferie"

    # Tables repeat their heading row on every page and carry a caption.
    xml = document.tables[0]._tbl.xml
    assert "w:tblHeader" in xml and "w:tblCaption" in xml
    assert headings["Advarsler om bemanning"] == "Heading 2"


def test_docx_can_be_filtered(runner: Any, monkeypatch: Any) -> None:
    org = _seed(runner)
    monkeypatch.setattr(docx_format, "wheel_svg", lambda *args: SMALL_SVG)
    from planner.domain.filters import PlanFilter

    area = db.session.execute(
        select(ServiceArea).where(ServiceArea.name == "Oppvekst")
    ).scalar_one()
    post = _deadline()
    post.status = "godkjent"
    db.session.commit()
    raw = docx_format.export(
        org, 2026, PlanFilter(service_areas=(area.id,), statuses=("godkjent",))
    )
    document = Document(io.BytesIO(raw))
    plan_titles = [
        row[2]
        for t in document.tables
        for row in _table_rows(t)[1:]
        if _table_rows(t)[0][:3] == ["Dato", "Uke", "Tittel"]
    ]
    assert plan_titles == [post.title]
    assert "Utvalg: Virksomhetsområde: Oppvekst; Status: godkjent" in _texts(document)
    audiences = next(t for t in document.tables if _table_rows(t)[0][0] == "Målgruppe")
    assert {r[1] for r in _table_rows(audiences)[1:]} == {"Oppvekst"}


def test_docx_survives_control_characters(runner: Any, monkeypatch: Any) -> None:
    org = _seed(runner)
    monkeypatch.setattr(docx_format, "wheel_svg", lambda *args: SMALL_SVG)
    post = _deadline()
    post.title = "Frist\x0bfor barnehage"
    post.responsible = "Kari\x1f"
    db.session.commit()
    document = Document(io.BytesIO(docx_format.export(org, 2026)))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "Fristfor barnehage" in cells and "Kari" in cells


def test_docx_without_the_picture_says_why(runner: Any, monkeypatch: Any) -> None:
    org = _seed(runner)

    def unavailable(*args: Any) -> str:
        raise strategy.RendererUnavailable(strategy.PNG_MISSING)

    monkeypatch.setattr(docx_format, "wheel_svg", unavailable)
    document = Document(io.BytesIO(docx_format.export(org, 2026)))
    assert len(document.inline_shapes) == 0
    assert any("systembiblioteket Cairo mangler" in t for t in _texts(document))


def test_docx_with_the_real_wheel(runner: Any) -> None:
    """The wheel area's renderer gives the picture and its description."""
    org = _seed(runner)
    document = Document(io.BytesIO(docx_format.export(org, 2026)))
    (shape,) = document.inline_shapes
    assert shape._inline.docPr.get("descr").startswith("Årshjul 2026")


def test_docx_converts_with_libreoffice(runner: Any, tmp_path: Path, monkeypatch: Any) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        message = "LibreOffice (soffice) is needed: apt-get install libreoffice-writer-nogui"
        if os.environ.get("CI"):
            pytest.fail("CI must convert the DOCX with LibreOffice, but " + message, pytrace=False)
        pytest.skip(message)
    org = _seed(runner)
    monkeypatch.setattr(docx_format, "wheel_svg", lambda *args: SMALL_SVG)
    source = tmp_path / "strategi.docx"
    source.write_bytes(docx_format.export(org, 2026))
    profile = tmp_path / "lo-profile"
    completed = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "Error" not in completed.stderr, completed.stderr
    converted = tmp_path / "strategi.pdf"
    assert converted.exists(), completed.stdout + completed.stderr
    data = converted.read_bytes()
    assert data.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page(?!s)", data)) > 5


# --------------------------------------------------------------------------- spreadsheets


def test_xlsx_has_norwegian_headings_and_real_dates(runner: Any) -> None:
    org = _seed(runner)
    post = db.session.execute(select(Post).order_by(Post.id)).scalars().first()
    assert post is not None
    post.title = '=HYPERLINK("http://evil")'
    db.session.commit()
    workbook = load_workbook(io.BytesIO(xlsx_format.export(org, 2026)))
    assert workbook.sheetnames == ["Innlegg", "Kanaler", "Målgrupper", "Om eksporten"]
    ws = workbook["Innlegg"]
    header = [c.value for c in ws[1]]
    assert header[:9] == [
        "UID",
        "Tittel",
        "Dato",
        "Klokkeslett",
        "Sluttdato",
        "Sluttid",
        "Heldag",
        "Uke",
        "Måned",
    ]
    assert {"Kanaler", "Målgrupper", "Status", "Type", "Ansvarlig", "Lenke"} <= set(header)
    rows = {row[1].value: row for row in ws.iter_rows(min_row=2)}
    deadline = rows[_deadline().title]
    assert deadline[2].value == datetime(2026, 3, 1)
    assert deadline[2].number_format == "DD.MM.YYYY"
    assert deadline[7].value == 9 and deadline[8].value == "mars"
    evil = rows['=HYPERLINK("http://evil")']
    assert evil[1].data_type == "s"  # text, never a formula
    n_posts = db.session.execute(
        select(func.count(Post.id)).where(Post.deleted_at.is_(None))
    ).scalar_one()
    assert ws.max_row == n_posts + 1
    per_occurrence = load_workbook(io.BytesIO(xlsx_format.export(org, 2026, None, True)))
    assert per_occurrence["Innlegg"].max_row > ws.max_row  # recurring posts repeat
    assert workbook["Kanaler"]["A1"].value == "Kanal"


def test_csv_export_is_for_norwegian_excel(runner: Any, client: Any) -> None:
    org = _seed(runner)
    login(client, _user(org, "viewer"))
    response = client.get("/eksport/fil/csv?year=2026")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="arshjul-2026-testvik-kommune.csv"' in response.headers["Content-Disposition"]
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeffUID;Tittel;Dato;")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    deadline = next(r for r in rows if r[1] == _deadline().title)
    assert deadline[2] == "01.03.2026" and deadline[7] == "9"


# --------------------------------------------------------------------------- PDF, PNG, pages


def test_pdf_plan_is_a4_and_poster_is_a3_landscape(runner: Any, monkeypatch: Any) -> None:
    org = _seed(runner)
    assert pdf_format.export(org, 2026).startswith(b"%PDF")
    mm = 96 / 25.4  # WeasyPrint lays out in CSS pixels
    pages = pdf_format.layout(pdf_format.plan_html(org, 2026, None)).pages
    assert len(pages) > 3
    assert (round(pages[0].width / mm), round(pages[0].height / mm)) == (210, 297)
    monkeypatch.setattr(pdf_format, "wheel_svg", lambda *args: SMALL_SVG)
    poster = pdf_format.layout(pdf_format.poster_html(org, 2026, None)).pages
    assert [(round(p.width / mm), round(p.height / mm)) for p in poster] == [(420, 297)]
    assert pdf_format.export_poster(org, 2026).startswith(b"%PDF")


def test_export_page_and_downloads(runner: Any, client: Any, monkeypatch: Any) -> None:
    org = _seed(runner)
    login(client, _user(org, "viewer"))
    page = client.get("/eksport/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Word-dokument (.docx)" in html and "Excel (.xlsx)" in html
    assert "Importer et regneark" not in html  # viewers only read
    monkeypatch.setattr("planner.views.exports.wheel_svg", lambda *args: SMALL_SVG)
    monkeypatch.setattr(docx_format, "wheel_svg", lambda *args: SMALL_SVG)
    expected = {
        "docx": docx_format.MEDIA_TYPE,
        "xlsx": xlsx_format.MEDIA_TYPE,
        "png": "image/png",
        "pdf": "application/pdf",
    }
    for fmt, media_type in expected.items():
        response = client.get(f"/eksport/fil/{fmt}?year=2026&status=planlagt")
        assert response.status_code == 200, (fmt, response.get_data(as_text=True)[:500])
        assert response.mimetype == media_type
        assert "attachment" in response.headers["Content-Disposition"]
    assert client.get("/eksport/fil/exe?year=2026").status_code == 404
    assert client.get("/eksport/fil/csv?year=1999").status_code == 404


def test_downloads_are_cached_until_the_plan_changes(runner: Any, client: Any) -> None:
    org = _seed(runner)
    login(client, _user(org, "viewer"))
    first = client.get("/eksport/fil/csv?year=2026").data
    again = client.get("/eksport/fil/csv?year=2026").data
    assert again == first
    post = _deadline()
    post.title = "Ny tittel på fristen"
    db.session.commit()
    changed = client.get("/eksport/fil/csv?year=2026").data
    assert changed != first and "Ny tittel på fristen" in changed.decode("utf-8")


def test_pdf_list_of_a_huge_plan_is_refused_with_advice(
    runner: Any, client: Any, monkeypatch: Any
) -> None:
    org = _seed(runner)
    login(client, _user(org, "viewer"))
    monkeypatch.setattr("planner.views.exports.MAX_PDF_LINES", 5)
    response = client.get("/eksport/fil/pdf?year=2026")
    assert response.status_code == 422
    assert "PDF-listen lages for planer med opptil 5 linjer" in response.get_data(as_text=True)


def test_missing_system_library_is_explained_not_a_500(
    runner: Any, client: Any, monkeypatch: Any
) -> None:
    org = _seed(runner)
    login(client, _user(org, "editor"))
    monkeypatch.setattr(strategy, "pdf_support", lambda: strategy.PDF_MISSING)
    monkeypatch.setattr("planner.views.exports.pdf_support", lambda: strategy.PDF_MISSING)
    monkeypatch.setattr(pdf_format, "pdf_support", lambda: strategy.PDF_MISSING)
    response = client.get("/eksport/fil/pdf?year=2026")
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert "PDF kan ikke lages fordi systembibliotekene Pango og HarfBuzz mangler" in html
    page = client.get("/eksport/").get_data(as_text=True)
    assert "Noen formater er ikke tilgjengelige" in page

    def no_png(*args: Any) -> bytes:
        raise strategy.RendererUnavailable(strategy.PNG_MISSING)

    monkeypatch.setattr("planner.views.exports.svg_to_png", no_png)
    monkeypatch.setattr("planner.views.exports.wheel_svg", lambda *args: SMALL_SVG)
    response = client.get("/eksport/fil/png?year=2026")
    assert response.status_code == 503 and "Cairo mangler" in response.get_data(as_text=True)


def test_print_pages(runner: Any, client: Any, monkeypatch: Any) -> None:
    org = _seed(runner)
    login(client, _user(org, "viewer"))
    page = client.get("/eksport/utskrift/plan?year=2026")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'class="print-plan"' in html
    assert _deadline().title in html and "uke 9" in html
    empty = client.get("/eksport/utskrift/plan?year=2026&q=finnesikke").get_data(as_text=True)
    assert empty.count("Ingen innlegg passer med utvalget.") == 1
    assert "Ingen innlegg i " not in empty
    monkeypatch.setattr(pdf_format, "wheel_svg", lambda *args: SMALL_SVG)
    poster = client.get("/eksport/utskrift/plakat?year=2026").get_data(as_text=True)
    assert 'class="print-poster"' in poster and "<svg" in poster and "<?xml" not in poster


# --------------------------------------------------------------------------- import pages


def _upload(client: Any, raw: bytes, filename: str) -> Any:
    return client.post(
        "/import/regneark",
        data={"year": "2026", "file": (io.BytesIO(raw), filename)},
        content_type="multipart/form-data",
    )


class _FormValues(HTMLParser):
    """The values a form would submit as rendered: hidden and number inputs, and the
    selected (else the first) option of every select."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._select: str | None = None
        self._first: str | None = None
        self._chosen: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "input" and found.get("type") in ("hidden", "number") and found.get("name"):
            self.values[found["name"] or ""] = found.get("value") or ""
        elif tag == "select":
            self._select, self._first, self._chosen = found.get("name"), None, None
        elif tag == "option" and self._select:
            value = found.get("value") or ""
            self._first = value if self._first is None else self._first
            if "selected" in found:
                self._chosen = value

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select:
            chosen = self._chosen if self._chosen is not None else self._first
            self.values[self._select] = chosen or ""
            self._select = None


def _form_values(html: str) -> dict[str, str]:
    """The values the mapping form would submit as rendered (inputs and selected options)."""
    parser = _FormValues()
    parser.feed(html)
    return parser.values


def test_import_pages_preview_then_import(runner: Any, client: Any) -> None:
    org = _seed(runner)
    login(client, _user(org, "editor"))
    csv_text = (
        "Dato;Tittel;Kanal(er);Målgruppe(r)\n"
        "02.03.2026;Ny frist;Facebook og Plakatsøyle;Foreldre med barn i barnehagealder\n"
        "31.02.2026;Umulig dato;Facebook;\n"
    )
    response = _upload(client, csv_text.encode("utf-8"), "plan.csv")
    assert response.status_code == 302
    step = client.get(response.headers["Location"])
    html = step.get_data(as_text=True)
    assert step.status_code == 200
    assert "Rad 3, kolonne A (Dato): «31.02.2026» er ikke en gyldig dato." in html
    assert "Plakatsøyle" in html and "Opprett ny kanal" in html
    values = _form_values(html)
    assert values["kolonne-0"] == "start_date" and values["kolonne-2"] == "channels"
    before = db.session.execute(select(func.count(Post.id))).scalar_one()

    # Importing everything is refused (one row is wrong); nothing is written.
    refused = client.post(step.request.url, data={**values, "handling": "importer"})
    assert refused.status_code == 422
    assert "ingenting er lagret" in refused.get_data(as_text=True)
    # Changed choices since the preview: shown again, not imported.
    stale = client.post(
        step.request.url, data={**values, "kolonne-3": "", "handling": "importer-gyldige"}
    )
    assert "Valgene er endret" in stale.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.execute(select(func.count(Post.id))).scalar_one() == before

    done = client.post(step.request.url, data={**values, "handling": "importer-gyldige"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/plan/2026")
    db.session.expire_all()
    post = db.session.execute(select(Post).where(Post.title == "Ny frist")).scalar_one()
    assert sorted(c.name for c in post.channels) == ["Facebook", "Plakatsøyle"]
    assert db.session.execute(select(func.count(Post.id))).scalar_one() == before + 1
    # The upload is gone after the import.
    assert client.get(step.request.url).status_code == 302


def test_import_upload_refuses_bad_files_and_viewers(runner: Any, client: Any) -> None:
    org = _seed(runner)
    login(client, _user(org, "editor"))
    response = _upload(client, b"\x89PNG\r\n\x1a\n\x00\x00", "bilde.xlsx")
    assert response.status_code == 422
    assert "kan ikke leses som en Excel-fil" in response.get_data(as_text=True)
    assert client.post("/import/regneark", data={"year": "2026"}).status_code == 422
    client.post("/logout")
    login(client, _user(org, "viewer"))
    assert client.get("/import/regneark").status_code == 403
    assert client.get("/eksport/sikkerhetskopi").status_code == 403


def test_upload_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    app = make_app(tmp_path, MAX_CONTENT_LENGTH=1024)
    try:
        with app.app_context():
            org = Organisation(name="Testvik kommune")
            db.session.add(org)
            db.session.commit()
            _user(org, "editor")
        client = app.test_client()
        client.post("/login", data={"email": "editor@testvik.kommune.no", "password": PASSWORD})
        response = _upload(client, b"x" * 4096, "stor.csv")
        assert response.status_code == 413
        assert "For stor fil" in response.get_data(as_text=True)
    finally:
        with app.app_context():
            db.session.remove()
            db.drop_all()
            dispose_engines()


# --------------------------------------------------------------------------- JSON backup


def test_backup_download_and_restore(runner: Any, client: Any) -> None:
    org = _seed(runner)
    login(client, _user(org, "admin"))
    assert client.get("/eksport/sikkerhetskopi?year=2026").status_code == 200
    response = client.get("/eksport/sikkerhetskopi/fil?year=2026")
    assert response.status_code == 200 and response.mimetype == "application/json"
    document = json.loads(response.data)
    assert document["organisation"]["name"] == "Testvik kommune"
    count = db.session.execute(select(func.count(Post.id))).scalar_one()

    document["posts"][0]["status"] = "ferdig"
    bad = client.post(
        "/import/sikkerhetskopi",
        data={"file": (io.BytesIO(json.dumps(document).encode()), "kopi.json")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422
    assert "Ukjent status «ferdig»" in bad.get_data(as_text=True)
    document["posts"][0]["status"] = "godkjent"
    good = client.post(
        "/import/sikkerhetskopi",
        data={"file": (io.BytesIO(json.dumps(document).encode()), "kopi.json")},
        content_type="multipart/form-data",
    )
    assert good.status_code == 302
    db.session.expire_all()
    assert db.session.execute(select(func.count(Post.id))).scalar_one() == count
    uid = document["posts"][0]["uid"]
    assert db.session.execute(select(Post.status).where(Post.uid == uid)).scalar_one() == "godkjent"
    garbage = client.post(
        "/import/sikkerhetskopi",
        data={"file": (io.BytesIO(b"\xff\xfe"), "kopi.json")},
        content_type="multipart/form-data",
    )
    assert garbage.status_code == 422


def _later_areas(org: Organisation) -> None:
    """Rows of the areas added after the foundation: a feed with a filter, an external
    calendar, a dismissed peak proposal (each only when that model is installed)."""
    from planner.models import Channel

    facebook = db.session.execute(select(Channel).where(Channel.name == "Facebook")).scalar_one()
    kari = db.session.execute(select(StaffMember).where(StaffMember.name == "Kari")).scalar_one()
    try:
        from planner.models.feeds import ExternalCalendar, ExternalEvent, Feed
    except ImportError:  # pragma: no cover
        pass
    else:
        db.session.add(
            Feed(
                organisation_id=org.id,
                name="Facebook-innlegg",
                filter={"channels": [facebook.id], "statuses": ["godkjent"]},
                reminder_days=2,
            )
        )
        db.session.add(
            Feed(organisation_id=org.id, name="Karis vakter", kind="duty", staff_member=kari)
        )
        calendar = ExternalCalendar(organisation_id=org.id, name="Kommunestyret", kind="møter")
        calendar.events.append(
            ExternalEvent(
                organisation_id=org.id,
                uid="ks-1@kommune",
                summary="Kommunestyremøte",
                start=datetime(2026, 3, 12, 18),
                end=datetime(2026, 3, 12, 22),
                all_day=False,
            )
        )
        db.session.add(calendar)
    try:
        from planner.models.staffing import PeakProposalDismissal
    except ImportError:  # pragma: no cover
        pass
    else:
        db.session.add(
            PeakProposalDismissal(organisation_id=org.id, key="tett:2026-W14", label="Uke 14")
        )
    db.session.commit()


def test_json_backup_round_trip_is_complete(runner: Any, tmp_path: Path) -> None:
    org = _seed(runner)
    _later_areas(org)
    first = tmp_path / "first.json"
    assert runner.invoke(args=["export", "--year", "2026", "-o", str(first)]).exit_code == 0
    a = json.loads(first.read_text(encoding="utf-8"))
    assert a["holiday_periods"] and a["staff"][0]["absences"] == [
        {"start": "2026-07-06", "end": "2026-07-24", "reason": "Ferie"}
    ]
    db.session.remove()
    db.drop_all()
    db.create_all()
    result = runner.invoke(args=["import", str(first)])
    assert result.exit_code == 0, result.output
    second = tmp_path / "second.json"
    assert runner.invoke(args=["export", "--year", "2026", "-o", str(second)]).exit_code == 0
    b = json.loads(second.read_text(encoding="utf-8"))
    a.pop("exported_at"), b.pop("exported_at")
    assert a == b
    # Importing again into the same municipality duplicates nothing.
    assert runner.invoke(args=["import", str(first)]).exit_code == 0
    third = tmp_path / "third.json"
    assert runner.invoke(args=["export", "--year", "2026", "-o", str(third)]).exit_code == 0
    c = json.loads(third.read_text(encoding="utf-8"))
    c.pop("exported_at")
    assert c == a
    if "feeds" in a:
        from planner.models import Channel
        from planner.models.feeds import Feed

        assert [f["filter"]["channels"] for f in a["feeds"]] == [["Facebook"], []]
        feed = db.session.execute(select(Feed).where(Feed.name == "Facebook-innlegg")).scalar_one()
        facebook = db.session.execute(
            select(Channel).where(Channel.name == "Facebook")
        ).scalar_one()
        assert feed.filter["channels"] == [facebook.id] and feed.reminder_days == 2
        assert a["external_calendars"][0]["events"][0]["start"] == "2026-03-12T18:00:00+01:00"


def test_csrf_is_required_for_the_import_forms(tmp_path: Path) -> None:
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    try:
        with app.app_context():
            org = Organisation(name="Testvik kommune")
            db.session.add(org)
            db.session.commit()
            _user(org, "admin")
        client = app.test_client()
        html = client.get("/login").get_data(as_text=True)
        client.post(
            "/login",
            data={
                "email": "admin@testvik.kommune.no",
                "password": PASSWORD,
                "csrf_token": csrf_token_from(html),
            },
        )
        response = _upload(client, b"Tittel;Dato\nA;01.03.2026\n", "a.csv")
        assert response.status_code == 400
    finally:
        with app.app_context():
            db.session.remove()
            db.drop_all()
            dispose_engines()
