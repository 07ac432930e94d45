"""The short path (a line without the full menu): after the greeting one question, "stay on
the line, or press 1 to choose"; silence puts the caller through at once, and any key
interrupts the prompts (barge-in)."""

from __future__ import annotations

import pytest

from calls.models import Call, CallStatus

from ..factories import every_day, make_ambassador
from .twilio import phone

pytestmark = pytest.mark.django_db

BRITISH = "+447400123456"
VIETNAMESE = "+84912345678"


@pytest.fixture
def short_line(national_line):
    national_line.full_menu = False
    national_line.rings_early = False  # rung after the question (test_early_ring: during it)
    national_line.save()
    return national_line


@pytest.fixture
def lou(db):
    return make_ambassador("lou@example.com", name="Lou", languages=("en",), slots=every_day())


def test_staying_on_the_line_rings_a_local_at_once(client, short_line, lou):
    tourist = phone(client, from_=BRITISH).dial()
    assert tourist.state == "menu"  # the greeting and the question, interruptible
    assert "press 1 to choose" in tourist.said[-1]
    tourist.wait()  # silence
    assert tourist.state == "ringing"
    assert tourist.rung().number == str(lou.phone_number)
    # Two prompts before a phone rings, against a menu of questions each asked twice.
    assert len(tourist.said) <= 3
    call = Call.objects.get(sid=tourist.sid)
    assert (call.motive, call.region, call.language) == (None, None, "en")
    tourist.answer("1")
    assert Call.objects.get(sid=tourist.sid).status == CallStatus.IN_PROGRESS


def test_pressing_1_chooses_a_topic_and_a_region_without_the_language(client, short_line, lou):
    tourist = phone(client, from_=BRITISH).dial().press("1")
    assert tourist.state == "menu"
    assert "What would you like to talk about?" in " ".join(tourist.said)
    assert not any("For English, press" in s for s in tourist.said)  # the country told it
    tourist.press("2").press("0")  # food and wine, anywhere
    assert tourist.state == "ringing"
    motive = Call.objects.get(sid=tourist.sid).motive
    assert motive is not None and motive.code == "food-and-wine"


def test_the_language_is_asked_only_when_the_country_does_not_tell_it(client, short_line, lou):
    tourist = phone(client, from_=VIETNAMESE).dial().press("1")
    assert any("For English, press" in s for s in tourist.said)


def test_another_key_puts_the_caller_through_too(client, short_line, lou):
    tourist = phone(client, from_=BRITISH).dial().press("5")
    assert tourist.state == "ringing"


def test_a_line_may_keep_the_full_menu(client, national_line, lou):
    assert national_line.full_menu  # today's lines keep their menu
    tourist = phone(client, from_=BRITISH).dial()
    assert not any("Hold for a local" in s for s in tourist.said)
    assert any("For English, press" in s for s in tourist.said)


def test_a_german_caller_hears_the_question_in_german(client, short_line):
    tourist = phone(client, from_="+4915112345678").dial()
    assert "drücken Sie die 1" in tourist.said[-1]
