"""Locals hear and read us in their language where we have the words: a French-speaking
volunteer gets the whisper and the relay's service texts in French, an English-speaking one in
English; the tourist keeps theirs."""

from __future__ import annotations

import pytest

from calls.models import Conversation
from calls.telephony import locmem

from ..factories import every_day, make_ambassador
from .twilio import phone, text

pytestmark = pytest.mark.django_db

GERMAN = "+4915112345678"


def inbox(number: str) -> list[str]:
    return [sms.body for sms in locmem.outbox if sms.to == number]


@pytest.mark.parametrize(
    ("languages", "expected"),
    [
        (("en", "fr"), "Appel d'un touriste, Allemand, tout sujet : tapez 1"),
        (("en",), "Tourist call, German, anything: press 1 to take it."),
    ],
)
def test_the_whisper_is_in_the_locals_language(client, national_line, languages, expected):
    make_ambassador("local@example.com", name="Lou", languages=languages, slots=every_day())
    tourist = phone(client, from_=GERMAN).dial().wait().wait().press("0").press("0")
    assert tourist.state == "ringing"
    tourist.answer("1")
    assert expected in tourist.whispered[0]
    assert tourist.state == "connected"


def test_a_french_speaking_volunteer_reads_the_relay_in_french_the_tourist_in_german(
    client, national_line, django_capture_on_commit_callbacks
):
    lou = make_ambassador("lou@example.com", name="Lou", languages=("en", "fr"), slots=every_day())
    local = lou.phone_number.as_e164
    with django_capture_on_commit_callbacks(execute=True):
        text(client, GERMAN, "Hello! Any tips for Lyon?")
    code = Conversation.objects.get().code
    assert inbox(local) == [f"[#{code} Allemagne] Hello! Any tips for Lyon?"]
    assert "Lou, ehrenamtlich und von hier, ist für Sie da" in inbox(GERMAN)[0]

    with django_capture_on_commit_callbacks(execute=True):
        text(client, local, "Bonjour")  # one open conversation: relayed as it is
        text(client, local, f"#{code} END")
    assert inbox(local)[-1] == f"[#{code}] Fermée. Merci !"
    assert inbox(GERMAN)[-2] == (
        "Destination Concierge: Lou hat dieses Gespräch beendet. "
        "Schreiben Sie uns gern jederzeit wieder."
    )
    assert inbox(GERMAN)[-1].startswith("Destination Concierge: Wie war Ihr Gespräch mit Lou?")


def test_a_vietnamese_texters_country_is_named_in_the_tag(
    client, national_line, django_capture_on_commit_callbacks
):
    lou = make_ambassador("lou@example.com", name="Lou", languages=("en",), slots=every_day())
    with django_capture_on_commit_callbacks(execute=True):
        text(client, "+84912345678", "Xin chào! Where to eat in Paris?")
    code = Conversation.objects.get().code
    assert inbox(lou.phone_number.as_e164) == [
        f"[#{code} Vietnam] Xin chào! Where to eat in Paris?"
    ]
