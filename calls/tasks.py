"""Background work of the calls app: thin tasks around services."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def serve_callback_requests() -> int:
    """Enqueued when a caller asks to be texted, and run every minute by beat."""
    return services.callbacks_serve()


@shared_task(ignore_result=True)
def delete_old_recordings() -> int:
    """Retention of call recordings, run hourly by beat."""
    return services.recordings_delete_old()
