"""Counting ended calls and conversations into the rollups, once each.

The task claims a call (``rolled_up_at``, a conditional update: two runs, one count) and adds
its figures to its hour and day rows in the same transaction. ``figures_rebuild`` recomputes a
range from scratch; both run the expressions of ``measures``."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from concierge.lib.timezones import start_of_local_day

from ..models import Call, Channel, Conversation, Dimension, FigureDay, FigureHour
from ..models.figures import Measures
from .measures import (
    CALL_ENDED,
    CONVERSATION_ENDED,
    calls_counted,
    conversations_counted,
    day_rows,
    hour_rows,
)

logger = logging.getLogger(__name__)

KEYS = {
    FigureHour: ("hour", "line_key", "region_key", "channel"),
    FigureDay: ("day", "dimension", "line_key", "region_key", "channel", "value"),
}


def _rows(rows: QuerySet[Any], channel: Channel) -> list[tuple[type[Measures], list[dict]]]:
    """The rollup rows these calls or conversations make: their line's and region's, and every
    line's."""
    made: list[tuple[type[Measures], list[dict]]] = []
    for every_line in (False, True):
        counted: QuerySet[Any]
        if channel == Channel.CALL:
            counted = calls_counted(rows, every_line=every_line)
        else:
            counted = conversations_counted(rows, every_line=every_line)
        made.append((FigureHour, hour_rows(counted, channel=channel)))
        for dimension in Dimension:
            made.append((FigureDay, day_rows(counted, channel=channel, dimension=dimension)))
    return made


def figures_count_call(*, call_id: int) -> bool:
    """Count an ended call in the figures, once (False: not ended, a rehearsal, or counted)."""
    return _count_once(Call.objects.filter(CALL_ENDED, pk=call_id), Channel.CALL)


def figures_count_conversation(*, conversation_id: int) -> bool:
    rows = Conversation.objects.filter(CONVERSATION_ENDED, pk=conversation_id)
    return _count_once(rows, Channel.TEXT)


def _count_once(rows: QuerySet[Any], channel: Channel) -> bool:
    with transaction.atomic():
        claimed = rows.filter(rolled_up_at__isnull=True, is_rehearsal=False).update(
            rolled_up_at=timezone.now()
        )
        if not claimed:
            return False
        for model, values in _rows(rows, channel):
            for value in values:
                _add(model, value)
    return True


def _add(model: type[Measures], values: dict[str, Any]) -> None:
    """INSERT … ON CONFLICT DO UPDATE adding the measures (PostgreSQL and SQLite alike)."""
    keys = KEYS[model]
    fields = {f.attname: f for f in model._meta.concrete_fields if not f.primary_key}
    values = {name: values.get(name, field.get_default()) for name, field in fields.items()}
    table = connection.ops.quote_name(model._meta.db_table)
    columns = {name: connection.ops.quote_name(f.column) for name, f in fields.items()}
    conflict = [columns[name] for name in keys]
    additions = [
        f"{c} = COALESCE({table}.{c} + EXCLUDED.{c}, {table}.{c}, EXCLUDED.{c})"
        for name, c in columns.items()
        if name not in keys
    ]
    params = [f.get_db_prep_save(values[name], connection) for name, f in fields.items()]
    placeholders = ", ".join(["%s"] * len(fields))
    # Names from the model's metadata, values as parameters.
    sql = (
        f"INSERT INTO {table} ({', '.join(columns.values())}) VALUES ({placeholders}) "  # noqa: S608
        f"ON CONFLICT ({', '.join(conflict)}) DO UPDATE SET {', '.join(additions)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def figures_count_ended(*, since: timedelta = timedelta(days=2)) -> int:
    """Count what ended without being counted (the broker was down): beat's safety net."""
    start = timezone.now() - since
    counted = 0
    calls = Call.objects.filter(
        CALL_ENDED, rolled_up_at__isnull=True, is_rehearsal=False, received_at__gte=start
    )
    for call_id in calls.values_list("pk", flat=True)[:1000]:
        counted += figures_count_call(call_id=call_id)
    conversations = Conversation.objects.filter(
        CONVERSATION_ENDED, rolled_up_at__isnull=True, is_rehearsal=False, opened_at__gte=start
    )
    for conversation_id in conversations.values_list("pk", flat=True)[:1000]:
        counted += figures_count_conversation(conversation_id=conversation_id)
    return counted


def figures_rebuild(*, first: date | None = None, last: date | None = None) -> dict[str, int]:
    """Recompute the rollups of the destination's days ``first`` to ``last`` (inclusive; None:
    from the beginning, to the end). Idempotent; safe while the task runs:

    1. every ended call and conversation of the range not yet counted is claimed;
    2. the rollup tables are locked against writers (PostgreSQL; readers go on);
    3. the range's rows are deleted and recomputed from what is claimed and committed. A task
       that claimed a call meanwhile waits for the lock, then adds it to the new rows."""
    start = start_of_local_day(first) if first else None
    end = start_of_local_day(last + timedelta(days=1)) if last else None
    with transaction.atomic():
        stamp = timezone.now()
        calls = _between(
            Call.objects.filter(CALL_ENDED, is_rehearsal=False), "received_at", start, end
        )
        conversations = _between(
            Conversation.objects.filter(CONVERSATION_ENDED, is_rehearsal=False),
            "opened_at",
            start,
            end,
        )
        calls.filter(rolled_up_at__isnull=True).update(rolled_up_at=stamp)
        conversations.filter(rolled_up_at__isnull=True).update(rolled_up_at=stamp)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # JIT compiling these wide aggregates costs seconds and saves nothing.
                cursor.execute("SET LOCAL jit = off")
                cursor.execute(
                    f"LOCK TABLE {FigureHour._meta.db_table}, {FigureDay._meta.db_table} "
                    "IN EXCLUSIVE MODE"
                )
        _between(FigureHour.objects.all(), "hour", start, end).delete()
        days = FigureDay.objects.all()
        if first:
            days = days.filter(day__gte=first)
        if last:
            days = days.filter(day__lte=last)
        days.delete()
        written = {"hours": 0, "days": 0}
        for channel, rows in (
            (Channel.CALL, calls.filter(rolled_up_at__isnull=False)),
            (Channel.TEXT, conversations.filter(rolled_up_at__isnull=False)),
        ):
            for model, values in _rows(rows, channel):
                model._default_manager.bulk_create([model(**v) for v in values], batch_size=2000)
                written["hours" if model is FigureHour else "days"] += len(values)
    return written


def _between(rows: QuerySet[Any], field: str, start: datetime | None, end: datetime | None):
    if start:
        rows = rows.filter(**{f"{field}__gte": start})
    if end:
        rows = rows.filter(**{f"{field}__lt": end})
    return rows
