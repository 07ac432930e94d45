"""The line's figures for Prometheus, read from the database at scrape time (last hour).

Registered with concierge.lib.metrics by CallsConfig.ready(). Each query walks an index on the
arrival time and one hour of rows, whatever the size of the history. Rehearsals are left out.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from datetime import timedelta

from django.db.models import Count
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily, Metric

from calls.models import Call, CallStatus, Conversation, ConversationStatus

WINDOW = timedelta(hours=1)


def quantiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    if len(values) == 1:
        return {"0.5": values[0], "0.9": values[0]}
    cuts = statistics.quantiles(values, n=10, method="inclusive")
    return {"0.5": statistics.median(values), "0.9": cuts[8]}


def collect() -> Iterable[Metric]:
    since = timezone.now() - WINDOW
    calls = Call.objects.filter(received_at__gte=since, is_rehearsal=False)

    by_status = GaugeMetricFamily(
        "concierge_calls_last_hour",
        "Calls received in the last hour, by status (received = all of them).",
        labels=["status"],
    )
    counts = dict(calls.values_list("status").annotate(n=Count("pk")).order_by())
    by_status.add_metric(["received"], sum(counts.values()))
    for status in CallStatus.values:
        by_status.add_metric([status], counts.get(status, 0))
    yield by_status

    waits = [
        (answered - received).total_seconds()
        for received, answered in calls.filter(answered_at__isnull=False).values_list(
            "received_at", "answered_at"
        )
        if answered is not None
    ]
    human = GaugeMetricFamily(
        "concierge_time_to_human_seconds",
        "Seconds from the call's arrival to a local accepting it, calls of the last hour.",
        labels=["quantile"],
    )
    for quantile, value in quantiles(waits).items():
        human.add_metric([quantile], value)
    yield human

    replies = [
        delay.total_seconds()
        for delay in Conversation.objects.filter(
            opened_at__gte=since - WINDOW,
            first_reply_at__gte=since,
            is_rehearsal=False,
            first_response_time__isnull=False,
        ).values_list("first_response_time", flat=True)
        if delay is not None
    ]
    first_reply = GaugeMetricFamily(
        "concierge_sms_first_reply_seconds",
        "Seconds from a tourist's first text to a local's first reply, replies of the last hour.",
        labels=["quantile"],
    )
    for quantile, value in quantiles(replies).items():
        first_reply.add_metric([quantile], value)
    yield first_reply

    yield GaugeMetricFamily(
        "concierge_conversations_waiting",
        "Text conversations waiting for a local now.",
        value=Conversation.objects.filter(
            status=ConversationStatus.WAITING, is_rehearsal=False
        ).count(),
    )
