"""Background work of the SMS relay: thin tasks around services. Task names are fixed (beat
and queued messages refer to them by string)."""

from __future__ import annotations

from celery import shared_task

from concierge.lib.telephony import TelephonyError

from . import outbox, survey, sweep


@shared_task(
    name="calls.tasks.send_sms_message",
    ignore_result=True,
    autoretry_for=(TelephonyError,),
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=8,
)
def send_sms_message(message_id: int) -> bool:
    """One stored SMS to the telephony backend; a temporary failure is retried with backoff."""
    return outbox.message_send(message_id=message_id)


@shared_task(name="calls.tasks.sweep_sms_conversations", ignore_result=True)
def sweep_sms_conversations() -> dict[str, int]:
    """Every minute (beat): hand-overs, unanswered and idle conversations, unsent messages."""
    return sweep.conversations_sweep()


@shared_task(name="calls.tasks.delete_old_sms_texts", ignore_result=True)
def delete_old_sms_texts() -> int:
    """Retention of message texts (and of the comments tourists sent with their ratings), run
    hourly by beat."""
    return outbox.messages_blank_old() + survey.rating_comments_blank_old()


@shared_task(name="calls.tasks.send_rating_survey", ignore_result=True)
def send_rating_survey(kind: str, object_id: int) -> bool:
    """After a call ("call") or a text conversation ("conversation") ends: the survey, once.
    Enqueued by name (calls.ratings.ask), so the voice line needs no import of ours."""
    return survey.rating_ask(kind=kind, object_id=object_id) is not None
