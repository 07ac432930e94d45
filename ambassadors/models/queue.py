"""The calls queue as the database keeps it: seats per hour of the week and language, the seats a
claim left behind, and the count of open text conversations."""

from __future__ import annotations

from django.db import models
from django.db.models import Case, Q, Value, When
from django.db.models.functions import Coalesce, Greatest

from .people import NEVER_OFFERED, ROUTABLE, Ambassador, queue_position

HOURS_PER_WEEK = 7 * 24


class QueueSeat(models.Model):
    """The queue as seen from one hour of the week and one language: a row per ambassador, hour of
    the week (destination wall clock, 0 = Monday 00:00-00:59) that one of their slots touches and
    language they speak, carrying their queue position. The candidates walk only the seats of
    the current hour in the caller's language, in position order, so people who are never free
    at that hour, or do not speak the language, are not in the walk at all, however long they
    have waited (docs/PERFORMANCE.md, "A queue that does not age").

    Written by the database only (triggers of migrations ``0007_queue_seats`` and
    ``0009_lazy_claims``): a slot's or a language's insert, change or removal rewrites its
    ambassador's seats; a change of the queue position or of anything that makes an ambassador
    routable rewrites ``position`` in their seats. So every writer (services, admin,
    ``QuerySet.update``, ``bulk_create``, ``COPY``) keeps them right. Except a claim
    (``ambassadors.services.ambassador_claim``, on PostgreSQL): it rewrites the seats of its hour
    and the next and leaves :class:`StaleSeats` for the rest, which beat or the first walk to
    meet one refreshes.

    ``position`` is NULL while the ambassador is not routable (:data:`ROUTABLE`): such seats are
    left out of the walking index. Otherwise it is the later of :func:`queue_position` and the
    end of a pause: someone paused waits at the back until the pause ends, instead of gathering
    at the head and being stepped over by every call."""

    # The key leads with the ambassador: the triggers rewrite one person's seats through it.
    # No surrogate id: every seat is rewritten at each claim (now or within the minute), and
    # each index costs.
    pk = models.CompositePrimaryKey("ambassador", "hour", "language")
    ambassador = models.ForeignKey(
        Ambassador, on_delete=models.CASCADE, related_name="queue_seats", db_index=False
    )
    hour = models.PositiveSmallIntegerField()
    language = models.CharField(max_length=8)
    position = models.DateTimeField(null=True)

    class Meta:
        indexes = [
            # The walk: this hour's routable seats in this language, in queue order.
            models.Index(
                fields=["hour", "language", "position", "ambassador"],
                name="queue_seat_walk_idx",
                condition=Q(position__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Seat of ambassador {self.ambassador_id} at hour {self.hour} ({self.language})"


def seat_position() -> Case:
    """What an ambassador's seats must hold (:class:`QueueSeat`), from their row: the SQL of the
    triggers (migrations ``0007_queue_seats``, ``0009_lazy_claims``) written with the ORM, for
    the walk's check of a seat and for :class:`StaleSeats`' refresh."""
    never = Value(NEVER_OFFERED, output_field=models.DateTimeField())
    return Case(
        When(ROUTABLE, then=Greatest(queue_position(), Coalesce("paused_until", never))),
        output_field=models.DateTimeField(),
    )


class StaleSeats(models.Model):
    """An ambassador some of whose seats still hold a queue position older than their own: a
    claim moves only the seats of the hour of the claim and of the next (on PostgreSQL; the
    other writers, and SQLite, still move them all), and leaves this row for the rest, which
    beat brings up to date every minute (``ambassadors.tasks.refresh_queue_seats``). Written by
    the database (the trigger of migration ``0009_lazy_claims``). A walk that meets a stale seat
    before beat does refreshes it (docs/PERFORMANCE.md, "Cheap claims")."""

    ambassador = models.OneToOneField(
        Ambassador, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    # The first claim not yet carried to every seat: how far beat lags.
    since = models.DateTimeField()

    def __str__(self) -> str:
        return f"Stale seats of ambassador {self.ambassador_id} since {self.since}"


class OpenConversations(models.Model):
    """The text conversations an ambassador holds open (no row: none), kept by the database
    only (triggers of calls migration ``0021_open_conversations``), whoever writes: the SMS
    candidates skip those at the cap with one key probe (docs/PERFORMANCE.md)."""

    ambassador = models.OneToOneField(
        Ambassador, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    held = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Ambassador {self.ambassador_id} holds {self.held} open conversations"
