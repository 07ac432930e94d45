"""Whole calls, through signed webhooks followed like Twilio follows them."""

from __future__ import annotations

import pytest

from calls.models import AttemptOutcome, BlockedNumber, Call, CallStatus
from concierge.lib.pseudonyms import number_hash

from ..factories import every_day, make_ambassador
from .twilio import phone

pytestmark = pytest.mark.django_db

GERMAN = "+4915112345678"


@pytest.fixture
def heidi(db):
    return make_ambassador(
        "heidi@example.com", name="Heidi", languages=("en", "de"), slots=every_day()
    )


def test_a_german_caller_reaches_a_german_speaking_local(client, national_line, heidi, alice):
    tourist = phone(client, from_=GERMAN).dial()
    assert "Willkommen bei Destination Concierge" in tourist.said[0]  # German at once
    assert any("Für Deutsch" in s for s in tourist.said)
    tourist.wait().wait()  # no key twice: the default, German, from the country code
    assert tourist.state == "menu"  # now the motive menu
    tourist.press("2")  # food and wine
    tourist.press("0")  # anywhere
    assert tourist.state == "ringing"
    assert tourist.rung().number == str(heidi.phone_number)
    assert tourist.rung().caller_id == "+33199000000"  # never the tourist's number

    tourist.answer("1")
    assert "Tourist call, German, Food and wine: press 1" in tourist.whispered[0]
    assert GERMAN not in tourist.whispered[0]
    tourist.hang_up(after=161)

    call = Call.objects.get(sid=tourist.sid)
    assert call.status == CallStatus.COMPLETED
    assert call.language == "de"
    assert call.caller_country == "DE"
    assert call.motive is not None and call.motive.code == "food-and-wine"
    assert call.responder == heidi
    assert call.duration == 161
    assert [a.outcome for a in call.attempts.all()] == [AttemptOutcome.ACCEPTED]


def test_voicemail_never_takes_the_call(client, national_line, heidi):
    tourist = phone(client).dial().press("3").press("0").press("0")
    tourist.answer(key="")  # an answering machine presses nothing
    call = Call.objects.get(sid=tourist.sid)
    assert call.attempts.get().outcome == AttemptOutcome.NO_ANSWER
    assert call.responder is None
    assert "alle unsere Ansprechpartner vor Ort" in tourist.said[-2]  # a kind goodbye (German)
    assert "drücken Sie die 1" in tourist.said[-1]  # and an offer
    assert tourist.wait().state == "ended"


def test_no_answer_tries_the_next_local_then_says_goodbye_kindly(client, national_line):
    locals_ = [
        make_ambassador(f"l{n}@example.com", name=f"Local{n}", slots=every_day()) for n in range(5)
    ]
    tourist = phone(client, from_="+447911123456").dial().press("1").press("0").press("0")
    rung = []
    for _ in range(4):
        rung.append(tourist.rung().number)
        tourist.no_answer()
    assert len(set(rung)) == 4  # never the same person twice
    assert "all our locals are busy" in tourist.said[-2]
    call = Call.objects.get(sid=tourist.sid)
    assert call.status == CallStatus.NO_RESPONDER
    assert call.attempts.count() == 4
    assert {str(a.phone_number) for a in locals_} >= set(rung)


def test_preferences_are_relaxed_rather_than_failing(client, national_line):
    only = make_ambassador(
        "chat@example.com",
        name="Chat",
        slots=every_day(),
        motives=("just-chat",),
        regions=("corse",),
    )
    tourist = phone(client, from_="+447911123456").dial().press("1")
    tourist.press("2").press("8")  # food and wine, in the 8th region: nobody matches exactly
    assert tourist.rung().number == str(only.phone_number)


def test_the_menu_repeats_once_then_takes_the_default(client, national_line, heidi):
    tourist = phone(client, from_=GERMAN).dial()
    tourist.press("9")  # not an option
    assert tourist.state == "menu"
    tourist.wait()
    call = Call.objects.get(sid=tourist.sid)
    assert call.language == "de"


def test_a_blocked_caller_hears_a_polite_message(client, national_line, heidi):
    BlockedNumber.objects.create(number_hash=number_hash(GERMAN), reason="abuse")
    tourist = phone(client, from_=GERMAN).dial()
    assert tourist.state == "ended"
    assert "wir können Ihren Anruf nicht annehmen" in tourist.said[-1]
    assert Call.objects.get(sid=tourist.sid).status == CallStatus.REFUSED
    assert not Call.objects.get(sid=tourist.sid).attempts.exists()


def test_the_sixth_call_in_an_hour_is_refused(client, national_line, heidi):
    for _ in range(5):
        phone(client, from_=GERMAN).dial().hang_up()
    tourist = phone(client, from_=GERMAN).dial()
    assert "in der letzten Stunde sehr oft angerufen" in tourist.said[-1]


def test_an_unknown_line_is_not_in_service(client, national_line):
    tourist = phone(client, to="+33199999999").dial()
    assert "not in service" in tourist.said[-1]
    assert not Call.objects.exists()


