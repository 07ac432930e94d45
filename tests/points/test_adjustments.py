"""Staff adjust a volunteer's points by hand (issue 14, item 7): a ledger entry with who, when
and why; the volunteer is told by e-mail and sees it in their points history."""

from __future__ import annotations

import uuid

import pytest
from django.core import mail

from ambassadors.models import EntryKind, PointsEntry

from .test_pages import give

pytestmark = pytest.mark.django_db


def adjust(client, **fields: str):
    data = {"key": str(uuid.uuid4()), **fields}
    return client.post("/portal/points/adjust/", data, follow=True)


def test_it_credits_with_a_reason_and_tells_the_ambassador(
    client, alice, staff, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        page = adjust(
            client, email="ALICE@example.com", amount="40", reason="Calls lost in Tuesday's outage"
        )
    assert "+40 points for Alice, who is told by e-mail." in page.text
    entry = PointsEntry.objects.get(kind=EntryKind.ADJUSTMENT)
    assert (entry.ambassador, entry.amount, entry.created_by) == (alice, 40, staff)
    assert entry.reason == "Calls lost in Tuesday's outage" and entry.created_at is not None
    assert "Calls lost in Tuesday&#x27;s outage" in page.text  # the audit list: who, when, why
    assert "staff@example.com" in page.text

    (message,) = mail.outbox  # Alice speaks French: her e-mail is in French
    assert message.to == ["alice@example.com"]
    assert message.subject == "Vos points ont été ajustés"
    assert "Pourquoi\u00a0: Calls lost in Tuesday's outage" in message.body
    assert "ajusté vos points\u00a0: +40." in message.body and "de 40 points" in message.body

    client.force_login(alice.user)
    history = client.get("/portal/points/").text
    assert "Adjustment" in history and "Calls lost in Tuesday&#x27;s outage" in history


def test_an_english_speaker_is_told_in_english(
    client, bob, staff, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        adjust(client, email="bob@example.com", amount="-0", reason="x")  # refused: 0
        adjust(client, email="bob@example.com", amount="15", reason="Welcome back")
    (message,) = mail.outbox
    assert message.subject == "Your points were adjusted"
    assert "Our team adjusted your points: +15.\nWhy: Welcome back" in message.body


def test_the_same_form_sent_twice_adjusts_once(client, alice, staff):
    client.force_login(staff)
    key = str(uuid.uuid4())
    for _ in range(2):
        page = adjust(client, email="alice@example.com", amount="10", reason="Welcome", key=key)
    assert "This adjustment was already recorded." in page.text
    assert PointsEntry.objects.filter(kind=EntryKind.ADJUSTMENT).count() == 1


def test_a_debit_never_takes_the_balance_below_zero(client, alice, staff):
    give(alice, 30)
    client.force_login(staff)
    page = adjust(client, email="alice@example.com", amount="-50", reason="Duplicate award")
    assert "The balance is 30 points: a debit cannot take it below zero." in page.text
    page = adjust(client, email="alice@example.com", amount="-30", reason="Duplicate award")
    assert "-30 points for Alice" in page.text
    assert sum(PointsEntry.objects.filter(ambassador=alice).values_list("amount", flat=True)) == 0


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"email": "nobody@example.com", "amount": "5", "reason": "x"}, "No ambassador has this"),
        ({"email": "alice@example.com", "amount": "5", "reason": "  "}, "This field is required."),
        ({"email": "alice@example.com", "amount": "0", "reason": "x"}, "between 1 and 10000"),
        ({"email": "alice@example.com", "amount": "ten", "reason": "x"}, "Enter a whole number."),
    ],
)
def test_bad_input_gets_a_specific_error(client, alice, staff, fields, error):
    client.force_login(staff)
    page = adjust(client, **fields)
    assert page.status_code == 200 and error in page.text
    assert not PointsEntry.objects.exists()
    assert not mail.outbox


def test_volunteers_cannot_adjust_points(client, alice):
    client.force_login(alice.user)
    response = client.post(
        "/portal/points/adjust/",
        {"email": "alice@example.com", "amount": "500", "reason": "me", "key": str(uuid.uuid4())},
    )
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert not PointsEntry.objects.exists()
