"""Correct under real concurrency (issue 15, item 9): gunicorn with four workers and two Celery
workers on PostgreSQL and Redis; 200 calls and 200 texts arrive at once through signed webhooks
over HTTP. No local rings for two calls at once, no conversation goes to two locals, no local
holds more conversations than allowed, and every completed call earns its points exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise
from pathlib import Path

import pytest
import redis
from django.conf import settings

from ambassadors.models import EntryKind, PointsEntry, PointsRules
from benchmarks.server import request
from calls.models import Call as CallRow
from calls.models import (
    CallAttempt,
    CallStatus,
    Conversation,
    ConversationStatus,
    Message,
    PhoneLine,
)
from calls.simulator.engine import Phone

from .calls.conftest import free_port
from .concierge.environment import database_url
from .factories import every_day, make_ambassador

ROOT = Path(__file__).resolve().parents[1]
CALLS = TEXTS = 200
BROKER = "redis://127.0.0.1:6379/10"
CACHE = "redis://127.0.0.1:6379/9"

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def topology(postgres, tmp_path):
    try:
        redis.Redis.from_url(BROKER).ping()
    except redis.RedisError:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must run this test with Redis")
        pytest.skip("needs Redis")
    for url in (BROKER, CACHE):
        redis.Redis.from_url(url).flushdb()
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "concierge.settings",
        "DEBUG": "0",
        "SECRET_KEY": settings.SECRET_KEY,
        "PUBLIC_BASE_URL": settings.PUBLIC_BASE_URL,
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "*",
        "TELEPHONY_BACKEND": "locmem",
        "DATABASE_URL": database_url(),
        "CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": BROKER,
        "CACHE_URL": CACHE,
        "WEB_CONCURRENCY": "4",
        "PORT": str(port),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    python = sys.executable
    commands = [
        [python, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py", "concierge.wsgi"],
        *[
            [python, "-m", "celery", "--app", "concierge", "worker", "--queues",
             "urgent,default,batch", "--concurrency", "2", "--hostname", f"w{n}@%h",
             "--loglevel", "WARNING"]
            for n in (1, 2)
        ],
    ]  # fmt: skip
    log = (tmp_path / "topology.log").open("w")
    processes = [
        subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        for command in commands
    ]
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if request(port, "GET", "/health/", {})[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or any(p.poll() is not None for p in processes):
                pytest.fail((tmp_path / "topology.log").read_text()[-3000:])
            time.sleep(0.3)
        yield port
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()
        for url in (BROKER, CACHE):
            redis.Redis.from_url(url).flushdb()


def poster(port: int):
    def post(path: str, params: dict[str, str]) -> str:
        status, body = request(port, "POST", path, params, signed=True)
        assert status == 200, (path, status, body[:200])
        return body

    return post


def test_two_hundred_calls_and_texts_at_once(topology):
    port = topology
    PhoneLine.objects.create(
        number="+33199000000", label="National", ring_group_size=2, rings_early=False
    )
    for n in range(60):
        make_ambassador(f"local{n}@example.com", languages=("en",), slots=every_day())
    minimum = PointsRules.objects.get_or_create(pk=1)[0].call_min_seconds

    def place_call(n: int) -> None:
        tourist = Phone(post=poster(port), to="+33199000000", from_=f"+44791{n:07d}").dial()
        if tourist.state == "menu":
            tourist.wait()  # stays on the line: put through
        if tourist.state == "ringing":
            tourist.answer("1", tourist.legs[0].number)
            if tourist.state == "connected":
                tourist.hang_up(after=minimum + 30)

    def send_text(n: int) -> None:
        params = {
            "MessageSid": "SM" + uuid.uuid4().hex,
            "From": f"+49151{n:07d}",
            "To": "+33199000000",
            "Body": "Hello, where can I eat late near the station?",
            "NumSegments": "1",
        }
        assert request(port, "POST", "/calls/sms/incoming/", params, signed=True)[0] == 200

    with ThreadPoolExecutor(24) as pool:
        jobs = [pool.submit(place_call, n) for n in range(CALLS)]
        jobs += [pool.submit(send_text, n) for n in range(TEXTS)]
        for job in jobs:
            job.result()

    # The workers finish what the webhooks queued (texts, points, figures).
    broker = redis.Redis.from_url(BROKER)
    deadline = time.monotonic() + 120
    while any(broker.llen(q) for q in ("urgent", "default", "batch")):
        assert time.monotonic() < deadline, "the Celery queues did not drain"
        time.sleep(0.5)
    time.sleep(3)  # the last tasks in hand

    # 1. Nobody rang for two calls at once: a local's attempts never overlap in time.
    spans = defaultdict(list)
    for attempt in CallAttempt.objects.filter(ambassador__isnull=False).select_related("call"):
        end = attempt.ended_at or attempt.call.ended_at
        assert end is not None, f"attempt {attempt.pk} never ended"
        spans[attempt.ambassador_id].append((attempt.started_at, end, attempt.call_id))
    for local, intervals in spans.items():
        intervals.sort()
        for (_start_a, end_a, call_a), (start_b, _end_b, call_b) in pairwise(intervals):
            assert call_a == call_b or end_a <= start_b, (local, call_a, call_b)

    # 2. No conversation went to two locals, and nobody holds more than allowed.
    locals_of = defaultdict(set)
    for conversation_id, number in Message.objects.exclude(to_number="").values_list(
        "conversation_id", "to_number"
    ):
        if number.startswith("+336"):  # a local's mobile, not a tourist
            locals_of[conversation_id].add(number)
    assert all(len(numbers) == 1 for numbers in locals_of.values())
    open_by_local: defaultdict[int, int] = defaultdict(int)
    for responder in Conversation.objects.filter(
        status=ConversationStatus.OPEN, responder__isnull=False
    ).values_list("responder", flat=True):
        open_by_local[responder] += 1
    assert max(open_by_local.values(), default=0) <= settings.SMS_MAX_OPEN_PER_LOCAL
    assert Conversation.objects.count() == TEXTS

    # 3. Every completed call earned its points exactly once.
    completed = CallRow.objects.filter(
        status=CallStatus.COMPLETED, responder__isnull=False, duration__gte=minimum
    )
    assert completed.count() > CALLS // 4, "too few calls were put through to test anything"
    entries = PointsEntry.objects.filter(kind=EntryKind.CALL)
    references = list(entries.values_list("reference", flat=True))
    assert len(references) == len(set(references)) == completed.count()
