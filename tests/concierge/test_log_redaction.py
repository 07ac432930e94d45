"""No phone number reaches a log line: every record, whoever logs it (our code, Django, the
database driver, Celery), passes a filter that blanks whatever looks like a number."""

from __future__ import annotations

import io
import logging
import sys
from contextlib import contextmanager

import pytest
from django.db import IntegrityError, connection

from concierge.lib.redaction import REDACTED, RedactNumbers, redact

from .environment import run_python

GERMAN = "+4915112345678"
FRENCH = "+33612345678"


@pytest.mark.parametrize(
    "text",
    [
        "+4915112345678",
        "+33 6 12 34 56 78",
        "+33.6.12.34.56.78",
        "+1 (415) 555-0123",
        "06 12 34 56 78",
        "0612345678",
        "0049 151 12345678",
        "From=%2B4915112345678&To=%2B33199000000",
        "(number)=(4915112345678)",
    ],
)
def test_anything_that_looks_like_a_phone_number_is_blanked(text):
    redacted = redact(text)
    assert REDACTED in redacted
    assert not any(run in redacted for run in ("12345678", "1234 5678", "12 34 56", "555-0123"))


@pytest.mark.parametrize(
    "text",
    [
        "CallSid=CA0123456789abcdef0123456789abcdef",
        "MessageSid=SM0123456789",
        "Task calls.tasks.send_sms_message[4f1c2a3b-1234-5678-9abc-def012345678] succeeded",
        "2025-06-14 21:03:07,123 took 0.004s",
        "Could not enqueue SMS 12345; the sweep will send it",
        "a number ending 78",
        "POST /calls/voice/status/?c=9f86d081884c7d659a2feaa0c55ad015 HTTP/1.1 200 512",
    ],
)
def test_ids_dates_and_small_numbers_are_left_alone(text):
    assert redact(text) == text


def failing_row() -> IntegrityError:
    try:
        raise IntegrityError(
            'null value in column "sid" violates not-null constraint\n'
            f"DETAIL:  Failing row contains (7, null, {GERMAN}, DE, en)."
        )
    except IntegrityError as exc:
        return exc


def console() -> logging.Handler:
    """The handler LOGGING configures on the root logger (pytest adds its own beside it)."""
    return next(h for h in logging.getLogger().handlers if h.name == "console")


def emit(record: logging.LogRecord) -> str:
    """``record`` as the configured console handler writes it: our filter and all."""
    handler = console()
    with captured(handler) as stream:
        handler.handle(record)
    return stream.getvalue()


@contextmanager
def captured(handler: logging.Handler):
    stream = io.StringIO()
    previous = handler.setStream(stream)  # type: ignore[attr-defined]
    try:
        yield stream
    finally:
        handler.setStream(previous)  # type: ignore[attr-defined]


def test_the_console_handler_of_the_settings_carries_the_filter():
    handler = console()
    assert any(isinstance(f, RedactNumbers) for f in handler.filters)


def test_a_number_in_the_message_in_the_arguments_and_in_an_exception_is_blanked():
    exc = failing_row()
    record = logging.LogRecord(
        "calls.sms.relay",
        logging.ERROR,
        __file__,
        1,
        f"Text from {FRENCH} to %s failed: %s",
        (GERMAN, {"to": "+33 6 12 34 56 78"}),
        (type(exc), exc, exc.__traceback__),
    )
    output = emit(record)
    assert "Text from" in output and "Failing row contains (7, null," in output
    assert "IntegrityError" in output  # the traceback is still there, minus the number
    for digits in ("612345678", "4915112345678", "6 12 34 56 78"):
        assert digits not in output
    assert output.count(REDACTED) == 4


def test_arguments_given_as_a_mapping_are_blanked_too():
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "to %(to)s", ({"to": GERMAN},), None
    )
    assert emit(record).strip() == f"to {REDACTED}"


