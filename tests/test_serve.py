"""`make serve` starts the whole production topology on this machine: gunicorn, both Celery
workers and beat, on PostgreSQL and Redis, with DEBUG off — and it answers."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
import uuid
from pathlib import Path

import psycopg2  # type: ignore[import-untyped]
import pytest

from .calls.conftest import free_port

ROOT = Path(__file__).resolve().parents[1]
POSTGRES = "postgres://postgres@127.0.0.1:5432"


def reachable(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.fixture
def served(tmp_path):
    if not (reachable(5432) and reachable(6379)):
        if os.environ.get("CI") == "true":
            pytest.fail("make serve needs PostgreSQL and Redis")
        pytest.skip("make serve needs PostgreSQL and Redis")
    port = free_port()
    database = f"concierge_serve_{uuid.uuid4().hex[:8]}"
    log = tmp_path / "serve.log"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))},
        "PORT": str(port),
        "DATABASE_URL": f"{POSTGRES}/{database}",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/14",
        "CACHE_URL": "redis://127.0.0.1:6379/15",
        "METRICS_TOKEN": "smoke",
        "SECRET_KEY": "smoke-test-only-" + uuid.uuid4().hex,
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
        "CELERY_BEAT_FILE": str(tmp_path / "beat"),
    }
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(ROOT / "deploy" / "serve")],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped whole below
        )
    try:
        yield f"http://localhost:{port}", log
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        admin = psycopg2.connect(f"{POSTGRES}/postgres")
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.close()


def get(url: str, **headers: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - localhost
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.status, response.read().decode()


def wait_for(condition, log: Path, what: str, seconds: int = 180) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not happen:\n{log.read_text()[-3000:]}")
        time.sleep(1)


def test_make_serve_starts_web_workers_and_beat(served):
    base, log = served

    def healthy() -> bool:
        try:
            return get(f"{base}/health/")[1].count('"ok"') == 3
        except OSError:
            return False

    wait_for(healthy, log, "a healthy /health/ (database and broker)")
    status, home = get(f"{base}/")
    assert status == 200
    assert "+33 1 99 00 00 00" in home  # the demo's national line, written for humans
    wait_for(
        lambda: all(f"{name}@" in log.read_text() for name in ("urgent", "worker")),
        log,
        "both Celery workers ready",
    )
    assert "beat: Starting" in log.read_text()
    status, metrics = get(f"{base}/metrics/", Authorization="Bearer smoke")
    assert 'concierge_celery_queue_depth{queue="urgent"}' in metrics
    assert "DEBUG = True" not in log.read_text()
