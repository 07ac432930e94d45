"""The voice line's hot paths, through the real views: a call from `incoming` through the menus
to the first <Dial> (a line that rings after the greeting), and a call on a line that rings
during the greeting (the default): `incoming` claims the group and places its calls, the
queue's first wait turn, a local's whisper and their 1, which bridges the caller.

Each webhook is sent signed through Django's full request stack (the test client, in-process),
at a fixed instant of the generated week; server time and SQL queries are counted per webhook.
"""

from __future__ import annotations

import html
import random
import re
import statistics
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlencode

import time_machine
from django.conf import settings
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext

from calls.models import PhoneLine
from calls.telephony import fake_calls
from calls.twilio.webhooks import sign

from .selector import NOW

AT = NOW.replace(day=NOW.day + 1, hour=20)  # Tuesday 20:00, Paris: a busy evening
WARM_UP = 20  # calls placed first and not measured: the first requests of a process are slower
FORM = "application/x-www-form-urlencoded"  # how Twilio posts its webhooks
STEPS = ("incoming", "language", "motive", "region", "connect")
EARLY_STEPS = ("incoming", "wait", "whisper", "accept")
WAIT_URL = re.compile(r'waitUrl="([^"]+)"')


@dataclass(frozen=True)
class VoiceResult:
    size: int
    path_p50: float
    path_p99: float
    connect_p50: float
    connect_p99: float
    queries: dict[str, int]
    step_p99: dict[str, float]
    dialled: int
    calls: int


def _post(client: Client, path: str, params: dict[str, str]) -> tuple[str, float, int]:
    signature = sign(settings.PUBLIC_BASE_URL + path, params)
    reset_queries()  # the capture counts within a bounded log: start each request empty
    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        response = client.post(
            path, urlencode(params), content_type=FORM, HTTP_X_TWILIO_SIGNATURE=signature
        )
        elapsed = (time.perf_counter() - began) * 1000
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode(), elapsed, len(queries)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(size: int, *, calls: int, seed: int = 7) -> VoiceResult:
    rng = random.Random(seed)  # noqa: S311 - reproducible keypresses
    # The menus, then connect and its <Dial>: a line that rings after the greeting (one that
    # rings during it claims in ``incoming`` and queues the caller instead).
    line, _ = PhoneLine.objects.update_or_create(
        number="+33199000000",
        defaults={"label": "Bench", "ivr_languages": "en,fr,de,es,it", "rings_early": False},
    )
    host = settings.PUBLIC_BASE_URL.split("://", 1)[1]
    client = Client(HTTP_HOST=host)
    totals: list[float] = []
    connects: list[float] = []
    dialled = 0
    queries: dict[str, list[int]] = defaultdict(list)
    timings: dict[str, list[float]] = defaultdict(list)
    with time_machine.travel(AT, tick=True):
        for n in range(-WARM_UP, calls):
            if n == 0:  # the warm-up calls (n < 0) are not counted
                queries.clear()
                timings.clear()
                totals, connects, dialled = [], [], 0
            sid = "CA" + uuid.uuid4().hex
            caller = {"CallSid": sid, "From": f"+4915{n + WARM_UP:09d}", "To": str(line.number)}
            _xml, ms, count = _post(client, "/calls/voice/incoming/", caller)
            total = ms
            queries["incoming"].append(count)
            timings["incoming"].append(ms)
            call_id = PhoneLine.objects.get(pk=line.pk).calls.get(sid=sid).public_id
            keys = {
                "language": "1",
                "motive": str(rng.randint(0, 6)),
                "region": str(rng.randint(0, 9)),
            }
            for step in ("language", "motive", "region"):
                path = f"/calls/voice/{call_id}/menu/{step}/"
                _xml, ms, count = _post(client, path, {**caller, "Digits": keys[step]})
                total += ms
                queries[step].append(count)
                timings[step].append(ms)
            xml, ms, count = _post(client, f"/calls/voice/{call_id}/connect/", caller)
            total += ms
            queries["connect"].append(count)
            timings["connect"].append(ms)
            connects.append(ms)
            totals.append(total)
            dialled += "<Dial" in xml
            # The caller hangs up: the ambassador is free again for the next call.
            _post(client, "/calls/voice/status/", {**caller, "CallStatus": "completed"})
    return VoiceResult(
        size=size,
        path_p50=statistics.median(totals),
        path_p99=_percentile(totals, 0.99),
        connect_p50=statistics.median(connects),
        connect_p99=_percentile(connects, 0.99),
        queries={step: max(queries[step]) for step in STEPS},
        step_p99={step: _percentile(timings[step], 0.99) for step in STEPS},
        dialled=dialled,
        calls=calls,
    )


