"""Seen from outside: /metrics/ behind a token, and log lines that say which request, call or
message they are about — in JSON when asked — and never a phone number."""

from __future__ import annotations

import io
import json
import logging
import re
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from calls.models import Call, CallStatus, PhoneLine
from calls.voice import services
from concierge.lib.logcontext import AddContext, JsonFormatter
from concierge.lib.redaction import RedactNumbers

from .test_webhook_failures import GERMAN, boom, incoming_call
from .twilio import signed_post

TOKEN = "s3cret-scraper-token"


def scrape(client, token: str = TOKEN):
    return client.get("/metrics/", HTTP_AUTHORIZATION=f"Bearer {token}")


def sample(text: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus's text format (labels in any order)."""
    for family in text_string_to_metric_families(text):
        for found in family.samples:
            if found.name == name and found.labels == labels:
                return found.value
    raise AssertionError(f"{name}{labels} not in the metrics")


def sample_or_zero(text: str, name: str, **labels: str) -> float:
    try:
        return sample(text, name, **labels)
    except AssertionError:
        return 0.0


@pytest.mark.django_db
def test_metrics_are_off_without_a_token(client):
    assert client.get("/metrics/").status_code == 404


@pytest.mark.django_db
@override_settings(METRICS_TOKEN=TOKEN)
def test_metrics_refuse_a_wrong_token(client):
    assert client.get("/metrics/").status_code == 401
    assert scrape(client, "guess").status_code == 401


@pytest.mark.django_db
@override_settings(METRICS_TOKEN=TOKEN)
def test_a_webhook_is_timed_under_its_endpoint(client, national_line):
    before = scrape(client).content.decode()
    count_before = sample_or_zero(
        before, "concierge_webhook_seconds_count", endpoint="voice-incoming"
    )
    params = {"CallSid": "CA" + "1" * 32, "From": GERMAN, "To": "+33199000000"}
    assert signed_post(client, "/calls/voice/incoming/", params).status_code == 200
    after = scrape(client).content.decode()
    assert sample(after, "concierge_webhook_seconds_count", endpoint="voice-incoming") == (
        count_before + 1
    )
    # Pages that are not webhooks are not timed as such.
    assert 'endpoint="metrics"' not in after


@pytest.mark.django_db
@override_settings(METRICS_TOKEN=TOKEN)
def test_the_last_hours_calls_and_time_to_a_human(client, national_line: PhoneLine):
    now = timezone.now()

    def call(sid: str, status: str, waited: int | None, *, rehearsal: bool = False, ago=5):
        received = now - timedelta(minutes=ago)
        Call.objects.create(
            sid=sid,
            line=national_line,
            caller_number=GERMAN,
            status=status,
            received_at=received,
            answered_at=received + timedelta(seconds=waited) if waited is not None else None,
            is_rehearsal=rehearsal,
        )

    call("CA1", CallStatus.COMPLETED, 10)
    call("CA2", CallStatus.COMPLETED, 30)
    call("CA3", CallStatus.ABANDONED, None)
    call("CA4", CallStatus.COMPLETED, 500, rehearsal=True)  # not a real call
    call("CA5", CallStatus.COMPLETED, 900, ago=120)  # before the hour
    text = scrape(client).content.decode()
    assert sample(text, "concierge_calls_last_hour", status="received") == 3
    assert sample(text, "concierge_calls_last_hour", status="completed") == 2
    assert sample(text, "concierge_calls_last_hour", status="abandoned") == 1
    assert sample(text, "concierge_time_to_human_seconds", quantile="0.5") == 20
    assert GERMAN.lstrip("+") not in text


@pytest.mark.django_db
@override_settings(METRICS_TOKEN=TOKEN)
def test_celery_task_outcomes_are_counted(client):
    from calls.tasks import erase_old_numbers

    label = {"task": "calls.tasks.erase_old_numbers", "outcome": "success"}
    before = sample_or_zero(
        scrape(client).content.decode(), "concierge_celery_tasks_total", **label
    )
    erase_old_numbers.delay()
    after = sample(scrape(client).content.decode(), "concierge_celery_tasks_total", **label)
    assert after == before + 1


@pytest.fixture
def json_log():
    """The root logger writing through the production handler's filters, in JSON."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactNumbers())
    handler.addFilter(AddContext())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)


@pytest.mark.django_db
def test_a_failing_webhook_logs_json_with_its_call_sid_and_request_id(
    client, national_line, monkeypatch, json_log
):
    monkeypatch.setattr(services, "call_receive", boom)
    sid = "CA" + "0123456789abcdef" * 2
    response = incoming_call(client, GERMAN, sid=sid)
    (entry,) = [e for e in json_log() if e["logger"] == "calls.twilio.webhooks"]
    assert entry["level"] == "ERROR"
    assert entry["call_sid"] == sid
    assert entry["request_id"] == response["X-Request-ID"]
    assert "4915112345678" not in json.dumps(entry)


@pytest.mark.django_db
def test_a_proxys_request_id_is_kept_and_a_forged_one_replaced(client):
    assert client.get("/health/", HTTP_X_REQUEST_ID="abc-123")["X-Request-ID"] == "abc-123"
    forged = client.get("/health/", HTTP_X_REQUEST_ID="<script>" + "x" * 100)["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", forged)


def test_a_log_line_outside_any_request_names_nothing(json_log):
    logging.getLogger("concierge.test").warning("Ring %s now", "+33 6 12 34 56 78")
    (entry,) = [e for e in json_log() if e["logger"] == "concierge.test"]
    assert entry["message"] == "Ring [number] now"
    assert "request_id" not in entry
