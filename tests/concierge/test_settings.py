"""Settings come from the environment; these run the real settings module under a given one."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from .environment import settings_under


@pytest.mark.parametrize("debug_off", [{}, {"DEBUG": "0"}], ids=["DEBUG unset", "DEBUG=0"])
def test_without_debug_a_secret_key_is_required(debug_off):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set when DEBUG is off"):
        settings_under(**debug_off)


SANDBOX = "calls.telephony.sandbox.SandboxBackend"
TWILIO = "calls.telephony.twilio.TwilioBackend"


def test_the_embedded_defaults():
    settings = settings_under(DEBUG="1")
    assert settings["DEBUG"] is True
    assert settings["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert settings["CELERY_TASK_ALWAYS_EAGER"] is True
    assert settings["TELEPHONY_BACKEND"] == SANDBOX


def test_the_environment_is_honoured():
    settings = settings_under(
        SECRET_KEY="x" * 60,
        DATABASE_URL="postgres://someone:pw@db.example:5432/concierge",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/3",
    )
    database = settings["DATABASES"]["default"]
    assert (database["HOST"], database["NAME"], database["USER"]) == (
        "db.example",
        "concierge",
        "someone",
    )
    assert settings["CELERY_BROKER_URL"] == "redis://127.0.0.1:6379/3"
    assert settings["CELERY_TASK_ALWAYS_EAGER"] is False
    assert settings["DEBUG"] is False


def test_twilio_is_the_default_only_with_both_credentials():
    def backend(**env: str) -> str:
        return settings_under(DEBUG="1", **env)["TELEPHONY_BACKEND"]

    sid, token = {"TWILIO_ACCOUNT_SID": "AC" + "0" * 32}, {"TWILIO_AUTH_TOKEN": "t"}
    assert backend(**sid, **token) == TWILIO
    assert backend(**sid) == SANDBOX
    assert backend(**token) == SANDBOX
    assert (
        backend(**sid, **token, TELEPHONY_BACKEND="calls.telephony.sandbox.SandboxBackend")
        == SANDBOX
    )
    # A dotted path is taken as it is, like EMAIL_BACKEND.
    assert backend(TELEPHONY_BACKEND="my.Backend") == "my.Backend"


def test_a_bad_public_base_url_is_refused():
    with pytest.raises(ImproperlyConfigured, match="PUBLIC_BASE_URL"):
        settings_under(DEBUG="1", PUBLIC_BASE_URL="concierge.example.org")
