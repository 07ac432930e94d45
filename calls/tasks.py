"""Background work of the calls app: thin tasks around services."""

from __future__ import annotations

from celery import shared_task

from concierge.lib.telephony import TelephonyError

from . import messaging, relay, services


@shared_task(ignore_result=True)
def serve_callback_requests() -> int:
    """Enqueued when a caller asks to be texted, and run every minute by beat."""
    return services.callbacks_serve()


@shared_task(ignore_result=True)
def delete_old_recordings() -> int:
    """Retention of call recordings, run hourly by beat."""
    return services.recordings_delete_old()


@shared_task(
    ignore_result=True,
    autoretry_for=(TelephonyError,),
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=8,
)
def send_sms_message(message_id: int) -> bool:
    """One stored SMS to the telephony backend; a temporary failure is retried with backoff."""
    return messaging.message_send(message_id=message_id)


@shared_task(ignore_result=True)
def sweep_sms_conversations() -> dict[str, int]:
    """Every minute (beat): hand-overs, unanswered and idle conversations, unsent messages."""
    return relay.conversations_sweep()


@shared_task(ignore_result=True)
def delete_old_sms_texts() -> int:
    """Retention of message texts, run hourly by beat."""
    return messaging.messages_blank_old()
