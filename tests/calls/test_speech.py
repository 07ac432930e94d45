"""Say it instead of pressing it (issue 12, item 3): the topic and region menus listen, in the
caller's language; a confident answer is taken, a doubtful one confirmed with a key, and one
nobody understood asked again once. Keys work as before. Every step is a signed webhook."""

from __future__ import annotations

import pytest

from calls.models import Call
from calls.simulator.engine import parse

from ..factories import every_day, make_ambassador
from .twilio import phone, signed_post

pytestmark = pytest.mark.django_db

BRITISH = "+447400123456"
GERMAN = "+4915112345678"
AMERICAN = "+12025550143"


@pytest.fixture
def lou(db):
    return make_ambassador("lou@example.com", name="Lou", languages=("en", "de"), slots=every_day())


def chosen(tourist) -> tuple[str | None, str | None]:
    call = Call.objects.select_related("motive", "region").get(sid=tourist.sid)
    return (
        call.motive.code if call.motive else None,
        call.region.code if call.region else None,
    )


def to_the_region_menu(client, from_: str = BRITISH):
    """A caller on the national line's full menu, at the region question."""
    tourist = phone(client, from_=from_).dial().wait().wait()  # the language from the country
    tourist.press("2")  # food and wine
    assert tourist.listens
    return tourist


def test_the_menus_listen_in_the_callers_language_with_hints(client, national_line):
    tourist = phone(client, from_=GERMAN).dial().wait().wait()
    page = signed_post(client, tourist._gather_action.split("?")[0], tourist.params())
    gather = parse(page.content.decode()).find("Gather")
    assert gather is not None
    assert gather.get("input") == "dtmf speech"
    assert gather.get("language") == "de-DE"
    assert gather.get("numDigits") == "1"  # keys still end the question at once
    assert gather.get("speechModel") == "numbers_and_commands"
    assert gather.get("speechTimeout") == "2"
    assert gather.get("bargeIn") == "true"
    hints = gather.get("hints", "").split(",")
    assert "Wein" in hints and "Essen und Wein" in hints and "Bordeaux" in hints
    assert "wine" not in hints  # German words for a German caller
    assert len(hints) <= 500 and all(0 < len(hint) <= 100 for hint in hints)
    assert "Sagen Sie es einfach, oder drücken Sie eine Taste." in [
        say.text for say in gather.iter("Say")
    ]


def test_the_language_question_takes_keys_only(client, national_line):
    tourist = phone(client, from_=BRITISH).dial()
    assert tourist.state == "menu" and not tourist.listens


def test_an_american_is_heard_in_american_english(client, national_line):
    tourist = phone(client, from_=AMERICAN).dial().wait().wait()
    page = signed_post(client, tourist._gather_action.split("?")[0], tourist.params())
    gather = parse(page.content.decode()).find("Gather")
    assert gather is not None and gather.get("language") == "en-US"


def test_a_confident_answer_picks_the_region(client, national_line, lou):
    tourist = to_the_region_menu(client).speak("Nice", confidence=0.92)
    assert tourist.state == "ringing"
    assert chosen(tourist) == ("food-and-wine", "provence-alpes-cote-d-azur")
    assert tourist.transcript[-2] == "🗣 Nice (0.92)"  # the simulator's transcript shows it


def test_articles_accents_and_case_do_not_matter(client, national_line, lou):
    tourist = to_the_region_menu(client).speak("I'd like the MONT SAINT MICHEL please", 0.8)
    assert chosen(tourist) == ("food-and-wine", "normandie")


def test_a_doubtful_answer_is_confirmed_with_a_key(client, national_line, lou):
    tourist = to_the_region_menu(client).speak("Bordeaux", confidence=0.41)
    assert tourist.state == "menu"
    assert tourist.said[-1] == "Did you say Bordeaux? Press 1 for yes, 2 to choose again."
    assert chosen(tourist) == ("food-and-wine", None)  # nothing taken yet
    tourist.press("1")
    assert tourist.state == "ringing"
    assert chosen(tourist) == ("food-and-wine", "nouvelle-aquitaine")


def test_without_a_confidence_we_ask_too(client, national_line, lou):
    tourist = to_the_region_menu(client).speak("Lyon")
    assert tourist.said[-1].startswith("Did you say Lyon?")


def test_2_asks_the_question_again(client, national_line, lou):
    tourist = to_the_region_menu(client).speak("Bordeaux", confidence=0.3).press("2")
    assert tourist.state == "menu" and tourist.listens
    assert "Which part of France are you interested in?" in tourist.said[-21:]
    tourist.press("3")  # keys work as before: Brittany
    assert chosen(tourist) == ("food-and-wine", "bretagne")


