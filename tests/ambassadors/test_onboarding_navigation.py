"""Moving through onboarding: where "start" leads, the step indicator, going back, and the same
forms once onboarded."""

from __future__ import annotations

import re

import pytest

from calls.telephony import locmem
from concierge.models import CallMotive, Region
from tests.text import found

pytestmark = pytest.mark.django_db

STEP1 = {"display_name": "Noé", "date_of_birth": "1990-01-01", "languages": ["en", "it"]}


def errors(response) -> str:
    return " ".join(re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.text, re.S))


def verify_phone(client, number: str = "0781223344", *, base: str = "/portal/onboarding") -> None:
    client.post(f"{base}/phone/", {"phone_number": number})
    code = found(r"\b(\d{6})\b", locmem.outbox[-1].body, 1)
    client.post(f"{base}/phone/confirm/", {"code": code})


def test_start_leads_to_the_first_unfinished_step(client, newcomer):
    client.force_login(newcomer)
    assert client.get("/portal/onboarding/")["Location"] == "/portal/onboarding/profile/"
    client.post("/portal/onboarding/profile/", STEP1)
    assert client.get("/portal/onboarding/")["Location"] == "/portal/onboarding/phone/"
    verify_phone(client)
    assert client.get("/portal/onboarding/")["Location"] == "/portal/onboarding/preferences/"
    client.post("/portal/onboarding/preferences/", {"any_region": "on", "any_motive": "on"})
    assert client.get("/portal/onboarding/")["Location"] == "/portal/onboarding/availability/"


def test_start_leads_an_onboarded_ambassador_to_the_dashboard(client, alice):
    client.force_login(alice.user)
    assert client.get("/portal/onboarding/")["Location"] == "/portal/"


def test_the_portal_needs_a_log_in(client):
    response = client.get("/portal/onboarding/profile/")
    assert response["Location"].startswith("/accounts/login/")


def test_the_step_indicator_shows_where_one_is_and_links_back(client, newcomer):
    client.force_login(newcomer)
    page = client.get("/portal/onboarding/profile/").text
    assert "Step 1 of 4" in page
    assert '<li class="current" aria-current="step">About you</li>' in page
    assert 'href="/portal/onboarding/phone/"' not in page  # no skipping ahead

    client.post("/portal/onboarding/profile/", STEP1)
    page = client.get("/portal/onboarding/phone/").text
    assert "Step 2 of 4" in page
    assert '<a href="/portal/onboarding/profile/">About you' in page
    assert "Back" in page


def test_every_mistake_of_step_1_is_shown_at_once(client, newcomer):
    client.force_login(newcomer)
    response = client.post(
        "/portal/onboarding/profile/",
        {"display_name": "Noé", "date_of_birth": "2015-06-01", "languages": []},
    )
    text = errors(response)
    assert "18 or older" in text
    assert "English is required" in text
    assert "fall back on" in text


def test_the_birth_date_must_be_a_date(client, newcomer):
    client.force_login(newcomer)
    response = client.post("/portal/onboarding/profile/", {**STEP1, "date_of_birth": "yesterday"})
    assert "Enter a valid date" in errors(response)


def test_going_back_to_step_1_shows_what_was_saved(client, newcomer):
    client.force_login(newcomer)
    client.post("/portal/onboarding/profile/", STEP1)
    page = client.get("/portal/onboarding/profile/").text
    assert 'value="Noé"' in page
    assert 'value="1990-01-01"' in page
    assert re.search(r'value="it"[^>]*checked', page)
    assert not re.search(r'value="de"[^>]*checked', page)


def test_going_back_to_step_2_shows_the_verified_number_and_a_way_on(client, newcomer):
    client.force_login(newcomer)
    client.post("/portal/onboarding/profile/", STEP1)
    verify_phone(client)
    response = client.get("/portal/onboarding/phone/")
    assert response.status_code == 200
    assert "07 81 22 33 44" in response.text
    assert "(verified)" in response.text
    assert 'href="/portal/onboarding/preferences/"' in response.text
    # Sending a code to the number already verified is pointless, and said so.
    response = client.post("/portal/onboarding/phone/", {"phone_number": "07 81 22 33 44"})
    assert "already verified on your account" in errors(response)


