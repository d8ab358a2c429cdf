"""Benchmark: a big municipality's year on one small server (``make bench``).

For each database (SQLite, and PostgreSQL when ``DATABASE_URL`` points at it or one
listens on 127.0.0.1:5432) and each plan size (``BENCH_SIZES``, default 500, 5,000 and
50,000 posts):

1. ``bench/generate.py`` builds the synthetic municipality (fixed seed) in a fresh
   database: 40 channels, 30 audiences, 30 staff, 60 peak periods, recurring posts;
2. in-process figures: the year's staffing warnings, the fair rotation, the JSON
   export, and the SQL queries per page (constant in the size of the plan);
3. the app runs under gunicorn (2 sync workers) on 127.0.0.1 and ``bench/load.py``, a
   separate process, measures each request: median and p95 latency one request at a
   time, then requests per second with 4 clients (``wrk`` when installed);
4. at the main size (``BENCH_MAIN_SIZE``, 5,000) the references, measured the same way
   in the same run: the same feed bytes as a static file from the same server (the
   ceiling), and the same calendar from Radicale (CalDAV server) under gunicorn;
5. the targets of the issue are checked (ok / MISS) and the cost ratios between sizes
   printed (linear growth: 10× the posts should cost at most about 10×).

Timings are figures, never test assertions. ``BENCH_SECONDS`` bounds each throughput
phase (default 5), ``BENCH_DATABASES`` picks databases (``sqlite,postgresql``),
``BENCH_JSON`` writes all results to a file.
"""

from __future__ import annotations

import html
import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

if __package__ in (None, ""):  # ``python bench/run.py``: make ``bench`` and ``planner`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import generate, inprocess, servers
from bench.load import Result, Spec, latency, percentile, wrk_available

