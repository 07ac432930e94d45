"""The panels' unchanged poll answered before Django's handler (``concierge.wsgi`` wraps the
application in :class:`PollShortcut`).

Even answered first in MIDDLEWARE, a 304 paid for Django's handler: the request_started and
request_finished signals, the middleware chain's wrappers, the exception handling, and a Redis
client object Django builds for every cache call. Here a GET of ``/chat/api/<key>/messages/``
with If-None-Match is checked exactly as the middleware checks it (``middleware.not_modified``:
the token's signature, the stamp, the chat's allowed origin from the per-process read-mostly copy)
and answered through the same request-id and security middleware as before, so the 304 carries
the same headers (X-Request-ID, CORS, Vary, ETag, Cache-Control, nosniff, Referrer-Policy,
Cross-Origin-Opener-Policy, HSTS over HTTPS). The stamp is read with one Redis client kept per
process (the Django cache API when CACHE_URL is not Redis). Anything else (another method or path,
no If-None-Match, a changed or missing stamp, a bad token, a foreign origin, the cache down, an
HTTPS redirect) goes to Django unchanged, marked so the middleware does not check it twice."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any, cast

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import SuspiciousOperation
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpRequest, HttpResponse
from django.middleware.security import SecurityMiddleware

from concierge.lib.logcontext import RequestIdMiddleware

from ..webinbox import stamp_key, web_inbox_stamp
from .middleware import CHECKED, POLL, not_modified

logger = logging.getLogger(__name__)

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

_kept: dict[tuple[str, ...], Any] = {}  # the Redis servers -> this process's client


def read_stamp(address: str) -> str | None:
    """The visitor's stamp, as ``web_inbox_stamp`` reads it, with a Redis client kept for the
    process rather than one built by Django on each call."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return web_inbox_stamp(address)
    client = cast(Any, backend)._cache  # Django's RedisCacheClient: its pools and serializer
    servers = tuple(client._servers)
    kept = _kept.get(servers)
    if kept is None:  # redis-py's clients and pools are thread-safe, and reconnect after a fork
        kept = _kept[servers] = client._client(
            connection_pool=client._get_connection_pool(write=False)
        )
    raw = kept.get(backend.make_and_validate_key(stamp_key(address)))
    stamp = None if raw is None else client._serializer.loads(raw)
    return stamp if isinstance(stamp, str) else None


class _FallThrough(Exception):
    """Not an unchanged poll this wrapper may answer: Django's handler does."""


def _answer(request: HttpRequest) -> HttpResponse:
    found = POLL.match(request.path_info)
    response = not_modified(request, found.group(1), read_stamp) if found else None
    if response is None:
        raise _FallThrough
    return response


class PollShortcut:
    """WSGI middleware in front of Django's handler for the web chat's unchanged polls."""

    def __init__(self, application: WSGIApp) -> None:
        self.application = application
        # The middleware in front of PollShortcutMiddleware in settings.MIDDLEWARE, less the
        # Twilio webhooks' timing (no webhook here): their headers, their request id.
        self.answer = RequestIdMiddleware(
            cast("Callable[[HttpRequest], HttpResponse]", SecurityMiddleware(_answer))
        )

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        if (
            environ.get("REQUEST_METHOD") == "GET"
            and "HTTP_IF_NONE_MATCH" in environ
            and POLL.match(environ.get("PATH_INFO", ""))
        ):
            try:
                response = self.answer(WSGIRequest(environ))
            except (_FallThrough, SuspiciousOperation):  # e.g. too many fields: Django says 400
                response = None
            except Exception:  # whatever it is, Django's handler deals with it
                logger.warning("The web chat's poll shortcut failed: Django answers", exc_info=True)
                response = None
            if response is not None and response.status_code == 304:
                start_response(
                    f"304 {response.reason_phrase}",
                    [(name, str(value)) for name, value in response.items()],
                )
                return []
            environ[CHECKED] = True  # the middleware need not read the stamp again
        return self.application(environ, start_response)
