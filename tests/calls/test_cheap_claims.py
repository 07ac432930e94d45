"""Cheap claims (docs/PERFORMANCE.md): a claim moves the local's queue seats of its own hour and
the next at once, and the others later (beat), yet whom the voice line rings next is exactly the
queue's order at every hour, whether beat has run or not."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from ambassadors.models import Ambassador, QueueSeat, StaleSeats
from ambassadors.services import ambassador_claim, ambassador_pause, queue_seats_refresh
from ambassadors.tasks import refresh_queue_seats
from calls.models import Call, CallAttempt, CallStatus
from calls.voice.selectors import call_candidates
from calls.voice.services import call_ring_next
from concierge.lib.timezones import local_today

from ..factories import every_day, make_ambassador

PARIS = ZoneInfo("Europe/Paris")
MONDAY = datetime(2026, 1, 12, tzinfo=PARIS)


@pytest.fixture
def call(national_line):
    return Call.objects.create(sid="CA" + "7" * 32, line=national_line, language="en")


def rung_next(call: Call, at: datetime) -> list[str]:
    found = call_candidates(call=call, at=at, language="en", motive=None, region=None, limit=10)
    return [a.display_name for a in found]


def claim(name: str, at: datetime) -> None:
    assert ambassador_claim(ambassador=Ambassador.objects.get(display_name=name), at=at)


@pytest.fixture
def eve_and_bob(db):
    """Eve never had a call (the head of the queue); Bob had one on Sunday. Free all week."""
    make_ambassador("eve@example.com", name="Eve", slots=every_day())
    make_ambassador(
        "bob@example.com",
        name="Bob",
        slots=every_day(),
        last_offered_at=MONDAY - timedelta(hours=10),
    )


def test_a_local_claimed_at_1959_is_not_rung_first_again_at_2000(eve_and_bob, call):
    assert rung_next(call, MONDAY.replace(hour=19, minute=59)) == ["Eve", "Bob"]
    claim("Eve", MONDAY.replace(hour=19, minute=59))
    assert rung_next(call, MONDAY.replace(hour=20)) == ["Bob", "Eve"]


def test_without_beat_a_claimed_local_waits_behind_others_at_every_later_hour(eve_and_bob, call):
    claim("Eve", MONDAY.replace(hour=10))
    # Beat never ran: Eve's seats beyond 10:00 and 11:00 may still say "never offered".
    for at in (MONDAY.replace(hour=15), MONDAY + timedelta(days=1, hours=3)):
        assert rung_next(call, at) == ["Bob", "Eve"], at


def test_a_local_whose_seats_beat_never_refreshed_is_still_reachable(db, national_line):
    make_ambassador("eve@example.com", name="Eve", slots=every_day())
    claim("Eve", MONDAY.replace(hour=10))
    call = Call.objects.create(sid="CA" + "8" * 32, line=national_line, language="en")
    assert rung_next(call, MONDAY.replace(hour=18)) == ["Eve"]
    # Met stale by that walk, refreshed by it: nothing is owed any more.
    assert set(QueueSeat.objects.values_list("position", flat=True)) == {MONDAY.replace(hour=10)}
    assert not StaleSeats.objects.exists()


def test_beat_brings_every_seat_up_to_date(eve_and_bob):
    claim("Eve", MONDAY.replace(hour=10))
    claim("Bob", MONDAY.replace(hour=10, minute=5))
    refresh_queue_seats()
    assert not StaleSeats.objects.exists()
    positions = {
        (name, position)
        for name, position in QueueSeat.objects.values_list(
            "ambassador__display_name", "position"
        ).distinct()
    }
    assert positions == {
        ("Eve", MONDAY.replace(hour=10)),
        ("Bob", MONDAY.replace(hour=10, minute=5)),
    }


def test_a_claim_moves_only_the_seats_of_its_hour_and_the_next_then_beat_the_rest(
    postgres, eve_and_bob
):
    claim("Eve", MONDAY.replace(hour=19, minute=59))
    seats = QueueSeat.objects.filter(ambassador__display_name="Eve", language="en")
    moved = set(seats.filter(position=MONDAY.replace(hour=19, minute=59)).values_list("hour"))
    assert moved == {(19,), (20,)}
    assert StaleSeats.objects.filter(ambassador__display_name="Eve").exists()
    assert queue_seats_refresh() == 1
    assert seats.exclude(position=MONDAY.replace(hour=19, minute=59)).count() == 0


def test_a_pause_still_moves_every_seat_at_once(eve_and_bob):
    eve = Ambassador.objects.get(display_name="Eve")
    ambassador_pause(ambassador=eve, until=local_today() + timedelta(days=2))
    eve.refresh_from_db()
    positions = set(QueueSeat.objects.filter(ambassador=eve).values_list("position", flat=True))
    assert positions == {eve.paused_until}


def test_a_caller_who_hung_up_meanwhile_has_nobody_claimed_nor_rung(eve_and_bob, call):
    Call.objects.filter(pk=call.pk).update(status=CallStatus.ABANDONED)  # the hang-up, elsewhere
    assert call_ring_next(call=call, attempts=0, group=1, first_ring=None) == []
    assert not CallAttempt.objects.exists()
    assert Ambassador.objects.get(display_name="Eve").last_offered_at is None
