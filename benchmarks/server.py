"""Real web processes for the load benchmark: gunicorn with N sync workers on the benchmark's
database, and a client that posts Twilio's real request shape over HTTP, signed."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection

from calls.twilio.webhooks import sign

ROOT = Path(__file__).resolve().parents[1]
BROKER = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/12")
MASTERS: dict[int, int] = {}  # port → gunicorn's master process


def workers_cpu_seconds(port: int) -> float | None:
    """The CPU time (user and system) the workers of the gunicorn at ``port`` have used so far:
    what a request costs in Python, whatever else the machine runs (Linux /proc only). A
    worker recycled meanwhile loses its time: compare phases without recycling."""
    master = MASTERS.get(port)
    if master is None or not Path("/proc").is_dir():
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:  # fields after the name: state, ppid, …, utime, stime
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def gunicorn(workers: int, root: Path = ROOT) -> Iterator[int]:
    """gunicorn with ``workers`` sync workers on this process's database, serving the code at
    ``root``; yields its port."""
    port = free_port()
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "DATABASE_URL": (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "WEB_CONCURRENCY": str(workers),
        "PORT": str(port),
        "LOG_LEVEL": "WARNING",
        # Tasks are queued as in production, not run eagerly inside the webhook that enqueues
        # them (figures, points, surveys): a Redis database of the benchmark's own, emptied after.
        "CELERY_BROKER_URL": BROKER,
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and configuration
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            str(root / "deploy" / "gunicorn.conf.py"),
            "--access-logfile",
            "/dev/null",
            "concierge.wsgi",
        ],
        cwd=root,
        env=env,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _body = request(port, "GET", "/health/", {})
                if status == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.2)
        MASTERS[port] = process.pid
        yield port
    finally:
        MASTERS.pop(port, None)
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        import redis

        redis.Redis.from_url(BROKER).flushdb()  # the tasks nobody will run


def request(
    port: int, method: str, path: str, params: dict[str, str], *, signed: bool = False
) -> tuple[int, str]:
    """One request on a new connection (gunicorn's sync workers close each one)."""
    host = settings.PUBLIC_BASE_URL.split("://", 1)[1]
    headers = {"Host": host}
    body = None
    if method == "POST":
        body = urlencode(params)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        if signed:
            headers["X-Twilio-Signature"] = sign(settings.PUBLIC_BASE_URL + path, params)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()
