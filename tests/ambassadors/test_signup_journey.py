"""The whole road from sign-up to "taking calls now", through the pages a volunteer sees."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from ambassadors.models import Ambassador
from calls.telephony import locmem
from concierge.lib.timezones import local_now
from tests.text import found

pytestmark = pytest.mark.django_db

EMAIL = "zoe@example.com"
PASSWORD = "a long and unusual passphrase"


def sms_code() -> str:
    return found(r"\b(\d{6})\b", locmem.outbox[-1].body, 1)


def test_a_volunteer_signs_up_verifies_and_is_taking_calls(client):
    response = client.post(
        "/accounts/signup/", {"email": EMAIL, "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302

    # Nothing before the e-mail address is verified.
    response = client.post("/accounts/login/", {"login": EMAIL, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/portal/").status_code == 302
    assert "/accounts/login/" in client.get("/portal/")["Location"]

    link = found(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body)
    path = link.split("concierge.test", 1)[-1] if "concierge.test" in link else link
    path = re.sub(r"^https?://[^/]+", "", path)
    response = client.post(path)
    assert response.status_code == 302

    # First log-in: onboarding step 1.
    response = client.get("/portal/", follow=True)
    assert response.redirect_chain[-1][0] == "/portal/onboarding/profile/"
    assert b"Step 1 of 4" in response.content

    response = client.post(
        "/portal/onboarding/profile/",
        {"display_name": "Zoé", "date_of_birth": "1994-03-02", "languages": ["en", "es"]},
    )
    assert response["Location"] == "/portal/onboarding/phone/"

    response = client.post("/portal/onboarding/phone/", {"phone_number": "06 98 76 54 32"})
    assert response["Location"] == "/portal/onboarding/phone/confirm/"
    assert locmem.outbox[-1].to == "+33698765432"
    response = client.post("/portal/onboarding/phone/confirm/", {"code": sms_code()})
    assert response["Location"] == "/portal/onboarding/preferences/"

    response = client.post(
        "/portal/onboarding/preferences/", {"any_region": "on", "motives": ["1", "2"]}
    )
    assert response["Location"] == "/portal/onboarding/availability/"

    today = local_now().weekday()
    response = client.post(
        "/portal/onboarding/availability/", {"weekday": today, "start": "00:00", "end": "00:00"}
    )
    assert response.status_code == 302
    response = client.post("/portal/onboarding/availability/", {"finish": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == "/portal/"
    assert b"You are taking calls now." in response.content
    assert b"Welcome aboard" in response.content

    ambassador = Ambassador.objects.get(user__email=EMAIL)
    assert ambassador.onboarded_at is not None
    assert str(ambassador.phone_number) == "+33698765432"
    assert sorted(ambassador.languages.values_list("language", flat=True)) == ["en", "es"]


def test_onboarding_resumes_at_the_first_unfinished_step(client, newcomer):
    client.force_login(newcomer)
    client.post(
        "/portal/onboarding/profile/",
        {"display_name": "Noé", "date_of_birth": "1990-01-01", "languages": ["en"]},
    )
    response = client.get("/portal/")
    assert response["Location"] == "/portal/onboarding/phone/"
    # Step 1 is saved: going back shows what was typed.
    response = client.get("/portal/onboarding/profile/")
    assert b'value="No\xc3\xa9"' in response.content


def errors(response) -> str:
    return " ".join(re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.text, re.S))


def test_a_volunteer_makes_every_mistake_and_still_gets_through(client, bob):
    """Sign-up → e-mail link → log-in → steps 1–3 with each bad input a volunteer may type."""
    # Another address than the test above: allauth rate-limits confirmation e-mails per address.
    email = "yann@example.com"
    response = client.post(
        "/accounts/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response["Location"] == "/accounts/confirm-email/"
    assert "Check your inbox" in client.get("/accounts/confirm-email/").text
    path = found(r"/accounts/confirm-email/\S+/", mail.outbox[-1].body)
    assert client.post(path).status_code == 302
    client.post("/accounts/logout/")

    response = client.post("/accounts/login/", {"login": email, "password": PASSWORD})
    assert response["Location"] == "/portal/"
    assert client.get("/portal/")["Location"] == "/portal/onboarding/profile/"

    # Step 1
    today = local_now().date()
    step1 = {"display_name": "Zoé", "date_of_birth": "1994-03-02", "languages": ["en", "es"]}
    seventeen = today.replace(year=today.year - 17, day=min(today.day, 28))
    cases: list[tuple[dict[str, Any], str]] = [
        ({"date_of_birth": seventeen.isoformat()}, "18 or older"),
        ({"date_of_birth": (today + timedelta(days=1)).isoformat()}, "cannot be in the future"),
        ({"languages": ["es"]}, "English is required: most of our callers are foreign tourists"),
    ]
    for bad, message in cases:
        response = client.post("/portal/onboarding/profile/", {**step1, **bad})
        assert response.status_code == 200
        assert message in errors(response)
        assert "Step 1 of 4" in response.text
    response = client.post("/portal/onboarding/profile/", step1)
    assert response["Location"] == "/portal/onboarding/phone/"

    # Step 2: the number
    for number, message in [
        ("01 23 45 67 89", "This is a landline"),
        ("+49 151 23456789", "This is a foreign number (+49)"),
        ("06 12 34", "incomplete"),
        (str(bob.phone_number), "already registered to another account"),
    ]:
        response = client.post("/portal/onboarding/phone/", {"phone_number": number})
        assert message in errors(response)
    assert "Bob" not in re.sub(r"[A-Za-z0-9]{32,}", "", response.text)  # not in a CSRF token
    assert locmem.outbox == []

    with time_machine.travel(timezone.now(), tick=False) as traveller:
        response = client.post("/portal/onboarding/phone/", {"phone_number": "06 98 76 54 32"})
        assert response["Location"] == "/portal/onboarding/phone/confirm/"
        page = client.get("/portal/onboarding/phone/confirm/").text
        assert "06 98 76 54 32" in page
        code = sms_code()
        wrong = f"{(int(code) + 1) % 1_000_000:06d}"

        # A new code within the minute is refused, and says how long to wait.
        response = client.post("/portal/onboarding/phone/confirm/", {"resend": "1"}, follow=True)
        assert "ask for a new one in 60 seconds" in response.text
        assert len(locmem.outbox) == 1

        # Five wrong codes void it: even the right one is refused afterwards.
        for left in (4, 3, 2, 1):
            response = client.post("/portal/onboarding/phone/confirm/", {"code": wrong})
            assert f"{left} tr" in errors(response)
        response = client.post("/portal/onboarding/phone/confirm/", {"code": wrong})
        assert "Too many wrong codes" in errors(response)
        response = client.post("/portal/onboarding/phone/confirm/", {"code": code})
        assert "no code waiting" in errors(response)

        # A fresh code that is used too late has expired.
        traveller.shift(timedelta(seconds=61))
        client.post("/portal/onboarding/phone/", {"phone_number": "0698765432"})
        traveller.shift(timedelta(minutes=10, seconds=1))
        response = client.post("/portal/onboarding/phone/confirm/", {"code": sms_code()})
        assert "This code has expired" in errors(response)

        # The third code, on time.
        client.post("/portal/onboarding/phone/", {"phone_number": "0698765432"})
        response = client.post("/portal/onboarding/phone/confirm/", {"code": sms_code()})
    assert response["Location"] == "/portal/onboarding/preferences/"
    assert len(locmem.outbox) == 3

    # Step 3
    response = client.post("/portal/onboarding/preferences/", {})
    assert "Choose at least one region" in errors(response)
    assert "Choose at least one topic" in errors(response)
    response = client.post(
        "/portal/onboarding/preferences/", {"any_region": "on", "any_motive": "on"}
    )
    assert response["Location"] == "/portal/onboarding/availability/"
    assert client.get("/portal/")["Location"] == "/portal/onboarding/availability/"


def test_allauth_pages_use_our_layout(client, alice):
    for path in ("/accounts/signup/", "/accounts/login/", "/accounts/password/reset/"):
        page = client.get(path).text
        assert 'class="site-header"' in page, path
        assert 'class="card auth-form"' in page, path
    assert "Become an ambassador" in client.get("/accounts/signup/").text
    client.force_login(alice.user)
    assert 'class="site-header"' in client.get("/accounts/logout/").text


def test_the_e_mail_and_password_reset_steps_use_our_layout(client, alice):
    client.post(
        "/accounts/signup/",
        {"email": "kim@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    confirm = found(r"/accounts/confirm-email/\S+/", mail.outbox[-1].body)
    client.post("/accounts/password/reset/", {"email": "alice@example.com"})
    reset = found(r"/accounts/password/reset/key/\S+/", mail.outbox[-1].body)
    pages = {
        "e-mail sent": client.get("/accounts/confirm-email/"),
        "e-mail confirmation": client.get(confirm),
        "reset e-mail sent": client.get("/accounts/password/reset/done/"),
        "new password": client.get(reset, follow=True),
        "password changed": client.get("/accounts/password/reset/key/done/"),
        "a stale e-mail link": client.get("/accounts/confirm-email/not-a-key/"),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        assert 'class="site-header"' in response.text, name
    assert 'class="card auth-form"' in pages["e-mail confirmation"].text
    assert 'class="card auth-form"' in pages["new password"].text
