"""A German caller hears German from the first prompt to the goodbye (issue 12, item 5), on the
short path and through the full menu, pressing keys or speaking; through signed webhooks."""

from __future__ import annotations

import pytest

from calls.models import Call, PhoneLine
from calls.simulator.engine import Phone
from calls.tasks import serve_callback_requests
from calls.telephony import locmem

from ..factories import every_day, make_ambassador
from .test_languages import Recorder

pytestmark = pytest.mark.django_db

GERMAN = "+4915112345678"
ENGLISH_WORDS = ("press", "Thank you", "local", "Goodbye", "Sorry", "Did you say", "say it")


@pytest.fixture
def heidi(db):
    return make_ambassador(
        "heidi@example.com", name="Heidi", languages=("en", "de"), slots=every_day()
    )


def line(*, full_menu: bool) -> PhoneLine:
    return PhoneLine.objects.create(
        number="+33199000000",
        label="National",
        ivr_languages="en,fr,de",
        full_menu=full_menu,
        rings_early=False,
    )


def only_german(heard: list[tuple[str, str]], *, skip: tuple[str, ...] = ()) -> list[str]:
    """Every sentence in the German voice, with no English left; the sentences."""
    sentences = [text for text, _voice in heard if text not in skip]
    assert {voice for text, voice in heard if text not in skip} == {"de-DE"}, heard
    for sentence in sentences:
        for english in ENGLISH_WORDS:
            assert english not in sentence, sentence
    return sentences


def test_the_short_path_in_german_from_the_welcome_to_the_goodbye(client, heidi):
    line(full_menu=False)
    twilio_side = Recorder(client)
    tourist = Phone(post=twilio_side, to="+33199000000", from_=GERMAN).dial()
    tourist.wait()  # stays on the line: Heidi rings at once
    tourist.no_answer()  # nobody else
    tourist.press("2")  # no text message, thank you
    assert tourist.state == "ended"
    spoken = only_german(twilio_side.says())
    assert spoken[0].startswith("Willkommen bei Destination Concierge.")
    assert "drücken Sie die 1" in spoken[1]  # "stay on the line, or press 1"
    # The ring tone follows the question at once (no "we are putting you through" on the short
    # path); then, nobody else being free, the kind message in German.
    assert spoken[2].startswith("Es tut uns leid")
    assert spoken[-1] == "Vielen Dank für Ihren Anruf. Auf Wiederhören."


def test_the_short_path_in_german_speaking_to_the_menus(client, heidi):
    line(full_menu=False)
    twilio_side = Recorder(client)
    tourist = Phone(post=twilio_side, to="+33199000000", from_=GERMAN).dial()
    tourist.press("1")  # to choose: the country tells the language, so the topic comes first
    tourist.speak("Irgendwas mit Käsekuchen", 0.9)  # not in the table: asked again
    tourist.speak("Weinprobe", 0.9)
    tourist.speak("Bordeaux", 0.4)  # not sure: confirm with a key
    tourist.press("1")
    assert tourist.state == "ringing"
    tourist.answer("1")
    tourist.hang_up(after=90)
    call = Call.objects.select_related("motive", "region").get(sid=tourist.sid)
    assert call.motive is not None and call.motive.code == "food-and-wine"
    assert call.region is not None and call.region.code == "nouvelle-aquitaine"
    spoken = only_german(twilio_side.says())
    assert "Entschuldigung, das haben wir nicht verstanden." in spoken
    assert "Sagen Sie es einfach, oder drücken Sie eine Taste." in spoken
    assert "Nennen Sie einfach eine Stadt oder einen Ort, oder drücken Sie eine Taste." in spoken
    assert "Haben Sie Bordeaux gesagt? Drücken Sie die 1 für Ja, die 2, um neu zu wählen." in spoken
    assert "Für Essen und Wein drücken Sie die 2." in spoken  # topics translated
    assert "Für Korsika drücken Sie die 5." in spoken  # and regions


def test_the_full_menu_in_german_speaking_then_the_callback(
    client, heidi, django_capture_on_commit_callbacks
):
    line(full_menu=True)
    twilio_side = Recorder(client)
    tourist = Phone(post=twilio_side, to="+33199000000", from_=GERMAN).dial()
    tourist.wait().wait()  # the language question, twice: German from the country code
    tourist.speak("Wandern in den Vogesen", 0.95)  # a topic and a region at once
    assert tourist.state == "ringing"
    tourist.no_answer()
    with django_capture_on_commit_callbacks(execute=True):
        tourist.press("1")  # text me when a local is free
    call = Call.objects.select_related("motive", "region").get(sid=tourist.sid)
    assert (call.motive and call.motive.code, call.region and call.region.code) == (
        "unusual-places",
        "grand-est",
    )
    menu = ("For English, press 1.", "Pour le français, tapez 2.", "Für Deutsch, drücken Sie 3.")
    heard = twilio_side.says()
    spoken = only_german(heard[1:], skip=menu)  # each language's choice in its own words
    assert heard[0][1] == "de-DE"
    assert spoken[-1] == (
        "Vielen Dank. Wir schicken Ihnen eine SMS, sobald jemand frei ist. Auf Wiederhören."
    )
    make_ambassador("greta@example.com", name="Greta", languages=("en", "de"), slots=every_day())
    with django_capture_on_commit_callbacks(execute=True):
        assert serve_callback_requests() == 1  # Greta is free: the caller is texted
    assert [sms.body for sms in locmem.outbox if sms.to == GERMAN] == [
        "Destination Concierge: Jetzt ist jemand frei! Rufen Sie uns unter +33 1 99 00 00 00 "
        "zurück."
    ]
