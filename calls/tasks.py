"""Where Celery's autodiscovery finds the calls app's tasks: they live with their subdomain, and
here when they span both (the retention of numbers)."""

from __future__ import annotations

from celery import shared_task

from . import privacy
from .figures.tasks import (
    count_call_in_figures,
    count_conversation_in_figures,
    count_ended_in_figures,
)
from .sms.tasks import (
    delete_old_sms_texts,
    send_rating_survey,
    send_sms_message,
    sweep_sms_conversations,
)
from .voice.tasks import delete_old_recordings, serve_callback_requests
from .webchat.tasks import mail_unread_web_chats, send_web_chat_mail

__all__ = [
    "count_call_in_figures",
    "count_conversation_in_figures",
    "count_ended_in_figures",
    "delete_old_recordings",
    "delete_old_sms_texts",
    "erase_old_numbers",
    "mail_unread_web_chats",
    "send_rating_survey",
    "send_sms_message",
    "send_web_chat_mail",
    "serve_callback_requests",
    "sweep_sms_conversations",
]


@shared_task(name="calls.tasks.erase_old_numbers", ignore_result=True)
def erase_old_numbers() -> dict[str, int]:
    """Retention of clear phone numbers, run hourly by beat."""
    return privacy.numbers_erase_old()
