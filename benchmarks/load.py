"""``--only load``: the webhooks through real HTTP, gunicorn with N sync workers, several callers
at once, Twilio's real request shape — side by side with a bare view through the same middleware.

For each endpoint: requests per second, p50 and p99 (client-side, over HTTP), and each as a ratio
of the bare view measured in the same run. The calls are placed at a fixed instant of the
generated week (BENCH_AT), Tuesday 20:00 in Paris by default.

Two bare views: one through the pages' middleware, one marked as webhooks are (skipping what only
pages need): ratios are to the latter, the same middleware as the webhooks. Each step of a call on
a line that asks the full menu is measured as Twilio asks it (the question fetched, then the key
posted: 8 webhooks from ``incoming`` to ``<Dial>``), then the whole path, caller by caller; and a
burst of callers on the short path, each waiting as long as the greeting lasts before Twilio asks
``connect``, as a crowd of real callers would.
"""

from __future__ import annotations

import html
import random
import re
import statistics
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from calls.models import Call, PhoneLine

from . import server
from .selector import NOW

AT = NOW.replace(day=NOW.day + 1, hour=20)  # Tuesday 20:00, Paris
ACCOUNT = "AC" + "0123456789abcdef" * 2
LINE = "+33199000000"  # the short path: the greeting, then connect unless 1 is pressed
FULL_LINE = "+33199000009"  # asks language, topic and region before anyone rings
CALL_URL = re.compile(r"/calls/voice/([0-9a-f-]{36})/")
GATHER = re.compile(r'<Gather [^>]*action="([^"]+)"')
REDIRECT = re.compile(r"<Redirect[^>]*>([^<]+)</Redirect>")
SAY = re.compile(r"<Say[^>]*>([^<]*)</Say>")
STEP = re.compile(r"/calls/voice/[0-9a-f-]{36}/(?:menu/)?([a-z-]+)/")
WORDS_PER_SECOND = 2.5  # how fast Twilio's voices speak, roughly

Request = tuple[str, dict[str, str], bool]  # path, params, signed


def voice_params(sid: str, caller: str, status: str = "ringing") -> dict[str, str]:
    """The fields Twilio posts to a voice webhook for a call from abroad (26 of them)."""
    return {
        "AccountSid": ACCOUNT,
        "ApiVersion": "2010-04-01",
        "CallSid": sid,
        "CallStatus": status,
        "CallToken": "%7B%22parentCallInfoToken%22%3A%22eyJhbGciOiJFUzI1NiJ9%22%7D",
        "Called": LINE,
        "CalledCity": "",
        "CalledCountry": "FR",
        "CalledState": "",
        "CalledZip": "",
        "Caller": caller,
        "CallerCity": "BERLIN",
        "CallerCountry": "DE",
        "CallerState": "",
        "CallerZip": "",
        "Direction": "inbound",
        "From": caller,
        "FromCity": "BERLIN",
        "FromCountry": "DE",
        "FromState": "",
        "FromZip": "",
        "StirVerstat": "TN-Validation-Passed-A",
        "To": LINE,
        "ToCity": "",
        "ToCountry": "FR",
        "ToState": "",
        "ToZip": "",
    }


def sms_params(sid: str, sender: str, body: str) -> dict[str, str]:
    """The fields Twilio posts to a messaging webhook for a text from abroad."""
    return {
        "AccountSid": ACCOUNT,
        "ApiVersion": "2010-04-01",
        "Body": body,
        "From": sender,
        "FromCity": "",
        "FromCountry": "DE",
        "FromState": "",
        "FromZip": "",
        "MessageSid": sid,
        "NumMedia": "0",
        "NumSegments": "1",
        "SmsMessageSid": sid,
        "SmsSid": sid,
        "SmsStatus": "received",
        "To": LINE,
        "ToCity": "",
        "ToCountry": "FR",
        "ToState": "",
        "ToZip": "",
    }


