"""`twilio_check` and `twilio_configure`: our lines' numbers at Twilio, checked and pointed at us.

Against Prism (Twilio's own OpenAPI description: a request the spec refuses fails) and, for the
round trip, the in-memory account of the locmem backend.
"""

from __future__ import annotations

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
from concierge.lib.telephony import NumberSettings

from .conftest import free_port

BASE = "https://concierge.example.org"
# The number in the example answer of Twilio's spec for "list incoming phone numbers".
PRISMS_NUMBER = "+18089255327"


class PrismBackend(TwilioBackend):
    base_url = ""
    messaging_url = ""  # Prism serving the Messaging v2 spec (WhatsApp senders), when set

    def __init__(self) -> None:
        client = Client("AC" + "0123456789abcdef" * 2, "not-a-real-token")
        client.api.base_url = self.base_url
        client.messaging.base_url = self.messaging_url or self.base_url
        super().__init__(client=client)


@pytest.fixture
def prism_backend(prism_examples_url):
    PrismBackend.base_url = prism_examples_url
    telephony._load.cache_clear()
    with override_settings(
        TELEPHONY_BACKEND="tests.calls.test_twilio_numbers.PrismBackend", PUBLIC_BASE_URL=BASE
    ):
        yield
    telephony._load.cache_clear()


def run(command: str, *args: str) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_it_reports_a_number_that_points_elsewhere(prism_backend):
    PhoneLine.objects.create(number=PRISMS_NUMBER, label="Hawaii")
    out = StringIO()
    with pytest.raises(CommandError, match="1 of 1 lines are not ready"):
        call_command("twilio_check", stdout=out)
    # The spec's example number has no voice URL and empty SMS and status URLs.
    assert "Hawaii (+18089255327): elsewhere — voice_url is (empty)" in out.getvalue()


@pytest.mark.django_db
def test_it_reports_a_number_the_account_does_not_hold(prism_backend):
    PhoneLine.objects.create(number="+33199000000", label="National")
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("twilio_check", stdout=out)
    assert "National (+33199000000): missing" in out.getvalue()


@pytest.mark.django_db
def test_it_configures_a_number_with_a_request_twilios_spec_accepts(prism_backend):
    PhoneLine.objects.create(number=PRISMS_NUMBER, label="Hawaii")
    output = run("twilio_configure")
    assert "Hawaii (+18089255327): configured" in output
    assert f"voice_url: {BASE}/calls/voice/incoming/" in output


@pytest.mark.django_db
def test_an_unreachable_twilio_fails_the_check():
    PrismBackend.base_url = f"http://127.0.0.1:{free_port()}"
    telephony._load.cache_clear()
    PhoneLine.objects.create(number=PRISMS_NUMBER, label="Hawaii")
    out = StringIO()
    with (
        override_settings(TELEPHONY_BACKEND="tests.calls.test_twilio_numbers.PrismBackend"),
        pytest.raises(CommandError),
    ):
        call_command("twilio_check", stdout=out)
    telephony._load.cache_clear()
    assert "unreachable" in out.getvalue()


def hold(number: str, **urls: str) -> None:
    locmem.numbers[number] = NumberSettings(
        sid="PN" + number[1:].rjust(32, "0"),
        number=number,
        voice_url=urls.get("voice_url", ""),
        status_callback=urls.get("status_callback", ""),
        sms_url=urls.get("sms_url", ""),
    )


@pytest.mark.django_db
@override_settings(PUBLIC_BASE_URL=BASE)
def test_configure_then_check_says_ready_and_a_second_run_changes_nothing():
    PhoneLine.objects.create(number="+33199000000", label="National")
    PhoneLine.objects.create(number="+33199000001", label="Old", is_active=False)
    hold("+33199000000", voice_url="https://old.example.org/voice")
    hold("+33199000001", voice_url="https://old.example.org/voice")

    assert "National (+33199000000): configured" in run("twilio_configure")
    held = locmem.numbers["+33199000000"]
    assert held.voice_url == f"{BASE}/calls/voice/incoming/"
    assert held.status_callback == f"{BASE}/calls/voice/status/"
    assert held.sms_url == f"{BASE}/calls/sms/incoming/"
    # An inactive line is left alone.
    assert locmem.numbers["+33199000001"].voice_url == "https://old.example.org/voice"

    assert "National (+33199000000): ready" in run("twilio_check")
    assert "National (+33199000000): ready" in run("twilio_configure")


@pytest.mark.django_db
@override_settings(PUBLIC_BASE_URL=BASE)
def test_a_dry_run_changes_nothing_and_says_what_is_wrong():
    PhoneLine.objects.create(number="+33199000000", label="National")
    hold("+33199000000", voice_url="https://old.example.org/voice")
    output = run("twilio_configure", "--dry-run")
    assert "elsewhere" in output
    assert "voice_url is https://old.example.org/voice" in output
    assert locmem.numbers["+33199000000"].voice_url == "https://old.example.org/voice"


@pytest.mark.django_db
def test_a_backend_without_numbers_is_reported_not_crashed():
    PhoneLine.objects.create(number="+33199000000", label="National")
    telephony._load.cache_clear()
    out = StringIO()
    with (
        override_settings(TELEPHONY_BACKEND="calls.telephony.sandbox.SandboxBackend"),
        pytest.raises(CommandError),
    ):
        call_command("twilio_check", stdout=out)
    telephony._load.cache_clear()
    assert "holds no phone numbers" in out.getvalue()
