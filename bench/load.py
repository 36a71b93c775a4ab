"""Requests/s and p95 under load: gunicorn on 127.0.0.1 against the seed_scale data set, driven by wrk.

    .venv/bin/python bench/load.py                  # xianfeng_scale, 3 workers, 8 connections, 20 s per page
    .venv/bin/python bench/load.py --workers 4 --connections 16 --duration 30
    .venv/bin/python bench/load.py --only "member list"   # just this page

It starts gunicorn (config.wsgi, production settings: DEBUG off) on a free loopback port, logs a
session in for the committee staff of the whole tree, and drives two pages with wrk on loopback: the
public pledge board (anonymous, by its link) and the member list (the staff's session). wrk comes from
Debian (installed with apt-get when missing); without it a bounded Python thread client runs instead.
Every run is bounded in time (--duration) and the Python client also in count (--max-requests).
Traffic goes only to 127.0.0.1. Target: >= 100 requests/s with p95 < 150 ms for each page.
"""

import argparse
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from pages import configure  # noqa: E402

PAGES = ("public pledge board", "member list")
TARGET_RPS = 100
TARGET_P95_MS = 150
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT requests=%d duration_us=%d p50_us=%d p95_us=%d p99_us=%d errors=%d\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), errors))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_wrk() -> str | None:
    if shutil.which("wrk"):
        return shutil.which("wrk")
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(
            ["apt-get", "install", "-y", "-q", "wrk"],
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            stdout=subprocess.DEVNULL,
            check=False,
        )
    return shutil.which("wrk")


def targets(only=()) -> list[tuple[str, str, str]]:
    """(label, path, cookie header) of the two pages under load (those labelled in ``only``, if given)."""
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from accounts.models import User
    from pledges.models import BoardLink
    from portal.scale.builder import STAFF_USERNAME

    result = []
    if not only or "public pledge board" in only:
        link = BoardLink.objects.filter(revoked_at__isnull=True).order_by("id").first()
        result.append(("public pledge board", reverse("pledges:board_public", args=[link.token]), ""))
    if not only or "member list" in only:
        client = Client()
        client.force_login(User.objects.get(username=STAFF_USERNAME))
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookie = f"{settings.SESSION_COOKIE_NAME}={session}"
        result.append(("member list", reverse("members:member_list"), cookie))
    return result


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    gunicorn = str(ROOT / ".venv" / "bin" / "gunicorn")
    process = subprocess.Popen(
        [gunicorn, "config.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT,
        env={**os.environ, "PGAPPNAME": APP_NAME},
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not start")


APP_NAME = "xianfeng-load"  # the app servers' PostgreSQL connections carry it (PGAPPNAME)


def cpu_seconds(pids) -> float:
    """User + system CPU time of these processes and their children, from /proc (stat(5))."""
    pids = set(pids)
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # counted after the command name: [1] is the ppid, [11] utime, [12] stime
        if int(entry.name) in pids or int(fields[1]) in pids:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def backend_pids() -> list[int]:
    """PostgreSQL backends serving the app servers (local, so their CPU can be read from /proc)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE application_name = %s", [APP_NAME])
        return [pid for (pid,) in cursor.fetchall()]


def check(port: int, path: str, cookie: str) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        raise SystemExit(f"{path}: HTTP {response.status}")


def run_wrk(wrk: str, port: int, path: str, cookie: str, connections: int, duration: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    command = [wrk, "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s", script.name]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(f"http://127.0.0.1:{port}{path}")
    out = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60, check=True).stdout
    os.unlink(script.name)
    line = next(x for x in out.splitlines() if x.startswith("RESULT"))
    values = dict(part.split("=") for part in line.split()[1:])
    seconds = int(values["duration_us"]) / 1e6
    return {
        "requests": int(values["requests"]),
        "rps": int(values["requests"]) / seconds,
        "p50_ms": int(values["p50_us"]) / 1000,
        "p95_ms": int(values["p95_us"]) / 1000,
        "p99_ms": int(values["p99_us"]) / 1000,
        "errors": int(values["errors"]),
        "tool": "wrk",
    }


def run_threads(port: int, path: str, cookie: str, connections: int, duration: int, max_requests: int) -> dict:
    """A bounded keep-alive client: `connections` threads until `duration` seconds or `max_requests` requests."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + duration
    headers = {"Cookie": cookie} if cookie else {}

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.monotonic() < deadline:
            with lock:
                if len(latencies) + errors[0] >= max_requests:
                    return
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except OSError:
                ok = False
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            elapsed = time.perf_counter() - started
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    errors[0] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000 if latencies else 0.0

    return {
        "requests": len(latencies),
        "rps": len(latencies) / seconds,
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "errors": errors[0],
        "tool": "python threads",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=os.environ.get("XIANFENG_SCALE_DB", "xianfeng_scale"))
    parser.add_argument("--workers", type=int, default=3, choices=[2, 3, 4])
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--duration", type=int, default=20, help="seconds per page (at most 120)")
    parser.add_argument("--max-requests", type=int, default=20_000, help="cap of the Python client")
    parser.add_argument("--python-client", action="store_true", help="do not use wrk")
    parser.add_argument(
        "--only", action="append", default=[], choices=PAGES, help="just this page (repeat for several)"
    )
    args = parser.parse_args()
    args.duration = min(args.duration, 120)
    configure(args.db)
    pages = targets(args.only)
    wrk = None if args.python_client else ensure_wrk()
    port = free_port()
    server = start_gunicorn(port, args.workers)
    try:
        print(
            f"gunicorn -w {args.workers} on 127.0.0.1:{port}, db {args.db}; {args.connections} connections, "
            f"{args.duration}s per page, {'wrk' if wrk else 'Python thread client'}"
        )
        print(
            f"\n{'page':<24}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'requests':>10}{'errors':>8}"
            f"{'CPU ms/req: app':>17}{'db':>6}  target"
        )
        for label, path, cookie in pages:
            check(port, path, cookie)
            for _ in range(5):  # warm every worker
                check(port, path, cookie)
            backends = backend_pids()
            cpu_before = cpu_seconds([server.pid]), cpu_seconds(backends)
            if wrk:
                result = run_wrk(wrk, port, path, cookie, args.connections, args.duration)
            else:
                result = run_threads(port, path, cookie, args.connections, args.duration, args.max_requests)
            # CPU the app servers and their database backends spent per request: unlike req/s, it
            # hardly depends on what else the machine runs at the same time.
            requests = max(result["requests"], 1)
            app_ms = (cpu_seconds([server.pid]) - cpu_before[0]) * 1000 / requests
            # a backend that a worker opened during the run counts whole
            opened = set(backend_pids()) - set(backends)
            db_ms = (cpu_seconds(backends) - cpu_before[1] + cpu_seconds(opened)) * 1000 / requests
            met = result["rps"] >= TARGET_RPS and result["p95_ms"] < TARGET_P95_MS and not result["errors"]
            print(
                f"{label:<24}{result['rps']:>8.1f}{result['p50_ms']:>8.1f}{result['p95_ms']:>8.1f}"
                f"{result['p99_ms']:>8.1f}{result['requests']:>10}{result['errors']:>8}{app_ms:>17.1f}{db_ms:>6.1f}"
                f"  {'met' if met else 'MISSED'}",
                flush=True,
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
