"""Background work of the ambassadors app: thin tasks around services."""

from __future__ import annotations

from celery import shared_task

from . import points
from .services import queue_seats_refresh


@shared_task(ignore_result=True)
def award_points() -> int:
    """Pending awards to ledger entries. Enqueued after a call or a text conversation earns
    points, and run every minute by beat, which catches up after a broker outage."""
    return points.points_award_pending()


@shared_task(ignore_result=True)
def award_monthly_bonus() -> int:
    """Daily (beat): last month's bonus, once per ambassador and month whatever the day."""
    return points.points_award_monthly()


@shared_task(ignore_result=True)
def refresh_queue_seats() -> int:
    """Every minute (beat): the queue seats claims left behind, brought up to date (a walk that
    meets one first refreshes it itself, so nobody waits for this task)."""
    return queue_seats_refresh()
