"""Our own lines never talk to each other: a text or a call whose sender is one of our lines (a
number moved between lines, a misconfigured forward, a forged From) opens no conversation, makes
no call and reaches no local, where it would bounce automatic answers between two lines and a
local's phone, or ring locals for a call the line placed itself."""

from __future__ import annotations

import uuid

import pytest

from calls.models import Call, Conversation, PhoneLine
from calls.telephony import fake_calls, locmem

from ..factories import every_day, make_ambassador
from .twilio import signed_post, whatsapp

pytestmark = pytest.mark.django_db

LYON, PARIS = "+33199000000", "+33199000001"


@pytest.fixture
def two_lines(db):
    make_ambassador("carla@example.com", name="Carla", slots=every_day())
    return [PhoneLine.objects.create(number=n, label=n) for n in (LYON, PARIS)]


def test_a_text_from_another_line_is_ignored(client, two_lines, django_capture_on_commit_callbacks):
    params = {"MessageSid": "SM" + uuid.uuid4().hex, "From": PARIS, "To": LYON, "Body": "Hello"}
    with django_capture_on_commit_callbacks(execute=True):
        assert signed_post(client, "/calls/sms/incoming/", params).status_code == 200
    assert not Conversation.objects.exists()
    assert not locmem.outbox


def test_a_whatsapp_message_from_a_line_is_ignored(
    client, two_lines, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        whatsapp(client, PARIS, "Hello", to=LYON)
    assert not Conversation.objects.exists()
    assert not locmem.outbox


def test_a_call_from_another_line_rings_nobody(client, two_lines):
    """A placed call forwarded back to a line (a local's phone forwarding to it) would ring
    locals again, and again: refused at once."""
    params = {"CallSid": "CA" + uuid.uuid4().hex, "From": PARIS, "To": LYON}
    response = signed_post(client, "/calls/voice/incoming/", params)
    assert response.status_code == 200
    answer = response.content.decode()
    assert "<Enqueue" not in answer and "<Dial" not in answer and "<Hangup" in answer
    assert not fake_calls.placed
    assert not Call.objects.exists()
