"""Getting texts out: through Twilio's real contract (Prism), through outages, and under
concurrency on PostgreSQL. Nothing is lost, nothing is sent twice."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from calls.models import Conversation, Message, MessageStatus, PhoneLine
from calls.sms import sweep as sms_sweep
from calls.telephony import locmem
from calls.telephony.locmem import LocmemBackend
from concierge.lib import telephony

from ..concurrency import at_once
from ..factories import every_day, make_ambassador
from .test_twilio_backend import PRISM_EXAMPLE_SID, backend_at
from .twilio import signed_post

LINE = "+33199000000"
GERMAN = "+4915112345678"


def incoming(body: str, from_: str = GERMAN) -> dict[str, str]:
    return {"MessageSid": "SM" + uuid.uuid4().hex, "From": from_, "To": LINE, "Body": body}


@pytest.fixture
def backend(monkeypatch):
    """Use the given telephony backend instance for the test."""

    def use(instance: telephony.TelephonyBackend) -> None:
        monkeypatch.setattr(telephony, "get_backend", lambda: instance)

    return use


def test_relayed_texts_satisfy_twilios_published_contract(
    client, national_line, alice, prism_url, backend, django_capture_on_commit_callbacks
):
    backend(backend_at(prism_url))
    with django_capture_on_commit_callbacks(execute=True):
        signed_post(client, "/calls/sms/incoming/", incoming("Hello! Any tips for Lyon?"))

    sent = Message.objects.filter(direction="out")
    assert sent.count() == 2  # the relay to Alice and the confirmation to the tourist
    # Prism checked each request (To, From, Body, a StatusCallback URL with our message id)
    # against Twilio's OpenAPI file and answered like Twilio: the message is queued there.
    assert {(m.sid, m.status) for m in sent} == {(PRISM_EXAMPLE_SID, MessageStatus.QUEUED)}


class FlakyBackend(LocmemBackend):
    """Twilio unreachable for a while (a temporary error), then fine again."""

    def __init__(self, failures: int) -> None:
        self.failures = failures

    def send_sms(self, **kwargs):
        if self.failures:
            self.failures -= 1
            raise telephony.TelephonyError("Twilio could not be reached: timeout")
        return super().send_sms(**kwargs)


def test_an_outage_loses_nothing_the_sweep_sends_later(
    client, national_line, alice, backend, django_capture_on_commit_callbacks
):
    backend(FlakyBackend(failures=100))
    with django_capture_on_commit_callbacks(execute=True):
        signed_post(client, "/calls/sms/incoming/", incoming("Hello"))
    assert locmem.outbox == []
    assert set(Message.objects.filter(direction="out").values_list("status", flat=True)) == {
        MessageStatus.PENDING
    }

    backend(FlakyBackend(failures=0))
    with django_capture_on_commit_callbacks(execute=True):
        done = sms_sweep.conversations_sweep(now=timezone.now() + timedelta(minutes=2))
    assert done["resent"] == 2
    assert len(locmem.outbox) == 2
    with django_capture_on_commit_callbacks(execute=True):
        sms_sweep.conversations_sweep(now=timezone.now() + timedelta(minutes=4))
    assert len(locmem.outbox) == 2  # sent once, not again


def test_a_permanent_refusal_is_recorded_and_not_retried(
    client, national_line, alice, backend, django_capture_on_commit_callbacks
):
    class Refusing(LocmemBackend):
        def send_sms(self, **kwargs):
            raise telephony.TelephonyError("Twilio refused: 21211 invalid 'To'", permanent=True)

    backend(Refusing())
    with django_capture_on_commit_callbacks(execute=True):
        signed_post(client, "/calls/sms/incoming/", incoming("Hello"))
    failed = Message.objects.filter(direction="out", status=MessageStatus.FAILED)
    assert failed.count() == 2
    assert failed[0].error == "Twilio refused: 21211 invalid 'To'"


@pytest.mark.django_db(transaction=True)
def test_texts_arriving_together_from_one_tourist_make_one_conversation(postgres):
    PhoneLine.objects.create(number=LINE, label="National")
    make_ambassador("carla@example.com", name="Carla", slots=every_day())
    posts = [incoming(f"Message {n}") for n in range(6)]
    answers = at_once(
        *(
            (lambda p=params: signed_post(Client(), "/calls/sms/incoming/", p).status_code)
            for params in posts
        )
    )
    assert answers == [200] * 6
    conversation = Conversation.objects.get()
    assert conversation.messages.filter(direction="in").count() == 6


@pytest.mark.django_db(transaction=True)
@override_settings(SMS_MAX_OPEN_PER_LOCAL=1)
def test_tourists_texting_together_each_get_their_own_local(postgres):
    PhoneLine.objects.create(number=LINE, label="National")
    for n in range(5):
        make_ambassador(f"local{n}@example.com", name=f"Local {n}", slots=every_day())
    posts = [incoming("Hello", from_=f"+49151000000{n:02d}") for n in range(8)]
    at_once(
        *((lambda p=params: signed_post(Client(), "/calls/sms/incoming/", p)) for params in posts)
    )
    locals_ = list(
        Conversation.objects.filter(status="open").values_list("responder_id", flat=True)
    )
    assert len(locals_) == len(set(locals_)) == 5  # one each, as the setting says
    assert Conversation.objects.filter(status="waiting").count() == 3


@pytest.mark.django_db
@override_settings(SMS_MAX_OPEN_PER_LOCAL=2)
def test_a_local_holding_as_many_conversations_as_allowed_is_offered_no_more(client):
    """The cap is read on every text (a setting, not compiled into the prepared query): the
    only local takes two tourists, the third waits."""
    PhoneLine.objects.create(number=LINE, label="National")
    make_ambassador("carla@example.com", name="Carla", slots=every_day())
    for n in range(3):
        signed_post(client, "/calls/sms/incoming/", incoming("Hello", from_=f"+4915100000{n:03d}"))
    assert Conversation.objects.filter(status="open").count() == 2
    assert Conversation.objects.filter(status="waiting").count() == 1
    with override_settings(SMS_MAX_OPEN_PER_LOCAL=3):
        signed_post(client, "/calls/sms/incoming/", incoming("Hello", from_="+4915100000999"))
    assert Conversation.objects.filter(status="open").count() == 3
