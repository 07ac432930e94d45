"""The voice line's webhooks in few round trips (issue 15, item 2): a new call is stored and its
caller's hour counted by one statement, a caller hanging up in the menu or while phones ring is
found, ended and their phones released in two. The counts are pinned so that they cannot creep
back up unnoticed (on PostgreSQL: SQLite takes the ORM's longer way); what the caller and the
locals notice is checked beside them."""

from __future__ import annotations

import uuid
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from calls.models import AttemptOutcome, Call, CallStatus, PhoneLine
from concierge import cached

from ..factories import every_day, make_ambassador
from .twilio import phone, signed_post

pytestmark = pytest.mark.django_db

LINE = "+33199000000"


@pytest.fixture
def line(db):
    # Saved as it stands in production, long before the call: a line saved inside the test's
    # own transaction (never committed) would be read from the database on every webhook
    # (concierge.lib.readmostly keeps nothing that may yet be rolled back).
    return PhoneLine.objects.bulk_create(
        [PhoneLine(number=LINE, label="National", full_menu=True, ring_group_size=2)]
    )[0]


def incoming(client, caller: str, sid: str = ""):
    params = {"CallSid": sid or "CA" + uuid.uuid4().hex, "From": caller, "To": LINE}
    with CaptureQueriesContext(connection) as captured:
        response = signed_post(client, "/calls/voice/incoming/", params)
    assert response.status_code == 200
    return response.content.decode(), [query["sql"] for query in captured.captured_queries]


def test_a_new_call_is_stored_and_its_caller_counted_in_one_statement(client, line, postgres):
    incoming(client, "+447911999999")  # this process reads the lines and the menu's rows once
    answer, statements = incoming(client, "+447911123456")
    assert len(statements) == 1, statements
    assert statements[0].startswith('INSERT INTO "calls_call"')
    assert "<Redirect" in answer  # on to the menu: the call goes on
    call = Call.objects.get(caller_number="+447911123456")
    assert call.status == CallStatus.IVR
    assert call.caller_hash and call.caller_country  # the keys of the rate limit and the menu


def test_the_one_statement_still_counts_the_callers_hour(client, line, settings):
    settings.CALL_RATE_LIMIT_PER_HOUR = 2
    for _ in range(2):
        answer, _statements = incoming(client, "+447911123456")
        assert "many times" not in answer
    answer, _statements = incoming(client, "+447911123456")
    assert "many times in the last hour" in answer
    assert Call.objects.filter(status=CallStatus.REFUSED).count() == 1
    answer, _statements = incoming(client, "+447911654321")  # someone else gets through
    assert "many times" not in answer


def test_a_retried_incoming_webhook_answers_the_same_without_a_second_call(client, line):
    sid = "CA" + uuid.uuid4().hex
    first, _statements = incoming(client, "+447911123456", sid)
    again, _statements = incoming(client, "+447911123456", sid)
    assert again == first
    assert Call.objects.count() == 1


def test_a_caller_hanging_up_while_phones_ring_is_handled_in_two_statements(client, line, postgres):
    for n in range(2):
        make_ambassador(f"l{n}@example.com", name=f"L{n}", languages=("en",), slots=every_day())
    tourist = phone(client).dial().press("1").press("0").press("0")  # a group of two rings
    call = Call.objects.get(sid=tourist.sid)
    assert call.attempts.filter(outcome=AttemptOutcome.RINGING).count() == 2
    params = {"CallSid": tourist.sid, "CallStatus": "completed", "CallDuration": "40"}
    with CaptureQueriesContext(connection) as captured:
        response = signed_post(client, "/calls/voice/status/", params)
    assert response.status_code == 200
    assert len(captured.captured_queries) == 2, [q["sql"] for q in captured.captured_queries]
    call.refresh_from_db()
    assert call.status == CallStatus.ABANDONED
    assert call.ended_at is not None
    outcomes = set(call.attempts.values_list("outcome", flat=True))
    assert outcomes == {AttemptOutcome.CANCELED}  # both locals free again, no miss counted
    # Twilio repeats itself: nothing moves.
    assert signed_post(client, "/calls/voice/status/", params).status_code == 200
    ended_at = call.ended_at
    call.refresh_from_db()
    assert (call.status, call.ended_at) == (CallStatus.ABANDONED, ended_at)


def test_a_greeting_with_xml_characters_reaches_twilio_as_valid_twiml(client, line):
    greeting = 'Bed & Breakfast "Chez <Marie>": bienvenue, willkommen, 欢迎'
    PhoneLine.objects.filter(pk=line.pk).update(greeting=greeting)
    from calls.cached import LINES

    LINES.changed()
    answer, _statements = incoming(client, "+447911123456")
    document = ElementTree.fromstring(answer.encode())  # noqa: S314 - our own answer
    said = document.find("Say")
    assert said is not None
    assert said.text == greeting


def test_a_key_naming_a_topic_is_kept_in_one_statement(client, line, postgres):
    tourist = phone(client, from_="+447911123456").dial().press("1")  # English
    assert "talk about" in " ".join(tourist.said)  # the topics are asked
    action = tourist._gather_action
    with CaptureQueriesContext(connection) as captured:
        response = signed_post(client, action, tourist.params(Digits="2"))
    assert len(captured.captured_queries) == 1, [q["sql"] for q in captured.captured_queries]
    call = Call.objects.select_related("motive").get(sid=tourist.sid)
    assert call.motive == cached.motives().active[1]  # the second topic, as the menu said
    assert "/menu/" in response.content.decode()  # on to the next question


def test_a_key_naming_no_topic_is_asked_again(client, line):
    tourist = phone(client, from_="+447911123456").dial().press("1")
    response = signed_post(client, tourist._gather_action, tourist.params(Digits="#"))
    assert "talk about" in response.content.decode()  # the same question, once more
    assert Call.objects.get(sid=tourist.sid).motive is None
