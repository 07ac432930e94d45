"""A staggered ring group (issue 12): on a line ringing during the greeting, the first local's
phone rings alone; the next is added only after CALL_RING_STAGGER seconds without a pick-up,
or at once when a phone stops ringing, and never more than the line's group size ring at once.
Volunteers are not rung for a call the first one was about to take. Through signed webhooks,
the engine playing Twilio's part."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from calls.models import AttemptOutcome, Call, CallStatus
from calls.telephony import fake_calls

from ..concurrency import at_once
from ..factories import every_day, make_ambassador
from .twilio import phone, signed_post

pytestmark = pytest.mark.django_db

BRITISH = "+447400123456"


@pytest.fixture(autouse=True)
def staggered(settings):
    settings.CALL_RING_STAGGER = 12


@pytest.fixture
def line(early_line):
    return early_line  # two phones, rung during the greeting (tests/calls/conftest.py)


@pytest.fixture
def locals_(db):
    return [
        make_ambassador(f"l{n}@example.com", name=f"L{n}", languages=("en",), slots=every_day())
        for n in range(3)
    ]


def later(seconds: int) -> time_machine.travel:
    return time_machine.travel(timezone.now() + timedelta(seconds=seconds), tick=False)


def outcomes(tourist) -> list[str]:
    call = Call.objects.get(sid=tourist.sid)
    return [a.outcome for a in call.attempts.order_by("order")]


def test_the_second_phone_rings_only_after_the_first_rang_alone(client, line, locals_):
    tourist = phone(client, from_=BRITISH).dial()
    assert tourist.queued and len(tourist.legs) == 1  # one phone during the greeting
    tourist.wait()
    assert tourist.state == "holding" and len(tourist.legs) == 1  # a few seconds: still alone
    with later(13):
        tourist.hold()  # a turn of the wait loop, 13 s after the first ring: nobody picked up
    first, second = tourist.legs
    assert first.number != second.number
    with later(30):
        tourist.hold()
    assert len(tourist.legs) == 2  # never more than the group's size at once
    tourist.answer("1", second.number)
    assert tourist.state == "connected"
    assert outcomes(tourist) == [AttemptOutcome.RELEASED, AttemptOutcome.ACCEPTED]
    assert fake_calls.ended == [fake_calls.placed[0].sid]  # the first phone was hung up


def test_a_local_listening_to_the_whisper_is_not_joined_by_another_phone(client, line, locals_):
    tourist = phone(client, from_=BRITISH).dial().wait()
    leg = tourist.legs[0]
    whisper = signed_post(client, leg.whisper_url, {"CallSid": leg.sid, "To": leg.number})
    assert "press 1" in whisper.content.decode()  # picked up, hearing who calls
    with later(15):
        tourist.hold()
    assert len(tourist.legs) == 1 and len(fake_calls.placed) == 1
    tourist.answer("1", leg.number)
    assert tourist.state == "connected"
    assert outcomes(tourist) == [AttemptOutcome.ACCEPTED]


@pytest.mark.parametrize("news", ["decline", "busy"])
def test_a_phone_that_stops_ringing_is_replaced_at_once(client, line, locals_, news):
    tourist = phone(client, from_=BRITISH).dial()
    first = tourist.legs[0]
    if news == "decline":
        tourist.answer("2", first.number)
    else:
        tourist.busy(first.number)
    assert tourist.queued and len(tourist.legs) == 1  # the next local, without waiting
    assert tourist.legs[0].number != first.number
    tourist.answer("1")
    assert tourist.state == "connected"


def test_when_everyone_was_rung_the_caller_hears_that_nobody_is_free(client, line, locals_):
    tourist = phone(client, from_=BRITISH).dial().wait()
    tourist.no_answer()  # the first rings out: the second rings at once
    assert len(tourist.legs) == 1
    with later(13):
        tourist.hold()
    assert len(tourist.legs) == 2  # the third joins it
    tourist.no_answer()  # both ring out: nobody is left
    assert not tourist.legs
    tourist.hold()
    assert not tourist.queued
    assert any("all our locals are busy" in s for s in tourist.said)
    call = Call.objects.get(sid=tourist.sid)
    assert call.status == CallStatus.NO_RESPONDER
    assert {a.ambassador_id for a in call.attempts.all()} == {a.pk for a in locals_}


@pytest.mark.django_db(transaction=True)
def test_wait_turns_at_once_add_one_phone_only(postgres, line, locals_):
    """On PostgreSQL, six requests of the caller's wait loop (a retried turn, other processes)
    arrive together once the first phone has rung alone long enough: exactly one phone is
    added, for a local nobody else rings."""
    tourist = phone(Client(), from_=BRITISH).dial().wait()
    assert len(fake_calls.placed) == 1
    call = Call.objects.get(sid=tourist.sid)
    turn = f"/calls/voice/{call.public_id}/queue/wait/?held=2"
    params = {"CallSid": call.sid, "From": BRITISH, "To": str(line.number)}
    with later(13):
        answers = at_once(
            *(lambda: signed_post(Client(), turn, params).content.decode() for _ in range(6))
        )
    assert all("<Pause" in answer for answer in answers)  # every turn holds
    assert len(fake_calls.placed) == 2
    rung = list(call.attempts.values_list("ambassador_id", flat=True))
    assert len(rung) == len(set(rung)) == 2


def test_a_caller_choosing_in_the_queue_gets_the_next_phone_in_time(client, line, locals_):
    tourist = phone(client, from_=BRITISH).dial().press("1")  # to choose, phones ringing on
    assert tourist.state == "menu" and len(tourist.legs) == 1
    with later(13):
        tourist.press("0")  # any topic, 13 s after the first ring: nobody picked up
    assert tourist.queued and len(tourist.legs) == 2