@dataclass(frozen=True)
class Measured:
    name: str
    count: int
    errors: int
    per_second: float
    p50: float  # ms
    p99: float  # ms
    cpu: float | None = None  # ms of the workers' CPU per request (server.workers_cpu_seconds)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def hammer(
    port: int, name: str, requests: list[Request], concurrency: int
) -> tuple[Measured, list[str]]:
    """Send every request, ``concurrency`` at a time; the answers, in order, for the next step."""
    timings: list[float] = [0.0] * len(requests)
    answers: list[str] = [""] * len(requests)
    errors = 0

    def send(index: int) -> None:
        nonlocal errors
        path, params, signed = requests[index]
        began = time.perf_counter()
        status, body = server.request(port, "POST", path, params, signed=signed)
        timings[index] = (time.perf_counter() - began) * 1000
        answers[index] = body
        if status != 200:
            errors += 1

    cpu_before = server.workers_cpu_seconds(port)
    began = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(send, range(len(requests))))
    wall = time.perf_counter() - began
    cpu_after = server.workers_cpu_seconds(port)
    measured = Measured(
        name=name,
        count=len(requests),
        errors=errors,
        per_second=len(requests) / wall,
        p50=statistics.median(timings),
        p99=percentile(timings, 0.99),
        cpu=(cpu_after - cpu_before) * 1000 / len(requests)
        if cpu_before is not None and cpu_after is not None
        else None,
    )
    return measured, answers


def next_request(answer: str, sid: str, caller: str) -> Request | None:
    """What Twilio posts after this TwiML: the key pressed at a <Gather> (always 1), or the
    <Redirect>; None once it dials (or hangs up)."""
    params = voice_params(sid, caller, "in-progress")
    if gather := GATHER.search(answer):
        return html.unescape(gather.group(1)), {**params, "Digits": "1"}, True
    if redirect := REDIRECT.search(answer):
        return html.unescape(redirect.group(1)), params, True
    return None


def step_name(request: Request) -> str:
    path, params, _signed = request
    match = STEP.search(path)
    name = match.group(1) if match else path
    if name == "connect":
        return "voice connect (rings a local)"
    return f"menu {name}: " + ("key pressed" if "Digits" in params else "question asked")


def spoken_seconds(answer: str) -> float:
    """How long Twilio takes to say this TwiML's sentences."""
    words = sum(len(said.split()) for said in SAY.findall(answer))
    return words / WORDS_PER_SECOND


def measure(
    *, workers: int, concurrency: int, requests: int, burst: int, compare: Path | None = None
) -> dict[str, list[Measured]]:
    """Every row, for this code and (``compare``: another checkout, its ``benchmarks`` package
    replaced by this one) for that code too, served at the same time by two gunicorns on the same
    database and measured alternately, step by step: the same machine load for both."""
    # The burst measures ``connect`` after the greeting (the <Dial> path): this line rings
    # after it, as every line did before ``rings_early`` (which would answer <Enqueue>).
    PhoneLine.objects.update_or_create(
        number=LINE,
        defaults={"label": "Bench", "ivr_languages": "en,fr,de,es,it", "rings_early": False},
    )
    PhoneLine.objects.get_or_create(
        number=FULL_LINE,
        defaults={
            "label": "Bench, full menu",
            "ivr_languages": "en,fr,de,es,it",
            "full_menu": True,
        },
    )
    results: dict[str, list[Measured]] = {}
    with ExitStack() as stack:
        sides = {"this code": stack.enter_context(server.gunicorn(workers))}
        if compare is not None:
            sides[str(compare)] = stack.enter_context(server.gunicorn(workers, root=compare))
        running = {
            name: phases(
                port, workers=workers, concurrency=concurrency, requests=requests, burst=burst
            )
            for name, port in sides.items()
        }
        while running:
            for name, side in list(running.items()):
                analyze()
                try:
                    results.setdefault(name, []).append(next(side))
                except StopIteration:
                    del running[name]
    return results


