"""A small group of locals rings at once (issue 12, item 4): the first to press 1 takes the
call, the others are let go without a missed call, and no leg's decline, voicemail or late
callback ever drops the caller or connects them twice. Through signed webhooks, as Twilio
sends them."""

from __future__ import annotations

import pytest

from calls.models import AttemptOutcome, Call, CallStatus, PhoneLine

from ..factories import every_day, make_ambassador
from .twilio import phone, signed_post

pytestmark = pytest.mark.django_db

BRITISH = "+447911123456"


@pytest.fixture
def group_line(db):
    """The short path, and a ring group rung after the greeting (one <Dial>)."""
    return PhoneLine.objects.create(
        number="+33199000000", label="National", ring_group_size=3, rings_early=False
    )


@pytest.fixture
def locals_(db):
    # English-speaking: the whisper and the thanks are in English.
    return [
        make_ambassador(f"l{n}@example.com", name=f"L{n}", languages=("en",), slots=every_day())
        for n in range(6)
    ]


def ringing_group(client):
    tourist = phone(client, from_=BRITISH).dial().wait()  # stays on the line: put through
    assert tourist.state == "ringing"
    return tourist


def outcomes(tourist) -> dict[str, str]:
    call = Call.objects.get(sid=tourist.sid)
    return {
        str(a.ambassador.phone_number): a.outcome
        for a in call.attempts.all()
        if a.ambassador is not None
    }


def test_it_rings_three_locals_at_once_in_one_dial(client, group_line, locals_):
    tourist = ringing_group(client)
    numbers = [leg.number for leg in tourist.legs]
    assert len(numbers) == len(set(numbers)) == 3
    assert {leg.action for leg in tourist.legs} == {tourist.legs[0].action}  # one <Dial>
    assert all(leg.whisper_url and leg.status_url for leg in tourist.legs)
    assert all(leg.caller_id == "+33199000000" for leg in tourist.legs)  # never the tourist's


def test_one_declines_another_accepts_and_the_third_is_let_go(client, group_line, locals_):
    tourist = ringing_group(client)
    nina, omar, pia = (leg.number for leg in tourist.legs)
    tourist.answer("2", nina)  # "not now"
    assert tourist.state == "ringing"  # the caller still hears it ring
    assert [leg.number for leg in tourist.legs] == [omar, pia]
    tourist.answer("1", omar)
    assert tourist.state == "connected"
    assert outcomes(tourist) == {
        nina: AttemptOutcome.DECLINED,
        omar: AttemptOutcome.ACCEPTED,
        pia: AttemptOutcome.RELEASED,  # Twilio hung up her phone: no missed call
    }
    tourist.hang_up(after=120)
    call = Call.objects.get(sid=tourist.sid)
    assert call.status == CallStatus.COMPLETED
    assert call.responder is not None and str(call.responder.phone_number) == omar
    assert call.attempts.count() == 3


def test_voicemail_on_one_leg_never_drops_the_caller(client, group_line, locals_):
    tourist = ringing_group(client)
    first, second, third = (leg.number for leg in tourist.legs)
    tourist.answer("", first)  # an answering machine: the whisper plays, nobody presses
    assert tourist.state == "ringing"
    tourist.busy(second)
    assert tourist.state == "ringing"
    tourist.answer("1", third)
    assert tourist.state == "connected"
    assert outcomes(tourist) == {
        first: AttemptOutcome.NO_ANSWER,
        second: AttemptOutcome.BUSY,
        third: AttemptOutcome.ACCEPTED,
    }


def test_two_locals_pressing_1_connect_one_and_thank_the_other(client, group_line, locals_):
    tourist = ringing_group(client)
    first, second = tourist.legs[0], tourist.legs[1]
    call = Call.objects.get(sid=tourist.sid)
    # Both pick up and hear the whisper at the same time.
    for leg in (first, second):
        whisper = signed_post(client, leg.whisper_url, {"CallSid": "CA1", "To": leg.number})
        assert "press 1" in whisper.content.decode()
    answer = first.whisper_url.replace("/whisper/", "/whisper/answer/")
    won = signed_post(client, answer, {"CallSid": "CA1", "Digits": "1"}).content.decode()
    assert "<Hangup" not in won and "<Say" not in won  # bridged
    late = second.whisper_url.replace("/whisper/", "/whisper/answer/")
    lost = signed_post(client, late, {"CallSid": "CA2", "Digits": "1"}).content.decode()
    assert "Another local has just taken this call" in lost
    assert "<Hangup" in lost
    again = signed_post(client, answer, {"CallSid": "CA1", "Digits": "1"}).content.decode()
    assert "<Hangup" not in again  # the winner's repeated press still connects them alone
    call.refresh_from_db()
    assert call.status == CallStatus.IN_PROGRESS
    assert call.responder is not None and str(call.responder.phone_number) == first.number
    assert outcomes(tourist)[second.number] == AttemptOutcome.RELEASED
    assert call.attempts.filter(outcome=AttemptOutcome.ACCEPTED).count() == 1


