"""Import of .ics files: parsing and bounds (planner.domain.imports.ics), writing posts and
external calendars all or nothing (planner.services.imports.ics_import), the upload → preview →
import pages, and the round trip export → import into an empty plan → export."""

from __future__ import annotations

import io
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from planner.domain.imports.ics import (
    MAX_EVENTS,
    IcsImportError,
    ImportedEvent,
    ParsedCalendar,
    parse_ics,
)
from planner.extensions import db
from planner.models import (
    Audience,
    Channel,
    ExternalCalendar,
    ExternalEvent,
    IcsUpload,
    Organisation,
    Post,
    PostException,
    Wheel,
)
from planner.services.imports.external import external_events_for_year
from planner.services.imports.ics_import import import_all_as_posts, import_events
from planner.services.posts.seeding import seed_year
from tests.conftest import login

DATA = Path(__file__).resolve().parent / "data"


def _parse(name: str) -> Any:
    return parse_ics((DATA / name).read_bytes(), name)


def _count(model: Any) -> int:
    return int(db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one())


# --------------------------------------------------------------------------- parsing


def test_outlook_export_with_windows_time_zone_exdates_and_moved_occurrence() -> None:
    parsed = _parse("outlook_export_windows_tz.ics")
    assert parsed.name == "Kalender – Kari Nordmann"
    assert parsed.warnings == ["1 oppgave (VTODO) i filen blir ikke importert."]
    weekly, may17 = parsed.events
    assert weekly.summary == "Ukemøte kommunikasjon"
    assert weekly.start == datetime(2026, 1, 5, 9, 30) and weekly.end == datetime(2026, 1, 5, 10)
    assert weekly.rrule is not None and "UNTIL=20260622T073000Z" in weekly.rrule
    assert weekly.location == "Rådhuset, møterom Fjellet"
    assert "kanalene og vaktlisten.\n\nTeams-lenke" in weekly.description
    cancelled = [e.recurrence_id for e in weekly.exceptions if e.cancelled]
    moved = [e for e in weekly.exceptions if not e.cancelled]
    assert cancelled == [datetime(2026, 2, 16, 9, 30), datetime(2026, 4, 6, 9, 30)]
    assert moved[0].recurrence_id == datetime(2026, 3, 2, 9, 30)
    assert moved[0].start == datetime(2026, 3, 3, 10, 30)
    assert may17.all_day and may17.start == may17.end == datetime(2026, 5, 17)


def test_utc_times_categories_and_cancelled_status() -> None:
    council, budget, cancelled = _parse("council_meetings_utc.ics").events
    assert council.start == datetime(2026, 2, 12, 18)  # 17:00Z is 18:00 in Oslo (winter)
    assert budget.start == datetime(2026, 11, 5, 9)
    assert council.categories == ["Politikk", "Kommunestyret"]
    assert cancelled.status == "avlyst"
    assert council.rrule and "COUNT=9" in council.rrule


def test_all_day_ends_become_inclusive_and_missing_uids_are_stable() -> None:
    parsed = _parse("school_holidays_allday.ics")
    winter, easter, summer, autumn = parsed.events
    assert (winter.start, winter.end) == (datetime(2026, 2, 23), datetime(2026, 2, 27))
    assert autumn.end == datetime(2026, 10, 9)  # DURATION:P5D from Monday
    assert summer.uid.endswith("@import.arshjul")
    assert _parse("school_holidays_allday.ics").events[2].uid == summer.uid


def test_floating_times_use_x_wr_timezone_and_duration() -> None:
    dugnad, meeting = _parse("google_floating_xwr_timezone.ics").events
    assert dugnad.start == datetime(2026, 6, 5, 18)
    assert meeting.end == datetime(2026, 9, 10, 18, 30)


def test_utf16_with_bom_is_read() -> None:
    text = (DATA / "school_holidays_allday.ics").read_text(encoding="utf-8")
    parsed = parse_ics(text.encode("utf-16"), "skolerute.ics")
    assert parsed.events[1].summary == "Påskeferie"


def _nested(depth: int) -> bytes:
    inner = "".join(f"BEGIN:X{n}\r\n" for n in range(depth)) + "".join(
        f"END:X{n}\r\n" for n in reversed(range(depth))
    )
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n{inner}END:VCALENDAR\r\n".encode()


