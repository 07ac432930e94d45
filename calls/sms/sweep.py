"""Every minute: hand waiting conversations to free locals, pass unanswered ones on, close quiet
ones, and send what a broker outage left unsent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from concierge.rotas import advisors_on_duty

from .. import copy
from ..models import CloseReason, Conversation, ConversationStatus, MessageAuthor
from .conversations import assign, close, hand_over
from .outbox import resend_stuck, send, send_to_local


def conversations_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Run every minute: hand waiting conversations to free locals, pass unanswered ones on,
    close quiet ones, and send what a broker outage left unsent."""
    now = now or timezone.now()
    done = {"unanswered": 0, "shift_ended": 0, "assigned": 0, "closed": 0, "resent": 0}
    late = now - timedelta(minutes=settings.SMS_ANSWER_MINUTES)
    for conversation in Conversation.objects.filter(
        status=ConversationStatus.OPEN, first_reply_at__isnull=True, assigned_at__lt=late
    ).select_related("line", "responder", "advisor__user"):
        with transaction.atomic():
            # Nobody answered in time.
            passed = _hand_over(conversation, now, reason="unanswered", notice=copy.local_passed_on)
            if passed is not None:
                done["unanswered"] += 1
                done["assigned"] += passed
    on_duty = advisors_on_duty(at=now, region=None).values("pk")
    for conversation in (
        Conversation.objects.filter(status=ConversationStatus.OPEN, advisor__isnull=False)
        .exclude(advisor__in=on_duty)
        .select_related("line", "advisor__user")
    ):
        with transaction.atomic():
            # The advisor's shift ended: they are thanked, someone else goes on.
            shift_over = _hand_over(conversation, now, reason="left", notice=copy.local_shift_over)
            if shift_over is not None:
                done["shift_ended"] += 1
    idle = now - timedelta(hours=settings.SMS_IDLE_HOURS)
    for conversation in (
        Conversation.objects.filter(last_activity_at__lt=idle)
        .exclude(status=ConversationStatus.CLOSED)
        .select_related("line")
    ):
        with transaction.atomic():
            waiting = conversation.status == ConversationStatus.WAITING
            if close(conversation, CloseReason.IDLE):
                done["closed"] += 1
                if waiting:
                    _sorry(conversation)
    for conversation in (
        Conversation.objects.filter(status=ConversationStatus.WAITING)
        .order_by("opened_at")
        .select_related("line", "motive")[:100]
    ):
        with transaction.atomic():
            locked = Conversation.objects.select_for_update(skip_locked=True).filter(
                pk=conversation.pk, status=ConversationStatus.WAITING
            )
            if locked.exists() and assign(conversation, now=now):
                done["assigned"] += 1
    done["resent"] = resend_stuck(now)
    return done


def _hand_over(
    conversation: Conversation, now: datetime, *, reason: str, notice: Callable[..., str]
) -> bool | None:
    """The local is told why (``notice``, from the catalogue) once released, and the
    conversation goes on with the next free local (see :func:`hand_over`)."""
    code = conversation.code

    def tell_local() -> None:
        send_to_local(conversation, lambda language: notice(language, code=code))

    return hand_over(conversation, now=now, reason=reason, before=tell_local)


def _sorry(conversation: Conversation) -> None:
    text = copy.tourist_sorry(conversation.language)
    send(conversation, to=conversation.tourist_number, body=text, author=MessageAuthor.SYSTEM)
