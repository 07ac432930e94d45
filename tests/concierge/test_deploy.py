"""`manage.py check --deploy` is clean with production settings."""

from __future__ import annotations

import secrets

import pytest

from .subprocess_env import run_python


def manage(*args: str, **env: str):
    return run_python("manage.py", *args, **env)


@pytest.mark.parametrize("debug_off", [{}, {"DEBUG": "0"}], ids=["DEBUG unset", "DEBUG=0"])
def test_the_deployment_checks_pass_with_production_settings(debug_off):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(50),
        PUBLIC_BASE_URL="https://concierge.example.org",
        DJANGO_SETTINGS_MODULE="concierge.settings",
        **debug_off,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_checks_pass_in_development():
    result = manage("check", DEBUG="1")
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_bare_command_line_is_taken_for_development_and_says_so():
    result = manage("check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "DEBUG=1 is assumed" in result.stderr