MAIN_SIZE = int(os.environ.get("BENCH_MAIN_SIZE", "5000"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
CONCURRENCY = 4
SECRET = "bench-secret-key"


# --------------------------------------------------------------------------- results


@dataclass
class Row:
    """One measured line of the report."""

    label: str
    median_ms: float | None = None
    p95_ms: float | None = None
    rps: float | None = None
    note: str = ""
    target: str = ""
    verdict: str = ""


@dataclass
class SizeRun:
    """Everything measured for one database and one plan size."""

    database: str
    posts: int
    built_s: float = 0.0
    occurrences: int = 0
    rows: dict[str, Row] = field(default_factory=dict)
    queries: dict[str, int | str] = field(default_factory=dict)
    memory_mb: list[float] = field(default_factory=list)
    memory_start_mb: list[float] = field(default_factory=list)


def fmt_ms(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.1f} ms" if value < 1000 else f"{value / 1000:,.2f} s"


# --------------------------------------------------------------------------- HTTP session


class Browser:
    """A logged-in user over plain http.client: cookies and the CSRF token of forms."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, http.client.HTTPResponse, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        all_headers = dict(headers or {})
        if self.cookies:
            all_headers["Cookie"] = self.cookie_header()
        conn.request(method, path, body=body, headers=all_headers)
        response = conn.getresponse()
        data = response.read()
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        conn.close()
        return response.status, response, data

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def csrf(self, path: str) -> str:
        _status, _r, data = self.request("GET", path)
        match = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', data)
        if not match:
            raise RuntimeError(f"no CSRF token on {path}")
        return html.unescape(match.group(1).decode())

    def login(self) -> None:
        token = self.csrf("/login")
        form = {"email": generate.ADMIN_EMAIL, "password": generate.PASSWORD, "csrf_token": token}
        status, _r, _d = self.request(
            "POST",
            "/login",
            urlencode(form).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        if status != 302:
            raise RuntimeError(f"login failed: HTTP {status}")


def save_form(browser: Browser, catalog: generate.Catalog) -> bytes:
    """The body of a valid «Nytt innlegg» form (fields of planner/views/post_forms.py)."""
    token = browser.csrf("/posts/ny")
    fields: list[tuple[str, str]] = [
        ("csrf_token", token),
        ("title", "Benchmark: nytt innlegg"),
        ("wheel", str(catalog.wheels[0])),
        ("all_day", "y"),
        ("start_date", f"{catalog.year}-05-05"),
        ("end_date", f"{catalog.year}-05-05"),
        ("repeat", ""),
        ("status", "planlagt"),
        ("kind", "proaktiv"),
        ("service_area", str(catalog.areas[0])),
        ("channels", str(catalog.channels[0])),
        ("channels", str(catalog.channels[5])),
        ("audiences", str(catalog.audiences[0])),
        ("link", "https://www.storby.kommune.no/aktuelt"),
        ("description", "Lagret av benchmarken."),
        ("version", ""),
    ]
    return urlencode(fields).encode()


# --------------------------------------------------------------------------- measuring


def load_process(
    port: int, spec: Spec, requests: int, concurrency: int, seconds: float, warmup: int = 2
) -> dict[str, Any]:
    """Run ``bench/load.py`` as its own process and return its JSON result."""
    with tempfile.NamedTemporaryFile(suffix=".body", delete=False) as handle:
        handle.write(spec.body)
        body_file = handle.name
    command = [
        sys.executable,
        str(Path(__file__).with_name("load.py")),
        "--port",
        str(port),
        "--path",
        spec.path,
        "--method",
        spec.method,
        "--requests",
        str(requests),
        "--warmup",
        str(warmup),
        "--concurrency",
        str(concurrency),
        "--seconds",
        str(seconds),
        "--max-requests",
        "200" if spec.method != "GET" else "20000",
        "--expect",
        ",".join(str(s) for s in spec.expect),
        "--json",
    ]
    for name, value in spec.headers.items():
        command += ["--header", f"{name}: {value}"]
    if spec.body:
        command += ["--body-file", body_file]
    try:
        run = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=requests * 600 + seconds + 120,
            check=False,
        )
    finally:
        Path(body_file).unlink(missing_ok=True)
    if run.returncode != 0:
        raise RuntimeError(f"load.py failed: {run.stderr[-2000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def http_row(
    label: str,
    port: int,
    spec: Spec,
    requests: int = 30,
    concurrency: int = CONCURRENCY,
    seconds: float = SECONDS,
    warmup: int = 2,
    limit: float = 60.0,
) -> Row:
    """Latency (one at a time, at most ``limit`` seconds after ``warmup`` requests) and
    throughput (``concurrency`` clients for ``seconds``) of one request."""
    data = load_process(port, spec, requests, 0, limit, warmup)
    lat = Result(**data["latency"])
    row = Row(label, lat.median_ms, lat.p95_ms)
    notes = [] if lat.requests else [f"no answer within {limit:.0f} s"]
    if lat.errors:
        notes.append(f"{lat.errors} unexpected answers {lat.statuses} {lat.note}".strip())
    # Throughput only where it says something in bounded time (answers under 2 s).
    if concurrency and lat.median_ms is not None and lat.median_ms < 2000:
        data = load_process(port, spec, 0, concurrency, seconds)
        thr = Result(**data["throughput"])
        row.rps = thr.rps
        notes.append(thr.engine)
        if thr.errors:
            notes.append(f"{thr.errors} errors under load {thr.statuses} {thr.note}".strip())
    row.note = "; ".join(notes)
    return row


def cold_row(label: str, port: int, spec: Spec, before: Callable[[], None], requests: int) -> Row:
    """Latency of a request right after a change to the plan (``before`` makes one)."""
    samples: list[float] = []
    errors = 0
    for _ in range(requests):
        before()
        result = latency("127.0.0.1", port, spec, 1, 600)
        if result.median_ms is not None:
            samples.append(result.median_ms)
        errors += result.errors
    samples.sort()
    return Row(
        label,
        samples[len(samples) // 2] if samples else None,
        percentile(samples, 0.95) if samples else None,
        note=f"{len(samples)} runs, each after a change" + (f"; {errors} errors" if errors else ""),
    )


def bump_data_version(url: str, org_id: int) -> Callable[[], None]:
    """A change to the plan as every save makes one: Organisation.data_version + 1 (the
    key of the generated wheels, feeds and exports), done from outside the server."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)

    def bump() -> None:
        with engine.begin() as conn:
            conn.execute(
                text("UPDATE organisation SET data_version = data_version + 1 WHERE id = :id"),
                {"id": org_id},
            )

    bump.engine = engine  # type: ignore[attr-defined]
    return bump


# --------------------------------------------------------------------------- one size


def build(url: str, posts: int) -> tuple[generate.Catalog, float, int]:
    """The municipality in a fresh database; returns it, the build time and the number of
    occurrences in its year."""
    from planner import create_app
    from planner.extensions import db, dispose_engines
    from planner.services.posts.queries import plan_entries

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET})
    with app.app_context():
        db.create_all()
        t0 = time.perf_counter()
        catalog = generate.build(posts)
        built = time.perf_counter() - t0
        occurrences = len(plan_entries(catalog.org_id, catalog.year))
        db.session.remove()
        dispose_engines()
    return catalog, built, occurrences


