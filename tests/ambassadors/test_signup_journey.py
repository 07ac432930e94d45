"""The whole road from sign-up to "taking calls now", through the pages a volunteer sees."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from ambassadors.models import Ambassador
from calls.telephony import locmem
from concierge.lib.timezones import local_now

pytestmark = pytest.mark.django_db

EMAIL = "zoe@example.com"
PASSWORD = "a long and unusual passphrase"


def sms_code() -> str:
    return re.search(r"\b(\d{6})\b", locmem.outbox[-1].body).group(1)


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

    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
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
