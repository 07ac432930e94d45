"""Rows that change a few times a year but are read on every webhook (lines and their
communities, motives, regions, the FAQ, blocked numbers), kept in each process's memory.

Each set has a version in the shared cache (CACHE_URL: Redis in production). Saving or deleting
one of its rows bumps the version after the commit; every process compares its copy's version
with the shared one at most once per ``READ_MOSTLY_CHECK_SECONDS`` (half a second by default) and
reloads when they differ, so an edit made through any process is seen by all within a second,
at the cost of one cache read per process per half-second rather than a query per request.

Without a shared cache (no CACHE_URL: each process has its own memory) a version lives 30
seconds, so several processes still agree within half a minute.

Writes that send no signal (``QuerySet.update()``, raw SQL) must call :meth:`ReadMostly.changed`.
Values are shared by every request of the process: treat them as read-only.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection, transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

from .sharedcache import DOWN, tolerant

T = TypeVar("T")

PREFIX = "readmostly:"
LOCAL_MEMORY_LIFETIME = 30  # seconds (see _lifetime)
_UNLOADED = object()


class ReadMostly(Generic[T]):
    """``load()``'s result, reloaded when the set's shared version changes."""

    def __init__(self, name: str, load: Callable[[], T]) -> None:
        self.key = PREFIX + name
        self.load = load
        self._copy: tuple[str | None, Any] = (None, _UNLOADED)  # (version, value), swapped whole
        self._checked_at = float("-inf")

    def get(self) -> T:
        version, value = self._copy
        now = time.monotonic()
        if value is not _UNLOADED and now - self._checked_at < settings.READ_MOSTLY_CHECK_SECONDS:
            return value
        shared = tolerant(
            self._shared_version, down=DOWN, degrades=f"{self.key} read from the database"
        )
        if shared is DOWN:
            return self.load()
        if self._uncommitted_edit():
            return self.load()  # what this transaction sees may yet be rolled back: not kept
        if shared != version or value is _UNLOADED:
            value = self.load()
            self._copy = (shared, value)
        self._checked_at = now
        return value

    def changed(self) -> None:
        """Forget this process's copy now, and every process's once the transaction commits."""
        already = self._uncommitted_edit()
        self._copy = (None, _UNLOADED)
        if not already:  # one bump per transaction, however many rows it changed
            transaction.on_commit(self._bump)

    def _uncommitted_edit(self) -> bool:
        """This thread's transaction changed the set and has not committed (its bump waits in
        the connection's on-commit callbacks, which a rollback discards)."""
        return connection.in_atomic_block and any(
            pending[1] == self._bump for pending in connection.run_on_commit
        )

    def _bump(self) -> None:
        self._copy = (None, _UNLOADED)
        # Not bumped while the cache is down: the others reload when it is back (empty).
        tolerant(
            lambda: cache.set(self.key, uuid.uuid4().hex, _lifetime()),
            down=None,
            degrades=f"{self.key} not bumped",
        )

    def _shared_version(self) -> str:
        version = cache.get(self.key)
        if version is None:  # a cache emptied or restarted: a new version, the same for all
            cache.add(self.key, uuid.uuid4().hex, _lifetime())
            version = cache.get(self.key)
        return str(version)

    def watch(self, *models: type[Model]) -> ReadMostly[T]:
        """Reload after any save or delete of these models' rows (and of their many-to-many
        links)."""

        def on_change(sender: Any, action: str = "post_save", **kwargs: Any) -> None:
            if action.startswith("post_"):  # m2m_changed sends pre_add and post_add…
                self.changed()

        for model in models:
            uid = f"{self.key}:{model._meta.label}"
            post_save.connect(on_change, sender=model, weak=False, dispatch_uid=uid + ":save")
            post_delete.connect(on_change, sender=model, weak=False, dispatch_uid=uid + ":delete")
            for field in model._meta.local_many_to_many:
                through = field.remote_field.through
                m2m_changed.connect(
                    on_change, sender=through, weak=False, dispatch_uid=f"{uid}:{field.name}"
                )
        return self


def _lifetime() -> int | None:
    """How long a version lives: for ever in a shared cache (an edit replaces it); in a process's
    own memory (no CACHE_URL) 30 seconds, so that with several processes and no shared cache an
    edit made in one is seen by the others within half a minute rather than never."""
    return LOCAL_MEMORY_LIFETIME if isinstance(caches["default"], LocMemCache) else None
