"""Spreadsheet import (XLSX/CSV): round trips, matching without duplicates, unknown names,
all or nothing, and hostile files refused with Norwegian messages."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from planner.domain.imports.errors import ImportRefused
from planner.extensions import db
from planner.formats import csv_format, xlsx
from planner.models import Audience, Channel, Organisation, Post, Wheel
from planner.models.history import HistoryEntry
from planner.services.imports import spreadsheet_import as importer
from planner.services.imports.spreadsheet_import import ImportChoices, apply_import, build_preview


def _seed(runner: Any) -> Organisation:
    result = runner.invoke(args=["seed", "--year", "2026", "--municipality", "Testvik kommune"])
    assert result.exit_code == 0, result.output
    return db.session.execute(select(Organisation)).scalar_one()


def _snapshot() -> dict[str, tuple[Any, ...]]:
    """Every post of 2026 by UID with the fields a spreadsheet carries."""
    posts = db.session.execute(select(Post).where(Post.deleted_at.is_(None))).scalars()
    return {
        p.uid: (
            p.title,
            p.start,
            p.end,
            p.all_day,
            p.status,
            p.kind,
            p.rrule,
            p.service_area.name if p.service_area else None,
            tuple(c.name for c in p.channels),
            tuple(a.name for a in p.audiences),
            p.responsible,
            p.link,
            p.archive_worthy,
            p.description,
            p.notes,
            p.wheel.name,
        )
        for p in posts
    }


def _count(model: Any = Post) -> int:
    return db.session.execute(select(func.count(model.id))).scalar_one()


def _xlsx(rows: list[list[Any]], title: str = "Ark1") -> bytes:
    workbook = Workbook()
    ws = workbook.active
    ws.title = title
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _import(org: Organisation, raw: bytes, filename: str, **choices: Any) -> Any:
    sheets = importer.read_upload(raw, filename)
    return apply_import(org.id, sheets, ImportChoices(year=2026, **choices), filename)


def test_xlsx_round_trip_gives_the_same_posts(runner: Any) -> None:
    org = _seed(runner)
    # A post with formula-looking text and a timed one keep their values.
    post = db.session.execute(select(Post).order_by(Post.id)).scalars().first()
    assert post is not None
    post.title = "=1+1 er ikke en formel"
    post.responsible = "Kari Nordmann"
    post.link = "https://testvik.kommune.no/barnehage"
    post.archive_worthy = True
    db.session.commit()
    before = _snapshot()
    raw = xlsx.export(org, 2026)

    # Re-importing the same sheet changes and duplicates nothing.
    result, preview = _import(org, raw, "plan.xlsx")
    assert (result.created, result.updated, result.unchanged) == (0, 0, len(before))
    assert preview.errors == []

    # Into an empty database: everything comes back, channels with their types.
    types = {c.name: c.type for c in db.session.execute(select(Channel)).scalars()}
    db.session.remove()
    db.drop_all()
    db.create_all()
    org = Organisation(name="Testvik kommune")
    db.session.add(org)
    db.session.commit()
    result, preview = _import(org, raw, "plan.xlsx")
    assert result.created == len(before) and result.updated == 0
    assert _snapshot() == before
    assert {c.name: c.type for c in db.session.execute(select(Channel)).scalars()} == {
        name: kind for name, kind in types.items() if name in result.new_channels
    }
    assert "Brev og SMS-varsel" in result.new_channels  # not split at its «og»
    result, _ = _import(org, raw, "plan.xlsx")
    assert (result.created, result.updated) == (0, 0)
    assert _count() == len(before)


def test_csv_round_trip_and_updates(runner: Any) -> None:
    org = _seed(runner)
    before = _snapshot()
    raw = csv_format.export(org, 2026)
    assert raw.startswith("\ufeff".encode())
    result, _ = _import(org, raw, "plan.csv")
    assert (result.created, result.updated) == (0, 0)
    # An edited sheet updates the matched post (by UID) instead of copying it.
    text = raw.decode("utf-8-sig").replace(";planlagt;", ";godkjent;", 1)
    result, preview = _import(org, text.encode("utf-8-sig"), "plan.csv")
    assert (result.created, result.updated) == (0, 1)
    changed = next(p for r in preview.rows for p in r.posts if p.action == "endres")
    assert changed.changes == ["Status"]
    assert _count() == len(before)


def test_sheet_without_uid_matches_on_title_and_start(org: Organisation, make_channel: Any) -> None:
    make_channel("Facebook")
    raw = _xlsx(
        [
            ["Årshjul for Testvik 2026"],
            [],
            ["Dato", "Aktivitet", "Kanal(er)", "Målgruppe(r)", "Ansvarlig"],
            [datetime(2026, 3, 1), "Søknadsfrist barnehage", "facebook", "Foreldre", "Kari"],
            ["uke 9", "", "", "", ""],
            ["15.04.2026", "Bålforbud", "Facebook og nettside", "", "Ola"],
        ]
    )
    sheets = importer.read_upload(raw, "årshjul.xlsx")
    preview = build_preview(org.id, sheets, ImportChoices(year=2026), "årshjul.xlsx")
    assert preview.header_row == 2
    assert [u.name for u in preview.unknown_channels] == ["nettside"]
    assert [u.name for u in preview.unknown_audiences] == ["Foreldre"]
    assert preview.unknown_channels[0].action == "new"
    assert preview.unknown_channels[0].channel_type == "nettside"
    assert [p.text() for r in preview.rows for p in r.problems] == [
        "Rad 5, kolonne B (Aktivitet): Innlegget må ha en tittel."
    ]
    with pytest.raises(ImportRefused) as refused:
        apply_import(org.id, sheets, ImportChoices(year=2026), "årshjul.xlsx")
    assert refused.value.problems == ["Rad 5, kolonne B (Aktivitet): Innlegget må ha en tittel."]
    assert _count() == 0

    result, _ = apply_import(
        org.id, sheets, ImportChoices(year=2026, only_valid=True), "årshjul.xlsx"
    )
    assert (result.created, result.skipped_rows) == (2, [5])
    assert result.new_channels == ["nettside"] and result.new_audiences == ["Foreldre"]
    fire = db.session.execute(select(Post).where(Post.title == "Bålforbud")).scalar_one()
    assert [c.name for c in fire.channels] == ["Facebook", "nettside"]
    assert fire.start == datetime(2026, 4, 15) and fire.responsible == "Ola"
    assert fire.wheel.name == "Årshjul 2026"

    # The same sheet again: matched on (title, start), nothing new.
    result, _ = apply_import(
        org.id, sheets, ImportChoices(year=2026, only_valid=True), "årshjul.xlsx"
    )
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert _count() == 2 and _count(Channel) == 2 and _count(Audience) == 1


def test_unknown_names_can_be_mapped_or_refused(org: Organisation, make_channel: Any) -> None:
    facebook = make_channel("Facebook")
    raw = _xlsx([["Tittel", "Dato", "Kanal"], ["Frist", "01.03.2026", "Facebok; Telegraf"]])
    sheets = importer.read_upload(raw, "a.xlsx")
    preview = build_preview(org.id, sheets, ImportChoices(year=2026))
    close, other = preview.unknown_channels
    assert close.name == "Facebok" and close.action == str(facebook.id)  # a close match
    assert other.name == "Telegraf" and other.action == "new"
    choices = ImportChoices(year=2026, channel_actions={"telegraf": "skip"})
    with pytest.raises(ImportRefused) as refused:
        apply_import(org.id, sheets, choices)
    assert refused.value.problems == [
        "Rad 2, kolonne C (Kanal): Ukjent kanal «Telegraf» (velg å opprette den, eller rett navnet)."
    ]
    choices = ImportChoices(
        year=2026,
        channel_actions={"telegraf": "new"},
        channel_types={"telegraf": "brev_sms"},
    )
    result, _ = apply_import(org.id, sheets, choices)
    post = db.session.execute(select(Post)).scalar_one()
    assert sorted(c.name for c in post.channels) == ["Facebook", "Telegraf"]
    telegraf = db.session.execute(select(Channel).where(Channel.name == "Telegraf")).scalar_one()
    assert telegraf.type == "brev_sms" and telegraf.organisation_id == org.id


def test_month_grid_sheet(org: Organisation) -> None:
    raw = _xlsx(
        [
            ["Tiltak", "Jan", "Feb", "Mar", "Apr"],
            ["Budsjett", "x", None, None, None],
            ["Eiendomsskatt", None, None, 1, "x"],
        ]
    )
    result, _ = _import(org, raw, "grid.xlsx")
    assert result.created == 3
    spans = sorted(
        (p.title, p.start.date(), p.end.date()) for p in db.session.execute(select(Post)).scalars()
    )
    assert spans == [
        ("Budsjett", date(2026, 1, 1), date(2026, 1, 31)),
        ("Eiendomsskatt", date(2026, 3, 1), date(2026, 3, 1)),
        ("Eiendomsskatt", date(2026, 4, 1), date(2026, 4, 30)),
    ]


def test_uid_of_another_municipality_or_in_the_bin(
    org: Organisation, make_org: Any, make_post: Any
) -> None:
    other = make_org("Nabokommune")
    theirs = make_post(organisation=other, title="Deres")
    binned = make_post(title="I papirkurven", deleted_at=datetime(2026, 1, 2))
    raw = _xlsx(
        [
            ["UID", "Tittel", "Dato"],
            [theirs.uid, "Deres", "01.03.2026"],
            [binned.uid, "I papirkurven", "01.03.2026"],
        ]
    )
    preview = build_preview(org.id, importer.read_upload(raw, "x.xlsx"), ImportChoices(year=2026))
    assert [p.text() for r in preview.rows for p in r.problems] == [
        f"Rad 2, kolonne A (UID): «{theirs.uid}»: UID-en er allerede i bruk og kan ikke brukes her.",
        f"Rad 3, kolonne A (UID): «{binned.uid}»: Innlegget med denne UID-en ligger i "
        "papirkurven. Gjenopprett det først.",
    ]


def test_formulas_in_xlsx_are_refused_per_cell(org: Organisation) -> None:
    raw = _xlsx([["Tittel", "Dato"], ["Frist", "=DATE(2026,3,1)"], ["Ok", "02.03.2026"]])
    sheets = importer.read_upload(raw, "f.xlsx")
    preview = build_preview(org.id, sheets, ImportChoices(year=2026))
    assert preview.errors == [
        "Rad 2, kolonne B (Dato): Cellen inneholder en formel («=DATE(2026,3,1)»). "
        "Erstatt formelen med verdien (lim inn som verdier) og prøv igjen."
    ]
    assert len(preview.valid_rows) == 1


def test_csv_formulas_are_text_with_a_warning(org: Organisation) -> None:
    raw = 'Tittel;Dato\n=HYPERLINK("http://x");01.03.2026\n\'=1+1;02.03.2026\n'.encode("cp1252")
    sheets = importer.read_upload(raw, "plan.csv")
    preview = build_preview(org.id, sheets, ImportChoices(year=2026))
    assert preview.warnings == [
        'Rad 2, kolonne A (Tittel): «=HYPERLINK("http://x")» ser ut som en formel og leses som '
        "vanlig tekst."
    ]
    result, _ = apply_import(org.id, sheets, ImportChoices(year=2026))
    titles = sorted(db.session.execute(select(Post.title)).scalars())
    assert titles == ["=1+1", '=HYPERLINK("http://x")'] and result.created == 2


@pytest.mark.parametrize(
    ("raw", "filename", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "bilde.xlsx", "kan ikke leses som en Excel-fil"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "gammel.xls", "gamle Excel-formatet"),
        (b"%PDF-1.7 ...", "plan.pdf", "filtype som ikke kan importeres"),
        (b"", "tom.csv", "er tom"),
        (b"\x00\x01\x02\x03binary\xff\xfe\x00", "data.csv", "ikke en CSV-fil"),
    ],
)
def test_wrong_file_types_are_refused_in_norwegian(raw: bytes, filename: str, message: str) -> None:
    with pytest.raises(ImportRefused) as refused:
        importer.read_upload(raw, filename)
    assert message in refused.value.problems[0]


def test_broken_zip_and_other_zips_are_refused() -> None:
    raw = _xlsx([["Tittel", "Dato"], ["Frist", "01.03.2026"]])
    with pytest.raises(ImportRefused) as refused:
        importer.read_upload(raw[: len(raw) // 2], "halv.xlsx")
    assert "skadet" in refused.value.problems[0]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(ImportRefused) as refused:
        importer.read_upload(buffer.getvalue(), "egentlig-word.xlsx")
    assert "ikke en Excel-arbeidsbok" in refused.value.problems[0]


def test_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as member:
            chunk = b"\x00" * (8 * 1024 * 1024)
            for _ in range(40):  # 320 MB unpacked, well under 1 MB packed
                member.write(chunk)
    assert len(buffer.getvalue()) < 2 * 1024 * 1024
    with pytest.raises(ImportRefused) as refused:
        importer.read_upload(buffer.getvalue(), "bombe.xlsx")
    assert "pakker seg ut til mer enn 300 MB" in refused.value.problems[0]


def test_too_many_rows_are_refused(tmp_path: Path) -> None:
    lines = ["Tittel;Dato"] + [f"Innlegg {i};01.03.2026" for i in range(100_000)]
    with pytest.raises(ImportRefused) as refused:
        importer.read_upload("\n".join(lines).encode("utf-8"), "stor.csv")
    assert refused.value.problems == [
        "«stor.csv» har mer enn 20 000 rader. Del filen opp og importer én del om gangen."
    ]
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet("Plan")
    ws.append(["Tittel", "Dato"])
    for i in range(20_001):
        ws.append([f"Innlegg {i}", "01.03.2026"])
    path = tmp_path / "stor.xlsx"
    workbook.save(path)
    with pytest.raises(ImportRefused) as refused:
        importer.read_upload(path.read_bytes(), "stor.xlsx")
    assert "har mer enn 20 000 rader" in refused.value.problems[0]


def test_cli_import_of_a_spreadsheet(runner: Any, tmp_path: Path) -> None:
    org = _seed(runner)
    path = tmp_path / "plan-2026.xlsx"
    path.write_bytes(xlsx.export(org, 2026))
    count = _count()
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    assert "Importerte 0 nye og oppdaterte 0 innlegg" in result.output
    bad = tmp_path / "feil-2026.csv"
    bad.write_text("Tittel;Dato\nFrist;31.02.2026\nOk;01.03.2026\n", encoding="utf-8")
    result = runner.invoke(args=["import", str(bad)])
    assert result.exit_code == 1
    assert "Rad 2, kolonne B (Dato): «31.02.2026» er ikke en gyldig dato." in result.output
    assert _count() == count


def test_uploads_are_kept_per_organisation(app: Any, org: Organisation, make_org: Any) -> None:
    token = importer.stash_upload(app.instance_path, org.id, b"abc", "plan.csv")
    assert importer.load_upload(app.instance_path, org.id, token) == (b"abc", "plan.csv")
    other = make_org("Nabokommune")
    assert importer.load_upload(app.instance_path, other.id, token) is None
    assert importer.load_upload(app.instance_path, org.id, "../../etc/passwd") is None
    importer.discard_upload(app.instance_path, org.id, token)
    assert importer.load_upload(app.instance_path, org.id, token) is None


def test_wheel_choice_and_named_wheels(org: Organisation) -> None:
    extra = Wheel(organisation_id=org.id, year=2026, name="Kulturhjulet")
    db.session.add(extra)
    db.session.commit()
    raw = _xlsx(
        [["Tittel", "Dato", "Årshjul"], ["A", "01.03.2026", ""], ["B", "02.03.2026", "Nytt"]]
    )
    result, preview = _import(org, raw, "w.xlsx", wheel_id=extra.id)
    assert preview.new_wheels == ["Nytt"]
    wheels = dict(db.session.execute(select(Post.title, Wheel.name).join(Wheel)).all())
    assert wheels == {"A": "Kulturhjulet", "B": "Nytt"}
    assert load_workbook  # openpyxl reads what it wrote (used above through the importer)


def test_new_channels_and_audiences_go_through_the_catalog_writer(org: Organisation) -> None:
    workbook = Workbook()
    plan = workbook.active
    plan.title = "Plan"
    plan.append(["Tittel", "Dato", "Kanal", "Målgruppe"])
    plan.append(["Frist", "01.03.2026", "Plakat", "Ungdom"])
    channels = workbook.create_sheet("Kanaler")
    channels.append(["Kanal", "Kanaltype", "Svartid (timer)", "Profiltekst", "Farge"])
    channels.append(["Plakat", "plakat", "0", "", "#FFFF00"])  # too pale to read on white
    audiences = workbook.create_sheet("Målgrupper")
    audiences.append(["Målgruppe", "Virksomhetsområde", "Prioritet", "Beskrivelse"])
    audiences.append(["Ungdom", "Kultur", "2", "13–19 år"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result, _ = _import(org, buffer.getvalue(), "plan.xlsx")
    assert (result.created, result.new_channels, result.new_audiences) == (
        1,
        ["Plakat"],
        ["Ungdom"],
    )
    channel = db.session.execute(select(Channel)).scalar_one()
    assert (channel.type, channel.colour) == ("plakat", "#1b4f9c")  # the default colour
    audience = db.session.execute(select(Audience)).scalar_one()
    assert (audience.priority, audience.description) == (2, "13–19 år")
    assert audience.service_area is not None and audience.service_area.name == "Kultur"
    post = db.session.execute(select(Post)).scalar_one()
    assert (post.status, post.kind) == ("planlagt", "proaktiv")
    assert [c.name for c in post.channels] == ["Plakat"]
    assert [a.name for a in post.audiences] == ["Ungdom"]
    history = db.session.execute(select(HistoryEntry.entity, HistoryEntry.action)).all()
    assert sorted(history) == sorted(
        [
            ("wheel", "create"),
            ("service_area", "create"),
            ("channel", "create"),
            ("audience", "create"),
            ("post", "create"),
        ]
    )


def test_a_row_changes_only_the_columns_the_sheet_has(
    org: Organisation, make_post: Any, make_channel: Any
) -> None:
    facebook = make_channel("Facebook")
    post = make_post(
        title="Frist", responsible="Kari", link="https://testvik.kommune.no", status="godkjent"
    )
    post.channels = [facebook]
    db.session.commit()
    raw = _xlsx([["UID", "Tittel", "Dato", "Ansvarlig"], [post.uid, "Frist", "02.03.2026", ""]])
    result, preview = _import(org, raw, "a.xlsx")
    assert (result.created, result.updated) == (0, 1)
    assert preview.rows[0].posts[0].changes == ["Tidspunkt", "Ansvarlig"]
    db.session.refresh(post)
    assert (post.start, post.responsible) == (datetime(2026, 3, 2), "")
    assert (post.link, post.status) == ("https://testvik.kommune.no", "godkjent")
    assert [c.name for c in post.channels] == ["Facebook"]