def analyze() -> None:
    """Fresh statistics on the tables the run fills, before each row: PostgreSQL on this machine
    runs without autovacuum, so the planner would otherwise keep the empty tables' statistics it
    started with and plan the candidates' "ringing elsewhere" check for no attempts at all
    (production runs autovacuum, which keeps them close)."""
    from django.db import connection

    from calls.models import CallAttempt, Conversation, Message

    tables = ", ".join(m._meta.db_table for m in (Call, CallAttempt, Conversation, Message))
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")
    connection.close()  # not kept open beside the servers' connections


def phases(
    port: int, *, workers: int, concurrency: int, requests: int, burst: int
) -> Iterator[Measured]:
    """Each row in turn, on the gunicorn at ``port``."""
    run = uuid.uuid4().hex[:6]
    callers = [f"+49151{run_digits(run)}{n:05d}" for n in range(requests)]
    sids = ["CA" + uuid.uuid4().hex for _ in range(requests)]

    warm: list[Request] = [("/bench/bare/", voice_params("CA" + "0" * 32, callers[0]), False)]
    hammer(port, "warm-up", warm * (workers * 20), concurrency)
    # Each worker's first webhooks load what it keeps (lines, motives…): not measured.
    first_calls: list[Request] = [
        (
            "/calls/voice/incoming/",
            voice_params("CA" + uuid.uuid4().hex, f"+49155{run_digits(run)}{n:05d}"),
            True,
        )
        for n in range(workers * 5)
    ]
    hammer(port, "warm-up", first_calls, concurrency)

    for name, path in (
        ("bare view (pages' middleware)", "/bench/bare/"),
        ("bare view (webhooks' middleware)", "/bench/lean/"),
    ):
        bare = [
            (path, voice_params(sid, caller), False)
            for sid, caller in zip(sids, callers, strict=True)
        ]
        yield hammer(port, name, bare, concurrency)[0]

    short = [
        ("/calls/voice/incoming/", voice_params("CA" + uuid.uuid4().hex, caller), True)
        for caller in callers
    ]
    yield hammer(port, "voice incoming (signed), short path", short, concurrency)[0]
    incoming = [
        ("/calls/voice/incoming/", {**voice_params(sid, caller), "To": FULL_LINE}, True)
        for sid, caller in zip(sids, callers, strict=True)
    ]
    measured, answers = hammer(port, "voice incoming (signed), full menu", incoming, concurrency)
    yield measured
    # Every step of the full menu, all callers at that step at once, as Twilio asks them.
    while True:
        steps = [
            (index, step)
            for index, answer in enumerate(answers)
            if (step := next_request(answer, sids[index], callers[index])) is not None
        ]
        if not steps:
            break
        measured, replies = hammer(
            port, step_name(steps[0][1]), [step for _index, step in steps], concurrency
        )
        yield measured
        answers = [""] * len(answers)
        for (index, _step), reply in zip(steps, replies, strict=True):
            answers[index] = reply

    status = [
        ("/calls/voice/status/", voice_params(sid, caller, "completed"), True)
        for sid, caller in zip(sids, callers, strict=True)
    ]
    yield hammer(port, "voice status callback", status, concurrency)[0]

    texts = [
        (
            "/calls/sms/incoming/",
            sms_params("SM" + uuid.uuid4().hex, caller, "Where can I eat late near the Louvre?"),
            True,
        )
        for caller in callers
    ]
    yield hammer(port, "SMS incoming (first text)", texts, concurrency)[0]

    yield whole_path(port, max(concurrency, requests // 5), concurrency, run)
    if burst:
        yield burst_of_callers(port, burst, run)


def whole_path(port: int, calls: int, concurrency: int, run: str) -> Measured:
    """Calls on the full-menu line from ``incoming`` to ``<Dial>`` (8 webhooks each), caller by
    caller, ``concurrency`` callers at once: each call's total server time over HTTP."""
    errors = 0

    def place(n: int) -> float:
        nonlocal errors
        sid, caller = "CA" + uuid.uuid4().hex, f"+49152{run_digits(run)}{n:05d}"
        request: Request | None = (
            "/calls/voice/incoming/",
            {**voice_params(sid, caller), "To": FULL_LINE},
            True,
        )
        took = 0.0
        while request is not None:
            path, params, signed = request
            began = time.perf_counter()
            status, answer = server.request(port, "POST", path, params, signed=signed)
            took += time.perf_counter() - began
            errors += status != 200
            request = next_request(answer, sid, caller)
        return took * 1000

    began = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        timings = list(pool.map(place, range(calls)))
    wall = time.perf_counter() - began
    return Measured(
        name="whole path to <Dial>, full menu (calls/s, 8 webhooks each)",
        count=calls,
        errors=errors,
        per_second=calls / wall,
        p50=statistics.median(timings),
        p99=percentile(timings, 0.99),
    )


def burst_of_callers(port: int, callers: int, run: str) -> Measured:
    """``callers`` people dial the short-path line within the same second; each hears the
    greeting (Twilio waits as long as it is said, and EXPRESS_WAIT for a key) before Twilio
    asks ``connect``: the time of those ``connect`` requests."""
    from calls.voice.menu import EXPRESS_WAIT

    timings: list[float] = []
    errors = 0
    lock = threading.Lock()

    def call(n: int) -> None:
        nonlocal errors
        time.sleep(random.random())  # noqa: S311 - arrivals spread over a second
        sid, caller = "CA" + uuid.uuid4().hex, f"+49153{run_digits(run)}{n:05d}"
        status, answer = server.request(
            port, "POST", "/calls/voice/incoming/", voice_params(sid, caller), signed=True
        )
        redirect = REDIRECT.search(answer)
        if status != 200 or redirect is None:
            with lock:
                errors += 1
            return
        time.sleep(spoken_seconds(answer) + EXPRESS_WAIT)
        params = voice_params(sid, caller, "in-progress")
        began = time.perf_counter()
        status, answer = server.request(
            port, "POST", html.unescape(redirect.group(1)), params, signed=True
        )
        with lock:
            timings.append((time.perf_counter() - began) * 1000)
            errors += status != 200 or "<Dial" not in answer

    began = time.perf_counter()
    with ThreadPoolExecutor(callers) as pool:
        list(pool.map(call, range(callers)))
    wall = time.perf_counter() - began
    return Measured(
        name=f"connect in a burst of {callers} callers paced like Twilio",
        count=len(timings),
        errors=errors,
        per_second=callers / wall,
        p50=statistics.median(timings) if timings else 0.0,
        p99=percentile(timings, 0.99) if timings else 0.0,
    )


def run_digits(run: str) -> str:
    return str(int(run, 16) % 10_000).zfill(4)


def print_results(
    results: dict[str, list[Measured]], *, size: int, workers: int, concurrency: int
) -> None:
    print(
        f"\n# Load: real HTTP, gunicorn with {workers} sync workers, {concurrency} clients at "
        f"once, {size:,} ambassadors, {AT:%A %H:%M} Paris; ratios to the bare view through "
        "the webhooks' middleware"
    )
    for name, rows in results.items():
        bare = rows[1]  # the same middleware as the webhooks
        print(f"\n## {name}\n")
        print(
            "| endpoint | requests | errors | req/s | × bare | p50 ms | p99 ms | p99 × bare "
            "| worker CPU ms/req |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for row in rows:
            cpu = f"{row.cpu:.2f}" if row.cpu is not None else "–"
            print(
                f"| {row.name} | {row.count:,} | {row.errors} | {row.per_second:,.0f} | "
                f"{row.per_second / bare.per_second:.2f} | {row.p50:.1f} | {row.p99:.1f} | "
                f"{row.p99 / bare.p99:.1f} | {cpu} |"
            )
