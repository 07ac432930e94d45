from __future__ import annotations

import pytest
from django.core.management import call_command
from drf_spectacular.drainage import reset_generator_stats
from rest_framework.throttling import ScopedRateThrottle

from ..factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    ("get", "/api/v1/me/"),
    ("patch", "/api/v1/me/"),
    ("post", "/api/v1/me/phone/verification/"),
    ("post", "/api/v1/me/phone/verification/confirm/"),
    ("get", "/api/v1/me/availability/"),
    ("post", "/api/v1/me/availability/"),
    ("get", "/api/v1/me/availability/6f1c1c5e-3f7e-4c1e-9a55-1a2b3c4d5e6f/"),
    ("put", "/api/v1/me/availability/6f1c1c5e-3f7e-4c1e-9a55-1a2b3c4d5e6f/"),
    ("patch", "/api/v1/me/availability/6f1c1c5e-3f7e-4c1e-9a55-1a2b3c4d5e6f/"),
    ("delete", "/api/v1/me/availability/6f1c1c5e-3f7e-4c1e-9a55-1a2b3c4d5e6f/"),
    ("post", "/api/v1/me/pause/"),
    ("delete", "/api/v1/me/pause/"),
    ("delete", "/api/v1/auth/token/"),
]


def test_it_gives_a_token_for_the_right_password(api, alice):
    response = api.post("/api/v1/auth/token/", {"email": "alice@example.com", "password": PASSWORD})
    assert response.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert api.get("/api/v1/me/").json()["display_name"] == "Alice"


def test_a_wrong_password_is_a_400_that_says_so(api, alice):
    response = api.post("/api/v1/auth/token/", {"email": "alice@example.com", "password": "no"})
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["The e-mail address or the password is not right."]
    }


def test_an_unverified_email_gets_no_token(api):
    make_user("new@example.com", verified=False)
    response = api.post("/api/v1/auth/token/", {"email": "new@example.com", "password": PASSWORD})
    assert response.status_code == 400
    assert "Verify your e-mail address first" in response.json()["non_field_errors"][0]


def test_the_email_is_not_case_sensitive(api, alice):
    response = api.post("/api/v1/auth/token/", {"email": "Alice@Example.COM", "password": PASSWORD})
    assert response.status_code == 200


def test_a_suspended_account_gets_no_token(api, alice):
    alice.user.is_active = False
    alice.user.save(update_fields=["is_active"])
    response = api.post("/api/v1/auth/token/", {"email": "alice@example.com", "password": PASSWORD})
    assert response.status_code == 400


def test_password_guessing_is_throttled(api, alice, monkeypatch):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "auth", "3/minute")
    for _attempt in range(3):
        response = api.post("/api/v1/auth/token/", {"email": "alice@example.com", "password": "x"})
        assert response.status_code == 400
    response = api.post("/api/v1/auth/token/", {"email": "alice@example.com", "password": PASSWORD})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


def test_a_token_is_refused_once_the_account_is_suspended(as_alice, alice):
    alice.user.is_active = False
    alice.user.save(update_fields=["is_active"])
    assert as_alice.get("/api/v1/me/").status_code == 401


def test_missing_fields_are_named(api):
    response = api.post("/api/v1/auth/token/", {"email": "not an address"})
    assert response.status_code == 400
    assert set(response.json()) == {"email", "password"}


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_anonymous_requests_get_401(api, method, url):
    response = getattr(api, method)(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_logging_out_revokes_the_token(as_alice):
    assert as_alice.delete("/api/v1/auth/token/").status_code == 204
    assert as_alice.get("/api/v1/me/").status_code == 401


def test_the_schema_is_valid_and_the_docs_load_nothing_from_a_cdn(client):
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    assert "/api/v1/me/availability/{slot_id}/" in schema["paths"]
    response = client.get("/api/schema/")
    assert response.status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower()


def test_the_schema_has_no_warnings(tmp_path):
    # --fail-on-warn turns any drf-spectacular warning (an untyped field, a guessed path
    # parameter…) into an error, so the docs the app developers read stay exact.
    reset_generator_stats()  # counts from earlier tests in this process must not leak in
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))
