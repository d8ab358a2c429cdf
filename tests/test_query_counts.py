"""No N+1 anywhere: the SQL queries of each page and of the feed are the same for a plan
of 10 posts and of 1,000 posts.

The plan is the benchmark's synthetic municipality (``bench/generate.py``): channels,
audiences, service areas, recurring posts with moved and cancelled occurrences, posts in
the bin, staff, peak periods and a duty rota — every relation a page could load row by
row. Queries are counted with a ``before_cursor_execute`` listener, each page in a fresh
session (as in a real request) and after a change to the plan, so the generated wheels
and feeds are built, not served from their caches. Behaviour only, never timing.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, update

from bench import generate
from planner.extensions import db
from planner.models import Organisation, Post
from planner.services.posts.plan_rows import gc_paused
from planner.services.posts.queries import items_for_year, plan_entries
from tests.conftest import login

YEAR = generate.YEAR


def _pages(app: Flask, catalog: generate.Catalog, post_id: int) -> dict[str, str]:
    """The pages counted; those of areas that are not installed are left out."""
    pages = {
        "plan.year_list": f"/plan/{YEAR}",
        "plan.year_list (filter)": f"/plan/{YEAR}?kanal={catalog.channels[0]}&status=planlagt",
        "plan.month_view": f"/plan/{YEAR}/maned/3",
        "plan.week_view": f"/plan/uke/{YEAR}/10",
        "plan.post_detail": f"/posts/{post_id}",
        "plan.post_new": "/posts/ny",
        "wheel.wheel_year": f"/arshjul/{YEAR}",
        "wheel.wheel_list": f"/arshjul/{YEAR}/liste",
        "staffing.index": f"/bemanning?year={YEAR}",
    }
    if catalog.feed_token:
        pages["feeds.serve"] = f"/feeds/{catalog.feed_token}.ics"
    return {name: path for name, path in pages.items() if name.split(" ")[0] in app.view_functions}


@pytest.fixture
def counter(app: Flask) -> Iterator[list[str]]:
    """The SQL statements sent to the database while the test runs."""
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", record)
    yield statements
    event.remove(db.engine, "before_cursor_execute", record)


def _changed(org_id: int) -> None:
    """A change to the plan, as every save makes one (the caches key on data_version)."""
    db.session.execute(
        update(Organisation)
        .where(Organisation.id == org_id)
        .values(data_version=Organisation.data_version + 1)
    )
    db.session.commit()


def _count_pages(
    client: Any, pages: dict[str, str], counter: list[str], org_id: int
) -> dict[str, int]:
    counts = {}
    for name, path in pages.items():
        _changed(org_id)
        db.session.remove()
        assert client.get(path).status_code == 200, path  # warm-up: first-use work
        _changed(org_id)
        db.session.remove()
        counter.clear()
        response = client.get(path)
        assert response.status_code == 200, path
        counts[name] = len(counter)
    return counts


def _count(fn: Callable[[], object], counter: list[str]) -> int:
    db.session.remove()
    counter.clear()
    fn()
    return len(counter)


@pytest.fixture
def grown(
    app: Flask, client: Any, org: Organisation, make_user: Any, counter: list[str]
) -> Callable[[Callable[[dict[str, str]], dict[str, str]]], tuple[dict[str, int], dict[str, int]]]:
    """Count the chosen pages at 10 posts, grow the plan to 1,000, count them again."""

    def run(
        choose: Callable[[dict[str, str]], dict[str, str]],
    ) -> tuple[dict[str, int], dict[str, int]]:
        catalog = generate.build_catalog(org)
        generate.add_posts(catalog, 10)
        generate.add_staffing(catalog)
        generate.add_feed(catalog)
        login(client, make_user("admin"))
        post_id = db.session.execute(
            db.select(Post.id).where(Post.rrule.is_not(None), Post.deleted_at.is_(None))
        ).scalar_one()
        pages = choose(_pages(app, catalog, post_id))
        small = _count_pages(client, pages, counter, org.id)
        small["items_for_year"] = _count(lambda: items_for_year(org.id, YEAR), counter)
        generate.add_posts(catalog, 990)
        assert db.session.query(Post).count() == 1000
        large = _count_pages(client, pages, counter, org.id)
        large["items_for_year"] = _count(lambda: items_for_year(org.id, YEAR), counter)
        return small, large

    return run


def test_queries_per_page_do_not_grow_with_the_plan(grown: Any) -> None:
    small, large = grown(lambda pages: {k: v for k, v in pages.items() if k != "feeds.serve"})
    assert {"plan.year_list", "plan.month_view", "plan.week_view", "plan.post_detail"} <= set(small)
    assert large == small


def test_queries_per_feed_do_not_grow_with_the_plan(grown: Any) -> None:
    small, large = grown(lambda pages: {k: v for k, v in pages.items() if k == "feeds.serve"})
    assert "feeds.serve" in small
    assert large == small


def test_the_pages_rows_are_the_same_occurrences_as_items_for_year(
    app: Flask, org: Organisation
) -> None:
    """The list, month and week pages read light rows (``plan_entries``); exports read ORM
    posts (``items_for_year``): the same posts and occurrences, windows included."""
    catalog = generate.build_catalog(org)
    generate.add_posts(catalog, 300)
    generate.add_posts(catalog, 100, seed=7)  # a second stream: more collisions
    full = items_for_year(org.id, YEAR)
    entries = plan_entries(org.id, YEAR)
    assert len(full) > 300
    assert [(i.post.id, i.occurrence) for i in full] == [(e.post.id, e.occurrence) for e in entries]
    by_id = {i.post.id: i.post for i in full}
    for entry in entries:
        post = by_id[entry.post.id]
        assert entry.post.title == post.title
        assert entry.post.channels == tuple(post.channels)
        assert entry.post.audiences == tuple(post.audiences)
        assert entry.post.channel_names == ", ".join(c.name for c in post.channels)
        assert entry.post.service_area is post.service_area

    from datetime import date

    march = plan_entries(org.id, YEAR, first=date(YEAR, 3, 1), last=date(YEAR, 3, 31))
    assert march and [(e.post.id, e.occurrence) for e in march] == [
        (i.post.id, i.occurrence)
        for i in full
        if i.occurrence.start.date() <= date(YEAR, 3, 31)
        and i.occurrence.end.date() >= date(YEAR, 3, 1)
    ]
    channel = catalog.channels[3]
    from planner.domain.filters import PlanFilter

    only = PlanFilter(channels=(channel,))
    assert [(e.post.id, e.occurrence) for e in plan_entries(org.id, YEAR, plan_filter=only)] == [
        (i.post.id, i.occurrence) for i in items_for_year(org.id, YEAR, plan_filter=only)
    ]


def test_gc_paused_restores_the_collector() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()

    @gc_paused()
    def view() -> bool:
        return gc.isenabled()

    assert view() is False
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError), gc_paused():
        1 / 0  # noqa: B018
    assert gc.isenabled()
