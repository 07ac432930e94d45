"""``--only load``: the webhooks through real HTTP, gunicorn with N sync workers, several callers
at once, Twilio's real request shape — side by side with a bare view through the same middleware.

For each endpoint: requests per second, p50 and p99 (client-side, over HTTP), and each as a ratio
of the bare view measured in the same run. The calls are placed at a fixed instant of the
generated week (BENCH_AT), Tuesday 20:00 in Paris by default.
"""

from __future__ import annotations

import re
import statistics
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from calls.models import PhoneLine

from . import server
from .selector import NOW

AT = NOW.replace(day=NOW.day + 1, hour=20)  # Tuesday 20:00, Paris
ACCOUNT = "AC" + "0123456789abcdef" * 2
LINE = "+33199000000"
CALL_URL = re.compile(r"/calls/voice/([0-9a-f-]{36})/")

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

    began = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(send, range(len(requests))))
    wall = time.perf_counter() - began
    measured = Measured(
        name=name,
        count=len(requests),
        errors=errors,
        per_second=len(requests) / wall,
        p50=statistics.median(timings),
        p99=percentile(timings, 0.99),
    )
    return measured, answers


def measure(*, workers: int, concurrency: int, requests: int) -> list[Measured]:
    PhoneLine.objects.get_or_create(
        number=LINE, defaults={"label": "Bench", "ivr_languages": "en,fr,de,es,it"}
    )
    results: list[Measured] = []
    run = uuid.uuid4().hex[:6]
    callers = [f"+49151{run_digits(run)}{n:05d}" for n in range(requests)]
    sids = ["CA" + uuid.uuid4().hex for _ in range(requests)]
    with server.gunicorn(workers) as port:
        warm: list[Request] = [("/bench/bare/", voice_params("CA" + "0" * 32, callers[0]), False)]
        hammer(port, "warm-up", warm * (workers * 20), concurrency)

        bare = [
            ("/bench/bare/", voice_params(sid, caller), False)
            for sid, caller in zip(sids, callers, strict=True)
        ]
        results.append(hammer(port, "bare view (same middleware)", bare, concurrency)[0])

        incoming = [
            ("/calls/voice/incoming/", voice_params(sid, caller), True)
            for sid, caller in zip(sids, callers, strict=True)
        ]
        measured, answers = hammer(port, "voice incoming (signed)", incoming, concurrency)
        results.append(measured)
        call_ids = [
            match.group(1) if (match := CALL_URL.search(answer)) else "" for answer in answers
        ]

        connect = [
            (f"/calls/voice/{call_id}/connect/", voice_params(sid, caller, "in-progress"), True)
            for call_id, sid, caller in zip(call_ids, sids, callers, strict=True)
            if call_id
        ]
        results.append(hammer(port, "voice connect (rings a local)", connect, concurrency)[0])

        status = [
            ("/calls/voice/status/", voice_params(sid, caller, "completed"), True)
            for sid, caller in zip(sids, callers, strict=True)
        ]
        results.append(hammer(port, "voice status callback", status, concurrency)[0])

        texts = [
            (
                "/calls/sms/incoming/",
                sms_params(
                    "SM" + uuid.uuid4().hex, caller, "Where can I eat late near the Louvre?"
                ),
                True,
            )
            for caller in callers
        ]
        results.append(hammer(port, "SMS incoming (first text)", texts, concurrency)[0])
    return results


def run_digits(run: str) -> str:
    return str(int(run, 16) % 10_000).zfill(4)


def print_results(results: list[Measured], *, size: int, workers: int, concurrency: int) -> None:
    bare = results[0]
    print(
        f"\n# Load: real HTTP, gunicorn with {workers} sync workers, {concurrency} clients at "
        f"once, {size:,} ambassadors, {AT:%A %H:%M} Paris\n"
    )
    print("| endpoint | requests | errors | req/s | × bare | p50 ms | p99 ms | p99 × bare |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for result in results:
        print(
            f"| {result.name} | {result.count:,} | {result.errors} | {result.per_second:,.0f} | "
            f"{result.per_second / bare.per_second:.2f} | {result.p50:.1f} | {result.p99:.1f} | "
            f"{result.p99 / bare.p99:.1f} |"
        )
