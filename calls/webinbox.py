"""What a web-chat visitor's panel polls cheaply: a stamp per visitor address in the shared
cache, changed whenever a message to or from the visitor is stored.

The SMS outbox changes it when it stores a text for a web address (calls.sms.outbox) and the web
chat when the visitor writes (calls.webchat); the panel's poll compares it with the ETag it holds
and answers 304 without a query while nothing changed. The stamp is read before the database, so
a message stored meanwhile changes it again and the next poll fetches it. With several web
processes the cache must be shared (CACHE_URL): a process's local memory would keep an old stamp
for up to LOCAL_STAMP_SECONDS."""

from __future__ import annotations

import secrets

from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache

from concierge.lib.sharedcache import DOWN, tolerant

# In the shared cache a stamp lives an hour: one that expires while its panel is open costs that
# panel a 200 (the thread read); at 1,000 panels, 60 s made 17 such polls a second for nothing.
# In a process's own memory (no CACHE_URL) a minute, the longest another process may miss a change.
STAMP_SECONDS = 3600
LOCAL_STAMP_SECONDS = 60

DEGRADED = "web-chat panels read their thread each poll"


def stamp_key(address: str) -> str:
    """The stamp's key in the cache (calls.webchat.wsgi reads it with a client of its own)."""
    return f"webchat:stamp:{address}"


def _lifetime() -> int:
    return LOCAL_STAMP_SECONDS if isinstance(caches["default"], LocMemCache) else STAMP_SECONDS


def web_inbox_changed(address: str) -> None:
    """A message to or from the visitor was stored. With the cache down the stamp cannot
    change: their panel reads the thread on every poll meanwhile (web_inbox_stamp is None); a
    stamp left over from before the outage keeps its 304s until it expires or changes again,
    and the unread reply goes by e-mail if they left an address."""
    # The message is stored; with the cache down only the shortcut is lost.
    tolerant(
        lambda: cache.set(stamp_key(address), secrets.token_hex(8), _lifetime()),
        down=None,
        degrades=DEGRADED,
    )


def web_inbox_stamp(address: str) -> str | None:
    """The current stamp, or None when the cache has none or is down (then read the
    database)."""
    stamp = tolerant(lambda: cache.get(stamp_key(address)), down=None, degrades=DEGRADED)
    return stamp if isinstance(stamp, str) else None


def web_inbox_stamp_or_new(address: str) -> str:
    """The current stamp, making one if there is none (read before the database)."""
    stamp = secrets.token_hex(8)
    added = tolerant(
        lambda: cache.add(stamp_key(address), stamp, _lifetime()), down=DOWN, degrades=DEGRADED
    )
    if added is DOWN or added:  # down: a stamp of this answer's own, never matched later
        return stamp
    return web_inbox_stamp(address) or stamp
