"""Twilio retries and repeats webhooks; nothing happens twice, nothing moves backwards."""

from __future__ import annotations

import pytest

from calls.models import AttemptOutcome, Call, CallStatus

from ..factories import every_day, make_ambassador
from .twilio import phone, signed_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def locals_(db):
    return [make_ambassador(f"l{n}@example.com", name=f"L{n}", slots=every_day()) for n in range(3)]


def test_a_retried_incoming_webhook_makes_one_call(client, national_line, locals_):
    tourist = phone(client).dial()
    phone_again = phone(client)
    phone_again.sid = tourist.sid
    phone_again.dial()
    assert Call.objects.filter(sid=tourist.sid).count() == 1


def test_a_retried_connect_rings_the_same_person(client, national_line, locals_):
    tourist = phone(client).dial().press("1").press("0").press("0")
    call = Call.objects.get(sid=tourist.sid)
    again = signed_post(client, f"/calls/voice/{call.public_id}/connect/", tourist.params())
    assert str(tourist.rung().number) in again.content.decode()
    assert call.attempts.count() == 1


def test_a_repeated_dial_callback_does_not_ring_a_third_person(client, national_line, locals_):
    tourist = phone(client).dial().press("1").press("0").press("0")
    action = tourist.rung().action
    params = tourist.params(DialCallStatus="no-answer", DialCallDuration="0")
    first = signed_post(client, action, params).content.decode()
    second = signed_post(client, action, params).content.decode()
    assert first == second
    call = Call.objects.get(sid=tourist.sid)
    assert [a.outcome for a in call.attempts.all()] == [
        AttemptOutcome.NO_ANSWER,
        AttemptOutcome.RINGING,
    ]


def test_a_late_ringing_status_does_not_reopen_a_finished_call(client, national_line, locals_):
    tourist = phone(client).dial().press("1").press("0").press("0").answer("1").hang_up(after=90)
    signed_post(
        client, "/calls/voice/status/", tourist.params(CallStatus="completed", CallDuration="5")
    )
    signed_post(client, "/calls/voice/status/", tourist.params(CallStatus="in-progress"))
    call = Call.objects.get(sid=tourist.sid)
    assert call.status == CallStatus.COMPLETED
    assert call.duration == 90


def test_pressing_1_twice_accepts_once(client, national_line, locals_):
    tourist = phone(client).dial().press("1").press("0").press("0")
    call = Call.objects.get(sid=tourist.sid)
    answer = f"/calls/voice/{call.public_id}/dial/1/whisper/answer/"
    for _ in range(2):
        response = signed_post(client, answer, {"CallSid": "CAleg", "Digits": "1"})
        assert b"Hangup" not in response.content
    call.refresh_from_db()
    assert call.status == CallStatus.IN_PROGRESS
    assert call.attempts.get().outcome == AttemptOutcome.ACCEPTED


def test_the_caller_hanging_up_while_it_rings_frees_the_local(client, national_line, locals_):
    tourist = phone(client).dial().press("1").press("0").press("0")
    tourist.state = "ended"
    signed_post(client, "/calls/voice/status/", tourist.params(CallStatus="completed"))
    call = Call.objects.get(sid=tourist.sid)
    assert call.status == CallStatus.ABANDONED
    assert call.attempts.get().outcome == AttemptOutcome.CANCELED


def _ringing_call(client):
    tourist = phone(client).dial().press("1").press("0").press("0")
    assert tourist.state == "ringing"
    return tourist, Call.objects.get(sid=tourist.sid)


def _hung_up(client, tourist):
    params = tourist.params(CallStatus="completed", CallDuration="30")
    return signed_post(client, "/calls/voice/status/", params)


def _dial_done(client, tourist, action):
    params = tourist.params(DialCallStatus="no-answer", DialCallDuration="0")
    return signed_post(client, action, params).content.decode()


def test_a_dial_done_after_the_caller_hung_up_rings_nobody(client, national_line, locals_):
    """Hole 5: the caller's hang-up arrives first, then the <Dial>'s end: nobody else rings."""
    tourist, call = _ringing_call(client)
    action = tourist.rung().action
    _hung_up(client, tourist)
    for _ in range(2):  # and its retry
        answer = _dial_done(client, tourist, action)
        assert "<Dial" not in answer and "<Hangup" in answer
    assert call.attempts.count() == 1
    assert call.attempts.get().outcome == AttemptOutcome.CANCELED
    call.refresh_from_db()
    assert call.status == CallStatus.ABANDONED


def test_a_hang_up_after_the_next_ring_releases_that_local(client, national_line, locals_):
    """The other order: the <Dial> ends first (the next local rings), then the caller hangs up:
    the local now ringing is released, and a late retry of the first callback rings nobody."""
    tourist, call = _ringing_call(client)
    action = tourist.rung().action
    assert "<Dial" in _dial_done(client, tourist, action)
    _hung_up(client, tourist)
    assert "<Dial" not in _dial_done(client, tourist, action)
    outcomes = [a.outcome for a in call.attempts.order_by("order")]
    assert outcomes == [AttemptOutcome.NO_ANSWER, AttemptOutcome.CANCELED]
    assert not call.attempts.filter(outcome=AttemptOutcome.RINGING).exists()


def test_connect_after_the_caller_hung_up_rings_nobody(client, national_line, locals_):
    tourist = phone(client).dial().press("1").press("0")
    call = Call.objects.get(sid=tourist.sid)
    _hung_up(client, tourist)
    answer = signed_post(client, f"/calls/voice/{call.public_id}/connect/", tourist.params())
    assert "<Dial" not in answer.content.decode()
    assert call.attempts.count() == 0
