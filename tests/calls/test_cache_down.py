"""The shared cache (Redis in production) down: calls and texts still reach a local, read from
the database instead (the on-duty check, the read-mostly rows), never a kind goodbye for want of
a cache."""

from __future__ import annotations

import pytest

from calls.models import Conversation, ConversationStatus, PhoneLine

from .twilio import phone, text

pytestmark = pytest.mark.django_db


def test_a_first_text_is_given_to_a_local(client, national_line, alice, cache_down, caplog):
    text(client, "+4915112345678", "Where can I eat late near the Louvre?")
    conversation = Conversation.objects.get()
    assert conversation.status == ConversationStatus.OPEN
    assert conversation.responder == alice
    assert "shared cache is unreachable" in caplog.text


def test_a_call_rings_a_local(client, alice, cache_down):
    PhoneLine.objects.create(number="+33199000000", label="National", rings_early=False)
    tourist = phone(client, from_="+447400123456").dial().wait()
    assert tourist.state == "ringing"
    tourist.answer("1")
    assert tourist.state == "connected"
