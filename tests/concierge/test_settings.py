"""Settings come from the environment; these run the real settings module in a fresh process."""

from __future__ import annotations

from .subprocess_env import run_python


def settings_value(name: str, **env: str):
    return run_python("-c", f"import concierge.settings as s; print(s.{name})", **env)


def test_without_debug_a_secret_key_is_required():
    for debug_off in ({}, {"DEBUG": "0"}):
        result = settings_value("DEBUG", **debug_off)
        assert result.returncode != 0
        assert "ImproperlyConfigured: SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_the_embedded_defaults():
    assert settings_value("DEBUG", DEBUG="1").stdout.strip() == "True"
    assert "sqlite3" in settings_value("DATABASES", DEBUG="1").stdout
    assert settings_value("CELERY_TASK_ALWAYS_EAGER", DEBUG="1").stdout.strip() == "True"
    assert settings_value("TELEPHONY_BACKEND", DEBUG="1").stdout.strip() == "sandbox"


def test_the_environment_is_honoured():
    env = {
        "SECRET_KEY": "x" * 60,
        "DATABASE_URL": "postgres://someone:pw@db.example:5432/concierge",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/3",
    }
    assert "db.example" in settings_value("DATABASES", **env).stdout
    assert settings_value("CELERY_TASK_ALWAYS_EAGER", **env).stdout.strip() == "False"
    assert settings_value("DEBUG", **env).stdout.strip() == "False"


def test_twilio_is_the_default_only_with_both_credentials():
    both = {"DEBUG": "1", "TWILIO_ACCOUNT_SID": "AC" + "0" * 32, "TWILIO_AUTH_TOKEN": "t"}
    assert settings_value("TELEPHONY_BACKEND", **both).stdout.strip() == "twilio"
    sid_only = {"DEBUG": "1", "TWILIO_ACCOUNT_SID": "AC" + "0" * 32}
    assert settings_value("TELEPHONY_BACKEND", **sid_only).stdout.strip() == "sandbox"
    token_only = {"DEBUG": "1", "TWILIO_AUTH_TOKEN": "t"}
    assert settings_value("TELEPHONY_BACKEND", **token_only).stdout.strip() == "sandbox"
    chosen = {**both, "TELEPHONY_BACKEND": "sandbox"}
    assert settings_value("TELEPHONY_BACKEND", **chosen).stdout.strip() == "sandbox"


def test_a_bad_public_base_url_is_refused():
    result = settings_value("DEBUG", DEBUG="1", PUBLIC_BASE_URL="concierge.example.org")
    assert result.returncode != 0
    assert "PUBLIC_BASE_URL" in result.stderr