def test_words_nobody_understands_are_asked_again_once_then_the_default(client, national_line, lou):
    tourist = to_the_region_menu(client).speak("the one with the big cheese", 0.95)
    assert tourist.state == "menu"
    asked_again = tourist.said.index("Sorry, we did not understand.")
    assert tourist.said[asked_again + 1] == "Which part of France are you interested in?"
    tourist.speak("", 0.1)  # Twilio heard nothing it could write down
    assert tourist.state == "ringing"  # no preference, like after silence: a local rings
    assert chosen(tourist) == ("food-and-wine", None)


def test_a_german_synonym_picks_the_topic(client, national_line, lou):
    tourist = phone(client, from_=GERMAN).dial().wait().wait()
    tourist.speak("Ich möchte über Wein reden", 0.87)
    assert tourist.state == "menu"  # the region question comes next
    assert chosen(tourist) == ("food-and-wine", None)
    assert "Welche Region Frankreichs interessiert Sie?" in tourist.said[-24:]


def test_a_place_named_for_the_topic_spares_the_region_question(client, national_line, lou):
    tourist = phone(client, from_=GERMAN).dial().wait().wait()
    tourist.speak("Weinprobe an der Côte d'Azur", 0.9)
    assert tourist.state == "ringing"
    assert chosen(tourist) == ("food-and-wine", "provence-alpes-cote-d-azur")


def test_a_region_the_destination_switched_off_is_not_understood(client, national_line, lou):
    from concierge.models import Region

    Region.objects.filter(code="corse").update(is_active=False)
    tourist = to_the_region_menu(client).speak("Ajaccio", 0.95)
    assert "Sorry, we did not understand." in tourist.said


@pytest.mark.parametrize(
    "params",
    [
        {"SpeechResult": "Nice", "Confidence": "very sure"},
        {"SpeechResult": "Nice", "Confidence": "NaN"},
        {"SpeechResult": "Nice", "Confidence": "1e309"},
        {"SpeechResult": "Nice", "Confidence": "-0.5"},
        {"SpeechResult": "Nice " * 50_000, "Confidence": "0.9"},
        {"SpeechResult": "\x00\x01Nice\x00", "Confidence": "0.9\x00"},
        {"SpeechResult": "ニース" * 1000},
        {"SpeechResult": "'; DROP TABLE calls_call; --", "Confidence": "0.99"},
    ],
)
def test_garbage_speech_gets_a_polite_answer(client, national_line, lou, params):
    tourist = to_the_region_menu(client)
    response = signed_post(client, tourist._gather_action, tourist.params(**params))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith('<?xml version="1.0" encoding="UTF-8"?><Response>')
    assert "<Say" in body or "<Redirect" in body
    assert "something went wrong" not in body


def test_a_forged_confirmation_of_an_unknown_region_asks_again(client, national_line, lou):
    tourist = to_the_region_menu(client)
    path = tourist._gather_action.split("?")[0] + "?try=1&confirm=1&region=atlantis"
    response = signed_post(client, path, tourist.params(Digits="1"))
    assert response.status_code == 200
    assert "Which part of France" in response.content.decode()
    assert chosen(tourist) == ("food-and-wine", None)


def test_keys_keep_working_exactly_as_before(client, national_line, lou):
    tourist = to_the_region_menu(client).press("0")
    assert tourist.state == "ringing"
    assert chosen(tourist) == ("food-and-wine", None)


def test_a_regional_line_keeps_its_region_whatever_place_is_said(client, lou):
    from calls.models import PhoneLine
    from concierge.models import Region

    line = PhoneLine.objects.create(
        number="+33199000007", label="Brittany", ivr_languages="en", full_menu=True
    )
    line.regions.set([Region.objects.get(code="bretagne")])
    tourist = phone(client, to="+33199000007", from_=BRITISH).dial()
    tourist.speak("wine in Bordeaux", 0.4)  # doubtful: confirmed, and only the topic is heard
    assert tourist.said[-1] == "Did you say wine? Press 1 for yes, 2 to choose again."
    forged = tourist._gather_action + "&region=nouvelle-aquitaine"
    assert "confirm=1" in forged
    response = signed_post(client, forged, tourist.params(Digits="1"))
    assert response.status_code == 200
    assert chosen(tourist) == ("food-and-wine", "bretagne")
