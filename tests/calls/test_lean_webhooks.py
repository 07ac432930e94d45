"""Twilio's webhooks skip the middleware only pages need (sessions, users, CSRF, messages), and
keep what every answer carries: the security headers and the request id (issue 15, item 2)."""

from __future__ import annotations

import pytest
from django.test import Client

from .twilio import signed_post

pytestmark = pytest.mark.django_db

CALL = {"CallSid": "CA" + "1" * 32, "From": "+4915112345678", "To": "+33199000000"}


def test_a_webhook_answer_keeps_the_security_headers(national_line):
    response = signed_post(Client(), "/calls/voice/incoming/", CALL)
    assert response.status_code == 200
    assert "<Response>" in response.content.decode()
    assert response["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "Permissions-Policy" in response
    assert "no-store" in response["Cache-Control"]
    assert response["X-Request-ID"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_webhook_sets_no_cookie_even_for_a_signed_in_browser(national_line, alice):
    client = Client()
    client.force_login(alice.user)
    response = signed_post(client, "/calls/voice/incoming/", CALL)
    assert response.status_code == 200
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_a_webhook_for_a_host_we_do_not_serve_is_refused(national_line, settings):
    settings.ALLOWED_HOSTS = ["concierge.test"]
    response = signed_post(Client(HTTP_HOST="elsewhere.example"), "/calls/voice/incoming/", CALL)
    assert response.status_code == 400


def test_an_unsigned_webhook_is_still_refused(national_line):
    response = Client().post("/calls/voice/incoming/", CALL)
    assert response.status_code == 403


def test_an_unknown_address_under_the_webhooks_is_a_plain_404():
    response = Client().post("/calls/voice/nowhere/")
    assert response.status_code == 404