def test_a_record_whose_arguments_do_not_fit_its_message_is_still_logged_and_blanked():
    record = logging.LogRecord("calls", logging.WARNING, __file__, 1, "%s and %s", (GERMAN,), None)
    assert RedactNumbers().filter(record)
    assert GERMAN not in str(record.msg) + str(record.args)


def test_djangos_request_log_of_a_500_is_blanked(db, monkeypatch):
    from django.test import Client

    from concierge import health

    def boom() -> str:
        raise failing_row()

    monkeypatch.setattr(health, "database_state", boom)
    handler = console()
    with captured(handler) as stream:
        response = Client(raise_request_exception=False).get("/health/")
    assert response.status_code == 500
    assert "Internal Server Error: /health/" in stream.getvalue()
    assert "Failing row contains" in stream.getvalue()
    assert "4915112345678" not in stream.getvalue()


def test_sql_logged_by_django_in_debug_is_blanked(db):
    from calls.models import Call

    handler = console()
    sql_logger = logging.getLogger("django.db.backends")
    level, connection.force_debug_cursor = sql_logger.level, True
    sql_logger.setLevel(logging.DEBUG)
    try:
        with captured(handler) as stream:
            list(Call.objects.filter(caller_number=GERMAN))
    finally:
        sql_logger.setLevel(level)
        connection.force_debug_cursor = False
    assert "calls_call" in stream.getvalue()
    assert "4915112345678" not in stream.getvalue()


def test_postgresqls_failing_row_contains_is_blanked(postgres):
    from django.db import transaction

    from calls.models import PhoneLine

    handler = console()
    with captured(handler) as stream:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                line = PhoneLine.objects.create(number="+33199000000", label="National")
                cursor.execute(
                    "INSERT INTO calls_call (sid, public_id, line_id, caller_number, "
                    "caller_country, language, status, received_at) "
                    "VALUES (NULL, gen_random_uuid(), %s, %s, 'DE', 'en', 'ivr', now())",
                    [line.pk, GERMAN],
                )
        except IntegrityError:
            logging.getLogger("calls.voice.webhooks").exception("The call could not be stored")
    output = stream.getvalue()
    assert "Failing row contains" in output
    assert "4915112345678" not in output


def test_the_celery_worker_keeps_the_filter():
    """Celery replaces the root logger's handlers with its own unless told otherwise."""
    script = (
        "import django, logging, sys\n"
        "django.setup()\n"
        "from concierge.celery import app\n"
        "app.log.setup(loglevel='INFO')\n"
        "try:\n"
        "    raise ValueError('The To number +4915112345678 is not valid')\n"
        "except ValueError:\n"
        "    logging.getLogger('celery.app.trace').exception(\n"
        "        'Task calls.tasks.send_sms_message[abc] raised unexpected')\n"
        "logging.getLogger('celery.task').warning('retry for %s', '+33612345678')\n"
    )
    result = run_python(
        "-c", script, DJANGO_SETTINGS_MODULE="concierge.settings", DEBUG="1", PYTHONPATH="."
    )
    assert result.returncode == 0, result.stderr
    logged = result.stdout + result.stderr
    assert "raised unexpected" in logged and "retry for" in logged
    assert "4915112345678" not in logged and "612345678" not in logged


def test_the_filter_never_raises_on_odd_records():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, object(), None, None)
    assert RedactNumbers().filter(record)
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "plain", None, sys.exc_info())
    assert RedactNumbers().filter(record)


def test_a_failed_verification_text_logs_no_number(monkeypatch):
    """Our own warning quotes the provider's refusal, which may quote the number."""
    from phonenumber_field.phonenumber import PhoneNumber

    from concierge.lib import telephony, verification

    def refuse(*, to: str, **kwargs):
        raise telephony.TelephonyError(f"Twilio refused: the 'To' number {to} is unreachable")

    monkeypatch.setattr(telephony, "send_sms", refuse)
    with captured(console()) as stream, pytest.raises(verification.VerificationError):
        verification._text(PhoneNumber.from_string(FRENCH), "123456")
    assert "Verification text to a number ending 78 failed" in stream.getvalue()
    assert "612345678" not in stream.getvalue()
