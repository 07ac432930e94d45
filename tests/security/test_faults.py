"""When a part we depend on fails, callers still hear a polite word and nothing is lost.

- The database unreachable: every Twilio webhook answers 200 with TwiML (an apology in the
  caller's language, or an empty answer for callbacks Twilio does not read) rather than a 500
  page Twilio would read out as an application error; /health/ answers 503.
- Twilio's REST API failing: covered where the retries live, not repeated here.
  tests/calls/test_sms_delivery.py: an outage loses no text, the sweep sends it later, a
  permanent refusal is recorded and not retried; tests/points/test_worker.py: with the broker
  down the points award waits and then arrives; tests/calls/test_twilio_backend.py: the real
  backend against Twilio's published contract (Prism).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.db import OperationalError, connection

from ..calls.twilio import signed_post
from .test_webhook_fuzz import ROUTES

pytestmark = pytest.mark.django_db

CALL_ID = "0b9f6a3e-8c2d-4e1f-9a7b-5c6d7e8f9a0b"
PARAMS = {
    "CallSid": "CA" + "d" * 32,
    "MessageSid": "SM" + "d" * 32,
    "From": "+4915112345678",
    "To": "+33199000000",
    "Body": "Hallo!",
    "CallStatus": "completed",
    "MessageStatus": "delivered",
    "Digits": "1",
    "DialCallStatus": "completed",
}


@pytest.fixture
def database_down(national_line, monkeypatch):
    """Every query from here on fails as a lost connection does."""

    def unreachable(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(connection, "cursor", unreachable)
    monkeypatch.setattr(connection, "chunked_cursor", unreachable)


def concrete(route: str) -> str:
    return (
        route.replace("<uuid:call_id>", CALL_ID)
        .replace("<slug:step>", "motive")
        .replace("<int:order>", "1")
    )


@pytest.mark.parametrize("route", ROUTES)
def test_with_the_database_down_every_webhook_still_answers_twiml(client, database_down, route):
    response = signed_post(client, concrete(route), PARAMS)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    assert ET.fromstring(response.content).tag == "Response"  # noqa: S314 - our own answer


def test_with_the_database_down_a_caller_hears_an_apology_in_their_language(client, database_down):
    french = {**PARAMS, "From": "+33612345678"}
    body = signed_post(client, "/calls/voice/incoming/", french).content.decode()
    assert 'language="fr-FR"' in body and "un problème est survenu" in body
    assert body.endswith("<Hangup /></Response>")


def test_with_the_database_down_a_texter_is_asked_to_write_again(client, database_down):
    body = signed_post(client, "/calls/sms/incoming/", PARAMS).content.decode()
    assert "<Message>" in body and "send it again" in body


def test_with_the_database_down_health_answers_503(client, database_down):
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["database"] == "error: OperationalError"