def test_a_recorded_line_says_so_first(client, premium_line, heidi):
    tourist = phone(client, to="+33199000001").dial()
    assert "This call may be recorded." in tourist.said


def test_a_busy_local_is_not_rung_for_a_second_call(client, national_line, heidi):
    first = phone(client, from_=GERMAN).dial().press("3").press("0").press("0")
    assert first.state == "ringing"
    second = phone(client, from_="+491701234567").dial().press("3").press("0").press("0")
    assert second.state != "ringing"  # Heidi is the only one, and she is ringing for the first
    first.answer("1")
    third = phone(client, from_="+491701234568").dial().press("3").press("0").press("0")
    assert third.state != "ringing"  # and now she is talking
    first.hang_up(after=30)
    fourth = phone(client, from_="+491701234569").dial().press("3").press("0").press("0")
    assert fourth.state == "ringing"


def test_three_missed_calls_in_a_row_switch_calls_off_and_say_so(
    client, national_line, heidi, django_capture_on_commit_callbacks
):
    from calls.telephony import locmem

    for n in range(3):
        tourist = phone(client, from_=f"+49151000000{n}").dial().press("3").press("0").press("0")
        assert tourist.rung().number == str(heidi.phone_number)
        with django_capture_on_commit_callbacks(execute=True):
            tourist.no_answer()
    heidi.refresh_from_db()
    assert not heidi.accepting_calls
    assert heidi.auto_paused_at is not None
    texts = [sms for sms in locmem.outbox if sms.to == str(heidi.phone_number)]
    assert len(texts) == 1
    assert "missed 3 calls in a row" in texts[0].body
    assert "/portal/" in texts[0].body
    # Switched back on, one more miss is forgiven: it takes three new ones.
    heidi.accepting_calls = True
    heidi.save()
    phone(client, from_="+491510000009").dial().press("3").press("0").press("0").no_answer()
    heidi.refresh_from_db()
    assert heidi.accepting_calls


def test_an_answered_call_resets_the_count(client, national_line, heidi):
    for n, answer in enumerate([False, False, True, False, False]):
        tourist = phone(client, from_=f"+49151000001{n}").dial().press("3").press("0").press("0")
        if answer:
            tourist.answer("1").hang_up(after=70)
        else:
            tourist.no_answer()
    heidi.refresh_from_db()
    assert heidi.accepting_calls


def test_routing_follows_the_paris_clock_across_the_spring_change(client, national_line):
    from datetime import UTC, datetime, time

    import time_machine

    from ambassadors.models import Weekday

    early = make_ambassador(
        "early@example.com", name="Early", slots=((Weekday.SUNDAY, time(3), time(4)),)
    )
    # 29 March 2026: at 01:00 UTC Paris jumps from 02:00 to 03:00.
    with time_machine.travel(datetime(2026, 3, 29, 0, 30, tzinfo=UTC)):  # 01:30 in Paris
        tourist = phone(client, from_="+447911000001").dial().press("1").press("0").press("0")
        assert tourist.state != "ringing"
    with time_machine.travel(datetime(2026, 3, 29, 1, 30, tzinfo=UTC)):  # 03:30 in Paris
        tourist = phone(client, from_="+447911000002").dial().press("1").press("0").press("0")
        assert tourist.rung().number == str(early.phone_number)


def test_without_a_speaker_of_their_language_an_english_speaker_answers(client, national_line):
    english = make_ambassador("en@example.com", name="Eng", languages=("en",), slots=every_day())
    tourist = phone(client, from_="+34612345678").dial().press("4").press("2").press("0")
    assert tourist.rung().number == str(english.phone_number)
    tourist.answer("1")
    assert "Tourist call, Spanish," in tourist.whispered[0]  # so the local knows what to expect


def test_every_region_can_be_chosen_page_after_page(client, national_line):
    """Eighteen regions, nine keys: 1–8 and "9: other regions" until the last page."""
    from concierge.models import Region

    make_ambassador(
        "paca@example.com", name="Mistral", regions=("provence-alpes-cote-d-azur",),
        slots=every_day(),
    )  # fmt: skip
    tourist = phone(client).dial().press("1").press("0")
    assert "For other regions, press 9." in tourist.said
    assert "For Paris and Île-de-France, press 8." in tourist.said
    said = len(tourist.said)
    tourist.press("9")
    second_page = tourist.said[said:]
    assert "For Normandy, press 1." in second_page
    assert "For Provence-Alps-French Riviera, press 5." in second_page
    tourist.press("5")
    assert tourist.ringing is not None
    call = Call.objects.get()
    assert call.region == Region.objects.get(code="provence-alpes-cote-d-azur")
    third = phone(client, from_="+4915112345670").dial().press("1").press("0").press("9")
    said = len(third.said)
    third.press("9")
    assert "For Mayotte, press 2." in third.said[said:]
    assert "For other regions, press 9." not in third.said[said:]
