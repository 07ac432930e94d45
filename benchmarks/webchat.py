"""``--only webchat``: 200, 500 and 1,000 open web-chat panels polling gunicorn's sync workers,
and replies delivered to the right panel.

Each panel polls ``/chat/api/<key>/messages/`` as the widget does (static/webchat/widget.js):
the next poll WEBCHAT_POLL_SECONDS after the previous answer, jittered by ±10 %, with the ETag
it holds (304 from the shared cache while nothing changed, no query). Panels open one by one
over RAMP seconds at random instants, as visitors arrive; each opens its own connection per
request, as a browser does with sync workers that close them (no pool to queue in). The client
is raw asyncio streams: on two vCPUs the load generator must cost far less than the server.
Meanwhile locals' replies are stored the way the relay stores them (``calls.sms.outbox.send``
to the visitor's web address), one every REPLY_EVERY seconds to a random panel; each reply's
delay is counted from its commit to the moment its own panel received it, and a reply seen by
any other panel is an error. The server's CPU (gunicorn's master and workers, from /proc) and
the client's are measured over the same window."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

from calls.models import (
    Conversation,
    ConversationChannel,
    ConversationStatus,
    MessageAuthor,
    PhoneLine,
    WebChat,
    WebVisitor,
)
from calls.sms.outbox import send
from calls.webchat.guard import Pass, new_challenge, token_for

from . import server

KEY = "bench"
LINE = "+33199000000"
REPLY_EVERY = 0.1  # seconds between two replies
RAMP = 30.0  # seconds over which the panels open
JITTER = 0.1  # the widget's: each wait is the poll interval × (1 ± JITTER)
TIMEOUT = 30.0  # a browser waits longer; gunicorn's worker timeout is 30 s
TICK = os.sysconf("SC_CLK_TCK")


@dataclass
class Panel:
    token: str
    address: str
    conversation_id: int
    etag: str = ""
    seen: set[int] = field(default_factory=set)


@dataclass
class Result:
    panels: int
    workers: int
    seconds: float
    polls: int = 0
    not_modified: int = 0
    full: int = 0
    errors: int = 0
    wrong_panel: int = 0
    poll_ms: list[float] = field(default_factory=list)
    delivery_ms: list[float] = field(default_factory=list)
    replies: int = 0
    lost: int = 0
    server_cpu: float = 0.0  # CPU seconds per second, gunicorn's processes
    client_cpu: float = 0.0  # and this process's (the panels and the replies)
    cpu_ms: dict[str, float] = field(default_factory=dict)


def populate(panels: int) -> list[Panel]:
    line, _ = PhoneLine.objects.get_or_create(number=LINE, defaults={"label": "Bench"})
    chat, _ = WebChat.objects.get_or_create(key=KEY, defaults={"name": "Bench", "line": line})
    WebVisitor.objects.filter(chat=chat).delete()
    Conversation.objects.filter(line=line).delete()
    visitors = WebVisitor.objects.bulk_create(
        [WebVisitor(chat=chat, language="en") for _ in range(panels)]
    )
    conversations = Conversation.objects.bulk_create(
        [
            Conversation(
                line=line,
                tourist_number=v.address,
                channel=ConversationChannel.WEB,
                status=ConversationStatus.OPEN,
            )
            for v in visitors
        ]
    )
    for visitor, conversation in zip(visitors, conversations, strict=True):
        visitor.conversation = conversation
    WebVisitor.objects.bulk_update(visitors, ["conversation"])
    return [
        Panel(
            token=token_for(Pass(str(v.public_id), v.address, KEY, new_challenge(), v.language)),
            address=v.address,
            conversation_id=c.pk,
        )
        for v, c in zip(visitors, conversations, strict=True)
    ]


def reply_to(panel: Panel, n: int) -> tuple[int, float]:
    """A local's reply to this panel's visitor, stored as the relay stores it; its id and the
    instant it was committed."""
    try:
        conversation = Conversation.objects.select_related("line").get(pk=panel.conversation_id)
        with transaction.atomic():
            message = send(
                conversation, to=panel.address, body=f"Reply {n}", author=MessageAuthor.LOCAL
            )
        assert message is not None
        return message.pk, time.perf_counter()
    finally:
        connection.close()  # a worker thread's own connection: none left for the drop


def processes_cpu(root: int) -> float:
    """CPU seconds used by process ``root``'s children (gunicorn's master), their live children
    (the workers) and the children they reaped (workers recycled after max_requests)."""
    parents: dict[int, list[int]] = {}
    times: dict[int, tuple[float, float]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry.name)
        parents.setdefault(int(fields[1]), []).append(pid)
        own = (int(fields[11]) + int(fields[12])) / TICK
        reaped = (int(fields[13]) + int(fields[14])) / TICK
        times[pid] = (own, reaped)
    total = 0.0
    for master in parents.get(root, []):
        total += sum(times[master])
        total += sum(times[worker][0] + times[worker][1] for worker in parents.get(master, []))
    return total


async def get(port: int, path: str, host: str, etag: str) -> tuple[int, str, bytes]:
    """One GET on a new connection, HTTP/1.1 by hand: status, ETag and body."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        match = f"If-None-Match: {etag}\r\n" if etag else ""
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {host}\r\n{match}Connection: close\r\n\r\n".encode()
        )
        data = await reader.read(-1)
    finally:
        writer.close()
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    found = ""
    for header in lines[1:]:
        name, _, value = header.partition(":")
        if name.lower() == "etag":
            found = value.strip()
    return status, found, body


