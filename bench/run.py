"""Benchmark: a big municipality's year in a fresh database, timed in-process.

Prints median and p95 latencies for the pages and commands that exist so far. Run with
``make bench`` (SQLite) or with ``DATABASE_URL`` set for PostgreSQL. Deterministic data
(fixed random seed). Tests assert behaviour only; figures live here.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from planner import create_app  # noqa: E402
from planner.extensions import db  # noqa: E402
from planner.models import (  # noqa: E402
    POST_KINDS,
    POST_STATUSES,
    Audience,
    Channel,
    Organisation,
    Post,
    User,
    Wheel,
)
from planner.services.json_export import export_json  # noqa: E402
from planner.services.seeding import seed_year  # noqa: E402

YEAR = 2026
PASSWORD = "benchmark-passord"


def build(n_posts: int, n_channels: int = 40, n_audiences: int = 30) -> None:
    """Create the synthetic municipality (deterministic)."""
    rng = random.Random(2026)
    org = Organisation(name="Storby kommune")
    db.session.add(org)
    db.session.flush()
    user = User(organisation_id=org.id, email="admin@storby.no", role="admin")
    user.set_password(PASSWORD)
    channels = [
        Channel(
            organisation_id=org.id, name=f"Kanal {i}", type="nettsamfunn" if i % 2 else "nettside"
        )
        for i in range(n_channels)
    ]
    audiences = [
        Audience(organisation_id=org.id, name=f"Målgruppe {i}", priority=i + 1)
        for i in range(n_audiences)
    ]
    wheel = Wheel(organisation_id=org.id, year=YEAR, name=f"Årshjul {YEAR}")
    db.session.add_all([user, wheel, *channels, *audiences])
    start = datetime(YEAR, 1, 1)
    for i in range(n_posts):
        day = start + timedelta(days=rng.randrange(365))
        db.session.add(
            Post(
                organisation_id=org.id,
                wheel=wheel,
                title=f"Innlegg {i}",
                start=day,
                end=day,
                all_day=True,
                status=rng.choice(POST_STATUSES),
                kind=rng.choice(POST_KINDS),
                rrule="FREQ=WEEKLY;COUNT=10" if i % 100 == 0 else None,
                channels=rng.sample(channels, 2),
                audiences=rng.sample(audiences, 2),
            )
        )
    db.session.commit()


def measure(name: str, fn: Callable[[], object], repeat: int = 15) -> float:
    """Run ``fn`` ``repeat`` times (after one warm-up) and print median and p95 in ms."""
    fn()
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    median = statistics.median(samples)
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    print(f"  {name:<38} median {median:8.1f} ms   p95 {p95:8.1f} ms")
    return median


def run(n_posts: int) -> dict[str, float]:
    """Build a fresh database of ``n_posts`` and time the operations."""
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite"
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "b"}
        )
        with app.app_context():
            db.drop_all()
            db.create_all()
            t0 = time.perf_counter()
            build(n_posts)
            print(
                f"{n_posts} posts ({url.split(':')[0]}): built in {time.perf_counter() - t0:.1f} s"
            )
            client = app.test_client()
            client.post("/login", data={"email": "admin@storby.no", "password": PASSWORD})
            org = db.session.execute(db.select(Organisation)).scalar_one()
            results = {
                "list": measure("plan list page (/plan/2026)", lambda: client.get(f"/plan/{YEAR}")),
                "export": measure(
                    "JSON export of the year", lambda: export_json(org, YEAR), repeat=5
                ),
            }
            fresh = Organisation(name="Ny kommune")
            db.session.add(fresh)
            db.session.flush()
            t0 = time.perf_counter()
            seed_year(fresh, YEAR)
            db.session.commit()
            print(
                f"  {'seeding the recommended årshjul':<38} {1000 * (time.perf_counter() - t0):8.1f} ms"
            )
            db.session.remove()
            db.drop_all()
        return results


def main() -> None:
    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "500,5000").split(",")]
    results = {n: run(n) for n in sizes}
    if len(sizes) > 1:
        small, big = sizes[0], sizes[-1]
        for key in results[small]:
            ratio = results[big][key] / results[small][key]
            print(f"cost ratio {key}: {ratio:.1f}× for {big / small:.0f}× the posts")


if __name__ == "__main__":
    main()
