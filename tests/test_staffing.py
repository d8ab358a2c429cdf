"""Staffing in the app: the seeded years' warnings, the service contract, the pages and
``flask flags``."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from planner.domain.staffing import DIALOGUE_CHANNEL_TYPES
from planner.extensions import db
from planner.models import (
    SOCIAL_CHANNEL_TYPES,
    Absence,
    DutyAssignment,
    HolidayPeriod,
    Organisation,
    PeakPeriod,
    StaffMember,
)
from planner.models.staffing import PeakProposalDismissal
from planner.services import staffing
from planner.services.exports.json_export import export_json
from planner.services.posts.seeding import seed_year
from tests.conftest import login


@pytest.fixture
def make_staff(app: Any, org: Organisation) -> Callable[..., StaffMember]:
    """Builder: a team member (Monday–Friday unless told otherwise)."""

    def build(name: str = "Kari", **kw: Any) -> StaffMember:
        return staffing.save_staff(kw.pop("org_id", org.id), None, name, **kw)

    return build


@pytest.fixture
def seeded(org: Organisation) -> Organisation:
    for year in (2026, 2027):
        seed_year(org, year)
    db.session.commit()
    return org


def kinds(found: list[Any], kind: str) -> list[Any]:
    return [w for w in found if w.kind == kind]


def test_dialogue_channels_are_the_social_channel_types() -> None:
    assert set(DIALOGUE_CHANNEL_TYPES) == set(SOCIAL_CHANNEL_TYPES)


# =========================================================================== seeded years


def test_seeded_2026_kindergarten_and_property_tax_warnings(seeded: Organisation) -> None:
    found = staffing.warnings_for_year(seeded.id, 2026)
    assert [w.kind for w in found[:1]] == ["no_rota"]
    deadlines = {w.start: w for w in kinds(found, "deadline_on_closed_day")}
    # 1 March 2026 is a Sunday; the property-tax complaint deadline (+6 weeks) too.
    assert set(deadlines) == {date(2026, 3, 1), date(2026, 4, 12)}
    assert "barnehageplass" in deadlines[date(2026, 3, 1)].message
    assert "søndag 01.03.2026" in deadlines[date(2026, 3, 1)].message
    assert "eiendomsskatt" in deadlines[date(2026, 4, 12)].message.lower()
    holiday = {(w.subject, w.start, w.end) for w in kinds(found, "peak_in_holiday")}
    assert (
        "Innspurt barnehagesøknader / Vinterferie",
        date(2026, 2, 23),
        date(2026, 3, 1),
    ) in holiday
    assert (
        "Eiendomsskatt: utlegging og klagefrist / Vinterferie",
        date(2026, 3, 1),
        date(2026, 3, 1),
    ) in holiday
    assert (
        "Eiendomsskatt: utlegging og klagefrist / Påskeferie",
        date(2026, 3, 28),
        date(2026, 4, 6),
    ) in holiday
    understaffed = kinds(found, "peak_understaffed")
    weeks = {(w.subject, w.iso_week) for w in understaffed}
    assert {("Innspurt barnehagesøknader", 8), ("Innspurt barnehagesøknader", 9)} <= weeks
    assert {("Eiendomsskatt: utlegging og klagefrist", n) for n in range(10, 16)} <= weeks


def test_seeded_2027_warnings_and_the_rota_fixes_the_staffing(
    seeded: Organisation, make_staff: Any
) -> None:
    found = staffing.warnings_for_year(seeded.id, 2027)
    # 1 March 2027 is a Monday: no weekend deadline for the kindergarten, but vinterferie
    # week 9 (1–7 March) collides with both peaks, and Easter with the property tax.
    assert not [w for w in kinds(found, "deadline_on_closed_day") if "barnehage" in w.message]
    holiday = {(w.subject, w.start) for w in kinds(found, "peak_in_holiday")}
    assert ("Innspurt barnehagesøknader / Vinterferie", date(2027, 3, 1)) in holiday
    assert ("Eiendomsskatt: utlegging og klagefrist / Påskeferie", date(2027, 3, 20)) in holiday
    assert ("Valgkamp, forhåndsstemming og valg", 32) in {
        (w.subject, w.iso_week) for w in kinds(found, "peak_understaffed")
    }
    for name in ("Kari", "Ola", "Per", "Lise"):
        make_staff(name)
    staffing.generate_year(seeded.id, 2027)
    after = staffing.warnings_for_year(seeded.id, 2027)
    for kind in (
        "no_rota",
        "no_main",
        "peak_understaffed",
        "duty_while_absent",
        "peak_load_unfair",
    ):
        assert kinds(after, kind) == [], kind
    assert kinds(after, "peak_in_holiday")  # the holiday clash is still worth knowing


def test_seeding_adds_holiday_periods_idempotently(org: Organisation) -> None:
    seed_year(org, 2026)
    db.session.commit()
    rows = {(h.name, h.start): h for h in db.session.execute(select(HolidayPeriod)).scalars()}
    assert rows[("Vinterferie", date(2026, 2, 23))].end == date(2026, 3, 1)
    assert rows[("Påskeferie", date(2026, 3, 28))].end == date(2026, 4, 6)
    assert rows[("Fellesferie", date(2026, 7, 6))].kind == "fellesferie"
    assert rows[("Fellesferie", date(2026, 7, 6))].end == date(2026, 7, 26)
    assert rows[("Høstferie", date(2026, 9, 28))].end == date(2026, 10, 4)
    assert rows[("Juleferie", date(2026, 12, 21))].end == date(2027, 1, 2)
    # Last year's juleferie runs into 2026, so it is there too.
    assert rows[("Juleferie", date(2025, 12, 21))].end == date(2026, 1, 2)
    # The municipality moves vinterferie to week 8: seeding again leaves it alone.
    rows[("Vinterferie", date(2026, 2, 23))].start = date(2026, 2, 16)
    rows[("Vinterferie", date(2026, 2, 23))].end = date(2026, 2, 22)
    db.session.commit()
    result = seed_year(org, 2026)
    db.session.commit()
    assert "holiday_periods" not in result.created
    assert db.session.execute(select(func.count(HolidayPeriod.id))).scalar() == 6
    # 2025's juleferie exists already, so seeding 2025 adds only its other holidays.
    result = seed_year(org, 2025)
    assert result.created["holiday_periods"] == 5


def test_seed_command_reports_holiday_periods(runner: Any) -> None:
    result = runner.invoke(args=["seed", "--year", "2026", "--municipality", "Testvik kommune"])
    assert result.exit_code == 0 and "holiday_periods: 6" in result.output


# =========================================================================== the contract


def test_duty_for_week_and_warnings_for_week(org: Organisation, make_staff: Any) -> None:
    kari, ola, per = make_staff("Kari"), make_staff("Ola"), make_staff("Per")
    monday = date(2026, 2, 23)
    staffing.set_week(
        org.id, monday, kari.id, [ola.id], {date(2026, 2, 25): {"main": per.id, "backup": None}}
    )
    rows = staffing.duty_for_week(org.id, date(2026, 2, 26))  # any day of the week
    assert [(r.staff_member.name, r.role, r.day) for r in rows] == [
        ("Kari", "main", None),
        ("Ola", "backup", None),
        ("Per", "main", date(2026, 2, 25)),
    ]
    assert staffing.duty_for_week(org.id, date(2026, 3, 2)) == []
    assert staffing.warnings_for_week(org.id, monday) == []
    next_week = staffing.warnings_for_week(org.id, date(2026, 3, 4))
    assert [(w.kind, w.iso_week) for w in next_week] == [("no_main", 10)]


def test_set_week_validates(org: Organisation, make_staff: Any, make_org: Any) -> None:
    kari = make_staff("Kari")
    other = make_org("Nabokommune")
    stranger = make_staff("Fremmed", org_id=other.id)
    with pytest.raises(staffing.StaffingError, match="Ukjent person"):
        staffing.set_week(org.id, date(2026, 3, 2), stranger.id, [])
    with pytest.raises(staffing.StaffingError, match="ikke i denne uken"):
        staffing.set_week(
            org.id, date(2026, 3, 2), kari.id, [], {date(2026, 3, 9): {"main": kari.id}}
        )
    # The main responsible is not also a backup.
    staffing.set_week(org.id, date(2026, 3, 2), kari.id, [kari.id])
    assert [r.role for r in staffing.duty_for_week(org.id, date(2026, 3, 2))] == ["main"]


def test_generate_fill_keeps_hand_made_weeks(org: Organisation, make_staff: Any) -> None:
    kari, ola = make_staff("Kari"), make_staff("Ola")
    staffing.set_week(org.id, date(2026, 1, 5), ola.id, [])
    made = staffing.generate_year(org.id, 2026, "fill", backups=1)
    assert made >= 52 * 2
    week2 = staffing.duty_for_week(org.id, date(2026, 1, 5))
    assert [(r.staff_member.name, r.role) for r in week2] == [("Ola", "main")]
    mains = db.session.execute(
        select(func.count()).where(DutyAssignment.role == "main", DutyAssignment.day.is_(None))
    ).scalar()
    assert mains == 53
    staffing.generate_year(org.id, 2026, "replace", from_week=10)
    assert len(staffing.duty_for_week(org.id, date(2026, 1, 5))) == 1  # before week 10: kept
    with pytest.raises(staffing.StaffingError, match="Uke 53 finnes ikke i 2027"):
        staffing.generate_year(org.id, 2027, from_week=53)
    assert kari


def test_generate_needs_a_team(org: Organisation) -> None:
    with pytest.raises(staffing.StaffingError, match="minst én aktiv person"):
        staffing.generate_year(org.id, 2026)


def test_duty_is_in_the_json_export(org: Organisation, make_staff: Any) -> None:
    kari, ola = make_staff("Kari"), make_staff("Ola")
    staffing.set_week(
        org.id, date(2026, 3, 2), kari.id, [ola.id], {date(2026, 3, 7): {"main": ola.id}}
    )
    duty = export_json(org, 2026)["duty"]
    assert {"person": "Kari", "week": "2026-W10", "day": None, "role": "main"} in duty
    assert {"person": "Ola", "week": "2026-W10", "day": "2026-03-07", "role": "main"} in duty


def test_proposals_accept_and_dismiss_are_remembered(seeded: Organisation) -> None:
    proposals = staffing.proposals_for_year(seeded.id, 2026)
    keys = [p.key for p in proposals]
    hearing = next(p for p in proposals if "Høringsfristen" in p.name)
    staffing.dismiss_proposal(seeded.id, 2026, hearing.key, "kari@testvik.no")
    assert hearing.key not in [p.key for p in staffing.proposals_for_year(seeded.id, 2026)]
    row = db.session.execute(select(PeakProposalDismissal)).scalar_one()
    assert row.dismissed_by == "kari@testvik.no" and "Høringsfristen" in row.label
    staffing.undo_dismissal(row)
    assert hearing.key in [p.key for p in staffing.proposals_for_year(seeded.id, 2026)]
    peak = staffing.accept_proposal(seeded.id, 2026, hearing.key)
    assert peak.end == hearing.end and [p.id for p in peak.posts] == list(hearing.post_ids)
    assert hearing.key not in [p.key for p in staffing.proposals_for_year(seeded.id, 2026)]
    with pytest.raises(staffing.StaffingError, match="finnes ikke lenger"):
        staffing.accept_proposal(seeded.id, 2026, hearing.key)
    assert len(keys) >= 1


def test_load_model_lives_in_the_organisation_settings(org: Organisation) -> None:
    org.settings = {"other": 1}
    db.session.commit()
    model = staffing.save_load_model(org, {"peak_factor": 3.0, "channel_weights": {"blogg": 1}})
    assert model.peak_factor == 3.0
    db.session.expire_all()
    fresh = db.session.get(Organisation, org.id)
    assert fresh.settings["other"] == 1
    assert fresh.settings["load_model"]["channel_weights"]["blogg"] == 1.0
    assert staffing.load_model_for(fresh).peak_factor == 3.0
    with pytest.raises(staffing.StaffingError):
        staffing.save_load_model(fresh, {"hours_main": 30})
    staffing.reset_load_model(fresh)
    assert "load_model" not in db.session.get(Organisation, org.id).settings


# =========================================================================== CLI


def test_flags_command_text_and_json(runner: Any, seeded: Organisation) -> None:
    text = runner.invoke(args=["flags", "--year", "2026"])
    assert text.exit_code == 0, text.output
    assert "bemanningsvarsler for Testvik kommune i 2026" in text.output
    assert "[Middels] uke 9 (Frist på helg eller helligdag)" in text.output
    assert "Hvorfor:" in text.output and "Forslag:" in text.output
    assert "forslag til toppbelastninger" in text.output
    result = runner.invoke(
        args=["flags", "--year", "2026", "--format", "json", "--municipality", "Testvik kommune"]
    )
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert isinstance(data, list) and data
    assert {"kind", "severity", "start", "end", "iso_week", "message", "reason", "fix"} <= set(
        data[0]
    )
    assert any(w["kind"] == "deadline_on_closed_day" and w["start"] == "2026-03-01" for w in data)


def test_flags_command_unknown_municipality(runner: Any, seeded: Organisation) -> None:
    result = runner.invoke(args=["flags", "--year", "2026", "--municipality", "Finnes ikke"])
    assert result.exit_code != 0 and "Fant ingen kommune" in result.output


def test_flags_command_without_warnings(runner: Any, org: Organisation, make_staff: Any) -> None:
    make_staff("Kari")
    staffing.generate_year(org.id, 2030)
    result = runner.invoke(args=["flags", "--year", "2030"])
    assert result.exit_code == 0 and "Ingen bemanningsvarsler" in result.output


# =========================================================================== pages


PAGES = [
    "/bemanning?year=2026",
    "/bemanning?year=2026&kind=deadline_on_closed_day",
    "/bemanning/vaktliste?year=2026",
    "/bemanning/vaktliste/2026/9",
    "/bemanning/vaktliste/2026/53",
    "/bemanning/team?year=2026",
    "/bemanning/toppbelastninger?year=2026",
    "/bemanning/ferier?year=2026",
    "/bemanning/lastmodell?year=2026",
]


@pytest.mark.parametrize("url", PAGES)
def test_pages_for_a_viewer_show_no_forms(
    client: Any, make_user: Any, seeded: Organisation, url: str
) -> None:
    login(client, make_user("viewer"))
    response = client.get(url)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'aria-current="page">Bemanning<' in html
    assert 'method="post" action="/bemanning' not in html


def test_viewer_cannot_change_staffing(client: Any, make_user: Any, org: Organisation) -> None:
    login(client, make_user("viewer"))
    for url in (
        "/bemanning/team",
        "/bemanning/vaktliste/generer",
        "/bemanning/toppbelastninger",
        "/bemanning/ferier",
        "/bemanning/lastmodell",
        "/bemanning/forslag/avvis",
    ):
        assert client.post(url, data={"name": "X"}).status_code == 403, url


def test_week_53_page_and_unknown_weeks(client: Any, make_user: Any, org: Organisation) -> None:
    login(client, make_user("viewer"))
    assert "28.12.2026–03.01.2027" in client.get("/bemanning/vaktliste/2026/53").get_data(
        as_text=True
    )
    assert client.get("/bemanning/vaktliste/2027/53").status_code == 404
    assert client.get("/bemanning?year=1999").status_code == 404


def test_editor_builds_team_absences_and_rota(
    client: Any, make_user: Any, seeded: Organisation
) -> None:
    login(client, make_user("editor"))
    bad = client.post("/bemanning/team?year=2026", data={"name": "", "working_days": []})
    assert bad.status_code == 422
    assert "Skriv inn navnet." in bad.get_data(as_text=True)
    for name in ("Kari", "Ola", "Per"):
        response = client.post(
            "/bemanning/team?year=2026",
            data={
                "name": name,
                "email": f"{name.lower()}@testvik.no",
                "working_days": ["1", "2", "3", "4", "5"],
                "active": "y",
            },
        )
        assert response.status_code == 302
    dup = client.post(
        "/bemanning/team?year=2026", data={"name": "kari", "working_days": ["1"], "active": "y"}
    )
    assert dup.status_code == 422 and "finnes allerede" in dup.get_data(as_text=True)
    kari = db.session.execute(select(StaffMember).filter_by(name="Kari")).scalar_one()
    # Part time: Monday–Wednesday.
    response = client.post(
        f"/bemanning/team/{kari.id}",
        data={"name": "Kari", "working_days": ["1", "2", "3"], "active": "y"},
    )
    assert response.status_code == 302
    db.session.refresh(kari)
    assert kari.working_days == "1,2,3"
    # Absence with a bad period, then a good one, then one click for fellesferie.
    bad = client.post(
        f"/bemanning/team/{kari.id}/fravaer", data={"start": "2026-05-10", "end": "2026-05-01"}
    )
    assert bad.status_code == 422 and "kan ikke være før" in bad.get_data(as_text=True)
    assert (
        client.post(
            f"/bemanning/team/{kari.id}/fravaer",
            data={"start": "04.05.2026", "end": "2026-05-08", "reason": "Kurs"},
        ).status_code
        == 302
    )
    fellesferie = db.session.execute(
        select(HolidayPeriod).filter_by(name="Fellesferie", start=date(2026, 7, 6))
    ).scalar_one()
    page = client.get(f"/bemanning/team/{kari.id}?year=2026").get_data(as_text=True)
    assert "Borte i fellesferie" in page
    assert (
        client.post(
            f"/bemanning/team/{kari.id}/fravaer/ferie", data={"holiday_id": fellesferie.id}
        ).status_code
        == 302
    )
    db.session.refresh(kari)
    assert [(a.start, a.reason) for a in kari.absences] == [
        (date(2026, 5, 4), "Kurs"),
        (date(2026, 7, 6), "Fellesferie"),
    ]
    # Generate the rota.
    response = client.post(
        "/bemanning/vaktliste/generer?year=2026",
        data={"mode": "replace", "from_week": "1", "backups": "1"},
    )
    assert response.status_code == 302
    assert db.session.execute(select(func.count(DutyAssignment.id))).scalar() > 100
    rota = client.get("/bemanning/vaktliste?year=2026").get_data(as_text=True)
    assert "Innspurt barnehagesøknader" in rota and "Uke 53" in rota
    # Nobody on duty while away: Kari is not on duty in fellesferie.
    for monday in (date(2026, 7, 6), date(2026, 7, 13), date(2026, 7, 20)):
        assert kari.id not in {r.staff_member_id for r in staffing.duty_for_week(seeded.id, monday)}
    # Change week 10 by hand, with a Sunday duty.
    ola = db.session.execute(select(StaffMember).filter_by(name="Ola")).scalar_one()
    per = db.session.execute(select(StaffMember).filter_by(name="Per")).scalar_one()
    response = client.post(
        "/bemanning/vaktliste/2026/10",
        data={"main": str(ola.id), "backups": [str(per.id)], "day-2026-03-08-main": str(per.id)},
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("#uke-2026-10")
    rows = staffing.duty_for_week(seeded.id, date(2026, 3, 2))
    assert [(r.staff_member.name, r.role, r.day) for r in rows] == [
        ("Ola", "main", None),
        ("Per", "backup", None),
        ("Per", "main", date(2026, 3, 8)),
    ]
    # Remove an absence and a person.
    absence = db.session.execute(select(Absence).filter_by(reason="Kurs")).scalar_one()
    assert client.post(f"/bemanning/fravaer/{absence.id}/slett").status_code == 302
    assert client.get(f"/bemanning/team/{per.id}/slett").status_code == 200
    assert client.post(f"/bemanning/team/{per.id}/slett").status_code == 302
    assert db.session.get(StaffMember, per.id) is None
    assert not [
        r
        for r in staffing.duty_for_week(seeded.id, date(2026, 3, 2))
        if r.staff_member_id == per.id
    ]


def test_peak_and_holiday_pages(client: Any, make_user: Any, org: Organisation) -> None:
    login(client, make_user("editor"))
    bad = client.post(
        "/bemanning/toppbelastninger?year=2026",
        data={"name": "", "start": "1.3.2026", "end": "29.02.2026", "required_staff": "0"},
    )
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert "2027 er ikke" not in html and "29.02.2026 finnes ikke (2026 er ikke et skuddår)" in html
    assert "Antallet må være mellom 1 og 50." in html
    ok = client.post(
        "/bemanning/toppbelastninger?year=2026",
        data={
            "name": "Kulturmidler",
            "start": "2026-04-01",
            "end": "2026-04-15",
            "required_staff": "3",
            "reason": "Søknader",
        },
    )
    assert ok.status_code == 302
    peak = db.session.execute(select(PeakPeriod)).scalar_one()
    assert (peak.required_staff, peak.start) == (3, date(2026, 4, 1))
    assert (
        client.post(
            f"/bemanning/toppbelastninger/{peak.id}",
            data={
                "name": "Kulturmidler",
                "start": "2026-04-01",
                "end": "2026-04-20",
                "required_staff": "2",
            },
        ).status_code
        == 302
    )
    db.session.refresh(peak)
    assert peak.end == date(2026, 4, 20)
    assert client.get(f"/bemanning/toppbelastninger/{peak.id}/slett").status_code == 200
    assert client.post(f"/bemanning/toppbelastninger/{peak.id}/slett").status_code == 302
    assert db.session.execute(select(func.count(PeakPeriod.id))).scalar() == 0
    # Holidays: the recommended ones in one click, then one by hand.
    assert client.post("/bemanning/ferier/anbefalte?year=2026").status_code == 302
    assert db.session.execute(select(func.count(HolidayPeriod.id))).scalar() == 6
    page = client.get("/bemanning/ferier?year=2026").get_data(as_text=True)
    assert "uke 8 i blant annet Oslo og Akershus" in page
    ok = client.post(
        "/bemanning/ferier?year=2026",
        data={
            "name": "Planleggingsdager",
            "start": "2026-08-13",
            "end": "2026-08-14",
            "kind": "annet",
        },
    )
    assert ok.status_code == 302
    dup = client.post(
        "/bemanning/ferier?year=2026",
        data={
            "name": "Planleggingsdager",
            "start": "2026-08-13",
            "end": "2026-08-14",
            "kind": "annet",
        },
    )
    assert dup.status_code == 422 and "finnes allerede" in dup.get_data(as_text=True)
    holiday = db.session.execute(
        select(HolidayPeriod).filter_by(name="Planleggingsdager")
    ).scalar_one()
    assert (
        client.post(
            f"/bemanning/ferier/{holiday.id}",
            data={
                "name": "Planleggingsdager",
                "start": "2026-08-12",
                "end": "2026-08-14",
                "kind": "annet",
            },
        ).status_code
        == 302
    )
    assert client.post(f"/bemanning/ferier/{holiday.id}/slett").status_code == 302
    assert db.session.get(HolidayPeriod, holiday.id) is None


def test_proposals_from_the_pages(client: Any, make_user: Any, seeded: Organisation) -> None:
    login(client, make_user("editor"))
    page = client.get("/bemanning?year=2026").get_data(as_text=True)
    assert "Innspurt: Høringsfristen for kommuneplanen går ut" in page
    proposal = next(
        p for p in staffing.proposals_for_year(seeded.id, 2026) if "Høringsfristen" in p.name
    )
    response = client.post(
        "/bemanning/forslag/avvis",
        data={"key": proposal.key, "year": "2026", "next": "/bemanning?year=2026"},
    )
    assert response.status_code == 302 and response.headers["Location"] == "/bemanning?year=2026"
    page = client.get("/bemanning?year=2026").get_data(as_text=True)
    assert "er avvist og blir ikke foreslått igjen" in page
    assert f'value="{proposal.key}"' not in page
    peaks_page = client.get("/bemanning/toppbelastninger?year=2026").get_data(as_text=True)
    assert "1 avvist forslag" in peaks_page
    dismissal = db.session.execute(select(PeakProposalDismissal)).scalar_one()
    assert (
        client.post(f"/bemanning/forslag/avvist/{dismissal.id}/angre?year=2026").status_code == 302
    )
    response = client.post(
        "/bemanning/forslag/godta",
        data={"key": proposal.key, "year": "2026", "next": "https://evil.example/"},
    )
    assert response.headers["Location"] == "/bemanning?year=2026"
    assert db.session.execute(select(PeakPeriod).filter_by(name=proposal.name)).scalar_one()
    gone = client.post("/bemanning/forslag/godta", data={"key": proposal.key, "year": "2026"})
    assert gone.status_code == 302
    assert "finnes ikke lenger" in client.get("/bemanning?year=2026").get_data(as_text=True)


def test_load_model_page(client: Any, make_user: Any, org: Organisation) -> None:
    login(client, make_user("editor"))
    page = client.get("/bemanning/lastmodell?year=2026").get_data(as_text=True)
    assert "kanalvekt × faktor for innleggstype × hastefaktor × toppbelastningsfaktor" in page
    bad = client.post("/bemanning/lastmodell?year=2026", data={"peak_factor": "mye"})
    assert bad.status_code == 422 and "må være et tall" in bad.get_data(as_text=True)
    ok = client.post(
        "/bemanning/lastmodell?year=2026", data={"peak_factor": "2,5", "weight-blogg": "1,25"}
    )
    assert ok.status_code == 302
    db.session.refresh(org)
    assert org.settings["load_model"]["peak_factor"] == 2.5
    assert org.settings["load_model"]["channel_weights"]["blogg"] == 1.25
    assert 'value="2,5"' in client.get("/bemanning/lastmodell?year=2026").get_data(as_text=True)
    assert client.post("/bemanning/lastmodell?year=2026", data={"reset": "1"}).status_code == 302
    db.session.refresh(org)
    assert "load_model" not in org.settings


def test_other_organisations_staffing_is_404(
    client: Any, make_user: Any, make_org: Any, make_staff: Any
) -> None:
    other = make_org("Nabokommune")
    stranger = make_staff("Hemmelig Person", org_id=other.id)
    peak = staffing.save_peak(other.id, None, "Naboens topp", date(2026, 3, 1), date(2026, 3, 5), 2)
    holiday = staffing.save_holiday(
        other.id, None, "Naboferie", date(2026, 3, 1), date(2026, 3, 5), "annet"
    )
    login(client, make_user("admin"))
    for url in (
        f"/bemanning/team/{stranger.id}",
        f"/bemanning/toppbelastninger/{peak.id}",
        f"/bemanning/ferier/{holiday.id}",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/bemanning/team/{stranger.id}/slett").status_code == 404
    assert "Hemmelig Person" not in client.get("/bemanning/team").get_data(as_text=True)
    assert "Naboens topp" not in client.get("/bemanning/toppbelastninger?year=2026").get_data(
        as_text=True
    )


def test_warnings_fragment_can_be_included_elsewhere(
    app: Any, org: Organisation, make_post: Any
) -> None:
    make_post(
        title="Søknadsfrist for barnehageplass",
        start=datetime(2026, 3, 1),
        end=datetime(2026, 3, 1),
    )
    found = staffing.warnings_for_year(org.id, 2026)
    with app.test_request_context():
        from flask import render_template_string

        html = render_template_string('{% include "staffing/_warnings.html" %}', warnings=found)
    assert "Frist på helg eller helligdag" in html and "/bemanning/vaktliste/2026/9" in html
    with app.test_request_context():
        from flask import render_template_string

        empty = render_template_string('{% include "staffing/_warnings.html" %}', warnings=[])
    assert "Ingen bemanningsvarsler." in empty


def test_post_occurrences_match_the_plan_queries(
    org: Organisation, make_post: Any, make_channel: Any
) -> None:
    """The staffing loader sees exactly the occurrences the plan views see."""
    from planner.models import PostException
    from planner.services.posts.queries import items_for_year
    from planner.services.staffing.plan import post_occurrences

    facebook, web = make_channel("Facebook"), make_channel("Nettside", type="nettside")
    make_post(title="Enkelt", channels=[facebook, web])
    weekly = make_post(
        title="Ukentlig",
        start=datetime(2026, 12, 7, 9),
        end=datetime(2026, 12, 7, 10),
        all_day=False,
        rrule="FREQ=WEEKLY;COUNT=6",
        channels=[facebook],
    )
    weekly.exceptions = [
        PostException(
            organisation_id=org.id, recurrence_id=datetime(2026, 12, 14, 9), cancelled=True
        ),
        PostException(
            organisation_id=org.id,
            recurrence_id=datetime(2026, 12, 21, 9),
            cancelled=False,
            start=datetime(2026, 12, 22, 9),
            end=datetime(2026, 12, 22, 10),
        ),
    ]
    gone = make_post(title="I papirkurven")
    gone.deleted_at = datetime(2026, 1, 1)
    db.session.commit()
    mine = [(o.post_id, o.start, o.end) for o in post_occurrences(org.id, 2026)]
    theirs = [
        (i.post.id, i.occurrence.start, i.occurrence.end) for i in items_for_year(org.id, 2026)
    ]
    assert sorted(mine) == sorted(theirs)
    assert (weekly.id, datetime(2026, 12, 22, 9), datetime(2026, 12, 22, 10)) in mine
    assert len([m for m in mine if m[0] == weekly.id]) == 3  # 7th, 22nd (moved), 28th; 2027 is out
    assert all(o.channels for o in post_occurrences(org.id, 2026))


def test_warning_filter_works_with_and_without_htmx(
    client: Any, make_user: Any, seeded: Organisation
) -> None:
    login(client, make_user("viewer"))
    url = "/bemanning?year=2026&kind=peak_in_holiday"
    plain = client.get(url)
    swapped = client.get(url, headers={"HX-Request": "true"})
    for response in (plain, swapped):
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
        assert 'id="warnings-section"' in html
        assert (
            "Toppbelastning i ferie" in html and "Frist på helg eller helligdag</span>" not in html
        )
    assert 'hx-get="/bemanning?year=2026&amp;kind=' in plain.get_data(as_text=True)
