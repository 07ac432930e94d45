"""Points and rewards on the portal and in the API; staff decide on requests."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from ambassadors.models import PointsEntry, PointsRules, Redemption, Reward

from ..factories import make_user


def give(ambassador, amount: int, reason: str = "Call of 12 min", key: str = "k") -> None:
    PointsEntry.objects.create(
        ambassador=ambassador, amount=amount, kind="call", reason=reason, key=key
    )


@pytest.fixture
def trip(db):
    return Reward.objects.create(name="A weekend in Annecy", price=120, stock=3)


def api_for(ambassador) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=ambassador.user).key}")
    return api


def test_the_dashboard_and_the_history_show_the_real_balance(client, alice):
    give(alice, 17, "Call of 7 min, Tue 13 Jan, 15:00", key="a")
    give(alice, 22, "Call of 2 min, Sat 17 Jan, 19:30 (evening + weekend bonus)", key="b")
    client.force_login(alice.user)
    dashboard = client.get("/portal/").text
    assert '<p class="big">39</p>' in dashboard
    assert "+22 · Call of 2 min" in dashboard
    history = client.get("/portal/points/").text
    assert "+17" in history and "evening + weekend bonus" in history


def test_asking_for_a_reward_sets_its_points_aside(client, alice, trip):
    give(alice, 150)
    client.force_login(alice.user)
    page = client.get("/portal/rewards/").text
    assert "You can spend 150 points." in page and "A weekend in Annecy" in page
    assert f'href="/portal/rewards/{trip.public_id}/request/">Ask for it</a>' in page
    confirm = client.get(f"/portal/rewards/{trip.public_id}/request/").text
    assert "Ask for “A weekend in Annecy”?" in confirm
    assert "You can spend 150 points; 30 will be left." in confirm
    assert not Redemption.objects.exists()  # looking is not asking
    response = client.post(f"/portal/rewards/{trip.public_id}/request/", follow=True)
    assert "Requested: A weekend in Annecy. Its 120 points are set aside" in response.text
    assert "You can spend 30 points." in response.text
    assert "Waiting for approval" in response.text
    again = client.post(f"/portal/rewards/{trip.public_id}/request/", follow=True)
    assert "You need 90 more points for this reward." in again.text
    assert Redemption.objects.count() == 1
    short = client.get(f"/portal/rewards/{trip.public_id}/request/").text
    assert "This reward costs 120 points and you can spend 30." in short
    assert "Confirm my request" not in short
    assert client.delete(f"/portal/rewards/{trip.public_id}/request/").status_code == 405


def test_my_requests_are_listed_page_by_page(client, alice, trip):
    give(alice, 10_000)
    for _ in range(30):
        Redemption.objects.create(ambassador=alice, reward=trip, price=trip.price)
    client.force_login(alice.user)
    catalogue = client.get("/portal/rewards/").text
    assert catalogue.count("<td>A weekend in Annecy</td>") == 5
    assert 'href="/portal/rewards/requests/">All my requests</a>' in catalogue
    first = client.get("/portal/rewards/requests/").text
    assert first.count("<td>A weekend in Annecy</td>") == 25 and "Page 1 of 2" in first
    second = client.get("/portal/rewards/requests/?page=2").text
    assert second.count("<td>A weekend in Annecy</td>") == 5


def test_staff_edit_the_one_row_of_rules_in_the_admin(client, staff):
    client.force_login(staff)
    listing = client.get("/admin/ambassadors/pointsrules/")
    assert listing.status_code == 302
    form = client.get(listing.url)
    assert "Points per full minute" in form.text
    assert PointsRules.objects.get().call_base == 10
    assert client.get("/admin/ambassadors/pointsrules/add/").status_code == 403


def test_staff_approve_and_reject_on_the_review_page(client, alice, bob, trip):
    give(alice, 150, key="a")
    give(bob, 150, key="b")
    client.force_login(alice.user)
    client.post(f"/portal/rewards/{trip.public_id}/request/")
    client.force_login(bob.user)
    client.post(f"/portal/rewards/{trip.public_id}/request/")
    assert client.get("/portal/rewards/review/").status_code == 302  # not staff

    client.force_login(make_user("boss@example.com", is_staff=True))
    page = client.get("/portal/rewards/review/").text
    assert page.count("<td>A weekend in Annecy <span") == 2
    assert page.count("(balance 150)") == 2
    first, second = Redemption.objects.order_by("created_at")
    ok = client.post(
        f"/portal/rewards/review/{first.public_id}/", {"decision": "approve"}, follow=True
    )
    assert "Approved: A weekend in Annecy." in ok.text
    no_reason = client.post(
        f"/portal/rewards/review/{second.public_id}/", {"decision": "reject"}, follow=True
    )
    assert "Say why" in no_reason.text
    rejected = client.post(
        f"/portal/rewards/review/{second.public_id}/",
        {"decision": "reject", "reason": "One per season"},
        follow=True,
    )
    assert "Rejected: A weekend in Annecy." in rejected.text
    twice = client.post(
        f"/portal/rewards/review/{first.public_id}/", {"decision": "approve"}, follow=True
    )
    assert "already decided" in twice.text
    assert PointsEntry.objects.filter(kind="redemption").count() == 1


def test_the_api_gives_the_balance_entries_catalogue_and_requests(alice, bob, trip):
    give(alice, 150)
    api = api_for(alice)
    mine = api.get("/api/v1/me/points/").json()
    assert (mine["balance"], mine["held"], mine["available"]) == (150, 0, 150)
    assert mine["results"][0]["reason"] == "Call of 12 min"
    (offer,) = api.get("/api/v1/rewards/").json()["results"]
    assert offer["name"] == "A weekend in Annecy"

    created = api.post("/api/v1/me/redemptions/", {"reward": offer["id"]}, format="json")
    assert created.status_code == 201 and created.json()["status"] == "requested"
    assert api.get("/api/v1/me/points/").json()["available"] == 30
    refused = api.post("/api/v1/me/redemptions/", {"reward": offer["id"]}, format="json")
    assert refused.status_code == 400
    assert refused.json() == {"reward": ["You need 90 more points for this reward."]}
    unknown = api.post(
        "/api/v1/me/redemptions/", {"reward": "00000000-0000-0000-0000-000000000000"}, format="json"
    )
    assert unknown.status_code == 400
    assert [r["reward"]["name"] for r in api.get("/api/v1/me/redemptions/").json()] == [
        "A weekend in Annecy"
    ]
    # Bob sees none of Alice's points or requests.
    other = api_for(bob)
    assert other.get("/api/v1/me/points/").json()["balance"] == 0
    assert other.get("/api/v1/me/redemptions/").json() == []
    assert APIClient().get("/api/v1/me/points/").status_code == 401