def run_size(database: str, url: str, posts: int, scratch: Path) -> SizeRun:
    """Build, measure in-process, serve under gunicorn and measure over HTTP."""
    main = posts == MAIN_SIZE
    run = SizeRun(database, posts)
    catalog, run.built_s, run.occurrences = build(url, posts)
    print(
        f"\n== {database}, {posts:,} posts ({run.occurrences:,} occurrences in the year), "
        f"built in {run.built_s:.1f} s ==",
        flush=True,
    )
    year = catalog.year
    run.queries = inprocess.query_counts(url, catalog)
    staffing = inprocess.staffing_and_exports(url, catalog, seed_fresh=main)
    w = staffing["warnings"]
    run.rows["warnings"] = Row(
        f"staffing warnings of the year, in-process ({staffing['warning_count']} warnings)",
        w.median_ms,
        w.p95_ms,
        note=f"plan unchanged; rules alone {fmt_ms(staffing['rules'].median_ms)}",
    )
    w = staffing["warnings_after_change"]
    run.rows["warnings_after_change"] = Row(
        "staffing warnings right after a change (plan read anew), in-process",
        w.median_ms,
        w.p95_ms,
    )
    run.rows["rotation"] = Row(
        "fair duty rotation for the year, in-process", staffing["rotation"].median_ms
    )
    run.rows["json_export"] = Row(
        "JSON export of the year, in-process", staffing["json_export"].median_ms
    )
    if "seeding" in staffing:
        run.rows["seeding"] = Row(
            "seeding the recommended årshjul (new kommune)", staffing["seeding"].median_ms
        )

    instance = scratch / f"instance-{database}-{posts}"
    instance.mkdir()
    env = {"DATABASE_URL": url, "SECRET_KEY": SECRET, "BENCH_INSTANCE_PATH": str(instance)}
    many = 30 if posts <= MAIN_SIZE else 5
    with servers.gunicorn("bench.wsgi:app", env, probe="/healthz", log_folder=scratch) as app:
        run.memory_start_mb = app.worker_rss_mb()
        browser = Browser(app.port)
        browser.login()
        cookie = {"Cookie": browser.cookie_header()}

        def get(path: str, **kw: Any) -> Spec:
            return Spec(path, "GET", {**cookie, **kw.pop("headers", {})}, **kw)

        bump = bump_data_version(url, catalog.org_id)
        try:
            # Pages (read only), each warmed up once by its first latency request.
            run.rows["wheel"] = http_row(
                f"wheel page /arshjul/{year}", app.port, get(f"/arshjul/{year}"), many
            )
            run.memory_mb = app.worker_rss_mb()
            run.rows["wheel_cold"] = cold_row(
                "wheel page after a change (drawn anew)",
                app.port,
                get(f"/arshjul/{year}"),
                bump,
                10 if main else 3,
            )
            channel = catalog.channels[0]
            run.rows["list_filtered"] = http_row(
                f"list view with a filter /plan/{year}?kanal={channel}",
                app.port,
                get(f"/plan/{year}?kanal={channel}"),
                many,
            )
            run.rows["list"] = http_row(
                f"list view, whole year /plan/{year}",
                app.port,
                get(f"/plan/{year}"),
                many // 2 or 3,
            )
            run.rows["month"] = http_row(
                f"month view /plan/{year}/maned/3", app.port, get(f"/plan/{year}/maned/3"), many
            )
            run.rows["post_form"] = http_row(
                "post form /posts/ny", app.port, get("/posts/ny"), many
            )
            run.rows["staffing_page"] = http_row(
                f"staffing page /bemanning?year={year}",
                app.port,
                get(f"/bemanning?year={year}"),
                10 if main else 3,
                concurrency=0,
            )
            feed_rows(run, app.port, catalog, bump, main, scratch)
            if main:
                docx_rows(run, app.port, get, year)
            # Saving changes the plan, so it comes last.
            body = save_form(browser, catalog)
            run.rows["save"] = http_row(
                "save a post POST /posts/ny",
                app.port,
                Spec(
                    "/posts/ny",
                    "POST",
                    {**cookie, "Content-Type": "application/x-www-form-urlencoded"},
                    body,
                    (302,),
                ),
                many,
            )
        finally:
            bump.engine.dispose()  # type: ignore[attr-defined]
    return run


