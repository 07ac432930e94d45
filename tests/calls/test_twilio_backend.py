"""The real Twilio backend, against Prism serving Twilio's own OpenAPI description."""

from __future__ import annotations

import pytest
from twilio.rest import Client

from calls.telephony.twilio import TwilioBackend
from concierge.lib.telephony import TelephonyError

from .conftest import free_port

ACCOUNT = "AC" + "0123456789abcdef" * 2


def backend_at(base_url: str) -> TwilioBackend:
    client = Client(ACCOUNT, "not-a-real-token")
    client.api.base_url = base_url
    return TwilioBackend(client=client)


def test_it_sends_an_sms_that_twilios_spec_accepts(prism_url):
    sent = backend_at(prism_url).send_sms(
        to="+33612345678",
        from_="+33199000000",
        body="Your code is 123456",
        status_callback="https://concierge.example.org/calls/sms/status/",
    )
    assert sent.sid.startswith("SM")
    assert sent.status


def test_a_request_the_spec_refuses_is_a_permanent_error(prism_url):
    with pytest.raises(TelephonyError) as caught:
        backend_at(prism_url).send_sms(
            to="+33612345678", from_="+33199000000", body="hi", status_callback="not a url"
        )
    assert caught.value.permanent
    assert "422" in caught.value.message or "refused" in caught.value.message


def test_an_unreachable_twilio_is_a_temporary_error():
    with pytest.raises(TelephonyError) as caught:
        backend_at(f"http://127.0.0.1:{free_port()}").send_sms(
            to="+33612345678", from_="+33199000000", body="hi"
        )
    assert not caught.value.permanent


def test_it_deletes_a_recording_the_way_the_spec_says(prism_url):
    # Prism answers 204 only to a request its copy of Twilio's spec allows; anything else raises.
    assert backend_at(prism_url).delete_recording(sid="RE" + "0123456789abcdef" * 2) is None


def test_a_malformed_recording_sid_is_refused_by_the_spec(prism_url):
    with pytest.raises(TelephonyError):
        backend_at(prism_url).delete_recording(sid="not-a-recording")
