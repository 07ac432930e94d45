from __future__ import annotations

import os

from celery import Celery
from celery.signals import (
    setup_logging,
    task_failure,
    task_postrun,
    task_prerun,
    task_retry,
    task_success,
)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "concierge.settings")

app = Celery("concierge")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def use_django_logging(**kwargs: object) -> None:
    """The worker logs through Django's LOGGING, whose handlers blank phone numbers, instead of
    replacing the root logger's handlers with its own."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)


@task_prerun.connect
def name_the_task_in_logs(
    task_id: str | None = None, task: object = None, **kwargs: object
) -> None:
    from concierge.lib import logcontext

    logcontext.clear()
    logcontext.bind(task_id=task_id or "", task=getattr(task, "name", "") or "")


@task_postrun.connect
def forget_the_task(**kwargs: object) -> None:
    from concierge.lib import logcontext

    logcontext.clear()


def _count_outcomes() -> None:
    from concierge.lib.metrics import task_finished

    task_success.connect(task_finished("success"), weak=False)
    task_retry.connect(task_finished("retry"), weak=False)
    task_failure.connect(task_finished("failure"), weak=False)


_count_outcomes()
