"""Download my data and delete my account."""

from __future__ import annotations

import json

import pytest

from ambassadors.models import Ambassador, AvailabilitySlot
from concierge.lib.timezones import local_today
from concierge.models import User

from ..factories import PASSWORD, make_ambassador

pytestmark = pytest.mark.django_db


def test_the_export_holds_alices_data_and_nothing_of_bobs(client, alice, bob):
    from ambassadors.models import PointsEntry

    for who, reason in ((alice, "Call of 5 min"), (bob, "Bob's call")):
        PointsEntry.objects.create(
            ambassador=who, amount=15, kind="call", reason=reason, key=f"k{who.pk}"
        )
    client.force_login(alice.user)
    response = client.get("/portal/privacy/export/")
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="destination-concierge-data-'
    )
    data = json.loads(response.content)
    assert data["account"]["email"] == "alice@example.com"
    assert data["profile"]["display_name"] == "Alice"
    assert data["profile"]["phone_number"] == str(alice.phone_number)
    assert data["profile"]["languages"] == ["en", "fr"]
    assert len(data["availability"]["weekly_slots"]) == 7
    assert [(p["amount"], p["reason"]) for p in data["points"]] == [(15, "Call of 5 min")]
    assert data["reward_requests"] == []
    assert str(bob.phone_number) not in response.text
    assert "bob@example.com" not in response.text


def test_deleting_needs_the_password(client, alice):
    client.force_login(alice.user)
    response = client.post("/portal/privacy/delete/", {"password": "not it"})
    assert response.status_code == 200
    assert "This is not your password." in response.text
    assert User.objects.filter(email="alice@example.com").exists()


def test_deleting_removes_personal_data_and_keeps_anonymous_statistics(client, alice, bob):
    client.force_login(alice.user)
    response = client.post("/portal/privacy/delete/", {"password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert "Your account and your personal data are deleted." in response.text

    assert not User.objects.filter(email="alice@example.com").exists()
    row = Ambassador.objects.get(pk=alice.pk)
    assert row.user is None
    assert row.display_name == ""
    assert row.date_of_birth is None
    assert row.phone_number is None
    assert row.anonymised_at is not None
    assert not row.is_active
    assert not AvailabilitySlot.objects.filter(ambassador=row).exists()
    # What remains is anonymous: which languages our volunteers cover.
    assert sorted(row.languages.values_list("language", flat=True)) == ["en", "fr"]
    # Bob is untouched, and Alice is logged out.
    assert Ambassador.objects.get(pk=bob.pk).display_name == "Bob"
    assert client.get("/portal/").status_code == 302


def test_the_phone_number_is_free_again_after_deletion(client, alice):
    number = str(alice.phone_number)
    client.force_login(alice.user)
    client.post("/portal/privacy/delete/", {"password": PASSWORD})
    assert not Ambassador.objects.filter(phone_number=number).exists()


def test_the_export_is_named_after_today_and_never_cached(client, alice):
    client.force_login(alice.user)
    response = client.get("/portal/privacy/export/")
    filename = f"destination-concierge-data-{local_today():%Y-%m-%d}.json"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert "no-store" in response["Cache-Control"]


def test_the_pages_say_what_is_deleted_and_what_is_kept(client, alice):
    client.force_login(alice.user)
    assert "anonymous statistics" in client.get("/portal/privacy/").text
    page = client.get("/portal/privacy/delete/").text
    assert "Kept, anonymously" in page
    assert "To confirm, enter the password of alice@example.com." in page
    assert 'type="password"' in page


def test_someone_who_never_finished_signing_up_can_still_leave(client):
    ambassador = make_ambassador("quinn@example.com", name="Quinn", onboarded=False)
    client.force_login(ambassador.user)
    assert client.get("/portal/privacy/export/").status_code == 200
    response = client.post("/portal/privacy/delete/", {"password": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(email="quinn@example.com").exists()


@pytest.mark.parametrize("url", ["/portal/privacy/export/", "/portal/privacy/delete/"])
def test_anonymous_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
