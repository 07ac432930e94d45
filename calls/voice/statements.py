# ruff: noqa: S608 - the SQL is built from the models' table and column names only, no input
"""The voice line's hottest writes, each in one round trip to PostgreSQL where the ORM needs two:
a new call stored with the caller's count of the last hour, a hung-up call found and marked
abandoned, the phones still ringing for it cancelled with their sids. Each has the ORM's way
as its fallback on another database (the embedded SQLite), with the same results.

Every statement is written once per process (the columns never change while it runs).
"""

from __future__ import annotations

import functools
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.db import IntegrityError, connection, transaction
from django.db.models import Field, Model

from ..models import LIVE_CALL_STATUSES, AttemptOutcome, Call, CallAttempt, CallStatus


def on_postgresql() -> bool:
    return connection.vendor == "postgresql"


@functools.cache
def _insert_fields() -> list[Field]:
    return [field for field in Call._meta.concrete_fields if not field.primary_key]


@functools.cache
def _insert_sql() -> str:
    quote = connection.ops.quote_name
    table = quote(Call._meta.db_table)
    columns = ", ".join(quote(field.column) for field in _insert_fields())
    values = ", ".join(["%s"] * len(_insert_fields()))
    # RETURNING sees the table as it was before this INSERT: the caller's earlier calls only.
    # Counted up to the limit at most, so a flood of calls costs no longer walk.
    return (
        f"INSERT INTO {table} ({columns}) VALUES ({values}) ON CONFLICT (sid) DO NOTHING "
        f"RETURNING {quote('id')}, (SELECT count(*) FROM (SELECT 1 FROM {table} "
        f"WHERE caller_hash = %s AND received_at >= %s AND received_at < %s "
        "AND is_rehearsal = %s LIMIT %s) AS earlier)"
    )


def call_insert(call: Call, *, counted: int) -> int | None:
    """Store ``call`` (unsaved, its defaults filled in) unless its CallSid is known already:
    how many calls of the same number (the same kind: rehearsal or not) arrived within the hour
    before it, up to ``counted``; None when a retried webhook found the call stored."""
    if not on_postgresql():
        return _call_insert_orm(call, counted=counted)
    params = [
        field.get_db_prep_save(field.pre_save(call, True), connection) for field in _insert_fields()
    ]
    since = call.received_at - timedelta(hours=1)
    params += [call.caller_hash, since, call.received_at, call.is_rehearsal, counted]
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(), params)
        row = cursor.fetchone()
    if row is None:
        return None
    call.pk = row[0]
    call._state.adding = False
    call._state.db = connection.alias
    return int(row[1])


def _call_insert_orm(call: Call, *, counted: int) -> int | None:
    try:
        with transaction.atomic():  # a savepoint inside a transaction (the tests' own)
            call.save(force_insert=True)
    except IntegrityError:  # a retried webhook (CallSid is unique)
        return None
    return earlier_calls(call, counted=counted)


def earlier_calls(call: Call, *, counted: int) -> int:
    """How many calls of this number (rehearsals apart) arrived within the hour before this one,
    up to ``counted``."""
    return (
        Call.objects.filter(
            caller_hash=call.caller_hash,
            received_at__gte=call.received_at - timedelta(hours=1),
            received_at__lt=call.received_at,
            is_rehearsal=call.is_rehearsal,
        )
        .order_by()[:counted]
        .count()
    )


@functools.cache
def _hang_up_sql() -> str:
    quote = connection.ops.quote_name
    table = quote(Call._meta.db_table)
    # Both parts see the row as it was before the UPDATE: the call as found, and whether it was
    # still live (then it is abandoned now; a call answered meanwhile is left to the caller).
    return (
        f"WITH abandoned AS (UPDATE {table} SET status = %s, ended_at = %s "
        "WHERE sid = %s AND status IN (%s, %s) RETURNING id) "
        f"SELECT {table}.*, EXISTS (SELECT 1 FROM abandoned) AS abandoned_now "
        f"FROM {table} WHERE sid = %s"
    )


def call_find_and_abandon(sid: str, *, at: datetime) -> tuple[Call | None, bool]:
    """The call with this CallSid as it stood, and whether it was in the menu or ringing
    (then it is ABANDONED now, ended ``at``)."""
    if not on_postgresql():
        call = Call.objects.filter(sid=sid).first()
        if call is None or call.status not in LIVE_CALL_STATUSES:
            return call, False
        abandoned = Call.objects.filter(pk=call.pk, status__in=LIVE_CALL_STATUSES).update(
            status=CallStatus.ABANDONED, ended_at=at
        )
        return call, bool(abandoned)
    live = [status.value for status in LIVE_CALL_STATUSES]
    params = [CallStatus.ABANDONED.value, at, sid, *live, sid]
    found = list(Call.objects.raw(_hang_up_sql(), params))
    if not found:
        return None, False
    call = found[0]
    abandoned_now = bool(call.abandoned_now)  # type: ignore[attr-defined]
    del call.abandoned_now  # type: ignore[attr-defined]
    return call, abandoned_now


@functools.cache
def _cancel_sql() -> str:
    table = connection.ops.quote_name(CallAttempt._meta.db_table)
    return (
        f"UPDATE {table} SET outcome = %s, ended_at = %s "
        "WHERE call_id = %s AND outcome = %s RETURNING leg_sid"
    )


def attempts_cancel_ringing(call_id: int, *, at: datetime) -> list[str]:
    """Every phone still ringing for this call stops counting as ringing (canceled): the
    CallSids of those we placed ourselves (calls.voice.early), to hang them up."""
    if not on_postgresql():
        ringing = CallAttempt.objects.filter(call_id=call_id, outcome=AttemptOutcome.RINGING)
        legs = list(ringing.order_by().values_list("leg_sid", flat=True))
        ringing.update(outcome=AttemptOutcome.CANCELED, ended_at=at)
        return [sid for sid in legs if sid.startswith("CA")]
    params: list[Any] = [AttemptOutcome.CANCELED.value, at, call_id, AttemptOutcome.RINGING.value]
    with connection.cursor() as cursor:
        cursor.execute(_cancel_sql(), params)
        return [sid for (sid,) in cursor.fetchall() if sid.startswith("CA")]


@functools.cache
def _choose_sql(columns: tuple[str, ...]) -> str:
    quote = connection.ops.quote_name
    table = quote(Call._meta.db_table)
    sets = ", ".join(f"{quote(column)} = %s" for column in columns)
    return f"UPDATE {table} SET {sets} WHERE public_id = %s AND status = %s RETURNING {table}.*"


def call_choose_in_menu(public_id: UUID, choices: dict[str, Model | None]) -> Call | None:
    """The caller's choices (``{"motive": …}``) kept, on a call still in the menu: the call as
    it now stands, read back by the same statement. None when the call is not in the menu (or
    unknown), and on another database than PostgreSQL: nothing was written, read it first."""
    if not on_postgresql():
        return None
    fields = [Call._meta.get_field(name) for name in choices]
    columns = tuple(field.column for field in fields)  # type: ignore[union-attr]
    params: list[object] = [None if value is None else value.pk for value in choices.values()]
    params += [public_id, CallStatus.IVR.value]
    found = list(Call.objects.raw(_choose_sql(columns), params))
    return found[0] if found else None
