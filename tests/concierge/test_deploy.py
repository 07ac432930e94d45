"""`manage.py check --deploy` is clean with production settings."""

from __future__ import annotations

import secrets
from io import StringIO

import pytest
from django.conf import global_settings, settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from .environment import only_in_environment, run_python, settings_under

# The system checks never open a database; swapping the test database out would only break the
# connections this test run holds.
KEPT = {"DATABASES"}


def checked_with(env: dict[str, str], *args: str) -> str:
    """``manage.py check *args`` (failing on warnings) as it runs in the environment ``env``, in
    this process: the settings ``env`` makes (and Django's defaults for any the test settings
    add) replace the test run's own, and the checks that read the environment see only ``env``."""
    configuration = settings_under(**env)
    names = {name for name in dir(settings) if name.isupper()} | set(configuration)
    missing = object()
    overrides = {}
    for name in names - KEPT:
        value = configuration.get(name, getattr(global_settings, name, missing))
        if value is not missing and value != getattr(settings, name, missing):
            overrides[name] = value
    out = StringIO()
    with override_settings(**overrides), only_in_environment(**env):
        call_command("check", *args, "--fail-level", "WARNING", stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("debug_off", [{}, {"DEBUG": "0"}], ids=["DEBUG unset", "DEBUG=0"])
def test_the_deployment_checks_pass_with_production_settings(debug_off):
    production = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "PUBLIC_BASE_URL": "https://concierge.example.org",
        **debug_off,
    }
    assert settings_under(**production)["DEBUG"] is False
    assert "no issues" in checked_with(production, "--deploy")


def test_the_deployment_checks_see_the_settings_they_are_given():
    """The check above is not blind: DEBUG left on in production fails it."""
    with pytest.raises(SystemCheckError, match=r"security\.W018"):
        checked_with({"DEBUG": "1"}, "--deploy")


def test_the_checks_pass_in_development():
    assert "no issues" in checked_with({"DEBUG": "1"})


def test_a_bare_command_line_is_taken_for_development_and_says_so():
    # The one check that needs a fresh interpreter: manage.py decides DEBUG before Django reads the
    # settings, with nothing at all in the environment.
    result = run_python("manage.py", "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "DEBUG=1 is assumed" in result.stderr
