"""Background work of the web chat: thin tasks around services, with fixed names."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from .services import visitor_mail_unread, visitors_to_mail


@shared_task(name="calls.tasks.mail_unread_web_chats", ignore_result=True)
def mail_unread_web_chats() -> int:
    """Every minute (beat): the visitors who left an address and did not read a reply."""
    due = visitors_to_mail(now=timezone.now())
    for visitor_id in due:
        send_web_chat_mail.delay(visitor_id)
    return len(due)


@shared_task(name="calls.tasks.send_web_chat_mail", ignore_result=True)
def send_web_chat_mail(visitor_id: int) -> bool:
    """One visitor's unread replies, by e-mail, once."""
    return visitor_mail_unread(visitor_id=visitor_id)
