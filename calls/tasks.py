"""Where Celery's autodiscovery finds the calls app's tasks: they live with their subdomain."""

from __future__ import annotations

from .sms.tasks import delete_old_sms_texts, send_sms_message, sweep_sms_conversations
from .voice.tasks import delete_old_recordings, serve_callback_requests

__all__ = [
    "delete_old_recordings",
    "delete_old_sms_texts",
    "send_sms_message",
    "serve_callback_requests",
    "sweep_sms_conversations",
]
