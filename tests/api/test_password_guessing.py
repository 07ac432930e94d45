"""Guessing a password through POST /api/v1/auth/token/ (issue 11, hole 3).

The limits are the web login's: five failed attempts on one account within five minutes lock it,
whatever address they come from; ten failures a minute from one address, whatever the account.
The client's address is the connection's unless a trusted proxy count says otherwise."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import override_settings

from ..factories import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"


def log_in(api, *, password: str, email: str = "alice@example.com", **headers: str):
    return api.post(TOKEN, {"email": email, "password": password}, **headers)


def trusting(proxies: int):
    """Settings as NUM_PROXIES=<proxies> makes them (see concierge/settings.py)."""
    return override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "NUM_PROXIES": proxies},
        ALLAUTH_TRUSTED_PROXY_COUNT=proxies,
    )


def test_spoofed_forwarded_for_headers_do_not_reset_the_limits(api, alice):
    answers = [
        log_in(api, password=f"guess-{n}", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(40)
    ]
    assert answers[:5] == [400] * 5
    assert set(answers[5:]) == {429}
    # The right password does not get through while the lock lasts.
    right = log_in(api, password=PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert right.status_code == 429


def test_an_account_locks_after_five_failures_from_as_many_addresses(api, alice):
    for n in range(5):
        response = log_in(api, password="wrong", REMOTE_ADDR=f"192.0.2.{n + 1}")
        assert response.status_code == 400
    response = log_in(api, password=PASSWORD, REMOTE_ADDR="192.0.2.99")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 300
    assert response.json()["detail"] == (
        "Too many failed attempts to log in. Try again in 5 minutes."
    )


def test_the_lock_is_on_the_account_not_on_everyone(api, alice, bob):
    for n in range(5):
        log_in(api, password="wrong", REMOTE_ADDR=f"192.0.2.{n + 1}")
    response = log_in(api, email="bob@example.com", password=PASSWORD, REMOTE_ADDR="192.0.2.50")
    assert response.status_code == 200


def test_the_address_is_limited_across_accounts(api, alice):
    answers = [
        log_in(
            api, email=f"person{n}@example.com", password="x", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}"
        ).status_code
        for n in range(12)
    ]
    assert answers[:10] == [400] * 10
    assert answers[10:] == [429, 429]
    assert log_in(api, password=PASSWORD, REMOTE_ADDR="192.0.2.8").status_code == 200


def test_successful_logins_spend_no_tries(api, alice):
    for _attempt in range(8):
        assert log_in(api, password=PASSWORD).status_code == 200


def test_the_web_login_and_the_api_share_one_lock(api, client, alice):
    for n in range(5):
        log_in(api, password="wrong", REMOTE_ADDR=f"192.0.2.{n + 1}")
    response = client.post(
        "/accounts/login/",
        {"login": "alice@example.com", "password": PASSWORD},
        REMOTE_ADDR="192.0.2.77",
    )
    assert response.status_code == 200  # the form again, with the error
    assert "Too many failed login attempts" in response.content.decode()


def test_the_web_logins_failures_count_for_the_api(api, client, alice):
    for n in range(5):
        client.post(
            "/accounts/login/",
            {"login": "alice@example.com", "password": "wrong"},
            REMOTE_ADDR=f"192.0.2.{n + 1}",
        )
    assert log_in(api, password=PASSWORD, REMOTE_ADDR="192.0.2.77").status_code == 429


def test_the_per_address_throttle_says_when_to_come_back(api, alice, monkeypatch):
    from rest_framework.throttling import ScopedRateThrottle

    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "auth", "2/minute")
    for _attempt in range(2):
        log_in(api, password=PASSWORD)
    response = log_in(api, password=PASSWORD)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert response.json()["detail"].startswith("Too many attempts to log in from your address.")


def test_behind_one_trusted_proxy_the_address_is_the_one_it_saw(api, alice):
    with trusting(1):
        # The client wrote 10.9.9.9; our proxy appended the address it saw.
        forwarded = "10.9.9.9, 1.2.3.4"
        for n in range(10):
            guess = log_in(api, email=f"p{n}@ex.com", password="x", HTTP_X_FORWARDED_FOR=forwarded)
            assert guess.status_code == 400
        spoofed = log_in(api, password=PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.8, 1.2.3.4")
        assert spoofed.status_code == 429
        other_client = log_in(api, password=PASSWORD, HTTP_X_FORWARDED_FOR="1.2.3.5")
        assert other_client.status_code == 200


def test_without_a_trusted_proxy_the_settings_trust_no_header():
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == 0
    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == 0
    assert settings.SECURE_PROXY_SSL_HEADER is None


def test_the_lock_is_explained_in_french(api, alice):
    for n in range(5):
        log_in(api, password="wrong", REMOTE_ADDR=f"192.0.2.{n + 1}")
    response = log_in(api, password=PASSWORD, REMOTE_ADDR="192.0.2.9", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.json()["detail"] == (
        "Trop de tentatives de connexion échouées. Réessayez dans 5 minutes."
    )