def _many_events(n: int) -> bytes:
    event = "BEGIN:VEVENT\r\nUID:{n}@x\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20260301\r\nSUMMARY:Hendelse {n}\r\nEND:VEVENT\r\n"
    body = "".join(event.format(n=i) for i in range(n))
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n{body}END:VCALENDAR\r\n".encode()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            (DATA / "broken_bad_date.ics").read_bytes(),
            "starttidspunktet (DTSTART) har en ugyldig verdi («20261345T100000»)",
        ),
        ((DATA / "broken_truncated.ics").read_bytes(), "avkortet eller ødelagt"),
        ((DATA / "hostile_huge_rrule.ics").read_bytes(), "FREQ=SECONDLY er ikke tillatt"),
        ((DATA / "hostile_huge_rrule.ics").read_bytes(), "for mange forekomster"),
        ((DATA / "wrong_encoding_latin1.ics").read_bytes(), "ikke lagret som UTF-8"),
        (b"Hei, dette er ikke en kalender", "må begynne med BEGIN:VCALENDAR"),
        (b"", "Filen er tom"),
        (b"BEGIN:VCALENDAR\r\n" + b"X" * (6 * 1024 * 1024), "Filen er for stor"),
        (_nested(20), "nøstet for dypt"),
        (_many_events(MAX_EVENTS + 1), f"høyst {MAX_EVENTS}"),
        (
            b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20260302T100000\r\nDTEND:20260301T100000\r\nSUMMARY:Baklengs\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            "slutt er før start",
        ),
        (
            b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:a\r\nSUMMARY:Uten start\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            "mangler starttidspunkt",
        ),
        (
            b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:20260301\r\nSUMMARY:A\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:20260302\r\nSUMMARY:B\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            "finnes to ganger",
        ),
    ],
)
def test_broken_and_hostile_files_are_refused_in_norwegian(raw: bytes, message: str) -> None:
    with pytest.raises(IcsImportError) as refused:
        parse_ics(raw, "fil.ics")
    assert any(message in p for p in refused.value.problems), refused.value.problems


# --------------------------------------------------------------------------- writing


def test_import_as_posts_and_again_updates_instead_of_doubling(app: Any, org: Organisation) -> None:
    parsed = _parse("outlook_export_windows_tz.ics")
    first = import_all_as_posts(org, parsed)
    assert (first.posts_created, first.posts_updated) == (2, 0)
    weekly = db.session.execute(
        db.select(Post).filter_by(title="Ukemøte kommunikasjon")
    ).scalar_one()
    assert weekly.rrule and weekly.start == datetime(2026, 1, 5, 9, 30)
    assert "Sted: Rådhuset, møterom Fjellet" in weekly.description
    assert {(e.recurrence_id, e.cancelled) for e in weekly.exceptions} == {
        (datetime(2026, 2, 16, 9, 30), True),
        (datetime(2026, 3, 2, 9, 30), False),
        (datetime(2026, 4, 6, 9, 30), True),
    }
    assert weekly.wheel.year == 2026
    second = import_all_as_posts(org, _parse("outlook_export_windows_tz.ics"))
    assert (second.posts_created, second.posts_updated) == (0, 2)
    assert _count(Post) == 2 and _count(PostException) == 3


def test_import_into_the_external_ring_expands_occurrences(app: Any, org: Organisation) -> None:
    parsed = _parse("outlook_export_windows_tz.ics")
    choices = {e.key: "external" for e in parsed.events}
    summary = import_events(
        org, parsed, choices, calendar_name="Kari sin kalender", calendar_kind="møter"
    )
    assert summary.external_created == 2
    assert "Kari sin kalender" in summary.message()
    occurrences = external_events_for_year(org.id, 2026)
    weekly = [o for o in occurrences if o.summary == "Ukemøte kommunikasjon"]
    starts = [o.start for o in weekly]
    assert datetime(2026, 2, 16, 9, 30) not in starts and datetime(2026, 4, 6, 9, 30) not in starts
    assert datetime(2026, 3, 2, 9, 30) not in starts and datetime(2026, 3, 3, 10, 30) in starts
    assert datetime(2026, 6, 22, 9, 30) in starts and max(starts) == datetime(2026, 6, 22, 9, 30)
    assert len(weekly) == 25 - 2  # 25 Mondays 05.01–22.06, two cancelled, one moved
    assert all(o.kind == "møter" and o.calendar_name == "Kari sin kalender" for o in occurrences)
    again = import_events(
        org,
        _parse("outlook_export_windows_tz.ics"),
        choices,
        calendar_name="Kari sin kalender",
        calendar_kind="møter",
    )
    assert (again.external_created, again.external_updated) == (0, 2)
    assert _count(ExternalEvent) == 3  # two events and the moved occurrence
    assert external_events_for_year(org.id, 2025) == []


