"""The shared cache (CACHE_URL: Redis in production) when it may be down.

Nothing the cache holds is the only copy: the on-duty check, the read-mostly versions, the web
chat's settings, stamps and rate limits can all be rebuilt or done without. So a cache that does
not answer must never fail a call, a text or a poll: :func:`tolerant` runs one cache operation,
and when the cache is unreachable logs a warning saying what degrades and returns ``down``
instead of raising (docs/DEPLOY.md, "Redis"). Only the cache's connection errors are
caught: a bug in the caller still raises.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from typing import Final, TypeVar

from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

T = TypeVar("T")
D = TypeVar("D")

# What a Redis cache raises when it cannot be reached or answer (refused, reset, timed out); a
# cache in the process's own memory raises none of them.
UNREACHABLE_ERRORS: Final = (RedisError, OSError)


class Down(enum.Enum):
    """Returned for an operation the cache could not answer."""

    DOWN = "down"


DOWN: Final = Down.DOWN


def tolerant(operation: Callable[[], T], *, down: D, degrades: str) -> T | D:
    """``operation()``'s result, or ``down`` when the shared cache is unreachable; the warning
    says what ``degrades`` meanwhile (e.g. "the on-duty check asks the database")."""
    try:
        return operation()
    except UNREACHABLE_ERRORS:
        logger.warning("The shared cache is unreachable: %s", degrades)
        return down
