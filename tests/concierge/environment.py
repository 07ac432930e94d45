"""Settings under a controlled environment, read in this process; and, for the one thing that
needs it, project code in a fresh interpreter.

``concierge/settings.py`` reads the environment once, when it is imported. To see what it makes of
another environment, :func:`settings_under` executes that same file again (``runpy``) with the
process environment swapped for the one given, and returns the module's names — no subprocess, no
copy of the parsing logic, and the settings this test run already loaded are left alone.
"""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any
from unittest import mock

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_FILE = ROOT / "concierge" / "settings.py"
PASSED_THROUGH = ("PATH", "HOME", "LANG")


def only_in_environment(**env: str) -> AbstractContextManager[object]:
    """While it lasts, the process environment holds exactly ``env``."""
    return mock.patch.dict(os.environ, env, clear=True)


def settings_under(**env: str) -> dict[str, Any]:
    """The settings ``concierge.settings`` defines when the environment holds exactly ``env``.

    Raises what importing the settings would raise (e.g. ImproperlyConfigured)."""
    with only_in_environment(**env):
        namespace = runpy.run_path(str(SETTINGS_FILE), run_name="concierge.settings_under_test")
    return {name: value for name, value in namespace.items() if name.isupper()}


def run_python(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``python *args`` in a fresh interpreter at the project root, with only ``env`` (and PATH,
    HOME, LANG) in its environment."""
    environment = {key: os.environ[key] for key in PASSED_THROUGH if key in os.environ}
    environment.update(env)
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def database_url() -> str:
    """The URL of the database this test runs on (PostgreSQL), for another process to reach."""
    from django.db import connection

    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
