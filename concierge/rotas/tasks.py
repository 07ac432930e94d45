"""Periodic work of the rotas: thin tasks around services.

Beat (``CELERY_BEAT_SCHEDULE`` in the settings) names these tasks by string, and the names
were given when they lived in ``concierge/tasks.py``: they are fixed here so that moving the
code never renames a task. ``concierge.tasks`` imports this module, which is how Celery's
autodiscovery (one ``tasks`` module per installed app) finds them.
"""

from __future__ import annotations

from celery import shared_task

from .notices import rota_notify_uncovered, rota_send_reminders


@shared_task(name="concierge.tasks.send_shift_reminders", ignore_result=True)
def send_shift_reminders() -> int:
    """Every five minutes (beat): reminders for shifts starting soon, each sent once."""
    return rota_send_reminders()


@shared_task(name="concierge.tasks.notify_uncovered_shifts", ignore_result=True)
def notify_uncovered_shifts() -> int:
    """Daily (beat): coordinators hear about shifts without enough advisors."""
    return rota_notify_uncovered()
