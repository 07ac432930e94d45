"""gunicorn's configuration for the web process (Procfile: ``web``).

Every value can be changed from the environment without editing this file: PORT, WEB_CONCURRENCY
(worker processes), WEB_THREADS, WEB_TIMEOUT, WEB_MAX_REQUESTS. Read by ``gunicorn --config
deploy/gunicorn.conf.py``.
"""

from __future__ import annotations

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"

# Sync workers: a webhook is a few milliseconds of Python and one or two queries; a process per
# core and one more keeps the CPUs busy while one waits on PostgreSQL. Threads add little to
# CPU-bound work under the GIL but cover slow clients; the proxy in front buffers them anyway.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("WEB_THREADS", "1"))

# Twilio waits 15 s for a webhook's answer; no request of ours should run longer than this.
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5

# Recycle workers now and then (a guard against slow leaks), with jitter so they do not all
# restart together. Rarely: a worker's restart stalls the requests queued at it for up to a
# second, and at 5,000 requests, 1,000 open web-chat panels (650 polls a second) restarted a
# worker every 30 s and put a second on the poll's p99 (docs/PERFORMANCE.md, "The web chat").
# WEB_MAX_REQUESTS=0 never recycles.
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10

# The application is imported once in the master and forked: workers start in milliseconds and
# share the read-only memory of the imported code.
preload_app = True

# Access log to stdout without the query string (a webhook's URL carries only our own ids, but
# nothing outside the path needs to be kept). Errors go to stderr. Django's own logging (JSON when
# LOG_FORMAT=json) says the rest, phone numbers blanked.
accesslog = "-"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def child_exit(server: object, worker: object) -> None:
    """A worker is gone: its live gauges must no longer count (Prometheus multiprocess mode)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[attr-defined]
