"""Export and import in a real browser: downloads, print pages, the spreadsheet import with
its preview, and the backup page – each checked with axe-core."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from docx import Document

from tests.browser.conftest import assert_accessible
from tests.browser.test_foundation_pages import _setup_by_keyboard

SHEET = (
    "Årshjul 2026 for Testvik\n"
    "\n"
    "Dato;Aktivitet;Kanal(er);Målgruppe(r);Ansvarlig\n"
    "03.03.2026;Påminnelse om eiendomsskatt;Facebook og Infoskjerm;Alle innbyggere;Ola\n"
    "31.02.2026;Umulig dato;Facebook;;Kari\n"
)


def test_export_page_downloads_and_print_pages(page: Any) -> None:
    _setup_by_keyboard(page)
    page.get_by_role("link", name="Eksport", exact=True).click()
    assert page.locator("h1").inner_text() == "Eksport"
    assert_accessible(page)

    page.get_by_label("Virksomhetsområde").select_option(label="Oppvekst")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Word-dokument (.docx)").click()
    download = download_info.value
    assert re.fullmatch(r"arshjul-2026-testvik-kommune\.docx", download.suggested_filename)
    document = Document(io.BytesIO(Path(download.path()).read_bytes()))
    assert document.core_properties.title.startswith("Årshjul for kommunikasjon 2026")
    assert "Utvalg: Virksomhetsområde: Oppvekst" in [p.text for p in document.paragraphs]

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Excel (.xlsx)").click()
    assert download_info.value.suggested_filename.endswith(".xlsx")

    page.get_by_role("button", name="Utskriftsside: planen (A4)").click()
    page.wait_for_url(re.compile(r"/eksport/utskrift/plan\?"))
    assert "Utvalg: Virksomhetsområde: Oppvekst" in page.locator(".print-title").inner_text()
    assert page.get_by_role("button", name="Skriv ut").is_visible()  # shown by exports.js
    assert_accessible(page)
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".print-toolbar").is_visible()
    assert page.locator(".print-plan h1").is_visible()
    page.emulate_media(media="screen")

    page.get_by_role("link", name="← Tilbake til eksport").click()
    page.get_by_role("button", name="Utskriftsside: plakat (A3)").click()
    page.wait_for_url(re.compile(r"/eksport/utskrift/plakat\?"))
    assert page.locator(".poster-wheel svg").count() == 1
    assert_accessible(page)


def test_spreadsheet_import_with_preview(page: Any) -> None:
    _setup_by_keyboard(page)
    page.goto("/eksport/")
    page.get_by_role("link", name="Importer et regneark").click()
    assert page.locator("h1").inner_text() == "Importer et regneark"
    assert_accessible(page)

    # Without a file: the form says so, in Norwegian.
    page.get_by_role("button", name="Last opp og velg kolonner").click()
    assert "Velg en fil å importere." in page.locator(".error-summary").inner_text()
    assert_accessible(page)

    page.get_by_label("Regneark (.xlsx eller .csv)").set_input_files(
        {"name": "arshjul.csv", "mimeType": "text/csv", "buffer": SHEET.encode("utf-8")}
    )
    page.get_by_role("button", name="Last opp og velg kolonner").click()
    page.wait_for_url(re.compile(r"/import/regneark/[\w-]+"))
    assert page.locator("#overskriftsrad").input_value() == "3"
    assert page.locator("#kolonne-0").input_value() == "start_date"
    assert page.locator("#kolonne-1").input_value() == "title"
    problems = page.locator(".preview-table").inner_text()
    assert "Rad 5, kolonne A (Dato): «31.02.2026» er ikke en gyldig dato." in problems
    assert page.get_by_label("Hva skal skje med kanalen «Infoskjerm»").input_value() == "new"
    assert_accessible(page)

    page.get_by_label("Kanaltype for «Infoskjerm»").select_option("plakat")
    page.get_by_role("button", name="Oppdater forhåndsvisningen").click()
    page.get_by_role("button", name="Importer bare den 1 gyldige raden").click()
    page.wait_for_url(re.compile(r"/plan/2026"))
    message = page.locator("#messages").inner_text()
    assert "Importerte 1 nye" in message and "Nye kanaler: Infoskjerm." in message
    assert "Hoppet over 1 rader med feil (rad 5)" in message
    assert page.get_by_text("Påminnelse om eiendomsskatt").count() >= 1


def test_backup_page(page: Any) -> None:
    _setup_by_keyboard(page)
    page.goto("/eksport/")
    page.get_by_role("link", name="Sikkerhetskopi og gjenoppretting").click()
    assert page.locator("h1").inner_text() == "Sikkerhetskopi"
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Last ned sikkerhetskopi (JSON)").click()
    backup = Path(download_info.value.path()).read_bytes()
    assert b'"format_version"' in backup

    page.goto("/import/sikkerhetskopi")
    page.get_by_label("Sikkerhetskopi (.json)").set_input_files(
        {"name": "kopi.json", "mimeType": "application/json", "buffer": b'{"format_version": 9}'}
    )
    page.get_by_role("button", name="Gjenopprett").click()
    assert "Ukjent formatversjon" in page.locator(".error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("Sikkerhetskopi (.json)").set_input_files(
        {"name": "kopi.json", "mimeType": "application/json", "buffer": backup}
    )
    page.get_by_role("button", name="Gjenopprett").click()
    assert "Sikkerhetskopien er gjenopprettet" in page.locator("#messages").inner_text()
