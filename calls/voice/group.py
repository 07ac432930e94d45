# ruff: noqa: S608 - the SQL is built from the models' table and column names only
"""A ring group claimed and recorded in one round trip (PostgreSQL): the compare-and-set of each
person's queue position, the call's ROUTING status and the attempts, as one statement that
needs no transaction around it (docs/PERFORMANCE.md, "Cheap claims"). Its rules are those of
``services._ring_group`` on other databases, which does the same in a transaction:

- the call's row is locked and must still be waiting (IVR or ROUTING): a caller who hung up
  meanwhile has nobody claimed (their hang-up, holding the row, is waited for and seen);
- each person is claimed only if their position is still the one read and no other transaction
  holds their row (skipped, not waited for: two groups never deadlock);
- the call becomes ROUTING only if someone was claimed, and their attempts are inserted with it;
  a duplicate webhook's attempts break a unique key, which undoes the whole statement.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import nullcontext
from datetime import datetime
from typing import Any

from django.db import connection, transaction

from ambassadors.models import Ambassador
from ambassadors.services.queue import claim_hours

from ..models import LIVE_CALL_STATUSES, AttemptOutcome, Call, CallAttempt, CallStatus


def _sql(size: int) -> str:
    people = Ambassador._meta.db_table
    calls = Call._meta.db_table
    fields = CallAttempt._meta.concrete_fields
    returned = ", ".join(f'"{f.column}"' for f in fields)
    seen = ", ".join(["(%s::integer, %s::timestamptz, %s::integer)"] * size)
    return (
        f"WITH live AS (SELECT id FROM {calls} WHERE id = %s AND status IN (%s, %s) FOR UPDATE),"
        f" claimed AS (UPDATE {people} SET last_offered_at = %s"
        f" FROM (VALUES {seen}) AS seen (id, position, rank), live"
        f" WHERE {people}.id = seen.id AND {people}.last_offered_at IS NOT DISTINCT FROM"
        f" seen.position AND {people}.id IN (SELECT id FROM {people} WHERE id = ANY(%s)"
        " FOR UPDATE SKIP LOCKED)"
        " AND set_config('concierge.claim_hours', %s, true) <> ''"
        f" RETURNING {people}.id, seen.rank),"
        f" routing AS (UPDATE {calls} SET status = %s WHERE id IN (SELECT id FROM live)"
        " AND EXISTS (SELECT 1 FROM claimed) RETURNING id)"
        f" INSERT INTO {CallAttempt._meta.db_table}"
        ' (call_id, ambassador_id, "order", "group", outcome, started_at, leg_sid)'
        " SELECT live.id, claimed.id, %s + (row_number() OVER (ORDER BY claimed.rank))::integer"
        " - 1, %s, %s, %s, '' FROM claimed, live"
        f" RETURNING {returned}"
    )


def ring_group_claim(
    call: Call, people: Sequence[Ambassador], *, order: int, group: int, at: datetime
) -> list[CallAttempt] | None:
    """Claim ``people`` for ``call`` and record their attempts from ``order`` on: the attempts
    of those claimed, in the order given; None when the call no longer waits for anyone."""
    params: list[Any] = [call.pk, *LIVE_CALL_STATUSES, at]
    for rank, person in enumerate(people):
        params += [person.pk, person.last_offered_at, rank]
    params += [[p.pk for p in people], claim_hours(at), CallStatus.ROUTING]
    params += [order, group, AttemptOutcome.RINGING, at]
    # Alone it is atomic; inside a caller's transaction, a savepoint keeps a duplicate's error
    # from breaking that transaction.
    atomic = transaction.atomic() if connection.in_atomic_block else nullcontext()
    with atomic, connection.cursor() as cursor:
        cursor.execute(_sql(len(people)), params)
        rows = cursor.fetchall()
    if not rows:
        if not Call.objects.filter(pk=call.pk, status__in=LIVE_CALL_STATUSES).exists():
            return None
        return []
    names = [f.attname for f in CallAttempt._meta.concrete_fields]
    by_person = {person.pk: person for person in people}
    attempts = [CallAttempt.from_db(connection.alias, names, row) for row in rows]
    for attempt in attempts:
        attempt.call = call
        attempt.ambassador = by_person[attempt.ambassador_id or 0]
    call.status = CallStatus.ROUTING
    return sorted(attempts, key=lambda a: a.order)
