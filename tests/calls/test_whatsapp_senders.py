"""`twilio_check` and `twilio_configure` cover a line's WhatsApp sender: Twilio's Senders API
(Messaging v2) holds where a sender's incoming messages and status callbacks go.

Against Prism serving Twilio's own Messaging v2 description (a request it refuses fails), on the
wire (what the update sends, exactly), and, for the round trip, the locmem backend's account.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from twilio.rest import Client

from calls.models import PhoneLine
from calls.telephony import locmem
from calls.telephony.twilio import TwilioBackend
from concierge.lib import telephony
from concierge.lib.telephony import SenderSettings, TelephonyError

from .test_twilio_numbers import BASE, PRISMS_NUMBER, PrismBackend, hold, run
from .wire import JsonHandler, serving

INCOMING = f"{BASE}/calls/sms/incoming/"
STATUS = f"{BASE}/calls/sms/status/"
# The sender in the example answers of Twilio's spec for "update a sender".
PRISMS_SENDER = "XE" + "a" * 32


def backend_at(messaging_url: str) -> TwilioBackend:
    client = Client("AC" + "0123456789abcdef" * 2, "not-a-real-token")
    client.messaging.base_url = messaging_url
    return TwilioBackend(client=client)


@pytest.fixture
def prism_backend(prism_examples_url, prism_messaging_url):
    PrismBackend.base_url = prism_examples_url
    PrismBackend.messaging_url = prism_messaging_url
    telephony._load.cache_clear()
    with override_settings(
        TELEPHONY_BACKEND="tests.calls.test_twilio_numbers.PrismBackend", PUBLIC_BASE_URL=BASE
    ):
        yield
    PrismBackend.messaging_url = ""
    telephony._load.cache_clear()


@pytest.mark.django_db
def test_it_reports_a_whatsapp_line_whose_sender_the_account_lacks(prism_backend):
    PhoneLine.objects.create(number=PRISMS_NUMBER, label="Hawaii", takes_whatsapp=True)
    out = StringIO()
    with pytest.raises(CommandError, match="1 of 1 lines are not ready"):
        call_command("twilio_check", stdout=out)
    # The spec's example list of WhatsApp senders is empty.
    assert "Hawaii (whatsapp:+18089255327): missing — the account has no WhatsApp sender" in (
        out.getvalue()
    )


def test_pointing_a_sender_is_a_request_twilios_spec_accepts(prism_messaging_url):
    sender = backend_at(prism_messaging_url).configure_whatsapp_sender(
        sid=PRISMS_SENDER, callback_url=INCOMING, status_callback_url=STATUS
    )
    assert sender.sid == PRISMS_SENDER  # Prism's example answer, so the request passed


def test_a_sender_sid_that_is_not_one_is_refused_by_the_spec(prism_messaging_url):
    with pytest.raises(TelephonyError) as caught:
        backend_at(prism_messaging_url).configure_whatsapp_sender(
            sid="PN" + "a" * 32, callback_url=INCOMING, status_callback_url=STATUS
        )
    assert caught.value.permanent and "HTTP 422" in caught.value.message


class SendersServer(ThreadingHTTPServer):
    """Twilio's Senders API as far as we use it: one WhatsApp sender, its update recorded."""

    sender: dict
    updates: list[dict]


class SendersHandler(JsonHandler):
    server: SendersServer

    def do_GET(self) -> None:
        self.answer(
            200,
            {"senders": [self.server.sender], "meta": {"key": "senders", "next_page_url": None}},
        )

    def do_POST(self) -> None:
        update = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.updates.append(update)
        self.server.sender = {**self.server.sender, **update}
        self.answer(202, self.server.sender)


@pytest.fixture
def senders() -> Iterator[SendersServer]:
    server = SendersServer(("127.0.0.1", 0), SendersHandler)
    server.updates = []
    server.sender = {
        "sid": PRISMS_SENDER,
        "status": "ONLINE",
        "sender_id": "whatsapp:+33199000000",
        "profile": {"name": "Destination Concierge"},
        "webhook": {"callback_url": "https://old.example.org/wa", "callback_method": "POST"},
    }
    with serving(server):
        yield server


