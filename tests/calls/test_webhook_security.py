"""Every Twilio webhook refuses unsigned and forged requests, and never answers with a 500."""

from __future__ import annotations

import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from calls.twilio.webhooks import sign

from .twilio import signed_post

pytestmark = pytest.mark.django_db


def webhook_paths() -> list[str]:
    """Every URL whose view is a Twilio webhook, found in the URLconf: none can be forgotten."""
    found = []

    def walk(patterns, prefix=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern) and getattr(entry.callback, "twilio_webhook", False):
                route = prefix + str(entry.pattern)
                # A call nobody knows, the same in every run (pytest-xdist's workers must
                # collect the same test ids).
                route = route.replace("<uuid:call_id>", str(uuid.uuid5(uuid.NAMESPACE_URL, route)))
                route = route.replace("<slug:step>", "motive").replace("<int:order>", "1")
                found.append("/" + route)

    walk(get_resolver().url_patterns)
    return found


def test_the_webhooks_are_all_found():
    paths = webhook_paths()
    assert "/calls/voice/incoming/" in paths
    assert "/calls/voice/status/" in paths
    assert "/calls/sms/incoming/" in paths
    assert "/calls/sms/status/" in paths
    assert len(paths) >= 9


@pytest.mark.parametrize("path", webhook_paths())
def test_unsigned_and_forged_requests_are_refused(client, path):
    params = {"CallSid": "CA123", "From": "+4915112345678", "To": "+33199000000"}
    assert client.post(path, params).status_code == 403
    forged = sign("https://concierge.test" + path, {**params, "From": "+10000000000"})
    assert client.post(path, params, HTTP_X_TWILIO_SIGNATURE=forged).status_code == 403
    wrong_host = sign("https://evil.example" + path, params)
    assert client.post(path, params, HTTP_X_TWILIO_SIGNATURE=wrong_host).status_code == 403


@pytest.mark.parametrize("path", webhook_paths())
def test_garbled_or_missing_parameters_still_get_valid_twiml(client, path, national_line):
    for params in ({}, {"CallSid": "", "From": "not a number", "To": "???", "Digits": "xyz"}):
        response = signed_post(client, path, params)
        assert response.status_code == 200
        assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?><Response')


def test_an_unknown_call_in_a_status_callback_changes_nothing(client, national_line):
    response = signed_post(
        client, "/calls/voice/status/", {"CallSid": "CAunknown", "CallStatus": "completed"}
    )
    assert response.status_code == 200
