"""A tourist's first text in few round trips (issue 15, item 3): what the webhook needs to know
of the sender is read in one query, nothing just written is read back, no savepoint guards what
a failure rolls back anyway, and the two texts it sends are stored with one INSERT. The count
is pinned so that it cannot creep back up unnoticed."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from calls.models import Conversation, ConversationStatus, Message, MessageDirection, PhoneLine

from ..concurrency import at_once
from ..factories import every_day, make_ambassador
from .twilio import signed_post, text

pytestmark = pytest.mark.django_db

LINE = "+33199000000"

# The statements of a first text that finds a local at once, in the order they run:
#   1  who the sender is: a local? opted out? a live conversation? a survey waiting?
#   BEGIN (in a test, a SAVEPOINT in the test's own transaction)
#   2  the text stored (its MessageSid is unique: a retried webhook stops here)
#   3  the conversation opened
#   4  the text attached to it
#   5  the candidates (one prepared query)
#   6  the claim (a compare-and-set on the local's queue position)
#   7  the conversation given to the local, under a code checked free in the same UPDATE
#   8  the local recorded as tried
#   9  the local's language (for the relayed text)
#   10 the opt-outs of both numbers
#   11 both texts stored: the tourist's words to the local, "in touch" to the tourist
#   COMMIT (in a test, the savepoint's RELEASE)
FIRST_TEXT = 13


@pytest.fixture
def line(db, monkeypatch):
    # "Is a rota shift running" is cached for 30 s and read again when it expires: held fixed
    # so that an expiry between two texts is not counted.
    monkeypatch.setattr("calls.sms.conversations.any_shift_running", lambda now: False)
    # A line as it stands in production, saved long ago: one saved inside the test's own
    # transaction (never committed) would be read from the database on every text
    # (concierge.lib.readmostly does not keep what may yet be rolled back).
    return PhoneLine.objects.bulk_create([PhoneLine(number=LINE, label="National")])[0]


def statements(client, tourist: str, body: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        text(client, tourist, body)
    return [query["sql"] for query in captured.captured_queries]


def test_a_first_text_reaches_a_local_in_a_fixed_small_number_of_statements(client, line):
    for n in range(3):
        make_ambassador(
            f"l{n}@example.com", name=f"L{n}", languages=("en", "de"), slots=every_day()
        )
    text(client, "+4915100000000", "Hello")  # what each process reads once (lines, topics…)
    sql = statements(client, "+4915100000001", "Hello, where can we eat tonight?")

    conversation = Conversation.objects.get(tourist_number="+4915100000001")
    assert conversation.status == ConversationStatus.OPEN
    assert conversation.responder is not None
    local = conversation.responder.phone_number.as_e164
    sent = Message.objects.filter(conversation=conversation, direction=MessageDirection.OUTBOUND)
    assert sorted(sent.values_list("to_number", flat=True)) == sorted([local, "+4915100000001"])
    relayed = sent.get(to_number=local).body
    assert f"#{conversation.code}" in relayed and "where can we eat tonight?" in relayed
    assert len(sql) == FIRST_TEXT, "\n".join(statement[:150] for statement in sql)
    assert sum(s.startswith("SAVEPOINT") for s in sql) == 1  # the transaction's, no other


def test_a_text_joining_a_live_conversation_is_relayed_the_same(client, line):
    make_ambassador("ana@example.com", name="Ana", languages=("en",), slots=every_day())
    text(client, "+447400100001", "Hello")
    text(client, "+447400100001", "Are you there?")
    conversation = Conversation.objects.get()
    assert conversation.messages.filter(direction=MessageDirection.INBOUND).count() == 2
    relayed = conversation.messages.filter(direction=MessageDirection.OUTBOUND).exclude(
        to_number="+447400100001"
    )
    assert [m.body.endswith("Are you there?") for m in relayed.order_by("pk")] == [False, True]


@pytest.mark.django_db(transaction=True)
def test_one_text_posted_four_times_at_once_is_stored_and_relayed_once(postgres):
    """No savepoint guards the text's INSERT any more: a duplicate MessageSid rolls back the
    whole transaction of the webhook that lost, and nothing of it remains."""
    PhoneLine.objects.create(number=LINE, label="National")
    ana = make_ambassador("ana@example.com", name="Ana", languages=("en",), slots=every_day())
    params = {
        "MessageSid": "SM" + "7" * 32,
        "From": "+447400100001",
        "To": LINE,
        "Body": "Hello",
        "NumSegments": "1",
    }
    answers = at_once(
        *([lambda: signed_post(Client(), "/calls/sms/incoming/", params).status_code] * 4)
    )
    assert answers == [200] * 4
    conversation = Conversation.objects.get()
    assert conversation.responder == ana
    assert Message.objects.filter(direction=MessageDirection.INBOUND).count() == 1
    assert Message.objects.filter(to_number=ana.phone_number.as_e164).count() == 1
    assert Message.objects.filter(to_number="+447400100001").count() == 1  # "in touch with Ana"
