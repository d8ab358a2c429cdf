"""The JSON export (CONTRACTS.md) and its all-or-nothing import."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from planner.extensions import db
from planner.models import Absence, DutyAssignment, Post, PostException, StaffMember

REQUIRED_TOP = {
    "format_version",
    "organisation",
    "audiences",
    "channels",
    "posts",
    "peak_periods",
    "duty",
}
REQUIRED_POST = {
    "title",
    "start",
    "end",
    "all_day",
    "status",
    "kind",
    "channels",
    "audiences",
    "service_area",
    "rrule",
    "archive_worthy",
    "uid",
}


def _seeded_with_extras(runner: Any) -> None:
    assert (
        runner.invoke(
            args=["seed", "--year", "2026", "--municipality", "Testvik kommune"]
        ).exit_code
        == 0
    )
    post = db.session.execute(select(Post).where(Post.rrule.is_not(None))).scalars().first()
    assert post is not None, "the seed has a recurring post"
    post.exceptions.append(
        PostException(
            organisation_id=post.organisation_id, recurrence_id=post.start, cancelled=True
        )
    )
    timed = db.session.execute(select(Post).where(Post.all_day.is_(False))).scalars().first()
    assert timed is not None, "the seed has a timed post"
    kari = StaffMember(organisation_id=post.organisation_id, name="Kari", email="kari@testvik.no")
    kari.absences.append(
        Absence(
            organisation_id=post.organisation_id,
            start=date(2026, 7, 6),
            end=date(2026, 7, 24),
            reason="Ferie",
        )
    )
    db.session.add(kari)
    db.session.add(
        DutyAssignment(
            organisation_id=post.organisation_id,
            staff_member=kari,
            week_start=date(2026, 2, 23),
            role="main",
        )
    )
    db.session.commit()


def _export(runner: Any, path: Path) -> dict[str, Any]:
    result = runner.invoke(args=["export", "--format", "json", "--year", "2026", "-o", str(path)])
    assert result.exit_code == 0, result.output
    return json.loads(path.read_text(encoding="utf-8"))


def test_export_has_the_contract_fields(runner: Any, tmp_path: Path) -> None:
    _seeded_with_extras(runner)
    doc = _export(runner, tmp_path / "plan.json")
    assert REQUIRED_TOP <= doc.keys()
    assert doc["organisation"]["name"] == "Testvik kommune"
    for post in doc["posts"]:
        assert REQUIRED_POST <= post.keys()
        assert post["kind"] in ("proaktiv", "fortløpende", "reaktiv")
    deadline = next(p for p in doc["posts"] if p["seed_key"] == "barnehage-soknadsfrist")
    assert deadline["start"] == "2026-03-01" and deadline["all_day"] is True
    timed = next(p for p in doc["posts"] if not p["all_day"])
    assert datetime.fromisoformat(timed["start"]).utcoffset() is not None
    assert {"name", "start", "end", "required_staff", "reason"} <= doc["peak_periods"][0].keys()
    assert doc["duty"] == [{"person": "Kari", "week": "2026-W09", "day": None, "role": "main"}]
    assert "Søknadsfrist" in (tmp_path / "plan.json").read_text(
        encoding="utf-8"
    )  # UTF-8, not \\u escapes


def test_round_trip_into_empty_database(runner: Any, tmp_path: Path) -> None:
    _seeded_with_extras(runner)
    first = _export(runner, tmp_path / "first.json")
    # an empty database: every table dropped and created again
    db.session.remove()
    db.drop_all()
    db.create_all()
    result = runner.invoke(args=["import", str(tmp_path / "first.json")])
    assert result.exit_code == 0, result.output
    second = _export(runner, tmp_path / "second.json")
    # importing again changes nothing and duplicates nothing
    assert runner.invoke(args=["import", str(tmp_path / "first.json")]).exit_code == 0
    third = _export(runner, tmp_path / "third.json")
    n_posts = db.session.execute(select(func.count(Post.id))).scalar_one()
    for doc in (first, second, third):
        doc.pop("exported_at")
    assert second == first
    assert third == first
    assert n_posts == len(first["posts"])


def _count_posts() -> int:
    return db.session.execute(select(func.count(Post.id))).scalar_one()


def test_import_is_all_or_nothing_with_norwegian_problems(runner: Any, tmp_path: Path) -> None:
    _seeded_with_extras(runner)
    doc = _export(runner, tmp_path / "plan.json")
    before = _count_posts()
    doc["posts"][0]["uid"] = "ny-1@test"
    doc["posts"][1]["uid"] = "ny-2@test"
    doc["posts"][1]["end"] = "2025-01-01"  # before start
    doc["posts"][2]["uid"] = "ny-3@test"
    doc["posts"][2]["status"] = "ferdig"
    doc["posts"][3]["uid"] = "ny-4@test"
    doc["posts"][3]["channels"] = ["Telegraf"]
    doc["posts"][4]["uid"] = "ny-5@test"
    doc["posts"][4]["rrule"] = "FREQ=HOURLY"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(args=["import", str(bad)])
    assert result.exit_code == 1
    out = result.output
    assert "ingenting er lagret" in out
    assert "Slutt kan ikke være før start." in out
    assert "Ukjent status «ferdig»" in out
    assert "ukjent kanal «Telegraf»" in out
    assert "Innlegg 5" in out
    db.session.expire_all()
    assert _count_posts() == before
    assert db.session.execute(select(Post.id).where(Post.uid == "ny-1@test")).first() is None


def test_import_names_bad_numbers_and_dates_where_they_stand(runner: Any, tmp_path: Path) -> None:
    """The import's shared checks: whole numbers (svartid, bemanningsbehov, prioritet),
    start and end dates (toppbelastninger, ferier), each problem with its row and name."""
    _seeded_with_extras(runner)
    doc = _export(runner, tmp_path / "plan.json")
    before = _count_posts()
    doc["channels"][0]["response_hours"] = -1
    doc["audiences"][0]["priority"] = 0
    doc["peak_periods"][0]["required_staff"] = 0
    doc["peak_periods"].append({**doc["peak_periods"][0], "name": "Ny", "start": "ikke dato"})
    doc["holiday_periods"] = [{"name": "Vinterferie", "start": "2026-02-23", "end": "snart"}]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(args=["import", str(bad)])
    assert result.exit_code == 1
    out = result.output
    assert "Kanal 1: svartid må være et helt antall timer (0 eller mer)." in out
    assert "Målgruppe 1: prioritet må være et helt tall fra 1 og oppover." in out
    peak = doc["peak_periods"][0]["name"][:60]
    assert f"Toppbelastning 1 («{peak}»): bemanningsbehov må være et helt tall" in out
    n = len(doc["peak_periods"])
    assert f"Toppbelastning {n} («Ny»): " in out
    assert "Ferie 1 («Vinterferie»): " in out
    db.session.expire_all()
    assert _count_posts() == before


def test_import_rejects_files_that_are_not_exports(runner: Any, tmp_path: Path) -> None:
    garbage = tmp_path / "x.json"
    garbage.write_bytes(b"\xff\xfe not json")
    result = runner.invoke(args=["import", str(garbage)])
    assert result.exit_code != 0 and "ikke en gyldig JSON-eksport" in result.output
    garbage.write_text('{"format_version": 99}', encoding="utf-8")
    result = runner.invoke(args=["import", str(garbage)])
    assert result.exit_code != 0 and "Ukjent formatversjon" in result.output
    garbage.write_text("[1, 2]", encoding="utf-8")
    assert runner.invoke(args=["import", str(garbage)]).exit_code != 0
    assert _count_posts() == 0