def feed_rows(
    run: SizeRun,
    port: int,
    catalog: generate.Catalog,
    bump: Callable[[], None],
    main: bool,
    scratch: Path,
) -> None:
    """The full feed (200), the conditional request (304), the feed after a change, and at
    the main size the references: the static file and Radicale."""
    if not catalog.feed_token:
        for key in ("feed_200", "feed_304"):
            run.rows[key] = Row(f"feed ({key[-3:]})", note=catalog.feed_note)
        return
    path = f"/feeds/{catalog.feed_token}.ics"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    t0 = time.perf_counter()
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    etag = response.getheader("ETag") or ""
    conn.close()
    if response.status != 200:
        for key in ("feed_200", "feed_304"):
            run.rows[key] = Row(f"feed ({key[-3:]})", note=f"skipped: HTTP {response.status}")
        return
    first_ms = (time.perf_counter() - t0) * 1000
    size = f"{len(body) / 1e6:.1f} MB"
    small = run.posts <= MAIN_SIZE
    few: dict[str, Any] = {}
    if not small and first_ms > 5000:
        # A big plan with a slow build: two requests each, no warm-up, time enough for
        # them; if both are slow too, the feed is built anew on every request.
        few = {"requests": 2, "concurrency": 0, "warmup": 0, "limit": 900.0}
    run.rows["feed_200"] = http_row(
        f"full feed, 200 ({size}, unchanged plan)", port, Spec(path), **few
    )
    run.rows["feed_304"] = http_row(
        "conditional feed request, 304",
        port,
        Spec(path, headers={"If-None-Match": etag}, expect=(304,)),
        **few,
    )
    for key in ("feed_200", "feed_304"):
        row = run.rows[key]
        fastest = 2 * (row.median_ms or 0) - (row.p95_ms or 0)  # of two samples
        if few and fastest > 0.5 * first_ms:
            row.note = "built anew on every request: the feed does not stay in the feed cache"
    run.rows["feed_cold"] = cold_row(
        "full feed after a change (built anew)", port, Spec(path), bump, 3 if small else 1
    )
    if main:
        for key, reference in (("static_200", static_reference), ("radicale", radicale_reference)):
            try:
                reference(run, body, size, scratch)
            except (RuntimeError, OSError) as exc:  # a reference must not stop the run
                run.rows[key] = Row(f"reference {key}", note=f"failed: {exc}"[:300])


def static_reference(run: SizeRun, body: bytes, size: str, scratch: Path) -> None:
    """The ceiling: the same bytes as a static file from the same server (gunicorn with 2
    workers, Werkzeug's static file middleware: ETag, 304)."""
    static_dir = scratch / f"static-{run.database}-{run.posts}"
    static_dir.mkdir()
    (static_dir / "feed.ics").write_bytes(body)
    with servers.gunicorn(
        "bench.static_app:app",
        {"BENCH_STATIC_DIR": str(static_dir)},
        probe="/feed.ics",
        log_folder=scratch,
    ) as static:
        conn = http.client.HTTPConnection("127.0.0.1", static.port, timeout=60)
        conn.request("GET", "/feed.ics")
        first = conn.getresponse()
        first.read()
        static_etag = first.getheader("ETag") or ""
        conn.close()
        run.rows["static_200"] = http_row(
            f"reference: the same {size} as a static file, 200", static.port, Spec("/feed.ics")
        )
        run.rows["static_304"] = http_row(
            "reference: the static file, conditional 304",
            static.port,
            Spec("/feed.ics", headers={"If-None-Match": static_etag}, expect=(304,)),
        )


