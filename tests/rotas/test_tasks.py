"""Beat names tasks by string: every name in its schedule must be a task the worker knows,
found the way the worker finds them (autodiscovery in a fresh process), and the rotas' tasks
keep the names they had before they moved into ``concierge.rotas``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from concierge.celery import app
from concierge.rotas import tasks

ROOT = Path(__file__).resolve().parents[2]
WORKER_VIEW = """
import json
import django
django.setup()
from django.conf import settings
from concierge.celery import app
app.loader.import_default_modules()
scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
print(json.dumps({"scheduled": sorted(scheduled), "missing": sorted(scheduled - set(app.tasks))}))
"""


def test_it_registers_every_task_beat_schedules():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    done = subprocess.run(
        [sys.executable, "-c", WORKER_VIEW], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert "concierge.tasks.send_shift_reminders" in found["scheduled"]
    assert found["missing"] == []


def test_it_keeps_the_rota_task_names_beat_uses():
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    for task in (tasks.send_shift_reminders, tasks.notify_uncovered_shifts):
        assert task.name in scheduled
        assert app.tasks[task.name].run.__module__ == "concierge.rotas.tasks"


def test_the_tasks_run_their_services(team):
    assert tasks.send_shift_reminders.delay().get() == 0
    assert tasks.notify_uncovered_shifts.delay().get() == 1  # June still has empty seats
