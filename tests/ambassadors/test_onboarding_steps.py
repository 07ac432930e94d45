"""Every bad input of onboarding steps 1–3 gets a specific error and loses nothing."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from calls.telephony import locmem
from concierge.lib.timezones import local_today
from concierge.models import CallMotive, Region
from tests.text import found

from ..factories import make_ambassador

pytestmark = pytest.mark.django_db


@pytest.fixture
def onboarding(client, newcomer):
    """A logged-in newcomer who has done step 1."""
    client.force_login(newcomer)
    client.post(
        "/portal/onboarding/profile/",
        {"display_name": "Noé", "date_of_birth": "1990-01-01", "languages": ["en", "fr"]},
    )
    return newcomer


def profile(client, **data):
    defaults = {"display_name": "Noé", "date_of_birth": "1990-01-01", "languages": ["en"]}
    return client.post("/portal/onboarding/profile/", {**defaults, **data})


def errors(response) -> str:
    return " ".join(re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.text, re.S))


def test_it_refuses_someone_who_is_17(client, newcomer):
    client.force_login(newcomer)
    seventeen = local_today().replace(year=local_today().year - 17)
    response = profile(client, date_of_birth=seventeen.isoformat())
    assert response.status_code == 200
    assert "18 or older" in errors(response)


def test_it_accepts_someone_whose_18th_birthday_is_today(client, newcomer):
    client.force_login(newcomer)
    today = local_today()
    born = (
        today.replace(year=today.year - 18)
        if not (today.month == 2 and today.day == 29)
        else (date(today.year - 18, 3, 1))
    )
    response = profile(client, date_of_birth=born.isoformat())
    assert response.status_code == 302


def test_it_refuses_a_birth_date_in_the_future(client, newcomer):
    client.force_login(newcomer)
    response = profile(client, date_of_birth=(local_today() + timedelta(days=1)).isoformat())
    assert "cannot be in the future" in errors(response)


def test_it_requires_english_and_says_why(client, newcomer):
    client.force_login(newcomer)
    response = profile(client, languages=["fr", "de"])
    assert "English is required" in errors(response)
    assert "fall back" in errors(response)


def test_it_requires_a_name(client, newcomer):
    client.force_login(newcomer)
    response = profile(client, display_name="   ")
    assert response.status_code == 200
    assert errors(response)


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("01 23 45 67 89", "landline"),
        ("+49 151 23456789", "foreign number (+49)"),
        ("06 12", "incomplete"),
        ("hello", "not a phone number"),
        ("08 00 12 34 56", "not a mobile number"),
    ],
)
def test_it_names_what_is_wrong_with_a_number(client, onboarding, number, message):
    response = client.post("/portal/onboarding/phone/", {"phone_number": number})
    assert response.status_code == 200
    assert message in errors(response)
    assert locmem.outbox == []


def test_a_number_of_another_ambassador_is_refused_without_saying_whose(client, onboarding, bob):
    response = client.post("/portal/onboarding/phone/", {"phone_number": str(bob.phone_number)})
    assert "already registered to another account" in errors(response)
    assert "Bob" not in errors(response)  # (the whole page holds random CSRF tokens)
    assert "bob@example.com" not in response.text
    assert locmem.outbox == []


def test_a_national_number_is_accepted_and_texted_in_e164(client, onboarding):
    response = client.post("/portal/onboarding/phone/", {"phone_number": "07 81 22 33 44"})
    assert response["Location"] == "/portal/onboarding/phone/confirm/"
    assert [sms.to for sms in locmem.outbox] == ["+33781223344"]
    assert re.search(r"\b\d{6}\b", locmem.outbox[0].body)


def test_a_wrong_code_says_how_many_tries_are_left(client, onboarding):
    client.post("/portal/onboarding/phone/", {"phone_number": "0781223344"})
    code = found(r"\b(\d{6})\b", locmem.outbox[-1].body, 1)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    response = client.post("/portal/onboarding/phone/confirm/", {"code": wrong})
    assert "4 tries left" in errors(response)


def test_five_wrong_codes_void_the_code(client, onboarding):
    client.post("/portal/onboarding/phone/", {"phone_number": "0781223344"})
    code = found(r"\b(\d{6})\b", locmem.outbox[-1].body, 1)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(4):
        client.post("/portal/onboarding/phone/confirm/", {"code": wrong})
    response = client.post("/portal/onboarding/phone/confirm/", {"code": wrong})
    assert "Too many wrong codes" in errors(response)
    # Even the right code no longer works.
    response = client.post("/portal/onboarding/phone/confirm/", {"code": code})
    assert "no code waiting" in errors(response)
    assert client.get("/portal/")["Location"] == "/portal/onboarding/phone/"


def test_a_code_expires_after_ten_minutes(client, onboarding):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.post("/portal/onboarding/phone/", {"phone_number": "0781223344"})
        code = found(r"\b(\d{6})\b", locmem.outbox[-1].body, 1)
        traveller.shift(timedelta(minutes=10, seconds=1))
        response = client.post("/portal/onboarding/phone/confirm/", {"code": code})
    assert "expired" in errors(response)


def test_a_new_code_waits_a_minute(client, onboarding):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.post("/portal/onboarding/phone/", {"phone_number": "0781223344"})
        response = client.post("/portal/onboarding/phone/confirm/", {"resend": "1"}, follow=True)
        assert "in 60 seconds" in response.text
        assert len(locmem.outbox) == 1
        traveller.shift(timedelta(seconds=61))
        response = client.post("/portal/onboarding/phone/confirm/", {"resend": "1"}, follow=True)
        assert "A new code is on its way." in response.text
    assert len(locmem.outbox) == 2
    # Only the newest code works.
    first, second = (found(r"\b(\d{6})\b", s.body, 1) for s in locmem.outbox)
    if first != second:
        response = client.post("/portal/onboarding/phone/confirm/", {"code": first})
        assert "not right" in errors(response)
    response = client.post("/portal/onboarding/phone/confirm/", {"code": second})
    assert response["Location"] == "/portal/onboarding/preferences/"


def test_the_code_is_stored_hashed(client, onboarding):
    client.post("/portal/onboarding/phone/", {"phone_number": "0781223344"})
    code = found(r"\b(\d{6})\b", locmem.outbox[-1].body, 1)
    verification = onboarding.ambassador.phone_verifications.get()
    assert code not in verification.code_hash


def test_preferences_need_a_region_and_a_topic(client, onboarding):
    response = client.post("/portal/onboarding/preferences/", {})
    text = errors(response)
    assert "at least one region" in text
    assert "at least one topic" in text


def test_preferences_are_saved(client, onboarding):
    brittany = Region.objects.get(code="bretagne")
    food = CallMotive.objects.get(code="food-and-wine")
    client.post("/portal/onboarding/preferences/", {"regions": [brittany.pk], "any_motive": "on"})
    ambassador = onboarding.ambassador
    assert list(ambassador.regions.all()) == [brittany]
    assert ambassador.any_motive
    assert food not in ambassador.motives.all()


def test_changing_the_number_keeps_the_old_one_until_the_new_one_is_verified(client, alice):
    old = alice.phone_number
    client.force_login(alice.user)
    response = client.post("/portal/phone/", {"phone_number": "0699887766"})
    assert response["Location"] == "/portal/phone/confirm/"
    alice.refresh_from_db()
    assert alice.phone_number == old
    code = found(r"\b(\d{6})\b", locmem.outbox[-1].body, 1)
    client.post("/portal/phone/confirm/", {"code": code})
    alice.refresh_from_db()
    assert str(alice.phone_number) == "+33699887766"


def test_an_unverified_email_cannot_reach_the_portal(client):
    from ..factories import make_user

    user = make_user("pending@example.com", verified=False)
    response = client.post(
        "/accounts/login/",
        {"login": "pending@example.com", "password": "correct horse battery staple"},
    )
    assert "/accounts/confirm-email/" in response["Location"]
    assert client.get("/portal/").status_code == 302
    assert user.pk


def test_a_half_onboarded_ambassador_is_sent_back_to_their_step(client):
    ambassador = make_ambassador("half@example.com", onboarded=False)
    client.force_login(ambassador.user)
    assert client.get("/portal/availability/")["Location"] == "/portal/onboarding/phone/"
