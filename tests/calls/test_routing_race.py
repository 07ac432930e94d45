"""On PostgreSQL, calls arriving together never ring the same person (many connections at once)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from django.test import Client

from calls.models import Call, CallAttempt, CallStatus, PhoneLine

from ..concurrency import at_once
from ..factories import every_day, make_ambassador
from .twilio import signed_post

pytestmark = pytest.mark.django_db(transaction=True)


def waiting_calls(count: int, *, group: int = 1) -> list[Call]:
    line = PhoneLine.objects.create(number="+33199000000", label="National", ring_group_size=group)
    return [
        Call.objects.create(
            sid=f"CA{uuid.uuid4().hex}",
            line=line,
            caller_number=f"+4915100000{n:03d}",
            language="en",
        )
        for n in range(count)
    ]


def connect_all_at_once(calls: list[Call]) -> list[str]:
    def connect(call: Call) -> Callable[[], str]:
        path = f"/calls/voice/{call.public_id}/connect/"
        return lambda: signed_post(Client(), path, {"CallSid": call.sid}).content.decode()

    return at_once(*(connect(call) for call in calls))


def test_fifty_calls_ring_fifty_different_people(postgres):
    for n in range(50):
        make_ambassador(f"a{n}@example.com", name=f"A{n}", slots=every_day())
    answers = connect_all_at_once(waiting_calls(50))
    assert all("<Dial" in answer for answer in answers)
    rung = list(CallAttempt.objects.values_list("ambassador_id", flat=True))
    assert len(rung) == 50
    assert len(set(rung)) == 50


def test_with_ten_free_locals_ten_ring_and_forty_hear_the_goodbye(postgres):
    for n in range(10):
        make_ambassador(f"a{n}@example.com", name=f"A{n}", slots=every_day())
    answers = connect_all_at_once(waiting_calls(50))
    assert sum("<Dial" in answer for answer in answers) == 10
    assert sum("all our locals are busy" in answer for answer in answers) == 40
    rung = list(CallAttempt.objects.values_list("ambassador_id", flat=True))
    assert len(rung) == len(set(rung)) == 10
    assert Call.objects.filter(status=CallStatus.NO_RESPONDER).count() == 40


def test_ring_groups_placed_at_once_never_share_a_local(postgres):
    """Twenty calls claim groups of three at the same moment from thirty locals: each local
    rings for one call at most, nobody waits on a row another claim holds (no deadlock), and
    the calls left without anyone hear the goodbye."""
    for n in range(30):
        make_ambassador(f"a{n}@example.com", name=f"A{n}", slots=every_day())
    answers = connect_all_at_once(waiting_calls(20, group=3))
    assert all("<Dial" in answer or "all our locals are busy" in answer for answer in answers)
    assert all(answer.count("<Number") <= 3 for answer in answers)
    rung = list(CallAttempt.objects.values_list("ambassador_id", flat=True))
    assert len(rung) == len(set(rung)) == 30  # everyone rings, for one call only
    numbers = [n for answer in answers for n in answer.split("<Number")[1:]]
    assert len(numbers) == 30
