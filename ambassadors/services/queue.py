"""The ambassador's place in the calls queue, written only here: the calls app asks these
services to claim someone for a call or to switch their calls off, instead of writing the rows."""

from __future__ import annotations

from datetime import datetime

from ..models import Ambassador


def ambassador_claim(*, ambassador: Ambassador, at: datetime, wait: bool = True) -> bool:
    """Compare-and-set on the queue position: exactly one call can move it, so only one call
    rings this person even when many web processes route at once (PostgreSQL re-checks the
    condition on the row's newest version after waiting for its lock).

    ``ambassador.last_offered_at`` is the position the caller read; the claim fails when
    another call moved it since.

    ``wait=False`` is for a transaction that claims several people (a ring group): a person
    whose row another transaction holds is lost at once instead of waited for, so two groups
    claiming the same people in different orders can never deadlock. Still one statement."""
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


def ambassador_auto_pause(*, ambassador_id: int, at: datetime) -> bool:
    """Switch the ambassador's calls off after missed calls; True only for the one call that
    switched them off (a conditional update), so they are told once."""
    switched = Ambassador.objects.filter(pk=ambassador_id, accepting_calls=True).update(
        accepting_calls=False, auto_paused_at=at
    )
    return switched == 1
