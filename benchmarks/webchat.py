"""``--only webchat``: 1,000 open web-chat panels polling gunicorn's sync workers, and replies
delivered to the right panel.

Each panel polls ``/chat/api/<key>/messages/`` every WEBCHAT_POLL_SECONDS with the ETag it
holds (304 from the shared cache while nothing changed, no query). Meanwhile locals' replies are
stored the way the relay stores them (``calls.sms.outbox.send`` to the visitor's web address),
one every REPLY_EVERY seconds to a random panel; each reply's delay is counted from its commit
to the moment its own panel received it, and a reply seen by any other panel is an error."""

from __future__ import annotations

import asyncio
import logging
import random
import statistics
import time
from dataclasses import dataclass, field

from django.conf import settings
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
RAMP = 20.0  # seconds over which the panels open


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
    errors: int = 0
    wrong_panel: int = 0
    poll_ms: list[float] = field(default_factory=list)
    delivery_ms: list[float] = field(default_factory=list)
    replies: int = 0
    lost: int = 0
    cpu_ms: dict[str, float] = field(default_factory=dict)


def populate(panels: int) -> list[Panel]:
    line, _ = PhoneLine.objects.get_or_create(number=LINE, defaults={"label": "Bench"})
    chat, _ = WebChat.objects.get_or_create(key=KEY, defaults={"name": "Bench", "line": line})
    WebVisitor.objects.filter(chat=chat).delete()
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


async def run(port: int, panels: list[Panel], seconds: float, workers: int) -> Result:
    import aiohttp

    result = Result(panels=len(panels), workers=workers, seconds=seconds)
    interval = settings.WEBCHAT_POLL_SECONDS
    host = settings.PUBLIC_BASE_URL.split("://", 1)[1]
    expected: dict[int, tuple[Panel, float]] = {}
    delivered: set[int] = set()
    # Panels open one after another over RAMP seconds (a thousand visitors do not all arrive
    # in the same second); the figures count from then on, for ``seconds``.
    steady = time.perf_counter() + RAMP + interval
    stop = steady + seconds
    connector = aiohttp.TCPConnector(limit=200, force_close=True)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def poll(panel: Panel, opens_at: float) -> None:
            await asyncio.sleep(opens_at)
            while time.perf_counter() < stop:
                began = time.perf_counter()
                headers = {"Host": host, **({"If-None-Match": panel.etag} if panel.etag else {})}
                url = f"http://127.0.0.1:{port}/chat/api/{KEY}/messages/?t={panel.token}"
                try:
                    async with session.get(url, headers=headers) as response:
                        body = await response.json() if response.status == 200 else None
                        status, etag = response.status, response.headers.get("ETag", "")
                except (aiohttp.ClientError, TimeoutError):
                    result.errors += 1
                    await asyncio.sleep(interval)
                    continue
                now = time.perf_counter()
                if now > steady:  # the panels are all open: count
                    result.polls += 1
                    result.poll_ms.append((now - began) * 1000)
                    result.not_modified += status == 304
                if status == 200 and body is not None:
                    panel.etag = etag
                    for message in body["messages"]:
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
                elif status != 304:
                    result.errors += 1
                await asyncio.sleep(max(0.0, interval - (time.perf_counter() - began)))

        async def replies() -> None:
            await asyncio.sleep(steady - time.perf_counter())
            n = 0
            while time.perf_counter() < stop - 3:
                panel = random.choice(panels)  # noqa: S311 - a benchmark
                message_id, committed = await asyncio.to_thread(reply_to, panel, n)
                expected[message_id] = (panel, committed)
                n += 1
                await asyncio.sleep(REPLY_EVERY)
            result.replies = n

        opening = [RAMP * n / len(panels) for n in range(len(panels))]
        await asyncio.gather(
            replies(), *(poll(panel, at) for panel, at in zip(panels, opening, strict=True))
        )
    result.lost = result.replies - len(delivered)
    return result


def measure(*, panels: int, workers: int, seconds: float) -> Result:
    created = populate(panels)
    result = Result(panels=panels, workers=workers, seconds=seconds)
    result.cpu_ms = cpu_per_request(created[0])
    connection.close()
    with server.gunicorn(workers) as port:
        measured = asyncio.run(run(port, created, seconds, workers))
    measured.cpu_ms = result.cpu_ms
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
        "poll, unchanged: 304": (url, {"If-None-Match": etag}),
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
    return found


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def print_result(result: Result) -> None:
    rate = result.polls / result.seconds
    share = result.not_modified / result.polls if result.polls else 0
    print(
        f"\n# Web chat: {result.panels:,} open panels polling every "
        f"{settings.WEBCHAT_POLL_SECONDS} s, gunicorn {result.workers} sync workers, "
        f"{result.seconds:.0f} s\n"
    )
    print("| figure | value |")
    print("| --- | ---: |")
    print(f"| polls answered | {result.polls:,} ({rate:.0f}/s) |")
    print(f"| of which 304 Not Modified | {share:.1%} |")
    print(
        f"| poll latency p50 / p99 | {percentile(result.poll_ms, 0.5):.1f} / "
        f"{percentile(result.poll_ms, 0.99):.1f} ms |"
    )
    print(f"| replies stored | {result.replies} |")
    print(
        f"| delivered to their panel: p50 / p99 / max | "
        f"{percentile(result.delivery_ms, 0.5) / 1000:.2f} / "
        f"{percentile(result.delivery_ms, 0.99) / 1000:.2f} / "
        f"{max(result.delivery_ms, default=float('nan')) / 1000:.2f} s |"
    )
    print(f"| replies not delivered in time (lost) | {result.lost} |")
    print(f"| replies seen by another panel | {result.wrong_panel} |")
    print(f"| errors (refused, timed out) | {result.errors} |")
    if result.cpu_ms:
        floor = next(iter(result.cpu_ms.values()))
        print("\nCPU per request in-process (Django's handler, no network), against the floor:\n")
        print("| request | CPU ms | × floor |")
        print("| --- | ---: | ---: |")
        for label, ms in result.cpu_ms.items():
            print(f"| {label} | {ms:.2f} | {ms / floor:.2f} |")
    if result.delivery_ms:
        mean = statistics.fmean(result.delivery_ms) / 1000
        print(f"\nMean delivery {mean:.2f} s (half a poll interval is the floor).")
