"""Texts as fast as calls: a tourist's first text (signed `POST /calls/sms/incoming/`, Twilio's
usual fields) through Django's full request stack in-process, like the voice bench, at the same
instant of the generated week. The conversations stay open, so locals fill up to the cap as
the run goes on. Measured side by side with the replaced candidates query (a per-candidate
count of the local's open conversations), alternating blocks of texts in one run.
"""

from __future__ import annotations

import functools
import statistics
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import redis
import time_machine
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.test import Client

from ambassadors.models import Ambassador
from ambassadors.selectors import in_queue_order, prepared_availability
from calls.models import Conversation, ConversationStatus, PhoneLine
from calls.sms import selectors
from concierge.lib.prepared import Param, PreparedQuery

from .voice import AT, _percentile, _post

# Texts to send are queued on a broker, as in production (Redis), not sent inside the webhook
# (the default without a broker): a Redis database of the benchmark's own, emptied afterwards.
BROKER = "redis://127.0.0.1:6379/9"
BLOCK = 20  # texts per block; the two queries alternate block by block
WARM_UP = 20


@dataclass(frozen=True)
class SmsResult:
    size: int
    variant: str
    texts: int
    p50: float
    p99: float
    queries: int
    answered: int


@functools.cache
def _probe_query(*, by_motive: bool, by_community: bool, limit: int) -> PreparedQuery:
    """The replaced query: each visited local's open conversations counted by a sub-query."""
    conditions = prepared_availability(
        by_motive=by_motive, by_region=False, by_community=by_community
    )
    tried = Conversation.tried.through.objects.filter(
        conversation_id=Param("conversation", IntegerField()), ambassador_id=OuterRef("pk")
    )
    holding = (
        Conversation.objects.filter(responder=OuterRef("pk"), status=ConversationStatus.OPEN)
        .order_by()
        .values("responder")
        .annotate(open=Count("pk"))
        .values("open")
    )
    queryset = (
        Ambassador.objects.filter(*conditions, ~Exists(tried))
        .alias(holding=Coalesce(Subquery(holding), 0))
        .filter(holding__lt=Param("cap", IntegerField()))
    )
    return PreparedQuery(
        in_queue_order(queryset).only("pk", "display_name", "phone_number", "last_offered_at")[
            :limit
        ]
    )


@contextmanager
def _queued_on_broker() -> Iterator[None]:
    from concierge.celery import app

    kept = app.conf.task_always_eager, app.conf.broker_url
    app.conf.update(task_always_eager=False, broker_url=BROKER)
    try:
        yield
    finally:
        redis.Redis.from_url(BROKER).flushdb()
        app.conf.update(task_always_eager=kept[0], broker_url=kept[1])


@contextmanager
def _variant(name: str) -> Iterator[None]:
    kept = selectors._sms_candidates_query
    if name == "before":
        selectors._sms_candidates_query = _probe_query
    try:
        yield
    finally:
        selectors._sms_candidates_query = kept


def measure(size: int, *, texts: int) -> list[SmsResult]:
    line, _ = PhoneLine.objects.get_or_create(
        number="+33199000000", defaults={"label": "Bench", "ivr_languages": "en,fr,de,es,it"}
    )
    from django.conf import settings

    client = Client(HTTP_HOST=settings.PUBLIC_BASE_URL.split("://", 1)[1])
    timings: dict[str, list[float]] = {"before": [], "after": []}
    queries: dict[str, list[int]] = {"before": [], "after": []}
    counter = iter(range(10**9))

    def first_text() -> tuple[float, int]:
        n = next(counter)
        params = {
            "ToCountry": "FR",
            "ToState": "",
            "SmsMessageSid": (sid := "SM" + uuid.uuid4().hex),
            "NumMedia": "0",
            "ToCity": "",
            "FromZip": "",
            "SmsSid": sid,
            "FromState": "",
            "SmsStatus": "received",
            "FromCity": "",
            "Body": "Hello, where can we eat tonight?",
            "FromCountry": "DE",
            "To": str(line.number),
            "MessagingServiceSid": "",
            "ToZip": "",
            "NumSegments": "1",
            "MessageSid": sid,
            "AccountSid": "AC" + "0" * 32,
            "From": f"+4917{n:09d}",
            "ApiVersion": "2010-04-01",
        }
        _xml, ms, count = _post(client, "/calls/sms/incoming/", params)
        return ms, count

    with time_machine.travel(AT, tick=True), _queued_on_broker():
        for name in ("after", "before"):
            with _variant(name):
                for _n in range(WARM_UP):
                    first_text()
        for block in range(max(1, texts // BLOCK)):
            for name in ("after", "before") if block % 2 == 0 else ("before", "after"):
                with _variant(name):
                    for _n in range(BLOCK):
                        ms, count = first_text()
                        timings[name].append(ms)
                        queries[name].append(count)
    answered = Conversation.objects.filter(status=ConversationStatus.OPEN).count()
    return [
        SmsResult(
            size=size,
            variant=name,
            texts=len(timings[name]),
            p50=statistics.median(timings[name]),
            p99=_percentile(timings[name], 0.99),
            queries=max(queries[name]),
            answered=answered,
        )
        for name in ("before", "after")
    ]


def print_results(results: list[SmsResult]) -> None:
    print("\n# Texts: a tourist's first text (signed SMS incoming), Tuesday 20:00\n")
    print("| ambassadors | candidates query | texts | p50 ms | p99 ms | queries |")
    print("| ---: | --- | ---: | ---: | ---: | ---: |")
    for r in results:
        label = "count per local (before)" if r.variant == "before" else "kept count (after)"
        print(f"| {r.size:,} | {label} | {r.texts} | {r.p50:.1f} | {r.p99:.1f} | {r.queries} |")
    for r in results[1::2]:
        print(f"\n({r.size:,}: {r.answered} conversations given to a local, all left open)")
