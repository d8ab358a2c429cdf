"""What the benchmark runs beside itself: fresh databases, and servers on 127.0.0.1.

* :func:`fresh_database` – a new SQLite file, or a new PostgreSQL database
  ``planner_bench_<pid>`` (dropped afterwards) when PostgreSQL is reachable;
* :func:`gunicorn` – a WSGI app under gunicorn (2 sync workers) on a free loopback port;
* :func:`radicale_store` – a Radicale collection holding the events of an .ics file.

Every server is a child process, stopped (SIGTERM, then SIGKILL) when its block ends.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
LOCAL_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


# --------------------------------------------------------------------------- databases


def _listening(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def postgres_admin_url() -> str | None:
    """An URL to create benchmark databases with: ``DATABASE_URL`` if it is PostgreSQL,
    else a local PostgreSQL on 127.0.0.1:5432 (user ``postgres``), else None."""
    env = os.environ.get("DATABASE_URL", "")
    if env.startswith(("postgres://", "postgresql")):
        return re.sub(r"^postgres(ql)?(\+\w+)?://", "postgresql+psycopg://", env)
    if _listening("127.0.0.1", 5432):
        return LOCAL_POSTGRES
    return None


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def _psycopg_dsn(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def _admin_execute(admin_url: str, sql: str) -> None:
    """Run one statement outside a transaction (CREATE/DROP DATABASE), trying the URL's
    database, then ``postgres`` and ``test`` (which one exists varies by set-up)."""
    import psycopg

    last: Exception | None = None
    for candidate in (
        admin_url,
        _with_database(admin_url, "postgres"),
        _with_database(admin_url, "test"),
    ):
        try:
            with psycopg.connect(_psycopg_dsn(candidate), autocommit=True) as conn:
                conn.execute(sql)  # type: ignore[arg-type]
            return
        except psycopg.OperationalError as exc:
            last = exc
    raise RuntimeError(f"PostgreSQL: {last}")


@contextmanager
def fresh_database(kind: str, folder: Path, prefix: str = "planner_bench") -> Iterator[str]:
    """A new, empty database of ``kind`` (``sqlite`` or ``postgresql``, then named
    ``<prefix>_<pid>`` and dropped afterwards); yields its URL."""
    if kind == "sqlite":
        path = folder / f"bench-{time.monotonic_ns()}.sqlite"
        yield f"sqlite:///{path}"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    admin = postgres_admin_url()
    if admin is None:
        raise RuntimeError("no PostgreSQL reachable")
    name = f"{prefix}_{os.getpid()}"
    _admin_execute(admin, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    _admin_execute(admin, f"CREATE DATABASE {name}")
    try:
        yield _with_database(admin, name)
    finally:
        _admin_execute(admin, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


# --------------------------------------------------------------------------- servers


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A running server: where it listens and its master process."""

    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def worker_pids(self) -> list[int]:
        """The gunicorn workers (children of the master)."""
        pid = self.process.pid
        try:
            text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
        except OSError:
            return []
        return [int(p) for p in text.split()]

    def worker_rss_mb(self) -> list[float]:
        """Resident memory of each worker (VmRSS from /proc), in MB."""
        sizes = []
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
            if match:
                sizes.append(int(match.group(1)) / 1024)
        return sizes


def _wait_until_up(port: int, path: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server stopped at start:\n{log.read_text()[-3000:]}")
        # Closed in every case: a probe that times out while the server is still starting
        # (a loaded machine) must not leave its socket to the garbage collector.
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            conn.request("GET", path)
            status = conn.getresponse().status
            if status < 500:
                return
        except OSError:
            pass
        finally:
            conn.close()
        time.sleep(0.2)
    raise RuntimeError(f"server did not answer on port {port}:\n{log.read_text()[-3000:]}")


@contextmanager
def gunicorn(
    app: str,
    env: dict[str, str],
    *,
    workers: int = 2,
    probe: str = "/",
    log_folder: Path,
) -> Iterator[Server]:
    """``gunicorn -w <workers> -b 127.0.0.1:<free port> <app>``, stopped at the end."""
    port = free_port()
    log = log_folder / f"gunicorn-{port}.log"
    command = [
        str(VENV_BIN / "gunicorn"),
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--chdir",
        str(ROOT),
        "--timeout",
        "600",
        "--graceful-timeout",
        "5",
        "--log-level",
        "warning",
        app,
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
    try:
        _wait_until_up(port, probe, process, log)
        yield Server(port, process, log)
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a server we started: SIGTERM, and SIGKILL if it is still there after 10 s."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


# --------------------------------------------------------------------------- Radicale


def radicale_store(ics: bytes, folder: Path) -> tuple[Path, str]:
    """A Radicale storage folder with one calendar collection holding the events of
    ``ics`` (one item per UID, with its overrides and the time zones it uses), and the
    config file to run Radicale on it. Returns (config path, collection path)."""
    from icalendar import Calendar

    source = Calendar.from_ical(ics)
    timezones = [c for c in source.walk("VTIMEZONE")]
    by_uid: dict[str, list[object]] = {}
    for event in source.walk("VEVENT"):
        by_uid.setdefault(str(event.get("UID")), []).append(event)
    collection = folder / "collections" / "collection-root" / "bench" / "plan"
    collection.mkdir(parents=True)
    (collection / ".Radicale.props").write_text(
        '{"tag": "VCALENDAR", "D:displayname": "Hele planen"}', encoding="utf-8"
    )
    for n, (uid, events) in enumerate(by_uid.items()):
        item = Calendar()
        item.add("PRODID", "-//planner benchmark//NO")
        item.add("VERSION", "2.0")
        for timezone in timezones:
            item.add_component(timezone)
        for event in events:
            item.add_component(event)  # type: ignore[arg-type]
        safe = re.sub(r"[^A-Za-z0-9_.@-]", "_", uid)[:200] or f"item{n}"
        (collection / f"{safe}.ics").write_bytes(item.to_ical())
    config = folder / "radicale.conf"
    config.write_text(
        "\n".join(
            [
                "[auth]",
                "type = none",
                "[rights]",
                "type = owner_only",
                "[storage]",
                f"filesystem_folder = {folder / 'collections'}",
                "[web]",
                "type = none",
                "[logging]",
                "level = warning",
                "",
            ]
        ),
        encoding="utf-8",
    )
    return config, "/bench/plan/"


def scratch_folder() -> tempfile.TemporaryDirectory[str]:
    """A temporary folder for databases, logs, feeds and the Radicale store."""
    return tempfile.TemporaryDirectory(prefix="planner-bench-")