async def run(port: int, panels: list[Panel], seconds: float, workers: int) -> Result:
    result = Result(panels=len(panels), workers=workers, seconds=seconds)
    interval = settings.WEBCHAT_POLL_SECONDS
    host = settings.PUBLIC_BASE_URL.split("://", 1)[1]
    expected: dict[int, tuple[Panel, float]] = {}
    delivered: set[int] = set()
    rng = random.Random(len(panels))  # noqa: S311 - a benchmark
    # Panels open at random instants over RAMP seconds (a thousand visitors do not all arrive
    # in the same second); the figures count from then on, for ``seconds``.
    began = time.perf_counter()
    steady = began + RAMP + interval
    stop = steady + seconds
    cpu: dict[str, tuple[float, float]] = {}

    async def poll(panel: Panel, opens_at: float) -> None:
        await asyncio.sleep(opens_at)
        while time.perf_counter() < stop:
            sent = time.perf_counter()
            path = f"/chat/api/{KEY}/messages/?t={panel.token}"
            try:
                status, etag, body = await asyncio.wait_for(
                    get(port, path, host, panel.etag), TIMEOUT
                )
            except (OSError, ValueError, IndexError, TimeoutError):
                status, etag, body = 0, "", b""
            now = time.perf_counter()
            counted = steady < now < stop
            if counted:
                result.polls += 1
                result.poll_ms.append((now - sent) * 1000)
                result.not_modified += status == 304
                result.full += status == 200
                result.errors += status not in (200, 304)
            if status == 200:
                panel.etag = etag
                for message in json.loads(body)["messages"]:
                    if message["id"] in panel.seen:
                        continue
                    panel.seen.add(message["id"])
                    owner = expected.get(message["id"])
                    if owner is None:
                        continue
                    if owner[0] is not panel:
                        result.wrong_panel += 1
                    elif message["id"] not in delivered:
                        delivered.add(message["id"])
                        result.delivery_ms.append((now - owner[1]) * 1000)
            # As the widget: the next poll a jittered interval after this answer (or failure).
            await asyncio.sleep(interval * rng.uniform(1 - JITTER, 1 + JITTER))

    async def replies() -> None:
        await asyncio.sleep(steady - time.perf_counter())
        cpu["from"] = (processes_cpu(os.getpid()), time.process_time())
        n = 0
        while time.perf_counter() < stop - 3:
            panel = rng.choice(panels)
            message_id, committed = await asyncio.to_thread(reply_to, panel, n)
            expected[message_id] = (panel, committed)
            n += 1
            await asyncio.sleep(REPLY_EVERY)
        result.replies = n
        await asyncio.sleep(max(0.0, stop - time.perf_counter()))
        cpu["to"] = (processes_cpu(os.getpid()), time.process_time())

    opening = sorted(rng.uniform(0, RAMP) for _ in panels)
    await asyncio.gather(
        replies(), *(poll(panel, at) for panel, at in zip(panels, opening, strict=True))
    )
    result.lost = result.replies - len(delivered)
    result.server_cpu = (cpu["to"][0] - cpu["from"][0]) / seconds
    result.client_cpu = (cpu["to"][1] - cpu["from"][1]) / seconds
    return result


def measure(*, panels: int, workers: int, seconds: float) -> Result:
    created = populate(panels + 1)
    # The in-process figures on a panel of their own: its polls fill its rate limit.
    cpu_ms = cpu_per_request(created.pop())
    connection.close()
    cache.clear()  # the benchmark's own cache (CACHE_URL): no stamp nor count left over
    with server.gunicorn(workers) as port:
        measured = asyncio.run(run(port, created, seconds, workers))
    measured.cpu_ms = cpu_ms
    return measured


