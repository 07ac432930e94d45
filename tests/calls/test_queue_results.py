"""What Twilio says when a caller of a line that rings during the greeting leaves their queue
(the <Enqueue>'s action, ``QueueResult``): when Twilio could not queue them at all, they are
not hung up on in silence while the locals' phones ring: those phones stop (no miss) and the
locals are rung the usual way. Retried, the answer is the same."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest

from calls.models import AttemptOutcome, Call, CallStatus
from calls.telephony import fake_calls

from .twilio import phone, signed_post

pytestmark = pytest.mark.django_db

BRITISH = "+447400123456"


@pytest.fixture(autouse=True)
def at_once(settings):
    """The whole group rings at once here (staggered groups: test_staggered_ring)."""
    settings.CALL_RING_STAGGER = 0


def queue_done(client, tourist, result: str) -> ET.Element:
    call = Call.objects.get(sid=tourist.sid)
    params = {"CallSid": tourist.sid, "From": BRITISH, "To": tourist.to, "QueueResult": result}
    response = signed_post(client, f"/calls/voice/{call.public_id}/queue/done/", params)
    assert response.status_code == 200
    return ET.fromstring(response.content)  # noqa: S314 - our own answer


@pytest.mark.parametrize("result", ["error", "system-error", "queue-full"])
def test_a_caller_twilio_could_not_queue_is_rung_through_dial(client, early_line, locals_, result):
    tourist = phone(client, from_=BRITISH).dial()
    assert tourist.queued and len(fake_calls.placed) == 2
    answer = queue_done(client, tourist, result)
    redirect = answer.find("Redirect")
    assert redirect is not None and redirect.text and redirect.text.endswith("/connect/")
    call = Call.objects.get(sid=tourist.sid)
    assert [a.outcome for a in call.attempts.order_by("order")] == [AttemptOutcome.CANCELED] * 2
    assert sorted(fake_calls.ended) == sorted(p.sid for p in fake_calls.placed)
    assert ET.tostring(queue_done(client, tourist, result)) == ET.tostring(answer)  # retried

    params = {"CallSid": tourist.sid, "From": BRITISH, "To": tourist.to}
    dial = ET.fromstring(signed_post(client, redirect.text, params).content)  # noqa: S314
    rung = [number.text for number in dial.iter("Number")]
    assert len(rung) == 2
    assert not set(rung) & {placed.to for placed in fake_calls.placed}  # not the same phones


def test_a_caller_who_hung_up_in_the_queue_is_taken_by_nobody(client, early_line, locals_):
    """Twilio tells the <Enqueue>'s action at once (QueueResult=hangup); its status callback
    may come later: meanwhile a local pressing 1 is not bridged to an empty queue."""
    tourist = phone(client, from_=BRITISH).dial()
    assert queue_done(client, tourist, "hangup").find("Hangup") is not None
    call = Call.objects.get(sid=tourist.sid)
    assert call.status == CallStatus.ABANDONED
    assert [a.outcome for a in call.attempts.order_by("order")] == [AttemptOutcome.CANCELED] * 2
    assert sorted(fake_calls.ended) == sorted(p.sid for p in fake_calls.placed)
    leg = fake_calls.placed[0]
    url = urlsplit(leg.url)
    answer = f"{url.path.removesuffix('/')}/answer/?{url.query}"
    taken = signed_post(client, answer, {"CallSid": leg.sid, "Digits": "1"}).content.decode()
    assert "<Queue" not in taken and "<Hangup" in taken
    call.refresh_from_db()
    assert call.status == CallStatus.ABANDONED and call.responder is None
