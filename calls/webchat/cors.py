"""Which sites may use a chat (its allowed origins, kept a minute in the cache), and the CORS
headers that let those sites' pages read our answers."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from concierge.lib.readmostly import ReadMostly
from concierge.lib.sharedcache import DOWN, tolerant

from ..models import PhoneLine, WebChat

CHAT_SECONDS = 60  # how long a chat's settings (origins, title) are kept in the cache
NEAR_SECONDS = 10  # and in each process's memory


_near: dict[str, tuple[float, dict[str, Any]]] = {}  # this process's copy, for the hot poll


def chat_settings(key: str, *, near: bool = False) -> dict[str, Any] | None:
    """A chat's title, origins and whether it runs, without a query on most requests: from the
    shared cache, else from the database. ``near``: from this process's memory when it read
    them in the last NEAR_SECONDS (the 304 of an unchanged poll, which refuses nothing)."""
    now = time.monotonic()
    kept = _near.get(key)
    if near and kept is not None and kept[0] > now:
        return kept[1] or None
    cache_key = f"webchat:chat:{key}"
    found = tolerant(
        lambda: cache.get(cache_key),
        down=DOWN,
        degrades="a web chat's settings read from the database",
    )
    cache_down = found is DOWN
    if found is None or found is DOWN:
        chat = WebChat.objects.select_related("line").filter(key=key).first()
        found = (
            {
                "name": chat.name,
                "origins": sorted(chat.origins),
                "open": chat.is_active and chat.line.is_active,
            }
            if chat is not None
            else {}
        )
        if not cache_down:
            tolerant(
                lambda: cache.set(cache_key, found, CHAT_SECONDS),
                down=None,
                degrades="a web chat's settings not kept",
            )
    if len(_near) > 1000:
        _near.clear()
    _near[key] = (now + NEAR_SECONDS, found)
    return found or None


def _load_chats() -> dict[str, dict[str, Any]]:
    return {
        chat.key: {
            "name": chat.name,
            "origins": sorted(chat.origins),
            "open": chat.is_active and chat.line.is_active,
        }
        for chat in WebChat.objects.select_related("line")
    }


# Every chat's settings in each process, for the unchanged poll's 304 (calls.webchat.wsgi): one
# shared-cache read per process per half-second, and an edit is seen within a second.
CHATS = ReadMostly("webchats", _load_chats).watch(WebChat, PhoneLine)


def origin_ok(request: HttpRequest, chat: dict[str, Any]) -> bool:
    """A browser's request from one of the chat's sites (or ours); one without an Origin header
    is no browser's cross-site request, and is let through to the rate limits."""
    origin = request.headers.get("Origin", "").rstrip("/").lower()
    own = settings.PUBLIC_BASE_URL.rstrip("/").lower()
    return not origin or origin in chat["origins"] or origin == own


def with_cors(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    origin = request.headers.get("Origin")
    if origin:
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Expose-Headers"] = "ETag"
    response["Vary"] = "Origin"
    return response
