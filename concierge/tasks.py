"""Periodic work of the rotas: thin tasks around services."""

from __future__ import annotations

from celery import shared_task

from . import rotas


@shared_task(ignore_result=True)
def send_shift_reminders() -> int:
    """Every five minutes (beat): reminders for shifts starting soon, each sent once."""
    return rotas.rota_send_reminders()


@shared_task(ignore_result=True)
def notify_uncovered_shifts() -> int:
    """Daily (beat): coordinators hear about shifts without enough advisors."""
    return rotas.rota_notify_uncovered()