def test_going_back_to_step_3_shows_the_saved_choices(client, newcomer):
    client.force_login(newcomer)
    brittany = Region.objects.get(code="bretagne")
    food = CallMotive.objects.get(code="food-and-wine")
    client.post("/portal/onboarding/profile/", STEP1)
    verify_phone(client)
    client.post("/portal/onboarding/preferences/", {"regions": [brittany.pk], "motives": [food.pk]})
    page = client.get("/portal/onboarding/preferences/").text
    assert re.search(rf'value="{brittany.pk}"[^>]*checked', page)
    assert re.search(rf'value="{food.pk}"[^>]*checked', page)
    assert not re.search(r'name="any_region"[^>]*checked', page)


def test_regions_are_grouped_metropolitan_and_overseas(client, newcomer):
    client.force_login(newcomer)
    page = client.get("/portal/onboarding/preferences/").text
    assert "Anywhere in France" in page
    assert "Anything" in page
    metropolitan, overseas = page.index("Metropolitan"), page.index("Overseas")
    assert metropolitan < page.index("Brittany") < overseas < page.index("Guadeloupe")


def test_the_confirm_page_without_a_code_offers_a_new_one(client, newcomer):
    client.force_login(newcomer)
    page = client.get("/portal/onboarding/phone/confirm/").text
    assert "There is no code waiting to be confirmed." in page
    response = client.post("/portal/onboarding/phone/confirm/", {"resend": "1"})
    assert response["Location"] == "/portal/onboarding/phone/"


def test_a_code_must_have_six_digits(client, newcomer):
    client.force_login(newcomer)
    client.post("/portal/onboarding/phone/", {"phone_number": "0781223344"})
    response = client.post("/portal/onboarding/phone/confirm/", {"code": "12ab"})
    assert "6 digits" in errors(response)


# After onboarding: the same forms, back to the dashboard


def test_the_profile_can_be_changed_after_onboarding(client, alice):
    client.force_login(alice.user)
    page = client.get("/portal/profile/").text
    assert 'value="Alice"' in page
    assert "Step 1 of 4" not in page
    response = client.post("/portal/profile/", {**STEP1, "display_name": "Ali"}, follow=True)
    assert response.redirect_chain[-1][0] == "/portal/"
    assert "Your profile is saved." in response.text
    assert "Hello Ali" in response.text


def test_the_preferences_can_be_changed_after_onboarding(client, alice):
    client.force_login(alice.user)
    corsica = Region.objects.get(code="corse")
    response = client.post(
        "/portal/preferences/", {"regions": [corsica.pk], "any_motive": "on"}, follow=True
    )
    assert "Your regions and topics are saved." in response.text
    alice.refresh_from_db()
    assert not alice.any_region
    assert list(alice.regions.all()) == [corsica]


def test_a_new_number_replaces_the_old_one_only_once_verified(client, alice):
    old = alice.phone_number.as_national
    client.force_login(alice.user)
    response = client.post("/portal/phone/", {"phone_number": "06 99 88 77 66"}, follow=True)
    assert response.redirect_chain[-1][0] == "/portal/phone/confirm/"
    assert "06 99 88 77 66" in response.text
    assert old in client.get("/portal/").text
    code = found(r"\b(\d{6})\b", locmem.outbox[-1].body, 1)
    response = client.post("/portal/phone/confirm/", {"code": code}, follow=True)
    assert response.redirect_chain[-1][0] == "/portal/"
    assert "Your mobile number is verified." in response.text
    assert "06 99 88 77 66" in response.text
    assert old not in response.text


def test_the_edit_pages_wait_for_onboarding(client, newcomer):
    client.force_login(newcomer)
    for path in ("/portal/profile/", "/portal/phone/", "/portal/preferences/"):
        assert client.get(path)["Location"] == "/portal/onboarding/profile/", path
