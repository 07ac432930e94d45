"""Rewards: asked for within the balance and the stock, approved (debited once) or rejected
(nothing debited, a reason given); simultaneous requests never overspend."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ambassadors import points
from ambassadors.models import PointsEntry, PointsRules, Redemption, RedemptionStatus, Reward
from calls.telephony import locmem

from ..concurrency import at_once
from ..factories import every_day, make_ambassador, make_user


def give(ambassador, amount: int, key: str = "gift") -> None:
    PointsEntry.objects.create(
        ambassador=ambassador, amount=amount, kind="adjustment", reason="Welcome", key=key
    )


@pytest.fixture
def ticket(db):
    return Reward.objects.create(name="Paris–Nice by train", price=100, stock=2)


@pytest.fixture
def boss(db):
    return make_user("boss@example.com", is_staff=True)


def test_a_request_holds_the_points_until_staff_decide(alice, ticket):
    give(alice, 150)
    redemption = points.redemption_request(ambassador=alice, reward=ticket)
    assert redemption.status == RedemptionStatus.REQUESTED
    assert points.points_balance(alice) == 150
    assert points.points_available(alice) == 50
    with pytest.raises(points.PointsError, match="You need 50 more points"):
        points.redemption_request(ambassador=alice, reward=ticket)


def test_approval_debits_once_takes_stock_and_tells_the_ambassador(
    alice, ticket, boss, django_capture_on_commit_callbacks
):
    give(alice, 150)
    redemption = points.redemption_request(ambassador=alice, reward=ticket)
    with django_capture_on_commit_callbacks(execute=True):
        assert points.redemption_approve(redemption=redemption, by=boss)
    assert not points.redemption_approve(redemption=redemption, by=boss)  # twice: nothing
    assert points.points_balance(alice) == 50
    assert PointsEntry.objects.filter(kind="redemption").get().reason == (
        "Reward: Paris–Nice by train"
    )
    ticket.refresh_from_db()
    assert ticket.stock == 1
    redemption.refresh_from_db()
    assert (redemption.status, redemption.decided_by) == (RedemptionStatus.APPROVED, boss)
    assert "is approved" in mail.outbox[0].body and mail.outbox[0].to == ["alice@example.com"]
    assert "is approved" in locmem.outbox[0].body
    assert locmem.outbox[0].to == alice.phone_number.as_e164


def test_rejection_needs_a_reason_and_debits_nothing(
    alice, ticket, boss, django_capture_on_commit_callbacks
):
    give(alice, 100)
    redemption = points.redemption_request(ambassador=alice, reward=ticket)
    with pytest.raises(points.PointsError, match="Say why"):
        points.redemption_reject(redemption=redemption, by=boss, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        points.redemption_reject(redemption=redemption, by=boss, reason="No seats left that week")
    assert points.points_balance(alice) == points.points_available(alice) == 100
    assert "No seats left that week" in locmem.outbox[0].body
    assert not points.redemption_approve(redemption=redemption, by=boss)  # decided already


def test_stock_and_dates_are_respected(alice, bob, ticket):
    give(alice, 1000)
    give(bob, 1000, key="gift-bob")
    points.redemption_request(ambassador=alice, reward=ticket)
    points.redemption_request(ambassador=bob, reward=ticket)
    with pytest.raises(points.PointsError, match="out of stock"):
        points.redemption_request(ambassador=alice, reward=ticket)
    later = Reward.objects.create(
        name="Summer trip", price=10, stock=5, available_from=timezone.localdate() + timedelta(1)
    )
    with pytest.raises(points.PointsError, match="not on offer"):
        points.redemption_request(ambassador=alice, reward=later)
    ended = Reward.objects.create(
        name="Old voucher", price=10, stock=5, available_until=date(2020, 1, 1)
    )
    assert list(points.rewards_on_offer()) == [ticket]
    with pytest.raises(points.PointsError):
        points.redemption_request(ambassador=alice, reward=ended)


def test_approval_is_refused_when_a_reversal_left_too_few_points(alice, ticket, boss):
    give(alice, 120)
    redemption = points.redemption_request(ambassador=alice, reward=ticket)
    PointsEntry.objects.create(
        ambassador=alice, amount=-40, kind="reversal", reason="Abusive call", key="rev"
    )
    with pytest.raises(points.PointsError, match="no longer covers"):
        points.redemption_approve(redemption=redemption, by=boss)
    assert points.points_balance(alice) == 80
    ticket.refresh_from_db()
    assert ticket.stock == 2
    # Staff can still reject it, which frees the held points.
    assert points.redemption_reject(redemption=redemption, by=boss, reason="Balance too low")
    assert points.points_available(alice) == 80


@pytest.mark.django_db(transaction=True)
def test_two_staff_approving_at_once_debit_once(postgres):
    carla = make_ambassador("carla@example.com", name="Carla", slots=every_day())
    give(carla, 100)
    reward = Reward.objects.create(name="Museum pass", price=60, stock=5)
    redemption = points.redemption_request(ambassador=carla, reward=reward)
    deciders = [make_user(f"staff{n}@example.com", is_staff=True) for n in range(4)]
    results = at_once(
        *(
            (lambda by=by: points.redemption_approve(redemption=redemption, by=by))
            for by in deciders
        )
    )
    assert sorted(results) == [False, False, False, True]
    assert points.points_balance(carla) == 40
    reward.refresh_from_db()
    assert reward.stock == 4


@pytest.mark.django_db(transaction=True)
def test_requests_at_the_same_moment_never_overspend_a_balance(postgres):
    carla = make_ambassador("carla@example.com", name="Carla", slots=every_day())
    give(carla, 100)
    rewards = [Reward.objects.create(name=f"Voucher {n}", price=60, stock=10) for n in range(6)]
    results = at_once(
        *(
            (lambda r=reward: points.redemption_request(ambassador=carla, reward=r))
            for reward in rewards
        ),
        expected=points.PointsError,
    )
    assert sum(isinstance(r, Redemption) for r in results) == 1
    assert points.points_available(carla) == 40


@pytest.mark.django_db(transaction=True)
def test_requests_at_the_same_moment_never_overspend_the_stock(postgres):
    last = Reward.objects.create(name="The last plane ticket", price=10, stock=1)
    people = [
        make_ambassador(f"p{n}@example.com", name=f"P{n}", slots=every_day()) for n in range(6)
    ]
    for n, person in enumerate(people):
        give(person, 50, key=f"gift{n}")
    results = at_once(
        *(
            (lambda p=person: points.redemption_request(ambassador=p, reward=last))
            for person in people
        ),
        expected=points.PointsError,
    )
    assert sum(isinstance(r, Redemption) for r in results) == 1
    assert Redemption.objects.count() == 1


def test_the_database_keeps_the_ledger_and_catalogue_sound(alice):
    reward = Reward(
        name="Backwards",
        price=10,
        stock=1,
        available_from=date(2026, 5, 2),
        available_until=date(2026, 5, 1),
    )
    with pytest.raises(ValidationError, match="The last day cannot come before the first"):
        reward.full_clean()  # what the admin's form shows
    with pytest.raises(IntegrityError), transaction.atomic():
        PointsEntry.objects.create(ambassador=alice, amount=0, kind="adjustment", key="zero")
    with pytest.raises(IntegrityError), transaction.atomic():
        PointsRules.objects.create(pk=2)