def radicale_reference(run: SizeRun, body: bytes, size: str, scratch: Path) -> None:
    """The same calendar from Radicale (one item per event, as a CalDAV client would have
    stored it) under the same server, fetched whole with GET like a subscription."""
    t0 = time.perf_counter()
    config, collection = servers.radicale_store(
        body, scratch / f"radicale-{run.database}-{run.posts}"
    )
    prepared = time.perf_counter() - t0
    with servers.gunicorn(
        "radicale:application",
        {"RADICALE_CONFIG": str(config)},
        probe="/",
        log_folder=scratch,
    ) as radicale:
        # The first GET fills Radicale's item cache (on disk, shared by the workers).
        first = latency("127.0.0.1", radicale.port, Spec(collection), 1, 900)
        if first.errors or not first.requests:
            raise RuntimeError(f"Radicale answered {first.statuses} {first.note}")
        run.rows["radicale"] = http_row(
            f"reference: the same calendar from Radicale {radicale_version()}, GET collection",
            radicale.port,
            Spec(collection),
            10,
            CONCURRENCY,
            max(SECONDS, 10.0),
        )
        run.rows[
            "radicale"
        ].note += (
            f"; store of {size} prepared in {prepared:.0f} s, first GET {fmt_ms(first.median_ms)}"
        )


def radicale_version() -> str:
    try:
        import radicale

        return str(radicale.VERSION)
    except ImportError:  # pragma: no cover - radicale is in the test extra
        return "(not installed)"


def docx_rows(run: SizeRun, port: int, get: Callable[..., Spec], year: int) -> None:
    """The DOCX export through the export page's download: the first download after a
    change renders the document, later ones come from the export cache."""
    path = f"/eksport/fil/docx?year={year}"
    first = latency("127.0.0.1", port, get(path), 1, 900)
    if first.errors or first.median_ms is None:
        run.rows["docx_cold"] = Row(
            "DOCX export", note=f"skipped: not available ({first.statuses} {first.note})"
        )
        return
    run.rows["docx_cold"] = Row(
        f"DOCX export, first download after a change ({first.bytes / 1e6:.1f} MB)",
        first.median_ms,
        note="1 run",
    )
    run.rows["docx"] = http_row("DOCX export, later downloads (export cache)", port, get(path), 10)


# --------------------------------------------------------------------------- targets and report

TARGETS: dict[str, tuple[str, float]] = {
    "wheel": ("≤ 150 ms", 150),
    "wheel_cold": ("≤ 150 ms", 150),
    "list_filtered": ("≤ 100 ms", 100),
    "save": ("≤ 50 ms", 50),
    "feed_200": ("≤ 100 ms", 100),
    "warnings": ("≤ 50 ms", 50),
    "warnings_after_change": ("≤ 50 ms", 50),
}


def check_targets(run: SizeRun) -> None:
    """Mark the rows that have a target in the issue (medians). The targets are for the
    large municipality of the main size; the other sizes show how the cost grows."""
    if run.posts != MAIN_SIZE:
        return
    for key, (text, limit) in TARGETS.items():
        row = run.rows.get(key)
        if row is None:
            continue
        row.target = text
        if row.median_ms is not None:
            row.verdict = "ok" if row.median_ms <= limit else "MISS"
    feed, static = run.rows.get("feed_304"), run.rows.get("static_304")
    if feed and static and feed.median_ms and static.median_ms:
        ratio = feed.median_ms / static.median_ms
        feed.target = f"≤ 2× static ({ratio:.1f}×)"
        feed.verdict = "ok" if ratio <= 2 else "MISS"
    full, radicale = run.rows.get("feed_200"), run.rows.get("radicale")
    if full and radicale and full.rps and radicale.rps:
        ratio = full.rps / radicale.rps
        radicale.target = f"feed ≥ 5× ({ratio:.0f}×)"
        radicale.verdict = "ok" if ratio >= 5 else "MISS"


