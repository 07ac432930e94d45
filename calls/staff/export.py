"""CSV exports of calls and conversations for a date range, for staff: no phone number and no
number's hash in any column, rehearsals left out, rows streamed as they are read (a month of a
busy line is hundreds of thousands of rows)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date, datetime, timedelta

from django.db.models import QuerySet

from concierge.lib.timezones import start_of_local_day

from ..models import Call, Conversation
from ..responders import responder_of

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


def calls_in(start: date, end: date) -> QuerySet[Call]:
    since, until = local_range(start, end)
    return (
        Call.objects.filter(received_at__gte=since, received_at__lt=until, is_rehearsal=False)
        .select_related("line", "motive", "region", "responder", "advisor__user", "rating")
        .order_by("received_at", "pk")
    )


def conversations_in(start: date, end: date) -> QuerySet[Conversation]:
    since, until = local_range(start, end)
    return (
        Conversation.objects.filter(opened_at__gte=since, opened_at__lt=until, is_rehearsal=False)
        .select_related("line", "motive", "responder", "advisor__user", "rating")
        .order_by("opened_at", "pk")
    )


def call_rows(calls: QuerySet[Call]) -> Iterator[list[object]]:
    for call in calls.iterator(chunk_size=CHUNK):
        local = responder_of(call)
        yield [
            call.reference,
            _iso(call.received_at),
            call.line.label,
            call.status,
            call.caller_country,
            call.language,
            call.motive.code if call.motive else "",
            call.region.code if call.region else "",
            _iso(call.answered_at),
            _iso(call.ended_at),
            "" if call.duration is None else call.duration,
            "" if call.time_to_human is None else call.time_to_human,
            local.kind if local else "",
            local.first_name if local else "",
            _score(call),
        ]


def conversation_rows(conversations: QuerySet[Conversation]) -> Iterator[list[object]]:
    for conversation in conversations.iterator(chunk_size=CHUNK):
        local = responder_of(conversation)
        wait = conversation.first_response_time
        yield [
            str(conversation.public_id),
            conversation.code,
            _iso(conversation.opened_at),
            conversation.line.label,
            conversation.status,
            conversation.close_reason,
            conversation.tourist_country,
            conversation.language,
            conversation.motive.code if conversation.motive else "",
            _iso(conversation.assigned_at),
            _iso(conversation.first_reply_at),
            "" if wait is None else int(wait.total_seconds()),
            _iso(conversation.closed_at),
            local.kind if local else "",
            local.first_name if local else "",
            _score(conversation),
        ]


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


def _score(obj: Call | Conversation) -> int | str:
    rating = getattr(obj, "rating", None)
    return rating.score if rating is not None and rating.score is not None else ""
