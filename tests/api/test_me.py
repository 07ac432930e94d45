"""GET and PATCH /api/v1/me/, with the same rules as the portal forms."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from calls.telephony import locmem
from concierge.lib.timezones import local_today
from tests.text import found

pytestmark = pytest.mark.django_db


def sms_code() -> str:
    return found(r"\b(\d{6})\b", locmem.outbox[-1].body, 1)


def test_it_shows_alices_profile(as_alice, alice):
    data = as_alice.get("/api/v1/me/").json()
    assert data["email"] == "alice@example.com"
    assert data["languages"] == ["en", "fr"]
    assert data["phone_number"] == str(alice.phone_number)
    assert data["phone_verified"] is True
    assert data["onboarding"] == {"complete": True, "next_step": None}
    assert data["status"]["state"] == "available"
    assert data["status"]["available_now"] is True


def test_a_partial_patch_keeps_the_rest(as_alice, alice):
    response = as_alice.patch("/api/v1/me/", {"display_name": "Ali"}, format="json")
    assert response.status_code == 200
    assert response.json()["display_name"] == "Ali"
    assert response.json()["languages"] == ["en", "fr"]


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"languages": ["fr", "de"]}, "languages", "English is required"),
        ({"languages": ["en", "xx"]}, "languages", "Unknown language code: xx."),
        ({"languages": []}, "languages", "English is required"),
        ({"display_name": "   "}, "display_name", "first name or pseudonym"),
        ({"date_of_birth": "FUTURE"}, "date_of_birth", "cannot be in the future"),
        ({"date_of_birth": "MINOR"}, "date_of_birth", "18 or older"),
        ({"regions": ["atlantis"]}, "regions", "Unknown region code: “atlantis”."),
        ({"motives": ["heists"]}, "motives", "Unknown motive code: “heists”."),
        ({"any_region": False, "regions": []}, "regions", "at least one region"),
        ({"any_motive": False, "motives": []}, "motives", "at least one topic"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(as_alice, alice, payload, field, message):
    today = local_today()
    if payload.get("date_of_birth") == "FUTURE":
        payload = {"date_of_birth": (today + timedelta(days=1)).isoformat()}
    elif payload.get("date_of_birth") == "MINOR":
        payload = {"date_of_birth": (today - timedelta(days=17 * 365)).isoformat()}
    response = as_alice.patch("/api/v1/me/", payload, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert field in errors
    assert len(errors[field]) == 1  # one flat message, not a per-item dict
    assert message in errors[field][0]
    alice.refresh_from_db()
    assert alice.display_name == "Alice"


def test_a_patch_that_fails_halfway_changes_nothing(as_alice, alice):
    payload = {"display_name": "Ali", "any_region": False, "regions": [], "accepting_calls": False}
    response = as_alice.patch("/api/v1/me/", payload, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["regions"]
    alice.refresh_from_db()
    assert (alice.display_name, alice.any_region, alice.accepting_calls) == ("Alice", True, True)


def test_a_newcomer_fills_the_profile_step(as_newcomer):
    response = as_newcomer.patch("/api/v1/me/", {"display_name": "Nina"}, format="json")
    assert response.status_code == 400
    assert "Enter your date of birth" in response.json()["date_of_birth"][0]

    payload = {"display_name": " Nina ", "date_of_birth": "1990-02-03", "languages": ["en", "it"]}
    response = as_newcomer.patch("/api/v1/me/", payload, format="json")
    assert response.status_code == 200
    data = response.json()
    assert (data["display_name"], data["languages"]) == ("Nina", ["en", "it"])
    assert data["onboarding"] == {"complete": False, "next_step": "phone"}


def test_preferences_are_set_by_code(as_alice, alice):
    payload = {
        "any_region": False,
        "regions": ["bretagne"],
        "any_motive": False,
        "motives": ["food-and-wine"],
    }
    response = as_alice.patch("/api/v1/me/", payload, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["regions"] == ["bretagne"]
    assert response.json()["motives"] == ["food-and-wine"]
    response = as_alice.patch("/api/v1/me/", {"any_region": True}, format="json")
    assert response.json()["any_region"] is True
    assert response.json()["motives"] == ["food-and-wine"]


def test_the_phone_number_cannot_be_changed_by_patch(as_alice, alice):
    response = as_alice.patch("/api/v1/me/", {"phone_number": "0699999999"}, format="json")
    assert response.status_code == 200
    assert response.json()["phone_number"] == str(alice.phone_number)


def test_the_switch_and_the_pause(as_alice, alice):
    response = as_alice.patch("/api/v1/me/", {"accepting_calls": False}, format="json")
    assert response.json()["status"]["state"] == "off"
    as_alice.patch("/api/v1/me/", {"accepting_calls": True}, format="json")

    response = as_alice.post("/api/v1/me/pause/", {"until": local_today().isoformat()})
    assert response.status_code == 400
    assert response.json() == {"until": ["Choose a date after today."]}
    until = local_today() + timedelta(days=2)
    response = as_alice.post("/api/v1/me/pause/", {"until": until.isoformat()})
    assert response.status_code == 200
    assert response.json()["status"]["state"] == "paused"
    response = as_alice.delete("/api/v1/me/pause/")
    assert response.json()["paused_until"] is None
    assert response.json()["status"]["state"] == "available"


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("01 23 45 67 89", "landline"),
        ("+44 7911 123456", "foreign number (+44)"),
        ("0612", "incomplete"),
    ],
)
def test_phone_numbers_are_checked_like_the_form(as_newcomer, number, message):
    response = as_newcomer.post("/api/v1/me/phone/verification/", {"phone_number": number})
    assert response.status_code == 400
    assert message in response.json()["phone_number"][0]
    assert locmem.outbox == []


def test_a_taken_number_is_refused(as_newcomer, bob):
    response = as_newcomer.post(
        "/api/v1/me/phone/verification/", {"phone_number": str(bob.phone_number)}
    )
    assert response.status_code == 400
    assert response.json() == {
        "phone_number": ["This number is already registered to another account."]
    }


def test_phone_verification_round_trip(as_newcomer):
    response = as_newcomer.post("/api/v1/me/phone/verification/", {"phone_number": "0611223344"})
    assert response.status_code == 202
    assert response.json()["phone_number"] == "+33611223344"
    response = as_newcomer.post("/api/v1/me/phone/verification/confirm/", {"code": sms_code()})
    assert response.status_code == 200
    assert response.json()["phone_verified"] is True
    assert response.json()["onboarding"]["next_step"] == "profile"


def test_resending_within_a_minute_is_a_429_with_retry_after(as_newcomer):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        as_newcomer.post("/api/v1/me/phone/verification/", {"phone_number": "0611223344"})
        traveller.shift(timedelta(seconds=20))
        response = as_newcomer.post(
            "/api/v1/me/phone/verification/", {"phone_number": "0611223344"}
        )
    assert response.status_code == 429
    assert response["Retry-After"] == "40"
    assert "40 seconds" in response.json()["detail"]


def test_wrong_codes_then_void(as_newcomer):
    as_newcomer.post("/api/v1/me/phone/verification/", {"phone_number": "0611223344"})
    code = sms_code()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for left in (4, 3, 2, 1):
        response = as_newcomer.post("/api/v1/me/phone/verification/confirm/", {"code": wrong})
        assert response.status_code == 400
        assert f"{left} tr" in response.json()["code"][0]
    response = as_newcomer.post("/api/v1/me/phone/verification/confirm/", {"code": wrong})
    assert "Too many wrong codes" in response.json()["code"][0]
    response = as_newcomer.post("/api/v1/me/phone/verification/confirm/", {"code": code})
    assert response.status_code == 400


def test_an_expired_code_is_refused(as_newcomer):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        as_newcomer.post("/api/v1/me/phone/verification/", {"phone_number": "0611223344"})
        traveller.shift(timedelta(minutes=11))
        response = as_newcomer.post("/api/v1/me/phone/verification/confirm/", {"code": sms_code()})
    assert response.status_code == 400
    assert "expired" in response.json()["code"][0]


def test_confirming_without_a_code_sent_says_to_ask_for_one(as_newcomer):
    response = as_newcomer.post("/api/v1/me/phone/verification/confirm/", {"code": "123456"})
    assert response.status_code == 400
    assert "Ask for a new one" in response.json()["code"][0]