def report(run: SizeRun) -> None:
    """The table of one size."""
    check_targets(run)
    print(f"{'':2}{'request':<62}{'median':>11}{'p95':>11}{'req/s':>9}  {'target':<24}")
    for row in run.rows.values():
        rps = f"{row.rps:,.0f}" if row.rps else "–"
        target = f"{row.target} {row.verdict}".strip()
        print(
            f"  {row.label[:61]:<62}{fmt_ms(row.median_ms):>11}{fmt_ms(row.p95_ms):>11}{rps:>9}  {target}"
        )
        if row.note:
            print(f"  {'':4}{row.note}")
    if run.memory_mb:
        peak = max(run.memory_mb)
        verdict = "ok" if peak <= 200 else "MISS"
        print(
            f"  memory of one worker after the wheel page: {peak:.0f} MB "
            f"(workers {', '.join(f'{m:.0f}' for m in run.memory_mb)} MB; "
            f"{', '.join(f'{m:.0f}' for m in run.memory_start_mb)} MB after start)  ≤ 200 MB {verdict}"
        )
    if "feed_200" in run.rows and "static_200" in run.rows:
        a, b = run.rows["feed_200"], run.rows["static_200"]
        if a.median_ms and b.median_ms:
            print(
                f"  full feed vs static file: {a.median_ms / b.median_ms:.1f}× the latency", end=""
            )
            if a.rps and b.rps:
                print(f", {a.rps / b.rps:.2f}× the requests per second", end="")
            print()
    print("  SQL queries per page: " + ", ".join(f"{k} {v}" for k, v in run.queries.items()))


def scaling(runs: list[SizeRun]) -> None:
    """Cost ratios between sizes: linear growth means at most about the ratio of posts."""
    by_db: dict[str, list[SizeRun]] = {}
    for run in runs:
        by_db.setdefault(run.database, []).append(run)
    for database, sized in by_db.items():
        sized.sort(key=lambda r: r.posts)
        for small, big in zip(sized, sized[1:], strict=False):
            factor = big.posts / small.posts
            print(
                f"\n== {database}: cost ratio {small.posts:,} → {big.posts:,} posts ({factor:.0f}× the posts) =="
            )
            parts = []
            for key, row in big.rows.items():
                before = small.rows.get(key)
                if before and before.median_ms and row.median_ms:
                    ratio = row.median_ms / before.median_ms
                    mark = "" if ratio <= factor * 1.25 else " (worse than linear)"
                    parts.append(f"{key} {ratio:.1f}×{mark}")
            print("  " + "; ".join(parts))
            same = [k for k, v in big.queries.items() if small.queries.get(k) == v]
            print(f"  SQL queries per page unchanged: {', '.join(same) or 'none'}")


def environment() -> None:
    """What the figures were measured on (other load on the machine skews them)."""
    import platform

    load1, load5, _ = os.getloadavg()
    engine = (
        "wrk" if wrk_available() else "Python threads (apt-get install wrk for a lighter client)"
    )
    print(
        f"Benchmark on {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"gunicorn 2 sync workers, throughput client: {engine}, {CONCURRENCY} clients, "
        f"{SECONDS:.0f} s per throughput phase"
    )
    if load1 > 0.5 * (os.cpu_count() or 1):
        print(
            f"NOTE: load average {load1:.1f} / {load5:.1f} before the start: other processes use the CPU, figures will be pessimistic."
        )


def databases() -> list[str]:
    wanted = os.environ.get("BENCH_DATABASES", "sqlite,postgresql").split(",")
    found = []
    for name in wanted:
        if name == "sqlite":
            found.append(name)
        elif name == "postgresql":
            if servers.postgres_admin_url():
                found.append(name)
            else:
                print(
                    "PostgreSQL: skipped (no DATABASE_URL for PostgreSQL and nothing on 127.0.0.1:5432)"
                )
    return found


def main() -> None:
    """``make bench``: every database and size, then the cost ratios."""
    sizes = sorted(
        {int(s) for s in os.environ.get("BENCH_SIZES", f"500,{MAIN_SIZE},50000").split(",")}
    )
    environment()
    runs: list[SizeRun] = []
    with servers.scratch_folder() as tmp:
        scratch = Path(tmp)
        for database in databases():
            for posts in sizes:
                with servers.fresh_database(database, scratch) as url:
                    run = run_size(database, url, posts, scratch)
                report(run)
                runs.append(run)
    scaling(runs)
    if os.environ.get("BENCH_JSON"):
        Path(os.environ["BENCH_JSON"]).write_text(
            json.dumps([asdict(r) for r in runs], indent=2, ensure_ascii=False), encoding="utf-8"
        )


if __name__ == "__main__":
    main()
