"""Profile each webhook in-process: SQL statements (and their text), and where the Python time
goes (cProfile), for signed ``incoming`` on both lines, each menu step, the status callback and
the SMS first text. A tool for whoever tunes the webhooks, not part of ``make bench``:

    DATABASE_URL=postgres://…/test_concierge_bench DJANGO_SETTINGS_MODULE=benchmarks.settings \
        SECRET_KEY=x SECURE_SSL_REDIRECT=0 python -m benchmarks.profile_webhooks [--profile]

It expects the load benchmark's database (``--only load --keepdb`` leaves it, with its
population and its two lines).
"""

from __future__ import annotations

import cProfile
import os
import pstats
import sys
import time
import uuid
from collections import defaultdict
from urllib.parse import urlencode

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
os.environ.setdefault("BENCH_AT", "2026-06-09T20:00:00+02:00")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from benchmarks.load import FULL_LINE, LINE, next_request, sms_params, step_name, voice_params  # noqa: E402
from calls.twilio.webhooks import sign  # noqa: E402

HOST = settings.PUBLIC_BASE_URL.split("://", 1)[1]
client = Client(HTTP_HOST=HOST)


def post(path: str, params: dict[str, str]) -> str:
    signature = sign(settings.PUBLIC_BASE_URL + path, params)
    response = client.post(
        path,
        urlencode(params),
        content_type="application/x-www-form-urlencoded",
        HTTP_X_TWILIO_SIGNATURE=signature,
    )
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def caller(n: int, run: str) -> str:
    return f"+4915{run}{n:05d}"


def main() -> None:
    profile = "--profile" in sys.argv
    count = 200
    run = str(uuid.uuid4().int % 10_000).zfill(4)
    stats: dict[str, list[int]] = defaultdict(list)
    sqls: dict[str, list[str]] = {}
    seconds: dict[str, float] = defaultdict(float)
    cpu: dict[str, float] = defaultdict(float)
    profiles: dict[str, cProfile.Profile] = defaultdict(cProfile.Profile)

    def timed(name: str, path: str, params: dict[str, str]) -> str:
        with CaptureQueriesContext(connection) as captured:
            began, cpu_began = time.perf_counter(), time.process_time()
            if profile:
                profiles[name].enable()
            answer = post(path, params)
            if profile:
                profiles[name].disable()
            seconds[name] += time.perf_counter() - began
            cpu[name] += time.process_time() - cpu_began
        stats[name].append(len(captured.captured_queries))
        sqls.setdefault(name, [q["sql"] for q in captured.captured_queries])
        return answer

    # warm up: each line once
    for to in (FULL_LINE, LINE):
        sid = "CA" + uuid.uuid4().hex
        post("/calls/voice/incoming/", {**voice_params(sid, caller(99_999, run)), "To": to})

    for n in range(count):
        sid, who = "CA" + uuid.uuid4().hex, caller(n, run)
        answer = timed(
            "incoming (default line)",
            "/calls/voice/incoming/",
            {**voice_params(sid, who), "To": LINE},
        )
        timed("status callback", "/calls/voice/status/", voice_params(sid, who, "completed"))
    for n in range(count):
        sid, who = "CA" + uuid.uuid4().hex, caller(count + n, run)
        answer = timed(
            "incoming (full menu)",
            "/calls/voice/incoming/",
            {**voice_params(sid, who), "To": FULL_LINE},
        )
        while (request := next_request(answer, sid, who)) is not None:
            path, params, _signed = request
            name = step_name(request)
            if "connect" in name:
                break  # connect (the claim) is measured by the voice and load benchmarks
            answer = timed(name, path, params)
        hung_up = voice_params(sid, who, "completed")
        timed("status callback (after the menus)", "/calls/voice/status/", hung_up)
    for n in range(count):
        timed(
            "SMS first text",
            "/calls/sms/incoming/",
            sms_params("SM" + uuid.uuid4().hex, caller(2 * count + n, run), "Where can I eat?"),
        )

    for name, counts in stats.items():
        print(
            f"{name}: {len(counts)} requests, statements min {min(counts)} max {max(counts)}, "
            f"{seconds[name] / len(counts) * 1000:.2f} ms each in-process, "
            f"{cpu[name] / len(counts) * 1000:.2f} ms of CPU (the test client's included)"
        )
        for sql in sqls[name]:
            print("    ", sql[:200])
    if profile:
        for name, prof in profiles.items():
            print(f"\n===== {name}")
            pstats.Stats(prof).sort_stats("cumulative").print_stats(35)
            pstats.Stats(prof).sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