def test_cancelled_external_events_are_not_drawn(app: Any, org: Organisation) -> None:
    parsed = _parse("council_meetings_utc.ics")
    import_events(
        org,
        parsed,
        {e.key: "external" for e in parsed.events},
        calendar_name="Politikk",
        calendar_kind="møter",
    )
    summaries = [o.summary for o in external_events_for_year(org.id, 2026)]
    assert summaries.count("Kommunestyret") == 9
    assert "Eldrerådet (avlyst)" not in summaries


def test_a_bad_event_writes_nothing(app: Any, org: Organisation) -> None:
    raw = (DATA / "school_holidays_allday.ics").read_bytes()
    raw = raw.replace(b"20260619", b"19990619").replace(b"20260818", b"19990818")
    parsed = parse_ics(raw, "skolerute.ics")
    choices = {e.key: ("post" if n % 2 else "external") for n, e in enumerate(parsed.events)}
    choices[parsed.events[2].key] = "post"  # the 1999 event
    with pytest.raises(IcsImportError) as refused:
        import_events(org, parsed, choices, calendar_name="Skolerute", calendar_kind="skoleferie")
    assert any("2000–2100" in p for p in refused.value.problems)
    assert _count(Post) == _count(ExternalEvent) == _count(ExternalCalendar) == _count(Wheel) == 0


def test_same_file_in_two_organisations_never_touches_the_other(
    app: Any, org: Organisation, make_org: Any
) -> None:
    other = make_org("Annenby kommune")
    import_all_as_posts(org, _parse("school_holidays_allday.ics"))
    ours = {
        p.uid: p.title
        for p in db.session.execute(db.select(Post).filter_by(organisation_id=org.id)).scalars()
    }
    result = import_all_as_posts(other, _parse("school_holidays_allday.ics"))
    assert result.posts_created == 4
    theirs = list(db.session.execute(db.select(Post).filter_by(organisation_id=other.id)).scalars())
    assert not {p.uid for p in theirs} & set(ours)
    again = import_all_as_posts(other, _parse("school_holidays_allday.ics"))
    assert (again.posts_created, again.posts_updated) == (0, 4)
    assert {
        p.uid: p.title
        for p in db.session.execute(db.select(Post).filter_by(organisation_id=org.id)).scalars()
    } == ours


def _planner_event(**meta: list[tuple[str, dict[str, str]]]) -> ParsedCalendar:
    event = ImportedEvent(
        key="1",
        uid="frist-1@testvik",
        summary="Frist",
        start=datetime(2026, 3, 1),
        end=datetime(2026, 3, 1),
        all_day=True,
        meta={"KIND": [("reaktiv", {})], **meta},
    )
    return ParsedCalendar(name="Testvik", events=[event])


def test_planner_files_link_channels_and_audiences_through_the_catalog_writer(
    app: Any, org: Organisation, make_channel: Any
) -> None:
    make_channel("Facebook side", "nettsamfunn")
    parsed = _planner_event(
        CHANNEL=[
            ("facebook  SIDE", {"X-TYPE": "nettsamfunn"}),
            ("Nyhetsbrev", {"X-TYPE": "brev_sms"}),
        ],
        AUDIENCE=[("Ungdom", {"X-PRIORITY": "3"})],
        WHEEL=[("Kulturhjulet", {})],
    )
    result = import_all_as_posts(org, parsed)
    assert (result.posts_created, result.posts_updated) == (1, 0)
    post = db.session.execute(db.select(Post)).scalar_one()
    assert (post.uid, post.kind, post.wheel.name) == ("frist-1@testvik", "reaktiv", "Kulturhjulet")
    assert sorted(c.name for c in post.channels) == ["Facebook side", "Nyhetsbrev"]
    assert [(a.name, a.priority) for a in post.audiences] == [("Ungdom", 3)]
    assert _count(Channel) == 2 and _count(Audience) == 1
    again = import_all_as_posts(org, parsed)
    assert (again.posts_created, again.posts_updated) == (0, 1)
    assert _count(Channel) == 2 and _count(Audience) == 1 and _count(Post) == 1