@dataclass(frozen=True)
class EarlyResult:
    size: int
    path_p50: float  # incoming → bridged: the four webhooks' server time
    path_p99: float
    queries: dict[str, int]
    step_p99: dict[str, float]
    bridged: int
    calls: int


def measure_early(size: int, *, calls: int) -> EarlyResult:
    """Calls on a line that rings during the greeting, each taken by the first phone placed."""
    line, _ = PhoneLine.objects.update_or_create(
        number="+33199000002",
        defaults={"label": "Bench, rings early", "ivr_languages": "en", "rings_early": True},
    )
    client = Client(HTTP_HOST=settings.PUBLIC_BASE_URL.split("://", 1)[1])
    base = len(settings.PUBLIC_BASE_URL)
    totals: list[float] = []
    bridged = 0
    queries: dict[str, list[int]] = defaultdict(list)
    timings: dict[str, list[float]] = defaultdict(list)
    with time_machine.travel(AT, tick=True):
        for n in range(-WARM_UP, calls):
            if n == 0:
                queries.clear()
                timings.clear()
                totals, bridged = [], 0
            fake_calls.placed.clear()
            sid = "CA" + uuid.uuid4().hex
            caller = {"CallSid": sid, "From": f"+4416{n + WARM_UP:08d}", "To": str(line.number)}
            call: dict[str, tuple[float, int]] = {}

            def step(name: str, path: str, params: dict[str, str]) -> str:
                xml, ms, count = _post(client, path, params)
                call[name] = (ms, count)  # noqa: B023 - used within this iteration
                return xml

            xml = step("incoming", "/calls/voice/incoming/", caller)
            wait = WAIT_URL.search(xml)
            if wait is None or not fake_calls.placed:
                raise RuntimeError("the early line did not queue the caller: " + xml[:200])
            step("wait", html.unescape(wait.group(1)), caller)
            leg = fake_calls.placed[0]
            whisper = leg.url[base:]
            local = {"CallSid": leg.sid, "From": leg.from_, "To": leg.to}
            step("whisper", whisper, local)
            answer = whisper.replace("/whisper/", "/whisper/answer/")
            bridged += "<Queue>" in step("accept", answer, {**local, "Digits": "1"})
            totals.append(sum(ms for ms, _count in call.values()))
            for name, (ms, count) in call.items():
                queries[name].append(count)
                timings[name].append(ms)
            _post(client, "/calls/voice/status/", {**caller, "CallStatus": "completed"})
    fake_calls.placed.clear()
    fake_calls.ended.clear()
    return EarlyResult(
        size=size,
        path_p50=statistics.median(totals),
        path_p99=_percentile(totals, 0.99),
        queries={step: max(queries[step]) for step in EARLY_STEPS},
        step_p99={step: _percentile(timings[step], 0.99) for step in EARLY_STEPS},
        bridged=bridged,
        calls=calls,
    )


def print_early(results: list[EarlyResult]) -> None:
    print("\n# Voice line ringing during the greeting: incoming → bridged (4 signed webhooks)\n")
    print(
        "| ambassadors | calls | bridged | whole path p50 ms | p99 "
        "| p99 ms per webhook | queries per webhook |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | --- | --- |")
    for r in results:
        counts = " / ".join(str(r.queries[step]) for step in EARLY_STEPS)
        p99s = " / ".join(f"{r.step_p99[step]:.0f}" for step in EARLY_STEPS)
        print(
            f"| {r.size:,} | {r.calls} | {r.bridged} | {r.path_p50:.1f} | {r.path_p99:.1f} "
            f"| {p99s} | {counts} |"
        )
    print("\n(per webhook: incoming, which claims and places the calls / the queue's first wait")
    print("turn / the local's whisper / their 1, which bridges)")


def print_results(results: list[VoiceResult]) -> None:
    print("\n# Voice line: incoming → first <Dial> (5 signed webhooks), Tuesday 20:00\n")
    print(
        "| ambassadors | calls | dialled | whole path p50 ms | p99 | connect p50 ms | p99 "
        "| p99 ms per webhook | queries per webhook |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |")
    for r in results:
        counts = " / ".join(str(r.queries[step]) for step in STEPS)
        p99s = " / ".join(f"{r.step_p99[step]:.0f}" for step in STEPS)
        print(
            f"| {r.size:,} | {r.calls} | {r.dialled} | {r.path_p50:.1f} | {r.path_p99:.1f} "
            f"| {r.connect_p50:.1f} | {r.connect_p99:.1f} | {p99s} | {counts} |"
        )
    print("\n(per webhook: incoming / language / motive / region / connect)")
