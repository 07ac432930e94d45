"""Background work of the ambassadors app: thin tasks around services."""

from __future__ import annotations

from celery import shared_task

from . import points


@shared_task(ignore_result=True)
def award_points() -> int:
    """Pending awards to ledger entries. Enqueued after a call or a text conversation earns
    points, and run every minute by beat, which catches up after a broker outage."""
    return points.points_award_pending()


@shared_task(ignore_result=True)
def award_monthly_bonus() -> int:
    """Daily (beat): last month's bonus, once per ambassador and month whatever the day."""
    return points.points_award_monthly()
