"""CSV exports of calls and conversations for a date range, for staff: no phone number and no
number's hash in any column, rehearsals left out, rows streamed as they are read (a month of a
busy line is hundreds of thousands of rows)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import QuerySet

from concierge.lib.timezones import start_of_local_day

from ..models import Call, Conversation
from ..models.voice import call_reference
from ..responders import ResponderKind, spoken_name

CHUNK = 2000
CALL_COLUMNS = [
    "reference",
    "received_at",
    "line",
    "status",
    "caller_country",
    "language",
    "motive",
    "region",
    "answered_at",
    "ended_at",
    "duration_seconds",
    "seconds_to_a_human",
    "answered_by",
    "local_first_name",
    "rating",
]
CONVERSATION_COLUMNS = [
    "id",
    "code",
    "opened_at",
    "line",
    "status",
    "close_reason",
    "tourist_country",
    "language",
    "motive",
    "assigned_at",
    "first_reply_at",
    "seconds_to_first_reply",
    "closed_at",
    "answered_by",
    "local_first_name",
    "rating",
]


class Echo:
    """A file that hands back what is written: csv.writer's row, ready to stream."""

    def write(self, value: str) -> str:
        return value


def local_range(start: date, end: date) -> tuple[datetime, datetime]:
    """From the start of ``start`` to the end of ``end``, both days in the destination's zone."""
    return start_of_local_day(start), start_of_local_day(end + timedelta(days=1))


CALL_FIELDS = (
    "public_id",
    "received_at",
    "line__label",
    "status",
    "caller_country",
    "language",
    "motive__code",
    "region__code",
    "answered_at",
    "ended_at",
    "duration",
    "responder_id",
    "responder__display_name",
    "advisor_id",
    "advisor__user__first_name",
    "rating__score",
)
CONVERSATION_FIELDS = (
    "public_id",
    "code",
    "opened_at",
    "line__label",
    "status",
    "close_reason",
    "tourist_country",
    "language",
    "motive__code",
    "assigned_at",
    "first_reply_at",
    "first_response_time",
    "closed_at",
    "responder_id",
    "responder__display_name",
    "advisor_id",
    "advisor__user__first_name",
    "rating__score",
)


def calls_in(start: date, end: date) -> QuerySet[Call, dict[str, Any]]:
    """Plain values, not models: no phone number is even read (parsing them was most of the
    export's time)."""
    since, until = local_range(start, end)
    return (
        Call.objects.filter(received_at__gte=since, received_at__lt=until, is_rehearsal=False)
        .order_by("received_at", "pk")
        .values(*CALL_FIELDS)
    )


def conversations_in(start: date, end: date) -> QuerySet[Conversation, dict[str, Any]]:
    since, until = local_range(start, end)
    return (
        Conversation.objects.filter(opened_at__gte=since, opened_at__lt=until, is_rehearsal=False)
        .order_by("opened_at", "pk")
        .values(*CONVERSATION_FIELDS)
    )


def call_rows(calls: QuerySet[Call, dict[str, Any]]) -> Iterator[list[object]]:
    for call in calls.iterator(chunk_size=CHUNK):
        answered = call["answered_at"]
        yield [
            call_reference(call["public_id"]),
            _iso(call["received_at"]),
            call["line__label"],
            call["status"],
            call["caller_country"],
            call["language"],
            call["motive__code"] or "",
            call["region__code"] or "",
            _iso(answered),
            _iso(call["ended_at"]),
            _blank(call["duration"]),
            int((answered - call["received_at"]).total_seconds()) if answered else "",
            *_local(call),
            _blank(call["rating__score"]),
        ]


def conversation_rows(
    conversations: QuerySet[Conversation, dict[str, Any]],
) -> Iterator[list[object]]:
    for conversation in conversations.iterator(chunk_size=CHUNK):
        wait = conversation["first_response_time"]
        yield [
            str(conversation["public_id"]),
            conversation["code"],
            _iso(conversation["opened_at"]),
            conversation["line__label"],
            conversation["status"],
            conversation["close_reason"],
            conversation["tourist_country"],
            conversation["language"],
            conversation["motive__code"] or "",
            _iso(conversation["assigned_at"]),
            _iso(conversation["first_reply_at"]),
            "" if wait is None else int(wait.total_seconds()),
            _iso(conversation["closed_at"]),
            *_local(conversation),
            _blank(conversation["rating__score"]),
        ]


def _local(row: dict[str, Any]) -> tuple[str, str]:
    """Who answered (their kind) and the name tourists know them by, as calls.responders says."""
    if row["responder_id"]:
        return ResponderKind.AMBASSADOR, spoken_name(row["responder__display_name"] or "")
    if row["advisor_id"]:
        return ResponderKind.ADVISOR, spoken_name(row["advisor__user__first_name"] or "")
    return "", ""


def _blank(value: object) -> object:
    return "" if value is None else value


def stream(header: list[str], rows: Iterator[list[object]]) -> Iterator[str]:
    writer = csv.writer(Echo())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([_inert(cell) for cell in row])


def _inert(cell: object) -> object:
    """A name typed by someone (a line's label, a volunteer's pseudonym) is never a formula when
    the file is opened in a spreadsheet."""
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@"):
        return "'" + cell
    return cell


def _iso(value: datetime | None) -> str:
    return value.isoformat() if value else ""