def cpu_per_request(panel: Panel, runs: int = 300) -> dict[str, float]:
    """CPU milliseconds per request in this process, through Django's whole handler (no
    network): the unchanged poll (304), the poll that reads the thread (200), and a 404 of an
    unknown path beside them, the framework's floor through the same middleware."""
    from django.test import Client

    client = Client(HTTP_HOST=settings.PUBLIC_BASE_URL.split("://", 1)[1])
    url = f"/chat/api/{KEY}/messages/?t={panel.token}"
    first = client.get(url)
    etag = first["ETag"]
    cases = {
        "404 of an unknown path (floor)": ("/no/such/page/", {}),
        "poll, unchanged: 304 (test client, middleware)": (url, {"If-None-Match": etag}),
        "poll, changed: 200 (reads the thread)": (url, {"If-None-Match": '"stale"'}),
    }
    found: dict[str, float] = {}
    limits = settings.WEBCHAT_LIMITS
    settings.WEBCHAT_LIMITS = {**limits, "poll_token": (10**9, 60)}
    logging.disable(logging.WARNING)  # the 404s' warnings
    try:
        for label, (path, headers) in cases.items():
            for _ in range(20):
                client.get(path, headers=headers)
            began = time.process_time()
            for _ in range(runs):
                client.get(path, headers=headers)
            found[label] = (time.process_time() - began) / runs * 1000
    finally:
        settings.WEBCHAT_LIMITS = limits
        logging.disable(logging.NOTSET)
    found.update(wsgi_cpu_per_request(url, etag, runs))
    return found


def wsgi_cpu_per_request(url: str, etag: str, runs: int) -> dict[str, float]:
    """The unchanged poll as gunicorn hands it over (a WSGI call, no test client): through
    Django's handler, answered by the middleware, and before it, by the WSGI wrapper
    (calls.webchat.wsgi in concierge.wsgi), side by side."""
    from django.test import RequestFactory

    from concierge.wsgi import application, django_application

    path, query = url.split("?", 1)
    host = settings.PUBLIC_BASE_URL.split("://", 1)[1]
    base = RequestFactory(SERVER_NAME=host).get(path, headers={"If-None-Match": etag}).environ
    base["QUERY_STRING"] = query

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        assert status.startswith("304"), status

    found: dict[str, float] = {}
    apps: list[tuple[str, Any]] = [
        ("poll, unchanged: 304 via WSGI, Django's handler (middleware)", django_application),
        ("poll, unchanged: 304 via WSGI, before the handler (wrapper)", application),
    ]
    for label, app in apps:
        for _ in range(20):
            b"".join(app(dict(base), start_response))
        began = time.process_time()
        for _ in range(runs):
            b"".join(app(dict(base), start_response))
        found[label] = (time.process_time() - began) / runs * 1000
    return found


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def print_results(results: list[Result]) -> None:
    first = results[0]
    print(
        f"\n# Web chat: open panels polling every {settings.WEBCHAT_POLL_SECONDS} s "
        f"(±{JITTER:.0%}), opened over {RAMP:.0f} s, gunicorn {first.workers} sync workers, "
        f"{first.seconds:.0f} s counted, a reply every {REPLY_EVERY} s\n"
    )
    print(
        "| panels | polls/s: 304 / 200 / failed | poll p50 / p99 | replies "
        "| delivered p50 / p99 / max | not delivered | wrong panel | CPU/s: server / client |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        per = r.seconds
        print(
            f"| {r.panels:,} | {r.not_modified / per:.0f} / {r.full / per:.1f} / "
            f"{r.errors / per:.1f} | {percentile(r.poll_ms, 0.5):.0f} / "
            f"{percentile(r.poll_ms, 0.99):.0f} ms | {r.replies} | "
            f"{percentile(r.delivery_ms, 0.5) / 1000:.2f} / "
            f"{percentile(r.delivery_ms, 0.99) / 1000:.2f} / "
            f"{max(r.delivery_ms, default=float('nan')) / 1000:.2f} s | {r.lost} | "
            f"{r.wrong_panel} | {r.server_cpu:.2f} / {r.client_cpu:.2f} |"
        )
    print("\nCPU per request in-process (Django's handler, no network), against the floor:\n")
    print("| request | " + " | ".join(f"{r.panels:,} panels" for r in results) + " |")
    print("| --- |" + " ---: |" * len(results))
    for label in first.cpu_ms:
        floor = [next(iter(r.cpu_ms.values())) for r in results]
        cells = [
            f"{r.cpu_ms[label]:.2f} ms ({r.cpu_ms[label] / f:.2f}×)"
            for r, f in zip(results, floor, strict=True)
        ]
        print(f"| {label} | " + " | ".join(cells) + " |")
    for r in results:
        polls = r.not_modified + r.full
        if polls and r.server_cpu:
            print(
                f"\n{r.panels:,} panels: {r.server_cpu / (polls / r.seconds) * 1000:.2f} ms of "
                f"server CPU per answered poll over HTTP (gunicorn included)."
            )
