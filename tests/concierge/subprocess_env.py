"""Run project code in a fresh process with a controlled environment (settings are read once)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PASSED_THROUGH = ("PATH", "HOME", "LANG")


def run_python(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
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