def test_a_whole_group_declining_rings_the_next_group_then_says_goodbye(
    client, group_line, locals_
):
    tourist = ringing_group(client)
    first_group = [leg.number for leg in tourist.legs]
    for number in first_group:
        tourist.answer("2", number)
    assert tourist.state == "ringing"  # the next group
    second_group = [leg.number for leg in tourist.legs]
    assert len(second_group) == 3 and not set(first_group) & set(second_group)
    tourist.no_answer()  # every phone rings out
    assert tourist.state == "menu"  # nobody left: the kind goodbye and the text-back offer
    assert "all our locals are busy" in tourist.said[-2]
    call = Call.objects.get(sid=tourist.sid)
    assert call.status == CallStatus.NO_RESPONDER
    assert [a.group for a in call.attempts.all()] == [1, 1, 1, 2, 2, 2]


def test_locals_let_go_are_never_switched_off_for_missing_calls(client, group_line, locals_):
    """Three calls in a row taken by someone else of the group: no miss, calls stay on."""
    for _ in range(3):
        tourist = ringing_group(client)
        tourist.answer("1", tourist.legs[0].number)
        tourist.hang_up(after=30)
    released = [
        a for a in locals_ if a.call_attempts.filter(outcome=AttemptOutcome.RELEASED).exists()
    ]
    assert released
    for local in released:
        local.refresh_from_db()
        assert local.accepting_calls


def test_late_and_repeated_callbacks_change_nothing(client, group_line, locals_):
    tourist = ringing_group(client)
    taker, other, third = tourist.legs
    action = taker.action
    tourist.answer("1", taker.number)
    for status in ("completed", "no-answer", "canceled"):  # a released leg's late news
        signed_post(client, other.status_url, {"CallSid": "CA9", "CallStatus": status})
    whisper = signed_post(client, third.whisper_url, {"CallSid": "CA8"}).content.decode()
    assert "Another local has just taken this call" in whisper and "<Gather" not in whisper
    tourist.hang_up(after=200)
    again = signed_post(
        client, action, tourist.params(DialCallStatus="completed", DialCallDuration="200")
    ).content.decode()
    assert "<Hangup" in again and "<Number" not in again  # nobody else rings
    call = Call.objects.get(sid=tourist.sid)
    assert call.status == CallStatus.COMPLETED and call.duration == 200
    assert outcomes(tourist) == {
        taker.number: AttemptOutcome.ACCEPTED,
        other.number: AttemptOutcome.RELEASED,
        third.number: AttemptOutcome.RELEASED,
    }


def test_a_retried_connect_rings_the_same_group(client, group_line, locals_):
    tourist = ringing_group(client)
    call = Call.objects.get(sid=tourist.sid)
    again = signed_post(
        client, f"/calls/voice/{call.public_id}/connect/", tourist.params()
    ).content.decode()
    assert all(leg.number in again for leg in tourist.legs)
    assert call.attempts.count() == 3


def test_a_leg_status_before_its_whisper_keeps_that_phone_out(client, group_line, locals_):
    """Callbacks in any order: a leg reported busy whose whisper still comes is hung up."""
    tourist = ringing_group(client)
    leg = tourist.legs[0]
    signed_post(client, leg.status_url, {"CallSid": "CA7", "CallStatus": "busy"})
    whisper = signed_post(client, leg.whisper_url, {"CallSid": "CA7"}).content.decode()
    assert "<Hangup" in whisper and "<Gather" not in whisper
    tourist.answer("1", tourist.legs[1].number)
    assert tourist.state == "connected"


def test_a_repeated_dial_callback_after_a_group_rang_out_rings_one_next_group(
    client, group_line, locals_
):
    tourist = ringing_group(client)
    action = tourist.legs[0].action
    params = tourist.params(DialCallStatus="no-answer", DialCallDuration="0")
    first = signed_post(client, action, params).content.decode()
    second = signed_post(client, action, params).content.decode()
    assert first == second and first.count("<Number") == 3
    call = Call.objects.get(sid=tourist.sid)
    assert call.attempts.count() == 6
    assert call.attempts.filter(outcome=AttemptOutcome.NO_ANSWER).count() == 3


def test_an_advisor_on_duty_rings_alone_first_then_a_group(client, group_line, locals_):
    import time_machine

    from ..rotas.test_on_duty_calls import FRIDAY_EVENING, on_duty_network

    (advisor,) = on_duty_network()
    with time_machine.travel(FRIDAY_EVENING, tick=False):
        tourist = ringing_group(client)
        assert [leg.number for leg in tourist.legs] == [str(advisor.phone_number)]
        tourist.no_answer()
        assert tourist.state == "ringing"
        assert len(tourist.legs) == 3  # then the volunteers, together
        assert str(advisor.phone_number) not in [leg.number for leg in tourist.legs]


def test_no_new_group_rings_once_the_ringing_budget_is_spent(client, group_line, locals_, settings):
    import time_machine

    settings.CALL_TOTAL_RING_CAP = 60
    with time_machine.travel("2026-06-02 18:00Z", tick=False) as clock:
        tourist = ringing_group(client)
        clock.shift(30)
        tourist.no_answer()
        assert len(tourist.legs) == 3  # 30 s after the first ring: the next group
        clock.shift(40)
        tourist.no_answer()  # 70 s: the budget is spent, the kind goodbye
    assert tourist.state == "menu" and "all our locals are busy" in tourist.said[-2]
    assert Call.objects.get(sid=tourist.sid).attempts.count() == 6
