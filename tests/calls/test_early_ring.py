"""Ringing during the greeting (issue 12): the caller waits in a queue of their own, hearing
the greeting and the question, while the ring group's phones already ring (calls placed
through the telephony backend); the first local to press 1 dials the queue and is bridged.
Nobody is dropped or connected twice, whatever order the callbacks come in. Through signed
webhooks, the engine playing Twilio's part."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from calls.models import AttemptOutcome, Call, CallStatus
from calls.telephony import fake_calls
from calls.telephony.locmem import LocmemBackend
from concierge.lib import telephony
from concierge.lib.telephony import TelephonyError

from ..factories import every_day, make_ambassador
from .twilio import phone, signed_post

pytestmark = pytest.mark.django_db

BRITISH = "+447400123456"


@pytest.fixture(autouse=True)
def at_once(settings):
    """The whole group rings at once here (staggered groups: test_staggered_ring)."""
    settings.CALL_RING_STAGGER = 0


def outcomes(tourist) -> list[str]:
    call = Call.objects.get(sid=tourist.sid)
    return [a.outcome for a in call.attempts.order_by("order")]


def test_a_local_accepts_during_the_greeting(client, early_line, locals_):
    tourist = phone(client, from_=BRITISH).dial()
    # The greeting and the question, while two phones already ring.
    assert tourist.state == "menu" and tourist.queued
    assert "Welcome to Destination Concierge." in tourist.said
    assert len(tourist.legs) == 2 and len({leg.number for leg in tourist.legs}) == 2
    assert all(p.from_ == "+33199000000" for p in fake_calls.placed)  # never the tourist's
    first = tourist.legs[0]
    tourist.answer("1", first.number)
    assert "Tourist call, English, anything: press 1 to take it." in tourist.whispered[0]
    assert tourist.state == "connected"
    assert [leg.number for leg in tourist.legs] == [first.number]
    assert outcomes(tourist) == [AttemptOutcome.ACCEPTED, AttemptOutcome.RELEASED]
    assert fake_calls.ended == [fake_calls.placed[1].sid]  # the other phone was hung up
    tourist.hang_up(after=200)
    call = Call.objects.get(sid=tourist.sid)
    assert call.status == CallStatus.COMPLETED and call.duration == 200


def test_pressing_1_during_the_greeting_asks_the_questions_while_the_phones_ring_on(
    client, early_line, locals_
):
    tourist = phone(client, from_=BRITISH).dial()
    assert len(tourist.legs) == 2
    tourist.press("1")
    # Still in their queue, asked the topic while both phones ring on: nobody is cancelled.
    assert tourist.queued and tourist.state == "menu" and len(tourist.legs) == 2
    assert any("What would you like to talk about?" in s for s in tourist.said), tourist.said
    assert outcomes(tourist) == [AttemptOutcome.RINGING, AttemptOutcome.RINGING]
    assert fake_calls.ended == []
    tourist.press("0")  # any topic
    while tourist.state == "menu":  # any community, any region, as the line asks
        tourist.press("0")
    assert tourist.state == "holding" and tourist.queued  # chosen: holding, phones ringing
    tourist.answer("1", tourist.legs[0].number)
    assert tourist.state == "connected"
    assert outcomes(tourist) == [AttemptOutcome.ACCEPTED, AttemptOutcome.RELEASED]


def test_a_local_who_takes_the_call_while_the_caller_chooses_is_bridged_at_once(
    client, early_line, locals_
):
    tourist = phone(client, from_=BRITISH).dial().press("1")
    assert tourist.state == "menu" and tourist.queued  # the topic question
    tourist.answer("1", tourist.legs[1].number)
    assert tourist.state == "connected"
    assert outcomes(tourist) == [AttemptOutcome.RELEASED, AttemptOutcome.ACCEPTED]
    call = Call.objects.get(sid=tourist.sid)
    assert call.status == CallStatus.IN_PROGRESS and call.motive is None


def test_one_declines_the_other_accepts(client, early_line, locals_):
    tourist = phone(client, from_=BRITISH).dial().wait()
    assert tourist.state == "holding"  # the question is over: holding, phones ringing
    assert tourist.said[-1] == "Thank you. We are putting you through to a local. Please hold."
    first, second = tourist.legs
    tourist.answer("2", first.number)
    assert tourist.queued and tourist.legs == [second]  # the caller still holds
    tourist.hold()
    tourist.answer("1", second.number)
    assert tourist.state == "connected"
    assert outcomes(tourist) == [AttemptOutcome.DECLINED, AttemptOutcome.ACCEPTED]


def test_two_accept_at_once_one_is_bridged_the_other_is_told(client, early_line, locals_):
    tourist = phone(client, from_=BRITISH).dial().wait()
    first, second = tourist.legs
    whispers = {}
    for leg in (first, second):  # both picked up and hear the whisper at the same time
        whisper = signed_post(client, leg.whisper_url, {"CallSid": leg.sid, "To": leg.number})
        whispers[leg.sid] = whisper.content.decode()
        assert "press 1" in whispers[leg.sid]
    answer = first.whisper_url.replace("/whisper/", "/whisper/answer/")
    won = signed_post(client, answer, {"CallSid": first.sid, "Digits": "1"}).content.decode()
    late = second.whisper_url.replace("/whisper/", "/whisper/answer/")
    lost = signed_post(client, late, {"CallSid": second.sid, "Digits": "1"}).content.decode()
    assert "<Queue>" in won and "<Queue>" not in lost
    assert "Another local has just taken this call" in lost and "<Hangup" in lost
    assert outcomes(tourist) == [AttemptOutcome.ACCEPTED, AttemptOutcome.RELEASED]


def test_the_caller_hangs_up_while_the_phones_ring(client, early_line, locals_):
    tourist = phone(client, from_=BRITISH).dial().wait()
    tourist.hang_up(after=9)
    assert outcomes(tourist) == [AttemptOutcome.CANCELED, AttemptOutcome.CANCELED]
    assert sorted(fake_calls.ended) == sorted(p.sid for p in fake_calls.placed)
    assert Call.objects.get(sid=tourist.sid).status == CallStatus.ABANDONED
    leg = fake_calls.placed[0]  # a local who picks up a moment too late is let go
    url = urlsplit(leg.url)
    whisper = signed_post(client, f"{url.path}?{url.query}", {"CallSid": leg.sid})
    assert "<Gather" not in whisper.content.decode()
    assert "<Hangup" in whisper.content.decode()


def test_when_the_group_rings_out_the_next_one_rings_then_nobody(client, early_line, locals_):
    tourist = phone(client, from_=BRITISH).dial().wait()
    tourist.no_answer()
    assert tourist.queued and len(tourist.legs) == 2  # the next two phones, caller holding
    tourist.busy(tourist.legs[0].number)
    tourist.no_answer()
    assert not tourist.legs  # four locals tried: nobody is left
    tourist.hold()
    assert not tourist.queued
    assert any("all our locals are busy" in s for s in tourist.said)
    assert Call.objects.get(sid=tourist.sid).status == CallStatus.NO_RESPONDER


def test_a_rehearsal_rings_after_the_greeting_and_places_no_call(
    client, staff, early_line, locals_
):
    client.force_login(staff)
    client.post("/calls/simulator/", {"action": "dial", "line": early_line.pk, "caller": BRITISH})
    response = client.post("/calls/simulator/", {"action": "wait"}, follow=True)
    assert "Ringing: L" in response.content.decode()  # through <Dial>, the simulator's phones
    assert fake_calls.placed == []


def test_a_caller_never_holds_forever_when_a_phones_news_is_lost(client, early_line, locals_):
    tourist = phone(client, from_=BRITISH).dial().wait()
    assert len(tourist.legs) == 2  # their status callbacks will never come
    with time_machine.travel(timezone.now() + timedelta(minutes=10), tick=False):
        tourist.hold()
    assert not tourist.queued
    assert any("all our locals are busy" in s for s in tourist.said)
    assert outcomes(tourist) == [AttemptOutcome.CANCELED, AttemptOutcome.CANCELED]
    assert sorted(fake_calls.ended) == sorted(p.sid for p in fake_calls.placed)


def test_a_retried_first_webhook_queues_the_caller_again_and_rings_nobody_twice(
    client, early_line, locals_
):
    tourist = phone(client, from_=BRITISH).dial()
    params = {"CallSid": tourist.sid, "From": BRITISH, "To": "+33199000000"}
    again = signed_post(client, "/calls/voice/incoming/", params).content.decode()
    assert "<Enqueue" in again
    assert len(fake_calls.placed) == 2  # the same two phones, called once each
    assert outcomes(tourist) == [AttemptOutcome.RINGING, AttemptOutcome.RINGING]


class UnreachableTwilio(LocmemBackend):
    def place_call(self, **kwargs: object) -> str:
        raise TelephonyError("Twilio could not be reached")


@pytest.fixture
def unreachable():
    telephony._load.cache_clear()
    with override_settings(TELEPHONY_BACKEND=f"{__name__}.UnreachableTwilio"):
        yield
    telephony._load.cache_clear()


def test_when_no_phone_can_be_called_the_caller_is_rung_after_the_greeting(
    client, early_line, locals_, unreachable
):
    tourist = phone(client, from_=BRITISH).dial()
    assert not tourist.queued and tourist.state == "menu"  # the ordinary short path
    tourist.wait()
    assert tourist.state == "ringing" and len(tourist.legs) == 2  # the next two, by <Dial>
    assert outcomes(tourist)[:2] == [AttemptOutcome.FAILED, AttemptOutcome.FAILED]
    tourist.answer("1")
    assert tourist.state == "connected"


def test_the_phone_rung_after_a_choice_follows_it(client, early_line, locals_):
    early_line.ring_group_size = 1
    early_line.save()
    for local in locals_:  # nobody of them talks about food and wine
        local.any_motive = False
        local.save(update_fields=["any_motive"])
    expert = make_ambassador(
        "wine@example.com", languages=("en",), motives=("food-and-wine",), slots=every_day()
    )
    tourist = phone(client, from_=BRITISH).dial().press("1")
    first = tourist.legs[0].number
    assert first != str(expert.phone_number)  # rung before the choice, whoever was next
    tourist.press("2")  # food and wine
    while tourist.state == "menu":  # any community, any region
        tourist.press("0")
    assert tourist.state == "holding"
    tourist.no_answer()  # the phone rung before the choice rings out
    assert tourist.queued and [leg.number for leg in tourist.legs] == [str(expert.phone_number)]
    tourist.answer("1")
    assert tourist.state == "connected"
    call = Call.objects.get(sid=tourist.sid)
    assert call.motive is not None and call.motive.code == "food-and-wine"
    assert call.responder == expert


def test_taking_a_call_during_the_greeting_costs_a_handful_of_statements(
    client, early_line, locals_, django_assert_max_num_queries
):
    """The local's 1 (accept, release and hang up the other phone, bridge) reads the attempt
    with its call, line and local once: nothing is read back after the updates."""
    tourist = phone(client, from_=BRITISH).dial()
    leg = tourist.legs[0]
    signed_post(client, leg.whisper_url, {"CallSid": leg.sid, "To": leg.number})
    answer = leg.whisper_url.replace("/whisper/", "/whisper/answer/")
    with django_assert_max_num_queries(7):  # BEGIN/COMMIT included (savepoints in a test)
        bridged = signed_post(client, answer, {"CallSid": leg.sid, "Digits": "1"})
    assert "<Queue>" in bridged.content.decode()
    assert outcomes(tourist) == [AttemptOutcome.ACCEPTED, AttemptOutcome.RELEASED]
