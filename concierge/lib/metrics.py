"""Prometheus metrics: what the line is doing, seen from outside (GET /metrics/ with a token).

Processes record into the default registry (webhook latencies, Celery task outcomes). Under
gunicorn's several workers, set PROMETHEUS_MULTIPROC_DIR (the Procfile's runner does) so that every
process writes its samples to files and any process can report them all. Figures read from the
database or the broker at scrape time (calls, time to a human, queue depth) come from collectors
the apps register with :func:`register`: lower layers may not import the apps, so the apps come
to us.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import Metric
from prometheus_client.registry import REGISTRY, Collector

disable_created_metrics()  # no "_created" twin of every counter

WEBHOOK_SECONDS = Histogram(
    "concierge_webhook_seconds",
    "Server time spent answering a Twilio webhook, by endpoint.",
    ["endpoint"],
    buckets=(0.005, 0.01, 0.02, 0.035, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
TASKS = Counter(
    "concierge_celery_tasks",
    "Celery tasks finished, by task name and outcome (success, retry, failure).",
    ["task", "outcome"],
)

_collectors: list[Callable[[], Iterable[Metric]]] = []


def register(collect: Callable[[], Iterable[Metric]]) -> None:
    """Add a scrape-time collector (a function yielding metric families); once per function."""
    if collect not in _collectors:
        _collectors.append(collect)


class _AppCollectors(Collector):
    def collect(self) -> Iterable[Metric]:
        for collect in _collectors:
            yield from collect()


_APPS = _AppCollectors()
REGISTRY.register(_APPS)


def exposition() -> bytes:
    """Every metric in Prometheus's text format: this process's, or with
    PROMETHEUS_MULTIPROC_DIR set, every process's (gunicorn workers, Celery workers)."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return generate_latest(REGISTRY)
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    registry.register(_APPS)
    return generate_latest(registry)


class WebhookTimingMiddleware:
    """Time every Twilio webhook (views marked by calls.twilio.webhooks.twilio_webhook)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = request.resolver_match
        if match is not None and getattr(match.func, "twilio_webhook", False):
            WEBHOOK_SECONDS.labels(match.url_name or "unnamed").observe(
                time.perf_counter() - started
            )
        return response


def task_finished(outcome: str) -> Callable[..., None]:
    def record(sender: Any = None, **kwargs: Any) -> None:
        TASKS.labels(getattr(sender, "name", None) or "unknown", outcome).inc()

    return record
