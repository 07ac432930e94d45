"""Texts as fast as calls: how many conversations each local holds open is a count the database
keeps (ambassadors.OpenConversations), so it agrees with the conversations whoever writes them,
and a first text costs the same number of queries however many locals there are."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from ambassadors.models import CommunityMembership, MembershipStatus, OpenConversations
from calls.models import Conversation, ConversationStatus, PhoneLine
from concierge.models import Community

from ..factories import every_day, make_ambassador
from .twilio import text

pytestmark = pytest.mark.django_db

LINE = "+33199000000"
OPEN = ConversationStatus.OPEN


def counted() -> dict[int, int]:
    return {row.ambassador_id: row.held for row in OpenConversations.objects.all() if row.held}


def recounted() -> dict[int, int]:
    """The definition the kept counts must agree with."""
    rows = (
        Conversation.objects.filter(status=OPEN, responder__isnull=False)
        .values("responder")
        .annotate(n=Count("pk"))
    )
    return {row["responder"]: row["n"] for row in rows}


@pytest.fixture
def line(db):
    return PhoneLine.objects.create(number=LINE, label="National")


def test_the_open_counts_never_drift_whoever_writes_the_conversations(line):
    ana, bob, cy = (
        make_ambassador(f"{n}@example.com", name=n, slots=every_day()) for n in ("ana", "bob", "cy")
    )

    def conversation(n: int, **fields) -> Conversation:
        return Conversation.objects.create(
            line=line, tourist_number=f"+4915100000{n:02d}", **fields
        )

    first = conversation(1, responder=ana, status=OPEN, code="A1")
    waiting = conversation(2)
    assert counted() == recounted() == {ana.pk: 1}
    waiting.responder, waiting.status, waiting.code = ana, OPEN, "A2"  # given to a local
    waiting.save()
    assert counted() == recounted() == {ana.pk: 2}
    first.responder = bob  # passed on
    first.save()
    assert counted() == recounted() == {ana.pk: 1, bob.pk: 1}
    first.status, first.closed_at = ConversationStatus.CLOSED, timezone.now()  # closed
    first.save()
    assert counted() == recounted() == {ana.pk: 1}
    first.save()  # saved again, nothing changed
    assert counted() == recounted() == {ana.pk: 1}
    Conversation.objects.bulk_create(
        Conversation(
            line=line, tourist_number=f"+4915100001{n:02d}", responder=cy, status=OPEN, code=f"C{n}"
        )
        for n in range(3)
    )
    assert counted() == recounted() == {ana.pk: 1, cy.pk: 3}
    Conversation.objects.filter(responder=cy).update(responder=bob)  # reassigned in bulk
    assert counted() == recounted() == {ana.pk: 1, bob.pk: 3}
    Conversation.objects.filter(responder=bob, status=OPEN).earliest("pk").delete()
    assert counted() == recounted() == {ana.pk: 1, bob.pk: 2}
    Conversation.objects.filter(status=OPEN).update(status=ConversationStatus.CLOSED)
    assert counted() == recounted() == {}
    Conversation.objects.filter(pk=waiting.pk).update(status=OPEN)  # reopened
    bob.delete()  # their conversations lose their local
    assert counted() == recounted() == {ana.pk: 1}


@override_settings(SMS_MAX_OPEN_PER_LOCAL=1)
def test_a_local_at_the_cap_is_skipped_and_offered_again_once_a_conversation_closes(client, line):
    ana = make_ambassador("ana@example.com", name="Ana", languages=("en",), slots=every_day())
    text(client, "+447400100001", "Hello")
    text(client, "+447400100002", "Hello")
    assert Conversation.objects.get(tourist_number="+447400100001").responder == ana
    assert Conversation.objects.get(tourist_number="+447400100002").status == "waiting"
    Conversation.objects.filter(responder=ana).update(status=ConversationStatus.CLOSED)
    text(client, "+447400100003", "Hello")
    assert Conversation.objects.get(tourist_number="+447400100003").responder == ana


def first_text_queries(client, tourist: str, to: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        text(client, tourist, "Hello", to=to)
    return len(queries)


@override_settings(SMS_MAX_OPEN_PER_LOCAL=10)
def test_relaxing_costs_one_query_per_step_whatever_the_population(client, line, monkeypatch):
    """On a community line, a British tourist finds the one member at once; a German tourist
    (no German speaker) is relaxed three times (community, topic, language) and lands on an
    English speaker: one candidates query more per step, however many locals there are."""
    # "Is any rota shift running" is cached for 30 s and read again when it expires: held
    # fixed here so that an expiry between two texts is not counted as a step.
    monkeypatch.setattr("calls.sms.conversations.any_shift_running", lambda now: False)
    community = Community.objects.get(code="families")
    families = PhoneLine.objects.create(
        number="+33199000001", label="Families", community=community
    )
    to = str(families.number)
    people = [
        make_ambassador(f"l{n}@example.com", name=f"L{n}", languages=("en",), slots=every_day())
        for n in range(3)
    ]
    CommunityMembership.objects.create(
        ambassador=people[0], community=community, status=MembershipStatus.APPROVED
    )
    for tourist in ("+447400100000", "+4915100000000"):  # what is read or prepared once
        text(client, tourist, "Hello", to=to)
    direct = first_text_queries(client, "+447400100001", to)
    relaxing = first_text_queries(client, "+4915100000001", to)
    german = Conversation.objects.get(tourist_number="+4915100000001")
    assert german.language == "de" and german.responder in people  # an English speaker
    assert relaxing == direct + 3
    for n in range(3, 30):
        make_ambassador(f"l{n}@example.com", name=f"L{n}", languages=("en",), slots=every_day())
    assert first_text_queries(client, "+447400100002", to) == direct
    assert first_text_queries(client, "+4915100000002", to) == relaxing
