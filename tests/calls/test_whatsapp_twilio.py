"""WhatsApp templates through the real Twilio backend: the Messages API with ContentSid and
ContentVariables (a JSON object) and no Body, checked by Prism against Twilio's own spec, and
read back from the wire by a small local server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from concierge.lib.telephony import TelephonyError

from .test_twilio_backend import PRISM_EXAMPLE_SID, backend_at
from .wire import JsonHandler, serving

CONTENT_SID = "HX" + "0123456789abcdef" * 2
TOURIST = "whatsapp:+4915112345678"
LINE = "whatsapp:+33199000000"


def send_template(base_url: str, **overrides):
    template = {
        "to": TOURIST,
        "from_": LINE,
        "content_sid": CONTENT_SID,
        "variables": {"1": "Zoë"},
        "body": "Destination Concierge: Zoë has answered you.",
        "status_callback": "https://concierge.example.org/calls/sms/status/?m=1",
    }
    return backend_at(base_url).send_template(**{**template, **overrides})


def test_a_template_is_a_request_twilios_spec_accepts(prism_url):
    sent = send_template(prism_url)
    assert sent.sid == PRISM_EXAMPLE_SID


def test_a_free_form_whatsapp_message_is_accepted_too(prism_url):
    sent = backend_at(prism_url).send_sms(to=TOURIST, from_=LINE, body="Try the Halles!")
    assert sent.sid == PRISM_EXAMPLE_SID


def test_a_malformed_content_sid_is_refused_by_the_spec(prism_url):
    with pytest.raises(TelephonyError) as caught:
        send_template(prism_url, content_sid="HX-not-a-template")
    assert caught.value.permanent and "HTTP 422" in caught.value.message


class Recorder(ThreadingHTTPServer):
    posted: list[dict[str, list[str]]]


class RecordingHandler(JsonHandler):
    server: Recorder

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        self.server.posted.append(parse_qs(self.rfile.read(length).decode()))
        self.answer(201, {"sid": "SM" + "b" * 32, "status": "queued"})


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    server = Recorder(("127.0.0.1", 0), RecordingHandler)
    server.posted = []
    with serving(server):
        yield server
    server.server_close()


def test_the_template_carries_its_variables_as_json_and_no_body(recorder):
    sent = send_template(f"http://127.0.0.1:{recorder.server_address[1]}")

    assert sent.sid == "SM" + "b" * 32
    (form,) = recorder.posted
    assert form["ContentSid"] == [CONTENT_SID]
    assert json.loads(form["ContentVariables"][0]) == {"1": "Zoë"}
    assert form["From"] == [LINE] and form["To"] == [TOURIST]
    assert "Body" not in form  # outside the window a Body is refused (error 63016)
