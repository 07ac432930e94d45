"""Phone numbers in the calls app: kept in clear only while a text must still be sent to them,
pseudonymised after PHONE_NUMBER_RETENTION_DAYS. docs/PRIVACY.md says what is kept where, and
for how long.

A pseudonym (concierge.lib.pseudonyms) is the same for the same number, so a conversation whose
numbers were erased still reads as one: the tourist's side and the local's side stay apart.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from concierge.lib.pseudonyms import PSEUDONYM_PREFIX, number_pseudonym

from .models import (
    Call,
    CallbackStatus,
    Conversation,
    ConversationStatus,
    Message,
    MessageDirection,
    MessageStatus,
    SandboxMessage,
)

BATCH = 1000
# Texts still to be handed to the backend need their recipient's number.
UNSENT = (MessageStatus.PENDING, MessageStatus.SENDING)


def numbers_erase_old(*, now: datetime | None = None) -> dict[str, int]:
    """Retention (hourly): clear numbers older than PHONE_NUMBER_RETENTION_DAYS are erased, except
    where a text must still be sent: a pending callback request, a live conversation, a text not
    yet handed to the backend. What recognising a number needs (the rate limit, blocks,
    opt-outs) keeps its keyed hash instead."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.PHONE_NUMBER_RETENTION_DAYS)
    calls = (
        Call.objects.filter(received_at__lt=cutoff)
        .exclude(caller_number="")
        .exclude(callback_request__status=CallbackStatus.PENDING)
        .update(caller_number="")
    )
    closed_long_ago = Q(status=ConversationStatus.CLOSED, closed_at__lt=cutoff)
    conversations = _pseudonymise(
        Conversation.objects.filter(closed_long_ago).exclude(
            tourist_number__startswith=PSEUDONYM_PREFIX
        ),
        party=lambda conversation: "tourist_number",
    )
    messages = _pseudonymise(
        Message.objects.filter(numbers_erased=False)
        .exclude(status__in=UNSENT)
        .filter(
            Q(conversation__isnull=True, created_at__lt=cutoff)
            | Q(conversation__status=ConversationStatus.CLOSED, conversation__closed_at__lt=cutoff)
        ),
        # The other end is always our line, whose number is public.
        party=lambda message: (
            "from_number" if message.direction == MessageDirection.INBOUND else "to_number"
        ),
        flag="numbers_erased",
    )
    sandbox = _pseudonymise(
        SandboxMessage.objects.filter(created_at__lt=cutoff).exclude(
            to__startswith=PSEUDONYM_PREFIX
        ),
        party=lambda message: "to",
    )
    return {
        "calls": calls,
        "conversations": conversations,
        "messages": messages,
        "sandbox": sandbox,
    }


def _pseudonymise(rows: QuerySet[Any], *, party: Callable[[Any], str], flag: str = "") -> int:
    """Replace the number in each row's ``party(row)`` column by its pseudonym (computed here:
    the keyed hash needs the key), in batches by primary key."""
    done, last = 0, 0
    model: type[Model] = rows.model
    while True:
        batch = list(rows.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not batch:
            return done
        changed: set[str] = set()
        for row in batch:
            column = party(row)
            setattr(row, column, number_pseudonym(getattr(row, column)))
            changed.add(column)
            if flag:
                setattr(row, flag, True)
        model._default_manager.bulk_update(batch, [*changed, *([flag] if flag else [])])
        done += len(batch)
        last = batch[-1].pk
