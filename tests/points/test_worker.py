"""Points through a real Celery worker on the Redis broker: a call completed through Twilio's
webhooks earns its points in the worker; with the broker down nothing is lost, and the periodic
task awards it once the broker is back."""

from __future__ import annotations

import os
import socket
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.cache import cache

from ambassadors import points
from ambassadors.models import AwardStatus, PointsAward, PointsEntry
from concierge.celery import app

from ..calls.twilio import phone

pytestmark = pytest.mark.django_db(transaction=True)

REDIS = os.environ.get("CELERY_BROKER_URL", "").strip() or "redis://127.0.0.1:6379/0"


def reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname, parts.port or 6379), timeout=1).close()
    except OSError:
        return False
    return True


@contextmanager
def broker(url: str) -> Iterator[str]:
    """Send tasks to ``url`` for real (not eagerly), on a queue of this test's own."""
    queue = f"test-points-{uuid.uuid4().hex[:8]}"
    saved = {
        key: app.conf[key]
        for key in (
            "task_always_eager",
            "broker_url",
            "task_default_queue",
            "task_publish_retry",
            "task_routes",
        )
    }
    app.conf.update(
        task_always_eager=False,
        broker_url=url,
        task_default_queue=queue,
        task_publish_retry=False,
        task_routes={},  # every task on this test's queue, texts included
    )
    forget_connections()  # connections are pooled per broker: forget the old ones
    cache.delete(points.ENQUEUE_FLAG)
    try:
        yield queue
    finally:
        app.conf.update(saved)
        forget_connections()


@contextmanager
def worker(queue: str) -> Iterator[None]:
    with start_worker(app, pool="solo", queues=[queue], perform_ping_check=False):
        yield


def wait_for(condition, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


@pytest.fixture(autouse=True)
def _destination_defaults(transactional_db):
    """Transactional tests flush the database: put back the regions and motives."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("concierge.migrations.0002_default_regions_and_motives")
    migration.add_defaults(apps, None)


@pytest.fixture
def redis(postgres):
    if not reachable(REDIS):
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must provide Redis at {REDIS}")
        pytest.skip(f"needs Redis at {REDIS}")
    return REDIS


def test_a_real_worker_awards_a_completed_call(client, redis, national_line, alice):
    with broker(redis) as queue, worker(queue):
        phone(client).dial().press("1").press("1").press("0").answer("1").hang_up(after=240)
        assert wait_for(lambda: PointsEntry.objects.filter(ambassador=alice).exists())
    (entry,) = PointsEntry.objects.filter(ambassador=alice)
    assert entry.kind == "call" and entry.amount >= 14  # 10 + 4 minutes, maybe a bonus
    assert PointsAward.objects.get().status == AwardStatus.DONE


def test_with_the_broker_down_the_award_waits_then_arrives(client, redis, national_line, alice):
    with broker("redis://127.0.0.1:1/0"):  # nothing listens there
        phone(client).dial().press("1").press("1").press("0").answer("1").hang_up(after=240)
    award = PointsAward.objects.get()
    assert award.status == AwardStatus.PENDING  # recorded with the call, not lost
    assert not PointsEntry.objects.exists()

    with broker(redis) as queue, worker(queue):
        app.send_task("ambassadors.tasks.award_points", queue=queue)  # what beat sends
        assert wait_for(lambda: PointsEntry.objects.filter(ambassador=alice).exists())
    assert PointsEntry.objects.count() == 1


def forget_connections() -> None:
    """Celery pools broker connections on private attributes (unknown to its type stubs)."""
    vars(app)["_pool"] = None
    vars(app.amqp)["_producer_pool"] = None
