"""Races a busy portal will see, decided by the database (PostgreSQL row locks and constraints)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ambassadors import services
from ambassadors.models import Ambassador
from calls.telephony import locmem

from ..concurrency import at_once
from ..factories import make_ambassador

pytestmark = pytest.mark.django_db(transaction=True)


def race(*actions: Callable[[], object]) -> list[object]:
    return at_once(*actions, expected=services.AmbassadorError)


def test_two_quick_clicks_send_one_code(postgres):
    ambassador = make_ambassador("quick@example.com", onboarded=False)

    def click() -> object:
        return services.phone_verification_start(
            ambassador=Ambassador.objects.get(pk=ambassador.pk), phone_number="0611223344"
        )

    results = race(click, click)
    errors = [r for r in results if isinstance(r, services.AmbassadorError)]
    assert [e.code for e in errors] == ["too_soon"]
    assert len(locmem.outbox) == 1
    assert ambassador.phone_verifications.count() == 1


def test_one_number_can_be_confirmed_by_one_ambassador_only(postgres):
    first = make_ambassador("first@example.com", onboarded=False)
    second = make_ambassador("second@example.com", onboarded=False)
    codes = {}
    for ambassador in (first, second):
        services.phone_verification_start(ambassador=ambassador, phone_number="0611223344")
        codes[ambassador.pk] = locmem.outbox[-1].body.split("code is ")[1][:6]

    def confirm(ambassador: Ambassador) -> Callable[[], object]:
        return lambda: services.phone_verification_confirm(
            ambassador=Ambassador.objects.get(pk=ambassador.pk), code=codes[ambassador.pk]
        )

    results = race(confirm(first), confirm(second))
    errors = [r for r in results if isinstance(r, services.AmbassadorError)]
    assert [e.code for e in errors] == ["taken"]
    assert Ambassador.objects.filter(phone_number="+33611223344").count() == 1
