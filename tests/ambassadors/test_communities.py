"""Affinity communities from the ambassador's side: join at once, ask when staff moderate, leave;
staff decide in the admin; the public pages count members and never name them."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.translation import override

from ambassadors.models import CommunityMembership, MembershipStatus
from calls.models import Call, CallStatus, PhoneLine
from concierge.models import Community

from ..text import found

pytestmark = pytest.mark.django_db


def signed_in(ambassador) -> Client:
    client = Client()
    client.force_login(ambassador.user)
    return client


def act(client: Client, code: str, action: str):
    return client.post("/portal/communities/", {"code": code, "action": action}, follow=True)


def test_the_destination_starts_with_seven_communities():
    codes = set(Community.objects.values_list("code", flat=True))
    assert {"food-lovers", "hikers", "families", "accessible-travel", "wine"} <= codes
    assert Community.objects.get(code="lgbtq-friendly").moderated


def test_alice_joins_an_open_community_at_once_and_leaves_it(alice):
    client = signed_in(alice)
    page = act(client, "hikers", "join").content.decode()
    assert "You joined Hikers and walkers." in page
    assert "You are a member." in page
    assert CommunityMembership.objects.get(ambassador=alice).status == MembershipStatus.APPROVED

    assert "You left Hikers and walkers." in act(client, "hikers", "leave").content.decode()
    assert not CommunityMembership.objects.exists()


def test_joining_twice_changes_nothing(alice):
    client = signed_in(alice)
    act(client, "wine", "join")
    act(client, "wine", "join")
    assert CommunityMembership.objects.filter(ambassador=alice).count() == 1


def test_a_moderated_community_waits_for_staff(alice, admin_client):
    client = signed_in(alice)
    page = act(client, "accessible-travel", "join").content.decode()
    assert "staff will decide soon" in page
    assert "Waiting for approval." in page
    membership = CommunityMembership.objects.get(ambassador=alice)
    assert membership.status == MembershipStatus.PENDING

    admin_client.post(
        "/admin/ambassadors/communitymembership/",
        {"action": "approve", "_selected_action": [membership.pk]},
    )
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.APPROVED
    assert membership.decided_by is not None
    assert "You are a member." in client.get("/portal/communities/").content.decode()


def test_after_a_refusal_alice_may_ask_again(alice, admin_client):
    client = signed_in(alice)
    act(client, "lgbtq-friendly", "join")
    membership = CommunityMembership.objects.get(ambassador=alice)
    admin_client.post(
        "/admin/ambassadors/communitymembership/",
        {"action": "refuse", "_selected_action": [membership.pk]},
    )
    page = client.get("/portal/communities/").content.decode()
    assert "Your last request was not approved." in page
    act(client, "lgbtq-friendly", "join")
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.PENDING


def test_a_closed_or_unknown_community_is_a_404(alice):
    Community.objects.filter(code="students").update(is_active=False)
    client = signed_in(alice)
    assert act(client, "students", "join").status_code == 404
    assert act(client, "no-such-thing", "join").status_code == 404
    for garbled in ("wine\x00", "\x00", "wine" * 100):  # PostgreSQL refuses NUL in a query
        assert act(client, garbled, "join").status_code == 404
    assert not CommunityMembership.objects.exists()


def test_a_missing_action_says_so(alice):
    page = act(signed_in(alice), "wine", "dance").content.decode()
    assert "Choose to join or to leave." in page


def test_the_public_pages_count_members_and_calls_never_names(alice, bob):
    CommunityMembership.objects.create(
        ambassador=alice, community=Community.objects.get(code="wine"), status="approved"
    )
    CommunityMembership.objects.create(
        ambassador=bob, community=Community.objects.get(code="wine"), status="pending"
    )
    line = PhoneLine.objects.create(number="+33199000000", label="National")
    now = timezone.now()
    Call.objects.create(
        sid="CA1",
        line=line,
        responder=alice,
        status=CallStatus.COMPLETED,
        received_at=now - timedelta(minutes=5),
        answered_at=now - timedelta(minutes=4),
    )
    Call.objects.create(
        sid="CA2", line=line, responder=alice, status=CallStatus.COMPLETED, is_rehearsal=True
    )
    page = Client().get("/communities/wine/").content.decode()
    assert found(r"<strong>1</strong> local\b", page)  # Bob is only asking
    assert found(r"<strong>1</strong> call answered in the last 30 days", page)
    # Whole words: a random CSRF token on the page may hold "Bob" by chance.
    assert not re.search(r"\b(Alice|Bob)\b", page)
    listing = Client().get("/communities/").content.decode()
    assert "Wine lovers" in listing
    assert not re.search(r"\bAlice\b", listing)


def test_the_public_page_of_an_unknown_community_is_a_404(db):
    assert Client().get("/communities/nope/").status_code == 404


def test_community_names_are_french_for_french_readers():
    with override("fr"):
        assert str(Community.objects.get(code="families")) == "Familles avec enfants"
