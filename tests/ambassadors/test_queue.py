"""The services the calls app uses to move an ambassador in the queue or switch them off."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ambassadors import services
from ambassadors.models import Ambassador

from ..concurrency import at_once
from ..factories import make_ambassador

NOW = datetime(2026, 6, 1, 19, tzinfo=UTC)


@pytest.mark.django_db
def test_it_claims_alice_once_from_what_was_read(alice):
    read_by_two_calls = Ambassador.objects.get(pk=alice.pk)
    assert services.ambassador_claim(ambassador=read_by_two_calls, at=NOW)
    assert not services.ambassador_claim(ambassador=read_by_two_calls, at=NOW)
    alice.refresh_from_db()
    assert alice.last_offered_at == NOW

    assert services.ambassador_claim(ambassador=alice, at=NOW + timedelta(minutes=5))
    alice.refresh_from_db()
    assert alice.last_offered_at == NOW + timedelta(minutes=5)


@pytest.mark.django_db
def test_a_claim_from_a_stale_position_fails(alice):
    alice.last_offered_at = NOW
    alice.save(update_fields=["last_offered_at"])
    stale = Ambassador.objects.get(pk=alice.pk)
    services.ambassador_claim(ambassador=Ambassador.objects.get(pk=alice.pk), at=NOW + timedelta(1))
    assert not services.ambassador_claim(ambassador=stale, at=NOW + timedelta(2))
    alice.refresh_from_db()
    assert alice.last_offered_at == NOW + timedelta(1)


@pytest.mark.django_db
def test_auto_pause_switches_calls_off_exactly_once(alice):
    assert services.ambassador_auto_pause(ambassador_id=alice.pk, at=NOW)
    assert not services.ambassador_auto_pause(ambassador_id=alice.pk, at=NOW + timedelta(1))
    alice.refresh_from_db()
    assert not alice.accepting_calls and alice.auto_paused_at == NOW


@pytest.mark.django_db(transaction=True)
def test_two_calls_claiming_at_once_ring_bob_once(postgres):
    bob = make_ambassador("bob@example.com", name="Bob")  # every call read the same position

    def claim() -> bool:
        return services.ambassador_claim(ambassador=bob, at=NOW)

    assert sorted(at_once(claim, claim, claim)) == [False, False, True]
