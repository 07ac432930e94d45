"""The real Twilio backend, against Prism serving Twilio's own OpenAPI description.

Answers Prism cannot give (throttling, outages, Twilio's own error bodies) come from a tiny local
HTTP server, so the SDK's real HTTP client and error parsing still run end to end.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from twilio.rest import Client

from calls.telephony import twilio as twilio_backend
from calls.telephony.twilio import TwilioBackend
from concierge.lib.telephony import TelephonyError

from .conftest import free_port

ACCOUNT = "AC" + "0123456789abcdef" * 2
# The example message of Twilio's spec, which Prism answers with: proof the request reached it.
PRISM_EXAMPLE_SID = "SM" + "a" * 32


def backend_at(base_url: str) -> TwilioBackend:
    client = Client(ACCOUNT, "not-a-real-token")
    client.api.base_url = base_url
    return TwilioBackend(client=client)


def send(backend: TwilioBackend, **overrides: str):
    message = {"to": "+33612345678", "from_": "+33199000000", "body": "Your code is 123456"}
    return backend.send_sms(**{**message, **overrides})


def test_it_sends_an_sms_that_twilios_spec_accepts(prism_url):
    sent = send(
        backend_at(prism_url),
        status_callback="https://concierge.example.org/calls/sms/status/",
    )
    assert sent.sid == PRISM_EXAMPLE_SID
    assert sent.status == "queued"


def test_a_request_the_spec_refuses_is_a_permanent_error(prism_url):
    with pytest.raises(TelephonyError) as caught:
        send(backend_at(prism_url), status_callback="not a url")
    assert caught.value.permanent
    assert "HTTP 422" in caught.value.message


def test_an_unreachable_twilio_is_a_temporary_error():
    with pytest.raises(TelephonyError) as caught:
        send(backend_at(f"http://127.0.0.1:{free_port()}"))
    assert not caught.value.permanent
    assert "could not be reached" in caught.value.message


def test_it_deletes_a_recording_the_way_the_spec_says(prism_url):
    # Prism answers 204 only to a request its copy of Twilio's spec allows; anything else raises.
    backend_at(prism_url).delete_recording(sid="RE" + "0123456789abcdef" * 2)  # no error


def test_a_malformed_recording_sid_is_refused_by_the_spec(prism_url):
    with pytest.raises(TelephonyError) as caught:
        backend_at(prism_url).delete_recording(sid="not-a-recording")
    assert caught.value.permanent


class CannedTwilio(ThreadingHTTPServer):
    """Answers every request with ``status`` and ``body``, as Twilio would on a bad day."""

    status = 500
    body: dict = {}


class CannedHandler(BaseHTTPRequestHandler):
    server: CannedTwilio

    def _answer(self) -> None:
        payload = json.dumps(self.server.body).encode()
        self.send_response(self.server.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_POST = do_DELETE = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def canned() -> Iterator[CannedTwilio]:
    server = CannedTwilio(("127.0.0.1", 0), CannedHandler)
    # shutdown() waits for serve_forever to notice, which it checks every poll_interval (0.5 s).
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def canned_url(server: CannedTwilio) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


@pytest.mark.parametrize(
    ("status", "body", "permanent", "said"),
    [
        (
            400,
            {
                "code": 21211,
                "message": "The 'To' number is not valid.",
                "status": 400,
            },
            True,
            "number is not valid",
        ),
        (
            400,
            {
                "type": "https://www.twilio.com/docs/errors/21614",
                "title": "Not a mobile number",
                "status": 400,
                "code": 21614,
                "detail": "The 'To' number is not a mobile number.",
            },
            True,
            "is not a mobile number",
        ),
        (401, {"code": 20003, "message": "Authenticate", "status": 401}, True, "Authenticate"),
        (429, {"code": 20429, "message": "Too Many Requests", "status": 429}, False, "Too Many"),
        (503, {"message": "Service Unavailable", "status": 503}, False, "Service Unavailable"),
        (502, "<html>Bad Gateway</html>", False, "HTTP 502"),
    ],
)
def test_twilios_refusals_say_whether_a_retry_could_work(canned, status, body, permanent, said):
    canned.status, canned.body = status, body
    with pytest.raises(TelephonyError) as caught:
        send(backend_at(canned_url(canned)))
    assert caught.value.permanent is permanent
    assert said in caught.value.message


def test_deleting_a_recording_twilio_no_longer_has_is_fine(canned):
    canned.status, canned.body = 404, {"code": 20404, "message": "Not found", "status": 404}
    backend_at(canned_url(canned)).delete_recording(sid="RE" + "0" * 32)  # no error


def test_a_twilio_that_never_answers_does_not_hold_the_sender_forever(monkeypatch):
    monkeypatch.setattr(twilio_backend, "HTTP_TIMEOUT_SECONDS", 0.5)
    with (
        socket.create_server(("127.0.0.1", 0)) as silent,  # accepts connections, never answers
        override_settings(TWILIO_ACCOUNT_SID=ACCOUNT, TWILIO_AUTH_TOKEN="not-a-real-token"),
    ):
        backend = TwilioBackend()
        backend.client.api.base_url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        with pytest.raises(TelephonyError) as caught:
            send(backend)
    assert not caught.value.permanent


@override_settings(TWILIO_ACCOUNT_SID=ACCOUNT, TWILIO_AUTH_TOKEN="")
def test_the_twilio_backend_needs_both_credentials():
    with pytest.raises(ImproperlyConfigured):
        TwilioBackend()


# Ringing during the greeting: calls placed to locals, and hung up when another took the call.


def place(backend: TwilioBackend) -> str:
    return backend.place_call(
        to="+33612345678",
        from_="+33199000000",
        url="https://concierge.example.org/calls/voice/x/dial/1/whisper/?queued=1",
        status_callback="https://concierge.example.org/calls/voice/x/dial/1/leg/?queued=1",
        timeout=20,
    )


def test_it_places_a_call_that_twilios_spec_accepts(prism_url):
    sid = place(backend_at(prism_url))
    assert sid.startswith("CA")


def test_it_hangs_up_a_placed_call_the_way_the_spec_says(prism_url):
    backend_at(prism_url).end_call(sid="CA" + "0123456789abcdef" * 2)  # no error


def test_a_call_twilio_refuses_to_place_is_a_permanent_error(canned):
    canned.status = 400
    canned.body = {"code": 21211, "message": "The 'To' number is not valid.", "status": 400}
    with pytest.raises(TelephonyError) as caught:
        place(backend_at(canned_url(canned)))
    assert caught.value.permanent and "number is not valid" in caught.value.message


def test_hanging_up_a_call_already_over_is_no_error(canned):
    canned.status = 404
    canned.body = {"code": 20404, "message": "The requested resource was not found", "status": 404}
    backend_at(canned_url(canned)).end_call(sid="CA" + "0" * 32)  # what we wanted anyway


def test_hanging_up_when_twilio_is_down_says_so(canned):
    canned.status = 503
    canned.body = {"code": 20500, "message": "Service unavailable", "status": 503}
    with pytest.raises(TelephonyError) as caught:
        backend_at(canned_url(canned)).end_call(sid="CA" + "0" * 32)
    assert not caught.value.permanent