def test_the_sender_is_found_by_its_address_and_its_update_sends_the_webhook_alone(senders):
    backend = backend_at(f"http://127.0.0.1:{senders.server_port}")

    found = backend.find_whatsapp_sender(number="+33199000000")
    assert found is not None and found.callback_url == "https://old.example.org/wa"
    assert backend.find_whatsapp_sender(number="+33199000001") is None
    backend.configure_whatsapp_sender(
        sid=found.sid, callback_url=INCOMING, status_callback_url=STATUS
    )

    # Nothing else of the sender (its WhatsApp profile, its configuration) is sent or changed.
    assert senders.updates == [
        {
            "webhook": {
                "callback_url": INCOMING,
                "callback_method": "POST",
                "status_callback_url": STATUS,
                "status_callback_method": "POST",
            }
        }
    ]
    assert senders.sender["profile"] == {"name": "Destination Concierge"}


def sender(number: str, **webhook: str) -> None:
    locmem.senders[number] = SenderSettings(
        sid="XE" + number[1:].rjust(32, "0"),
        address=f"whatsapp:{number}",
        callback_url=webhook.get("callback_url", ""),
        callback_method=webhook.get("callback_method", "POST"),
        status_callback_url=webhook.get("status_callback_url", ""),
        status_callback_method=webhook.get("status_callback_method", "POST"),
    )


def national(**fields) -> PhoneLine:
    return PhoneLine.objects.create(number="+33199000000", label="National", **fields)


@pytest.mark.django_db
@override_settings(PUBLIC_BASE_URL=BASE)
def test_configure_points_the_sender_at_us_then_check_says_ready():
    national(takes_whatsapp=True)
    hold("+33199000000", voice_url="https://old.example.org/voice")
    sender("+33199000000", callback_url="https://old.example.org/wa")

    output = run("twilio_configure")
    assert f"WhatsApp sender's callback_url: {INCOMING}" in output
    assert "National (whatsapp:+33199000000): configured" in output
    held = locmem.senders["+33199000000"]
    assert (held.callback_url, held.callback_method) == (INCOMING, "POST")
    assert (held.status_callback_url, held.status_callback_method) == (STATUS, "POST")

    output = run("twilio_check")
    assert "National (+33199000000): ready" in output
    assert "National (whatsapp:+33199000000): ready" in output
    assert "National (whatsapp:+33199000000): ready" in run("twilio_configure")


@pytest.mark.django_db
@override_settings(PUBLIC_BASE_URL=BASE)
def test_check_says_where_a_sender_points_instead():
    national(takes_whatsapp=True)
    hold(
        "+33199000000",
        voice_url=f"{BASE}/calls/voice/incoming/",
        status_callback=f"{BASE}/calls/voice/status/",
        sms_url=INCOMING,
    )
    sender("+33199000000", callback_url=INCOMING, callback_method="PUT")
    out = StringIO()
    with pytest.raises(CommandError, match="1 of 1 lines are not ready"):
        call_command("twilio_check", stdout=out)
    output = out.getvalue()
    assert "National (+33199000000): ready" in output
    assert (
        "National (whatsapp:+33199000000): elsewhere — callback_method is PUT; "
        "status_callback_url is (empty)"
    ) in output


@pytest.mark.django_db
@override_settings(PUBLIC_BASE_URL=BASE)
def test_a_missing_sender_fails_configure_and_nothing_is_made():
    national(takes_whatsapp=True)
    hold("+33199000000")
    out = StringIO()
    with pytest.raises(CommandError, match="1 of 1 lines could not be configured"):
        call_command("twilio_configure", stdout=out)
    assert "National (whatsapp:+33199000000): missing" in out.getvalue()
    assert "National (+33199000000): configured" in out.getvalue()  # the number still is
    assert locmem.senders == {}


@pytest.mark.django_db
@override_settings(PUBLIC_BASE_URL=BASE)
def test_a_line_without_whatsapp_has_its_sender_left_alone():
    national()
    hold("+33199000000")
    sender("+33199000000", callback_url="https://other-app.example.org/wa")
    output = run("twilio_configure")
    assert "(whatsapp:" not in output  # no report of a sender
    assert locmem.senders["+33199000000"].callback_url == "https://other-app.example.org/wa"