def test_a_refused_catalog_name_writes_nothing(app: Any, org: Organisation) -> None:
    parsed = _planner_event(CHANNEL=[("  ", {"X-TYPE": "nettside"})], WHEEL=[("Nytt", {})])
    with pytest.raises(IcsImportError) as refused:
        import_all_as_posts(org, parsed)
    assert refused.value.problems == ["«Frist» (01.03.2026): Skriv inn et navn."]
    assert _count(Post) == _count(Channel) == _count(Wheel) == 0


# --------------------------------------------------------------------------- round trip


def _normalised_events(body: bytes) -> dict[tuple[str, str], dict[str, str]]:
    skip = {"DTSTAMP", "LAST-MODIFIED", "CREATED"}
    events = {}
    for event in Calendar.from_ical(body).walk("VEVENT"):
        rid = event.get("RECURRENCE-ID")
        key = (str(event["UID"]), rid.to_ical().decode() if rid is not None else "")
        props = {}
        for name, value in event.property_items(recursive=True, sorted=True):
            if name in skip or name in ("BEGIN", "END"):
                continue
            text = value.to_ical().decode() if hasattr(value, "to_ical") else str(value)
            props.setdefault(name, []).append(re.sub(r"/posts/\d+", "/posts/N", text))
        events[key] = {k: "|".join(sorted(v)) for k, v in props.items()}
    return events


def test_round_trip_export_import_into_an_empty_plan_export(
    runner: Any, org: Organisation, tmp_path: Path
) -> None:
    seed_year(org, 2026)
    weekly = Post(
        organisation_id=org.id,
        wheel_id=db.session.execute(db.select(Wheel.id)).scalar_one(),
        title="Redaksjonsmøte; «alle», også vikarer",
        start=datetime(2026, 3, 2, 9),
        end=datetime(2026, 3, 2, 9, 45),
        all_day=False,
        rrule="FREQ=WEEKLY;BYDAY=MO",
        status="godkjent",
        responsible="Kari Nordmann",
    )
    weekly.exceptions = [
        PostException(
            organisation_id=org.id, recurrence_id=datetime(2026, 3, 9, 9), cancelled=True
        ),
        PostException(
            organisation_id=org.id,
            recurrence_id=datetime(2026, 3, 23, 9),
            start=datetime(2026, 3, 24, 14),
            end=datetime(2026, 3, 24, 15),
        ),
    ]
    db.session.add(weekly)
    db.session.commit()
    first = tmp_path / "forste.ics"
    second = tmp_path / "andre.ics"
    result = runner.invoke(args=["export", "--format", "ics", "--year", "2026", "-o", str(first)])
    assert result.exit_code == 0, result.output
    weekly_uid = weekly.uid
    # An empty plan: post UIDs are unique across the installation, so start afresh.
    db.session.remove()
    db.drop_all()
    db.create_all()
    imported = runner.invoke(args=["import", str(first), "--municipality", "Nyby kommune"])
    assert imported.exit_code == 0, imported.output
    assert "Nyby kommune" in imported.output
    result = runner.invoke(
        args=[
            "export",
            "--format",
            "ics",
            "--year",
            "2026",
            "-o",
            str(second),
            "--municipality",
            "Nyby kommune",
        ]
    )
    assert result.exit_code == 0, result.output
    before, after = _normalised_events(first.read_bytes()), _normalised_events(second.read_bytes())
    assert len(before) > 60
    assert before.keys() == after.keys()
    for key in before:
        assert before[key] == after[key], key
    nyby = db.session.execute(db.select(Organisation).filter_by(name="Nyby kommune")).scalar_one()
    series = db.session.execute(
        db.select(Post).filter_by(organisation_id=nyby.id, uid=weekly_uid)
    ).scalar_one()
    assert series.status == "godkjent" and series.responsible == "Kari Nordmann"
    assert len(series.exceptions) == 2


def test_cli_import_of_the_own_export_updates_instead_of_doubling(
    runner: Any, org: Organisation, tmp_path: Path
) -> None:
    seed_year(org, 2026)
    db.session.commit()
    posts = _count(Post)
    target = tmp_path / "plan.ics"
    assert (
        runner.invoke(
            args=["export", "--format", "ics", "--year", "2026", "-o", str(target)]
        ).exit_code
        == 0
    )
    result = runner.invoke(args=["import", str(target)])
    assert result.exit_code == 0, result.output
    assert f"0 nye og {posts} oppdaterte innlegg" in result.output
    assert _count(Post) == posts


