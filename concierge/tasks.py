"""Celery's autodiscovery imports the ``tasks`` module of each installed app; the rotas'
tasks live in ``concierge.rotas.tasks`` (``concierge.rotas`` is not an app of its own), so
importing them here is what registers them with the worker."""

from __future__ import annotations

from .rotas.tasks import notify_uncovered_shifts, send_shift_reminders

__all__ = ["notify_uncovered_shifts", "send_shift_reminders"]
