"""The benchmark's in-process part: what runs inside the app rather than over HTTP.

Measured on the generated municipality with the app's own functions (no server):
the staffing warnings of the year (``warnings_for_year``, and the rules alone), the fair
rotation, the JSON export, seeding the recommended årshjul into a new municipality, and
the number of SQL queries each page and the feed make (constant in the size of the plan:
``tests/test_query_counts.py`` asserts it).
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, update

from bench.generate import ADMIN_EMAIL, PASSWORD, Catalog
from bench.load import percentile


@dataclass
class Timing:
    """Median and p95 of some runs, in milliseconds."""

    median_ms: float
    p95_ms: float
    runs: int


def timed(fn: Callable[[], object], repeat: int, warmup: int = 1) -> Timing:
    """Run ``fn`` ``warmup`` times unmeasured, then ``repeat`` times."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return Timing(statistics.median(samples), percentile(samples, 0.95), repeat)


def _app(url: str) -> Any:
    from planner import create_app

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-secret", "WTF_CSRF_ENABLED": False}
    )
    # As the server's workers do (gunicorn.conf.py): keep the collector off the app's objects.
    gc.collect()
    gc.freeze()
    return app


def page_paths(catalog: Catalog, post_id: int) -> dict[str, str]:
    """The pages whose query counts are printed (and tested)."""
    year = catalog.year
    paths = {
        "list": f"/plan/{year}",
        "list_filtered": f"/plan/{year}?kanal={catalog.channels[0]}",
        "month": f"/plan/{year}/maned/3",
        "week": f"/plan/uke/{year}/10",
        "post": f"/posts/{post_id}",
        "post_form": "/posts/ny",
        "wheel": f"/arshjul/{year}",
        "staffing": f"/bemanning?year={year}",
    }
    if catalog.feed_token:
        paths["feed"] = f"/feeds/{catalog.feed_token}.ics"
    return paths


def query_counts(url: str, catalog: Catalog) -> dict[str, int | str]:
    """SQL statements per page (after one warm-up request, with the caches of generated
    wheels and feeds emptied so the counts are those of a cold page)."""
    from planner.extensions import db, dispose_engines
    from planner.models import Post

    app = _app(url)
    client = app.test_client()
    client.post("/login", data={"email": ADMIN_EMAIL, "password": PASSWORD})
    with app.app_context():
        post_id = db.session.execute(
            db.select(Post.id).where(Post.rrule.is_not(None)).order_by(Post.id)
        ).scalar()
        engine = db.engine
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    counts: dict[str, int | str] = {}
    event.listen(engine, "before_cursor_execute", count)
    try:
        for name, path in page_paths(catalog, post_id or 1).items():
            app.extensions.pop("wheel_cache", None)
            app.extensions.pop("planner_feed_cache", None)
            app.extensions.pop("staffing_plans", None)
            statements.clear()
            response = client.get(path)
            counts[name] = (
                len(statements) if response.status_code == 200 else f"HTTP {response.status_code}"
            )
    finally:
        event.remove(engine, "before_cursor_execute", count)
        with app.app_context():
            dispose_engines()
    return counts


def staffing_and_exports(url: str, catalog: Catalog, seed_fresh: bool) -> dict[str, Any]:
    """The staffing warnings (target ≤ 50 ms) with the plan unchanged and right after a
    change (the plan read anew), the rules alone, the fair rotation, the
    JSON export and (``seed_fresh``) seeding the recommended årshjul for a new kommune."""
    from planner.domain.staffing import compute_warnings
    from planner.extensions import db, dispose_engines
    from planner.models import Organisation
    from planner.services import staffing
    from planner.services.exports.json_export import export_json

    app = _app(url)
    org_id, year = catalog.org_id, catalog.year
    out: dict[str, Any] = {}

    def in_context(fn: Callable[[], object]) -> Callable[[], object]:
        def run() -> object:
            with app.app_context():
                try:
                    return fn()
                finally:
                    db.session.remove()

        return run

    out["warnings"] = timed(in_context(lambda: staffing.warnings_for_year(org_id, year)), 7)

    def after_a_change() -> float:
        with app.app_context():
            db.session.execute(
                update(Organisation)
                .where(Organisation.id == org_id)
                .values(data_version=Organisation.data_version + 1)
            )
            db.session.commit()
            t0 = time.perf_counter()
            staffing.warnings_for_year(org_id, year)
            elapsed = (time.perf_counter() - t0) * 1000
            db.session.remove()
            return elapsed

    samples = sorted(after_a_change() for _ in range(7))
    out["warnings_after_change"] = Timing(
        statistics.median(samples), percentile(samples, 0.95), len(samples)
    )
    with app.app_context():
        plan = staffing.load_plan(org_id, year)
        out["warning_count"] = len(compute_warnings(plan))
        out["rules"] = timed(lambda: compute_warnings(plan), 7)
        out["rotation"] = timed(lambda: staffing.generate_year(org_id, year, "replace"), 1, 0)
        org = db.session.get_one(Organisation, org_id)
        out["json_export"] = timed(lambda: export_json(org, year), 3)
        if seed_fresh:
            from planner.services.posts.seeding import seed_year

            fresh = Organisation(name="Nyby kommune")
            db.session.add(fresh)
            db.session.flush()
            out["seeding"] = timed(lambda: (seed_year(fresh, year), db.session.commit()), 1, 0)
        db.session.remove()
        dispose_engines()
    return out
