# ruff: noqa: S608 - the SQL is built from the models' table names only, values are parameters
"""The ambassador's place in the calls queue, written only here: the calls app asks these
services to claim someone for a call or to switch their calls off, instead of writing the rows.

A claim moves the claimed person's queue seats (``QueueSeat``) of the hour of the claim and of
the next at once, and leaves the others to :func:`queue_seats_refresh` (beat, every minute; or a
walk that meets one first): docs/PERFORMANCE.md, "Cheap claims"."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from django.db import DatabaseError, connection, transaction
from django.db.models import OuterRef, Subquery

from ..models import HOURS_PER_WEEK, Ambassador, QueueSeat, StaleSeats, seat_position
from ..selectors import week_minute

A = TypeVar("A", bound=Ambassador)

# How many people's seats one statement of the refresh rewrites (each has ~40).
REFRESH_BATCH = 200
# Each look at the head refreshes whoever in it was stale; the bound only guards against a bug.
MAX_REFRESHED_LOOKS = 20


def claim_hours(at: datetime) -> str:
    """The hours of the week whose seats a claim at ``at`` moves at once: its own hour, where
    the next calls look, and the next, so that a claim at 19:59 holds at 20:00 too (beat has
    brought the other hours up to date long before they come)."""
    hour = week_minute(at) // 60
    return f"{hour},{(hour + 1) % HOURS_PER_WEEK}"


def ambassador_claim(*, ambassador: Ambassador, at: datetime, wait: bool = True) -> bool:
    """Compare-and-set on the queue position: exactly one call can move it, so only one call
    rings this person even when many web processes route at once (PostgreSQL re-checks the
    condition on the row's newest version after waiting for its lock).

    ``ambassador.last_offered_at`` is the position the caller read; the claim fails when
    another call moved it since.

    ``wait=False`` is for a transaction that claims several people (a ring group): a person
    whose row another transaction holds is lost at once instead of waited for, so two groups
    claiming the same people in different orders can never deadlock. Still one statement."""
    if connection.vendor == "postgresql":
        return bool(_claim_on_postgresql([ambassador], at=at, wait=wait))
    if ambassador.last_offered_at is None:
        stale = Ambassador.objects.filter(pk=ambassador.pk, last_offered_at__isnull=True)
    else:
        stale = Ambassador.objects.filter(
            pk=ambassador.pk, last_offered_at=ambassador.last_offered_at
        )
    if not wait:
        stale = Ambassador.objects.filter(
            pk__in=stale.select_for_update(skip_locked=True).values("pk")
        )
    return stale.update(last_offered_at=at) == 1


def ambassadors_claim(*, ambassadors: Sequence[A], at: datetime) -> list[A]:
    """Several people for one call (a ring group) in one statement: the compare-and-set of
    :func:`ambassador_claim` on each, without waiting for a row another transaction holds.
    Those claimed, in the order given."""
    if connection.vendor == "postgresql":
        won = _claim_on_postgresql(ambassadors, at=at, wait=False)
        return [a for a in ambassadors if a.pk in won]
    return [a for a in ambassadors if ambassador_claim(ambassador=a, at=at, wait=False)]


def _claim_on_postgresql(
    ambassadors: Sequence[Ambassador], *, at: datetime, wait: bool
) -> set[int]:
    """The compare-and-sets as one UPDATE, which also names the hours whose seats the trigger
    moves at once (``set_config(…, true)``: for this transaction only, set before the trigger
    runs at the statement's end). The condition is on the updated rows themselves, so that
    PostgreSQL re-checks it on a row's newest version after waiting for its lock; ``wait=False``
    first locks the rows no other transaction holds and skips the others."""
    table = Ambassador._meta.db_table
    seen = ", ".join(["(%s::integer, %s::timestamptz)"] * len(ambassadors))
    free = (
        ""
        if wait
        else f" AND {table}.id IN (SELECT id FROM {table} WHERE id = ANY(%s)"
        " FOR UPDATE SKIP LOCKED)"
    )
    sql = (
        f"UPDATE {table} SET last_offered_at = %s FROM (VALUES {seen}) AS seen (id, position)"
        f" WHERE {table}.id = seen.id AND {table}.last_offered_at IS NOT DISTINCT FROM"
        f" seen.position{free} AND set_config('concierge.claim_hours', %s, true) <> ''"
        f" RETURNING {table}.id"
    )
    params: list[Any] = [at]
    for ambassador in ambassadors:
        params += [ambassador.pk, ambassador.last_offered_at]
    if not wait:
        params.append([a.pk for a in ambassadors])
    params.append(claim_hours(at))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def queue_seats_refresh(*, ambassador_ids: Sequence[int] | None = None) -> int:
    """Bring stale seats up to date (:class:`StaleSeats`): those of ``ambassador_ids``, or all
    that claims left behind (beat). Each batch first deletes its records, then rewrites the
    seats from the rows as they are then: a claim committing meanwhile either waits for the
    delete (and records itself again) or is seen by the rewrite. How many people were
    refreshed."""
    done = 0
    while True:
        with transaction.atomic():
            if ambassador_ids is not None:
                ids = list(ambassador_ids)
            else:
                ids = list(StaleSeats.objects.values_list("pk", flat=True)[:REFRESH_BATCH])
            if not ids:
                return done
            StaleSeats.objects.filter(pk__in=ids).delete()
            position = Ambassador.objects.filter(pk=OuterRef("ambassador_id")).values(
                position=seat_position()
            )
            QueueSeat.objects.filter(ambassador_id__in=ids).update(position=Subquery(position))
        done += len(ids)
        if ambassador_ids is not None:
            return done


def queue_walk(fetch: Callable[[], list[A]]) -> list[A]:
    """The head of the queue as ``fetch`` reads it (a walk of the queue seats annotated with
    ``seat_is_stale``), with no stale seat in it: a seat that still holds a position older than
    its owner's was claimed since (at the back of the queue, not at the head where it sits), so
    it is refreshed and the head read again. With beat running, none is ever met at the
    current hour; without it, nobody is lost, each stale person costs one refresh once."""
    for _look in range(MAX_REFRESHED_LOOKS):
        head = fetch()
        stale = [a.pk for a in head if a.seat_is_stale]  # type: ignore[attr-defined]
        if not stale:
            return head
        try:
            with transaction.atomic():
                queue_seats_refresh(ambassador_ids=stale)
        except DatabaseError:  # beat refreshing them at the same moment (a deadlock)
            break
    return [a for a in head if not a.seat_is_stale]  # type: ignore[attr-defined]


def ambassador_auto_pause(*, ambassador_id: int, at: datetime) -> bool:
    """Switch the ambassador's calls off after missed calls; True only for the one call that
    switched them off (a conditional update), so they are told once."""
    switched = Ambassador.objects.filter(pk=ambassador_id, accepting_calls=True).update(
        accepting_calls=False, auto_paused_at=at
    )
    return switched == 1
