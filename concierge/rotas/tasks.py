"""Work of the rotas in the background: thin tasks around services.

Beat (``CELERY_BEAT_SCHEDULE`` in the settings) names these tasks by string, and the names
were given when they lived in ``concierge/tasks.py``: they are fixed here so that moving the
code never renames a task. ``concierge.tasks`` imports this module, which is how Celery's
autodiscovery (one ``tasks`` module per installed app) finds them.
"""

from __future__ import annotations

from celery import shared_task

from ..lib.telephony import TelephonyError
from .delivery import notice_email_send, notice_text_send, notices_resend
from .notices import rota_notify_empty_seats, rota_notify_uncovered, rota_send_reminders


@shared_task(name="concierge.tasks.send_shift_reminders", ignore_result=True)
def send_shift_reminders() -> int:
    """Every five minutes (beat): notices of shifts starting soon, each sent once."""
    return rota_send_reminders()


@shared_task(name="concierge.tasks.notify_uncovered_shifts", ignore_result=True)
def notify_uncovered_shifts() -> int:
    """Daily (beat): coordinators hear about shifts without enough advisors."""
    return rota_notify_uncovered()


@shared_task(name="concierge.tasks.notify_empty_seats", ignore_result=True)
def notify_empty_seats() -> int:
    """Every half hour (beat): today's empty seats, once per shift and day."""
    return rota_notify_empty_seats()


@shared_task(
    name="concierge.tasks.send_notice_email",
    ignore_result=True,
    autoretry_for=(OSError,),  # smtplib's errors are OSErrors
    retry_backoff=10,
    retry_backoff_max=600,
    max_retries=8,
)
def send_notice_email(notice_id: int) -> bool:
    """One notice by e-mail, once; a failing mail server is retried with backoff."""
    return notice_email_send(notice_id=notice_id)


@shared_task(
    name="concierge.tasks.send_notice_text",
    ignore_result=True,
    autoretry_for=(TelephonyError,),
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=8,
)
def send_notice_text(notice_id: int) -> bool:
    """One notice by text, once; a temporary failure is retried with backoff."""
    return notice_text_send(notice_id=notice_id)


@shared_task(name="concierge.tasks.resend_notices", ignore_result=True)
def resend_notices() -> int:
    """Every ten minutes (beat): notices a broker outage kept from going out."""
    return notices_resend()
