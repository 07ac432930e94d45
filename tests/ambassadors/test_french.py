"""The portal speaks French to those who ask for it."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_dashboard_in_french(client, alice):
    client.force_login(alice.user)
    page = client.get("/portal/", HTTP_ACCEPT_LANGUAGE="fr").text
    assert 'lang="fr"' in page
    assert "Vous recevez des appels en ce moment." in page
    assert "Mon tableau de bord" in page


def test_errors_are_in_french_too(client, newcomer):
    client.force_login(newcomer)
    response = client.post(
        "/portal/onboarding/profile/",
        {"display_name": "Noé", "date_of_birth": "1990-01-01", "languages": ["fr"]},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert "L’anglais est obligatoire" in response.text


def test_the_language_switch_remembers_the_choice(client, alice):
    client.force_login(alice.user)
    client.post("/i18n/setlang/", {"language": "fr", "next": "/portal/"})
    assert "Statut" in client.get("/portal/").text


def test_phone_codes_are_refused_in_french(client, newcomer):
    client.force_login(newcomer)
    french = {"HTTP_ACCEPT_LANGUAGE": "fr"}
    client.post("/portal/onboarding/phone/", {"phone_number": "0781223344"}, **french)
    response = client.post("/portal/onboarding/phone/confirm/", {"code": "12345"}, **french)
    assert "Le code comporte 6 chiffres." in response.text
    again = client.post("/portal/onboarding/phone/confirm/", {"resend": "1"}, follow=True, **french)
    assert "Vous pourrez en demander un nouveau dans" in again.text
