"""The post form (planner.views.post_forms): a stored post shown in the form and read back
gives the same values, recurrence rules included."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

import pytest
from flask import Flask

from planner.models import Organisation, Post
from planner.services.posts.operations import load_catalog
from planner.services.posts.writer import data_of
from planner.views.post_forms import PostForm, fill_choices, fill_from_post, post_data


def _form(app: Flask, org: Organisation) -> tuple[PostForm, Any]:
    catalog = load_catalog(org.id)
    form = PostForm()
    fill_choices(
        form,
        list(catalog.wheels.values()),
        list(catalog.areas.values()),
        list(catalog.channels.values()),
        list(catalog.audiences.values()),
    )
    return form, catalog


@pytest.mark.parametrize(
    ("rrule", "repeat", "until", "custom"),
    [
        (None, "", None, None),
        ("FREQ=WEEKLY", "ukentlig", None, None),
        ("FREQ=WEEKLY;BYDAY=MO,WE", "ukentlig", None, None),
        ("FREQ=WEEKLY;INTERVAL=2;UNTIL=20261231", "annenhver-uke", date(2026, 12, 31), None),
        ("FREQ=MONTHLY", "manedlig", None, None),
        ("FREQ=MONTHLY;BYDAY=2TU;UNTIL=20261231", "maned-nte", date(2026, 12, 31), None),
        ("FREQ=YEARLY;UNTIL=20300101", "arlig", date(2030, 1, 1), None),
        ("FREQ=MONTHLY;BYDAY=1MO", "egen", None, "FREQ=MONTHLY;BYDAY=1MO"),
        ("FREQ=WEEKLY;UNTIL=20261231T120000Z", "egen", None, "FREQ=WEEKLY;UNTIL=20261231T120000Z"),
    ],
)
def test_set_rrule_is_the_inverse_of_rrule_text(
    app: Flask, rrule: str | None, repeat: str, until: date | None, custom: str | None
) -> None:
    with app.test_request_context():
        form = PostForm()
        form.start_date.data = date(2026, 3, 10)  # the second Tuesday of March
        form.set_rrule(rrule)
        assert form.repeat.data == repeat
        assert form.repeat_until.data == until
        assert form.rrule_custom.data == custom
        assert form.uses_custom_rule() is (custom is not None)
        assert form.rrule_text() == rrule


def test_monthly_choices_are_named_from_the_start_date(app: Flask) -> None:
    with app.test_request_context():
        form = PostForm()
        form.start_date.data = date(2026, 3, 10)
        options = {value: (label, hidden) for value, label, _sel, hidden in form.repeat_options()}
        assert options["maned-nte"] == ("2. tirsdag i måneden", False)
        assert options["maned-siste"] == ("Siste tirsdag i måneden", False)
        assert "egen" not in options  # only shown while a written rule is in use
        assert not any("RFC" in label or "FREQ" in label for label, _h in options.values())
        form.start_date.data = date(2026, 3, 31)  # a fifth Tuesday is the last one
        options = {value: (label, hidden) for value, label, _sel, hidden in form.repeat_options()}
        assert options["maned-nte"] == ("5. tirsdag i måneden", True)
        form.set_rrule("FREQ=DAILY")
        selected = [value for value, _l, sel, _h in form.repeat_options() if sel]
        assert selected == ["egen"]


def test_written_rule_wins_over_the_choice(app: Flask) -> None:
    with app.test_request_context():
        form = PostForm()
        form.start_date.data = date(2026, 3, 10)
        form.repeat.data = "ukentlig"
        form.rrule_custom.data = "  FREQ=DAILY;COUNT=3 "
        assert form.rrule_text() == "FREQ=DAILY;COUNT=3"
        form.rrule_custom.data = ""
        assert form.rrule_text() == "FREQ=WEEKLY"


def test_fill_from_post_then_post_data_gives_the_post_back(
    app: Flask,
    org: Organisation,
    make_post: Callable[..., Post],
    make_channel: Callable[..., Any],
    make_audience: Callable[..., Any],
) -> None:
    channel, audience = make_channel(), make_audience()
    post = make_post(
        title="Skolestart",
        start=datetime(2026, 8, 17, 9, 30),
        end=datetime(2026, 8, 17, 11, 0),
        all_day=False,
        rrule="FREQ=WEEKLY;INTERVAL=2;UNTIL=20261231",
        link="https://testvik.kommune.no/skole",
        responsible="Kommunikasjon",
        description="Velkommen",
        channels=[channel],
        audiences=[audience],
    )
    with app.test_request_context():
        form, catalog = _form(app, org)
        fill_from_post(form, post)
        assert form.start_time.data == time(9, 30)
        assert form.repeat.data == "annenhver-uke"
        assert form.version.data == str(post.version)
        assert post_data(form, catalog, post) == data_of(post)


def test_fill_from_post_all_day_has_no_times(
    app: Flask, org: Organisation, make_post: Callable[..., Post]
) -> None:
    post = make_post(start=datetime(2026, 3, 1), end=datetime(2026, 3, 3))
    with app.test_request_context():
        form, catalog = _form(app, org)
        fill_from_post(form, post)
        assert (form.start_time.data, form.end_time.data) == (None, None)
        assert (form.start_date.data, form.end_date.data) == (date(2026, 3, 1), date(2026, 3, 3))
        assert post_data(form, catalog, post) == data_of(post)
