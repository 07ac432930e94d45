"""Celery's autodiscovery imports the ``tasks`` module of each installed app; the rotas'
tasks live in ``concierge.rotas.tasks`` (``concierge.rotas`` is not an app of its own), so
importing them here is what registers them with the worker."""

from __future__ import annotations

from .rotas.tasks import (
    notify_empty_seats,
    notify_uncovered_shifts,
    resend_notices,
    send_notice_email,
    send_notice_text,
    send_shift_reminders,
)

__all__ = [
    "notify_empty_seats",
    "notify_uncovered_shifts",
    "resend_notices",
    "send_notice_email",
    "send_notice_text",
    "send_shift_reminders",
]
