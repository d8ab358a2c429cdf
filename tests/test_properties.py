"""Property-based tests (hypothesis): generated input never gives a 500, an unexpected
exception or a partial write — only a clear Norwegian refusal or a correct result."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from planner.domain.imports.ics import IcsImportError, parse_ics
from planner.domain.posts.recurrence import (
    MAX_OCCURRENCES_PER_YEAR,
    RecurrenceError,
    expand,
    validate_rrule,
)
from planner.extensions import db
from planner.models import Post
from planner.services.exports.json_export import export_json
from planner.services.imports.json_import import ImportProblems, import_json
from tests.conftest import login

FIXTURES = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

RULE_PARTS = st.sampled_from(
    [
        "FREQ=DAILY",
        "FREQ=WEEKLY",
        "FREQ=MONTHLY",
        "FREQ=YEARLY",
        "FREQ=HOURLY",
        "FREQ=SECONDLY",
        "INTERVAL=0",
        "INTERVAL=2",
        "INTERVAL=-1",
        "COUNT=5",
        "COUNT=999999",
        "UNTIL=20261231",
        "UNTIL=19991231",
        "UNTIL=2026",
        "BYDAY=MO,WE",
        "BYDAY=2TU",
        "BYDAY=-1FR",
        "BYDAY=XX",
        "BYMONTHDAY=31",
        "BYMONTHDAY=0",
        "BYMONTH=2",
        "BYMONTH=13",
        "BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11,12",
        "BYSETPOS=1",
        "BYWEEKNO=53",
        "BYYEARDAY=366",
        "WKST=SU",
        "DTSTART=20260101",
        "X-FOO=1",
        "",
        "=",
        ";;",
    ]
)


@given(parts=st.lists(RULE_PARTS, max_size=6), noise=st.text(max_size=12))
@settings(max_examples=300, deadline=None)
def test_recurrence_rules_are_refused_clearly_or_bounded(parts: list[str], noise: str) -> None:
    start = datetime(2026, 3, 2, 9)
    for text in (";".join(parts), ";".join(parts) + noise):
        try:
            rule = validate_rrule(text, start)
        except RecurrenceError as exc:
            assert str(exc)  # a message for the user
            continue
        occurrences = expand(rule, start, datetime(2026, 1, 1), datetime(2026, 12, 31, 23, 59))
        assert len(occurrences) <= MAX_OCCURRENCES_PER_YEAR


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
DATE_TEXT = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(
        ["2026-02-29", "2027-02-29", "2028-02-29", "31.12.2026", "", "0000-00-00", "2026-13-01"]
    ),
    TEXT,
)


@given(
    title=TEXT,
    start=DATE_TEXT,
    end=DATE_TEXT,
    start_time=st.sampled_from(["", "09:00", "02:30", "25:00", "x"]),
    all_day=st.booleans(),
    link=st.one_of(st.just(""), TEXT, st.just("https://testvik.kommune.no/barnehage")),
    repeat=st.sampled_from(["", "ukentlig", "annenhver-uke", "manedlig", "arlig", "egen", "tull"]),
    custom=st.one_of(st.just(""), st.just("FREQ=HOURLY"), st.just("FREQ=DAILY;COUNT=400"), TEXT),
    status=st.sampled_from(["planlagt", "idé", "ferdig", ""]),
)
@FIXTURES
def test_post_form_never_errors_and_never_half_writes(
    client: Any, make_user: Any, make_post: Any, **fields: Any
) -> None:
    if not getattr(client, "_logged_in", False):
        login(client, make_user("editor"))
        client._logged_in = True  # type: ignore[attr-defined]
        client._wheel = make_post().wheel_id  # type: ignore[attr-defined]
    before = db.session.execute(select(func.count(Post.id))).scalar_one()
    data = {
        "title": fields["title"],
        "wheel": str(client._wheel),  # type: ignore[attr-defined]
        "start_date": fields["start"],
        "end_date": fields["end"],
        "start_time": fields["start_time"],
        "repeat": fields["repeat"],
        "rrule_custom": fields["custom"],
        "status": fields["status"],
        "kind": "proaktiv",
        "service_area": "0",
        "link": fields["link"],
    }
    if fields["all_day"]:
        data["all_day"] = "y"
    response = client.post("/posts/ny", data=data, headers={"HX-Request": "true"})
    after = db.session.execute(select(func.count(Post.id))).scalar_one()
    assert response.status_code in (204, 422), response.status_code
    assert after == before + (1 if response.status_code == 204 else 0)


@given(data=st.data())
@FIXTURES
def test_json_import_refuses_mutated_documents_cleanly(runner: Any, data: Any) -> None:
    if not hasattr(runner, "_doc"):
        runner.invoke(args=["seed", "--year", "2026", "--municipality", "Testvik kommune"])
        from planner.models import Organisation

        org = db.session.execute(select(Organisation)).scalar_one()
        runner._doc = export_json(org, 2026)  # type: ignore[attr-defined]
    doc = copy.deepcopy(runner._doc)  # type: ignore[attr-defined]
    section = data.draw(
        st.sampled_from(["posts", "audiences", "channels", "peak_periods", "reach", "duty"])
    )
    rows = doc[section]
    if rows:
        row = rows[data.draw(st.integers(0, len(rows) - 1))]
        key = data.draw(st.sampled_from(sorted(row)))
        row[key] = data.draw(
            st.one_of(
                st.none(), st.integers(-5, 10**6), TEXT, st.lists(TEXT, max_size=3), st.booleans()
            )
        )
    before = json.dumps(export_json_without_stamp(), sort_keys=True)
    try:
        import_json(doc)
    except ImportProblems as exc:
        assert exc.problems and all(isinstance(p, str) and p for p in exc.problems)
        assert json.dumps(export_json_without_stamp(), sort_keys=True) == before  # nothing written


def export_json_without_stamp() -> dict[str, Any]:
    from planner.models import Organisation

    org = db.session.execute(select(Organisation)).scalar_one()
    doc = export_json(org, 2026)
    doc.pop("exported_at")
    doc.pop("history", None)
    return doc


@given(
    raw=st.one_of(
        st.binary(max_size=2000), TEXT.map(lambda t: ("BEGIN:VCALENDAR\r\n" + t).encode("utf-8"))
    )
)
@settings(max_examples=200, deadline=None)
def test_ics_parser_refuses_garbage_clearly(raw: bytes) -> None:
    try:
        parse_ics(raw, "x.ics")
    except IcsImportError as exc:
        assert str(exc)
