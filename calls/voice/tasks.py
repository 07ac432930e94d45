"""Background work of the voice line: thin tasks around services. Task names are fixed
(beat and queued messages refer to them by string)."""

from __future__ import annotations

from celery import shared_task

from . import callbacks, recordings


@shared_task(name="calls.tasks.serve_callback_requests", ignore_result=True)
def serve_callback_requests() -> int:
    """Enqueued when a caller asks to be texted, and run every minute by beat."""
    return callbacks.callbacks_serve()


@shared_task(name="calls.tasks.delete_old_recordings", ignore_result=True)
def delete_old_recordings() -> int:
    """Retention of call recordings, run hourly by beat."""
    return recordings.recordings_delete_old()
