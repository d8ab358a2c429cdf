"""The benchmark's load generator, run as a process of its own beside the server.

Two phases per measured request, both bounded in count and in time:

* latency: ``--requests`` requests one after another on one connection (median and p95 of
  the time from sending the request to having read the whole answer, connecting
  included when the server closes connections after each answer, as gunicorn's sync
  workers do);
* throughput: ``--concurrency`` clients at once for at most ``--seconds``, giving requests
  per second. With Debian's ``wrk`` installed (``apt-get install wrk``) it measures this
  phase, because a Python client on the same two cores would be the bottleneck for the
  fastest answers; otherwise Python threads do it (at most ``--max-requests``), and the
  output says which (``engine``). Requests that change data always use Python threads,
  so their number stays bounded.

Only the loopback interface is ever a target: any other host is refused.

    .venv/bin/python bench/load.py --port 8000 --path /healthz --requests 50 --json
"""

from __future__ import annotations

import argparse
import http.client
import ipaddress
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

LOOPBACK_NAMES = {"localhost"}


@dataclass(frozen=True)
class Spec:
    """One request to repeat."""

    path: str
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    expect: tuple[int, ...] = (200,)


@dataclass
class Result:
    """What a phase measured (milliseconds, requests per second)."""

    requests: int = 0
    errors: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    median_ms: float | None = None
    p95_ms: float | None = None
    rps: float | None = None
    bytes: int = 0
    engine: str = "python"
    note: str = ""


def check_loopback(host: str) -> str:
    """Refuse every target but the loopback interface (127.0.0.0/8, ::1, localhost)."""
    if host in LOOPBACK_NAMES:
        return host
    try:
        if ipaddress.ip_address(host).is_loopback:
            return host
    except ValueError:
        pass
    raise SystemExit(f"load.py only sends requests to the loopback interface, not to {host!r}")


def percentile(sorted_ms: list[float], share: float) -> float:
    """The nearest-rank percentile of already sorted samples."""
    index = min(len(sorted_ms) - 1, max(0, round(share * (len(sorted_ms) - 1))))
    return sorted_ms[index]


def _one(conn: http.client.HTTPConnection, spec: Spec) -> tuple[int, int]:
    """Send ``spec`` and read the whole answer; returns (status, body bytes)."""
    conn.request(spec.method, spec.path, body=spec.body or None, headers=spec.headers)
    response = conn.getresponse()
    data = response.read()
    if response.will_close:
        conn.close()
    return response.status, len(data)


def _connection(host: str, port: int) -> http.client.HTTPConnection:
    return http.client.HTTPConnection(host, port, timeout=60)


def latency(
    host: str, port: int, spec: Spec, requests: int, seconds: float, warmup: int = 0
) -> Result:
    """``requests`` requests one after another (stops early after ``seconds``), after
    ``warmup`` unmeasured ones (first-use work of each worker: imports, caches)."""
    check_loopback(host)
    conn = _connection(host, port)
    samples: list[float] = []
    result = Result()
    deadline = time.perf_counter() + seconds
    try:
        for _ in range(warmup):
            try:
                _one(conn, spec)
            except (OSError, http.client.HTTPException):
                conn.close()
        while len(samples) < requests and time.perf_counter() < deadline:
            t0 = time.perf_counter()
            try:
                status, size = _one(conn, spec)
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                result.errors += 1
                result.note = f"{type(exc).__name__}: {exc}"
                if result.errors > 5:
                    break
                continue
            samples.append((time.perf_counter() - t0) * 1000)
            result.statuses[str(status)] = result.statuses.get(str(status), 0) + 1
            result.bytes = size
            if status not in spec.expect:
                result.errors += 1
    finally:
        conn.close()
    result.requests = len(samples)
    if samples:
        samples.sort()
        result.median_ms = statistics.median(samples)
        result.p95_ms = percentile(samples, 0.95)
    return result


def throughput_python(
    host: str, port: int, spec: Spec, concurrency: int, seconds: float, max_requests: int
) -> Result:
    """``concurrency`` threads for at most ``seconds`` and ``max_requests`` in all."""
    check_loopback(host)
    lock = threading.Lock()
    budget = [max_requests]
    samples: list[float] = []
    statuses: dict[str, int] = {}
    errors = [0]
    deadline = time.perf_counter() + seconds

    def worker() -> None:
        conn = _connection(host, port)
        try:
            while time.perf_counter() < deadline:
                with lock:
                    if budget[0] <= 0:
                        return
                    budget[0] -= 1
                t0 = time.perf_counter()
                try:
                    status, _size = _one(conn, spec)
                except (OSError, http.client.HTTPException):
                    conn.close()
                    with lock:
                        errors[0] += 1
                    continue
                elapsed = (time.perf_counter() - t0) * 1000
                with lock:
                    samples.append(elapsed)
                    statuses[str(status)] = statuses.get(str(status), 0) + 1
                    if status not in spec.expect:
                        errors[0] += 1
        finally:
            conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    elapsed = time.perf_counter() - started
    samples.sort()
    return Result(
        requests=len(samples),
        errors=errors[0],
        statuses=statuses,
        median_ms=statistics.median(samples) if samples else None,
        p95_ms=percentile(samples, 0.95) if samples else None,
        rps=len(samples) / elapsed if elapsed > 0 else None,
        engine=f"python ({concurrency} threads)",
    )


