"""Texts during a rota shift: advisors on duty take the first conversations, volunteers the rest
once the advisors are full, and a tourist who asks for someone else never gets the same advisor
back."""

from __future__ import annotations

import pytest
import time_machine

from calls.models import Conversation, ConversationStatus

from ..factories import every_day, make_ambassador
from ..rotas.test_on_duty_calls import FRIDAY_EVENING, on_duty_network
from .twilio import text

pytestmark = pytest.mark.django_db


@pytest.fixture
def texts(client, national_line, django_capture_on_commit_callbacks):
    def send(from_: str, body: str) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            return text(client, from_, body)

    return send


def test_volunteers_take_what_full_advisors_cannot(texts, settings):
    """Hole 2 of the outside probe: once advisors held their maximum, nobody else was offered a
    conversation (a NULL responder in ``NOT IN`` excluded every volunteer)."""
    settings.SMS_MAX_OPEN_PER_LOCAL = 3
    with time_machine.travel(FRIDAY_EVENING, tick=False):
        advisors = on_duty_network(advisors=2)
        volunteers = [
            make_ambassador(f"v{n}@example.com", name=f"V{n}", slots=every_day()) for n in range(4)
        ]
        for n in range(9):
            texts(f"+49151000001{n:02d}", "Hello, is the Louvre open tonight?")
    conversations = Conversation.objects.all()
    assert conversations.filter(status=ConversationStatus.WAITING).count() == 0
    assert sorted(
        conversations.filter(advisor__isnull=False).values_list("advisor", flat=True)
    ) == sorted([a.pk for a in advisors] * 3)
    held = conversations.filter(responder__isnull=False)
    assert held.count() == 3
    assert set(held.values_list("responder", flat=True)) <= {v.pk for v in volunteers}


def test_new_during_a_shift_goes_to_another_advisor_then_a_volunteer(texts):
    """Hole 6: NEW handed the tourist back to the advisor they had just left."""
    tourist = "+4915100000999"

    def live() -> Conversation:
        return Conversation.objects.exclude(status=ConversationStatus.CLOSED).get()

    with time_machine.travel(FRIDAY_EVENING, tick=False):
        advisors = on_duty_network(advisors=2)
        volunteer = make_ambassador("v@example.com", name="Vera", slots=every_day())
        texts(tourist, "Hello!")
        first = live().advisor
        texts(tourist, "NEW")
        second = live().advisor
        texts(tourist, "NEW")
        third = live()
    assert {first, second} == set(advisors)  # each advisor once
    assert (third.advisor, third.responder) == (None, volunteer)  # then a volunteer


def test_when_the_shift_ends_the_conversation_goes_on_with_a_volunteer(
    texts, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from calls.sms import sweep as sms_sweep
    from calls.telephony import locmem

    tourist = "+4915100000777"
    with time_machine.travel(FRIDAY_EVENING, tick=False):
        (advisor,) = on_duty_network(advisors=1)
        volunteer = make_ambassador("v@example.com", name="Vera", slots=every_day())
        texts(tourist, "Hello!")
        assert Conversation.objects.get().advisor == advisor
        texts(str(advisor.phone_number), "Bonsoir! How can I help?")  # answered: not passed on
        with django_capture_on_commit_callbacks(execute=True):
            sms_sweep.conversations_sweep()
        assert Conversation.objects.get().advisor == advisor  # still on duty: kept
    after = FRIDAY_EVENING + timedelta(hours=3)  # 22:30 in Paris: the shift ended at 22:00
    with time_machine.travel(after, tick=False), django_capture_on_commit_callbacks(execute=True):
        done = sms_sweep.conversations_sweep()
    assert done["shift_ended"] == 1
    conversation = Conversation.objects.get()
    assert (conversation.advisor, conversation.responder) == (None, volunteer)
    to_advisor = [m.body for m in locmem.outbox if m.to == str(advisor.phone_number)]
    assert "permanence est terminée" in to_advisor[-1]
    to_tourist = [m.body for m in locmem.outbox if m.to == tourist]
    assert "Vera, ebenfalls ehrenamtlich und von hier, ist jetzt für Sie da" in to_tourist[-1]