def test_cli_import_of_a_broken_file_writes_nothing(runner: Any, org: Organisation) -> None:
    result = runner.invoke(args=["import", str(DATA / "hostile_huge_rrule.ics")])
    assert result.exit_code == 1
    assert "ingenting er lagret" in result.output
    assert "FREQ=SECONDLY er ikke tillatt" in result.output
    assert _count(Post) == 0


# --------------------------------------------------------------------------- pages


def _upload(client: Any, raw: bytes, name: str = "fil.ics") -> Any:
    return client.post(
        "/import/kalender",
        data={"file": (io.BytesIO(raw), name)},
        content_type="multipart/form-data",
    )


def test_upload_preview_and_choose_posts_or_external_ring(
    client: Any, make_user: Any, org: Organisation
) -> None:
    login(client, make_user("editor"))
    assert client.get("/import/kalender").status_code == 200
    response = _upload(client, (DATA / "council_meetings_utc.ics").read_bytes(), "moter.ics")
    assert response.status_code == 302
    preview_url = response.headers["Location"]
    preview = client.get(preview_url)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Kommunestyret" in html and "12.02.2026" in html and "uke 7" in html
    assert 'value="Politiske møter i Testvik"' in html
    assert _count(Post) == _count(ExternalEvent) == 0  # nothing written before the choice
    done = client.post(
        preview_url,
        data={
            "valg-e0": "external",
            "valg-e1": "post",
            "valg-e2": "skip",
            "kalender": "Politiske møter",
            "kalendertype": "møter",
        },
    )
    assert done.status_code == 302
    assert _count(Post) == 1 and _count(ExternalEvent) == 1
    calendar = db.session.execute(db.select(ExternalCalendar)).scalar_one()
    assert (calendar.name, calendar.kind) == ("Politiske møter", "møter")
    assert _count(IcsUpload) == 0
    page = client.get("/import/kalender").get_data(as_text=True)
    assert "Politiske møter" in page and "1 nye og 0 oppdaterte innlegg" in page
    assert client.get(preview_url).status_code == 404  # the upload is gone
    deleted = client.post(f"/kalenderfeeder/eksterne/{calendar.id}/slett")
    assert deleted.status_code == 302 and _count(ExternalEvent) == 0


def test_broken_upload_gives_norwegian_reasons_and_writes_nothing(
    client: Any, make_user: Any
) -> None:
    login(client, make_user("editor"))
    response = _upload(client, (DATA / "broken_bad_date.ics").read_bytes())
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Filen ble ikke importert" in html and "Ingenting er lagret" in html
    assert "ugyldig verdi («20261345T100000»)" in html
    assert _count(IcsUpload) == 0
    wrong = _upload(client, (DATA / "wrong_encoding_latin1.ics").read_bytes())
    assert wrong.status_code == 422 and "UTF-8" in wrong.get_data(as_text=True)
    empty = client.post("/import/kalender", data={}, content_type="multipart/form-data")
    assert empty.status_code == 422 and "Velg en kalenderfil" in empty.get_data(as_text=True)


def test_fifty_megabytes_is_refused_clearly(client: Any, make_user: Any) -> None:
    login(client, make_user("editor"))
    # Encoded by hand into memory: Werkzeug's test encoder would spool 50 MB to a temp file.
    boundary = "grense4711"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="stor.ics"\r\n'
            "Content-Type: text/calendar\r\n\r\n"
        ).encode()
        + b"BEGIN:VCALENDAR\r\n"
        + b"X" * (50 * 1024 * 1024)
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = client.post(
        "/import/kalender",
        input_stream=io.BytesIO(body),
        content_type=f"multipart/form-data; boundary={boundary}",
        content_length=len(body),
    )
    assert response.status_code == 413
    assert "Filen er for stor" in response.get_data(as_text=True)
    assert _count(IcsUpload) == 0


def test_import_needs_an_editor_and_uploads_are_personal(client: Any, make_user: Any) -> None:
    viewer, editor, other = make_user("viewer"), make_user("editor"), make_user("editor")
    login(client, viewer)
    assert client.get("/import/kalender").status_code == 403
    client.post("/logout")
    login(client, editor)
    preview_url = _upload(client, (DATA / "school_holidays_allday.ics").read_bytes()).headers[
        "Location"
    ]
    client.post("/logout")
    login(client, other)
    assert client.get(preview_url).status_code == 404