_WRK_SCRIPT = """
wrk.method = %(method)s
wrk.body = %(body)s
%(headers)s
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %%d, "duration_us": %%d, "bytes": %%d, "status_errors": %%d, ' ..
    '"socket_errors": %%d, "p50_us": %%d, "p95_us": %%d}\\n',
    summary.requests, summary.duration, summary.bytes, e.status,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95)))
end
"""


def _lua_string(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n") + "'"


def wrk_available() -> str | None:
    """The path of ``wrk`` if it is installed."""
    return shutil.which("wrk")


def throughput_wrk(host: str, port: int, spec: Spec, concurrency: int, seconds: float) -> Result:
    """``wrk`` with one thread per core and ``concurrency`` connections for ``seconds``."""
    check_loopback(host)
    wrk = wrk_available()
    assert wrk is not None
    headers = "\n".join(
        f"wrk.headers[{_lua_string(k)}] = {_lua_string(v)}" for k, v in spec.headers.items()
    )
    script = _WRK_SCRIPT % {
        "method": _lua_string(spec.method),
        "body": _lua_string(spec.body.decode("utf-8")) if spec.body else "nil",
        "headers": headers,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
        script_path = handle.name
    try:
        url = f"http://{host}:{port}{spec.path}"
        run = subprocess.run(
            [
                wrk,
                "-t",
                str(min(2, concurrency)),
                "-c",
                str(concurrency),
                "-d",
                f"{max(1, round(seconds))}s",
                "--timeout",
                "30s",
                "-s",
                script_path,
                url,
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=False,
        )
    finally:
        Path(script_path).unlink(missing_ok=True)
    line = next((x for x in run.stdout.splitlines() if x.startswith("{")), None)
    if run.returncode != 0 or line is None:
        return Result(engine="wrk", note=f"wrk failed: {run.stderr.strip() or run.stdout[-300:]}")
    data = json.loads(line)
    duration = data["duration_us"] / 1e6
    return Result(
        requests=data["requests"],
        errors=data["status_errors"] + data["socket_errors"],
        median_ms=data["p50_us"] / 1000,
        p95_ms=data["p95_us"] / 1000,
        rps=data["requests"] / duration if duration else None,
        bytes=data["bytes"],
        engine=f"wrk ({concurrency} connections)",
    )


def throughput(
    host: str,
    port: int,
    spec: Spec,
    concurrency: int,
    seconds: float,
    max_requests: int,
    engine: str = "auto",
) -> Result:
    """Requests per second with ``wrk`` when installed (reads only), else Python threads."""
    use_wrk = engine == "wrk" or (engine == "auto" and wrk_available() is not None)
    if use_wrk and spec.method == "GET" and wrk_available():
        return throughput_wrk(host, port, spec, concurrency, seconds)
    return throughput_python(host, port, spec, concurrency, seconds, max_requests)


def main(argv: list[str] | None = None) -> None:
    """Command line: measure one request and print the result (``--json`` for the harness)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", required=True)
    parser.add_argument("--method", default="GET")
    parser.add_argument("--header", action="append", default=[], help="'Name: value'")
    parser.add_argument("--body-file", default=None)
    parser.add_argument("--expect", default="200", help="accepted statuses, e.g. 200,204,302")
    parser.add_argument("--requests", type=int, default=30, help="latency phase: requests")
    parser.add_argument("--warmup", type=int, default=2, help="unmeasured requests first")
    parser.add_argument("--concurrency", type=int, default=0, help="throughput phase: clients")
    parser.add_argument("--seconds", type=float, default=5.0, help="time limit of each phase")
    parser.add_argument("--max-requests", type=int, default=5000, help="throughput cap (Python)")
    parser.add_argument("--engine", choices=("auto", "python", "wrk"), default="auto")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    host = check_loopback(args.host)
    headers = dict(h.split(": ", 1) for h in args.header)
    body = Path(args.body_file).read_bytes() if args.body_file else b""
    spec = Spec(
        args.path,
        args.method.upper(),
        headers,
        body,
        tuple(int(s) for s in args.expect.split(",")),
    )
    out: dict[str, object] = {}
    if args.requests > 0:
        out["latency"] = asdict(
            latency(host, args.port, spec, args.requests, args.seconds, args.warmup)
        )
    if args.concurrency > 0:
        out["throughput"] = asdict(
            throughput(
                host,
                args.port,
                spec,
                args.concurrency,
                args.seconds,
                args.max_requests,
                args.engine,
            )
        )
    if args.json:
        print(json.dumps(out))
    else:
        for phase, values in out.items():
            print(phase, values)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
