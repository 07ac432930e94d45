"""Phone numbers in the calls app: kept in clear only while a text must still be sent to them,
pseudonymised after PHONE_NUMBER_RETENTION_DAYS, erased at once when an ambassador deletes their
account. docs/PRIVACY.md says what is kept where, and for how long.

A pseudonym (concierge.lib.pseudonyms) is the same for the same number, so a conversation whose
numbers were erased still reads as one: the tourist's side and the local's side stay apart.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from concierge.lib.pseudonyms import PSEUDONYM_PREFIX, number_pseudonym

from .models import (
    WHATSAPP_PREFIX,
    Call,
    CallbackStatus,
    CloseReason,
    Conversation,
    ConversationStatus,
    Message,
    MessageDirection,
    MessageStatus,
    SandboxMessage,
)
from .sms.conversations import close, release

BATCH = 1000
# Texts still to be handed to the backend need their recipient's number.
UNSENT = (MessageStatus.PENDING, MessageStatus.SENDING)


def on_ambassador_deleting(
    sender: Any, *, ambassador_id: int, numbers: list[str], **_: Any
) -> None:
    """Receiver of ``ambassadors.signals.ambassador_deleting`` (connected in CallsConfig)."""
    ambassador_forget(ambassador_id=ambassador_id, numbers=numbers)


@transaction.atomic
def ambassador_forget(*, ambassador_id: int, numbers: Collection[str]) -> None:
    """An ambassador deleted their account: the conversations they held go to another local,
    nothing more is sent to their numbers, and those numbers leave every row of ours."""
    held = Conversation.objects.select_for_update().filter(
        status=ConversationStatus.OPEN, responder_id=ambassador_id
    )
    for conversation in held:
        release(conversation)
    if not numbers:
        return
    # Their numbers as WhatsApp addresses too: they may have written on WhatsApp as a tourist.
    numbers = [*numbers, *(WHATSAPP_PREFIX + number for number in numbers)]
    # They may also have texted the line as a tourist (before verifying, or from an old number).
    live = (
        Conversation.objects.select_for_update()
        .filter(tourist_number__in=numbers)
        .exclude(status=ConversationStatus.CLOSED)
    )
    for conversation in live:
        close(conversation, CloseReason.OPTED_OUT)
    Message.objects.filter(to_number__in=numbers, status=MessageStatus.PENDING).update(
        status=MessageStatus.FAILED, error="Not sent: the account was deleted."
    )
    for number in numbers:
        pseudonym = number_pseudonym(number)
        Message.objects.filter(from_number=number).update(
            from_number=pseudonym, numbers_erased=True
        )
        Message.objects.filter(to_number=number).update(to_number=pseudonym, numbers_erased=True)
        Conversation.objects.filter(tourist_number=number).update(tourist_number=pseudonym)
        SandboxMessage.objects.filter(to=number).update(to=pseudonym)
        SandboxMessage.objects.filter(from_number=number).update(from_number=pseudonym)
        Call.objects.filter(caller_number=number).update(caller_number="")


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
