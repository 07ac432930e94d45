"""Reward points at scale: a month of completed calls awarded by one Celery worker on Redis.

80,000 completed calls (The French Number's monthly ambition) are recorded as pending awards,
as the calls app records them when calls end; one worker process (``celery worker --pool solo``)
is started against the broker, the award task is enqueued, and the clock runs until the ledger
holds an entry for every call. The ledger is then checked: exactly one entry per call.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection

from ambassadors.models import Ambassador, AwardKind, PointsAward, PointsEntry

from .selector import NOW

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_BROKER = "redis://127.0.0.1:6379/0"


@dataclass(frozen=True)
class PointsResult:
    calls: int
    seconds: float
    entries: int
    duplicates: int
    points: int


def record_month_of_calls(count: int, *, seed: int = 11) -> None:
    """``count`` pending call awards over a month, spread over the ambassadors (the same every
    run), every call long enough to earn points."""
    rng = random.Random(seed)  # noqa: S311 - reproducible data
    ids = list(Ambassador.objects.values_list("pk", flat=True))
    PointsEntry.objects.all().delete()
    PointsAward.objects.all().delete()
    start = NOW - timedelta(days=30)
    awards = [
        PointsAward(
            key=f"call:{uuid.UUID(int=rng.getrandbits(128))}",
            kind=AwardKind.CALL,
            ambassador_id=rng.choice(ids),
            reference=f"bench-{n}",
            occurred_at=start + timedelta(seconds=rng.randrange(30 * 24 * 3600)),
            seconds=rng.randrange(60, 40 * 60),
        )
        for n in range(count)
    ]
    PointsAward.objects.bulk_create(awards, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE ambassadors_pointsaward")


def start_worker(broker: str, queue: str) -> subprocess.Popen:
    database = dict(settings.DATABASES["default"])
    url = (
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST'] or '127.0.0.1'}"
        f":{database['PORT'] or 5432}/{database['NAME']}"
    )
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "CELERY_BROKER_URL": broker,
        "SECRET_KEY": settings.SECRET_KEY,
    }
    command = [
        sys.executable, "-m", "celery", "-A", "concierge", "worker", "--pool", "solo",
        "--concurrency", "1", "--queues", queue, "--loglevel", "WARNING",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603 - our own command line


def measure(count: int) -> PointsResult:
    from concierge.celery import app

    broker = os.environ.get("CELERY_BROKER_URL") or DEFAULT_BROKER
    queue = f"bench-points-{uuid.uuid4().hex[:8]}"
    record_month_of_calls(count)
    app.conf.update(task_always_eager=False, broker_url=broker)
    worker = start_worker(broker, queue)
    try:
        time.sleep(3)  # let the worker connect, so its start-up is not counted
        began = time.perf_counter()
        app.send_task("ambassadors.tasks.award_points", queue=queue)
        while PointsEntry.objects.count() < count:
            if worker.poll() is not None:
                raise SystemExit("The worker stopped before the awards were done.")
            time.sleep(0.05)
        elapsed = time.perf_counter() - began
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(*) - count(DISTINCT key), coalesce(sum(amount), 0) "
            "FROM ambassadors_pointsentry"
        )
        entries, duplicates, total = cursor.fetchone()
    return PointsResult(count, elapsed, entries, duplicates, total)


def print_result(result: PointsResult) -> None:
    print("\n# Points: a month of completed calls, one worker on Redis\n")
    print("| calls | awarded in | entries | duplicate keys | points | per second |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    print(
        f"| {result.calls:,} | {result.seconds:.1f} s | {result.entries:,} | "
        f"{result.duplicates} | {result.points:,} | {result.calls / result.seconds:,.0f} |"
    )
