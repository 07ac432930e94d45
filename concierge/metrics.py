"""/metrics/: Prometheus's text format, for a scraper holding METRICS_TOKEN (404 without one set).

The figures themselves are described in concierge.lib.metrics and docs/DEPLOY.md.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST
from prometheus_client.core import GaugeMetricFamily, Metric

from concierge.lib.metrics import exposition, register


def queue_depths() -> Iterable[Metric]:
    """Messages waiting in each Celery queue (Redis broker only: a list per queue)."""
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://")):
        return
    import redis

    queues = {settings.CELERY_TASK_DEFAULT_QUEUE}
    queues |= {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    depth = GaugeMetricFamily(
        "concierge_celery_queue_depth", "Tasks waiting in each Celery queue.", labels=["queue"]
    )
    try:
        client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        for queue in sorted(queues):
            depth.add_metric([queue], client.llen(queue))
    except redis.RedisError:
        return  # the broker is down: /health/ says so; report no depth rather than fail
    yield depth


register(queue_depths)


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    token = settings.METRICS_TOKEN
    if not token:
        raise Http404("Metrics are off (METRICS_TOKEN is not set).")
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), token.encode()):
        response = HttpResponse("A valid bearer token is needed.\n", status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
