"""HTTP hardening (issue 11, hole 10): a Content-Security-Policy that allows our own static files
and nothing inline, a Permissions-Policy, no caching of personal pages, and X-Forwarded-Proto
believed only from a configured proxy."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from rest_framework.authtoken.models import Token

from concierge.middleware import PrivateResponsesMiddleware

from .environment import settings_under

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
INLINE = {
    "an inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "an event handler attribute": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "a javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
    "a style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "a style element": re.compile(r"<style", re.IGNORECASE),
}


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {name: sources for name, *sources in (part.split() for part in policy.split(";"))}


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: p.name)
def test_no_template_has_inline_script_or_style(template):
    text = template.read_text()
    for what, pattern in INLINE.items():
        assert not pattern.search(text), f"{template.relative_to(TEMPLATES)} has {what}"


def test_pages_carry_a_policy_that_allows_only_our_own_files(client, alice):
    client.force_login(alice.user)
    response = client.get("/portal/availability/")
    assert response.status_code == 200
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    # htmx comes from our static files, not a CDN.
    assert re.search(r'<script src="/static/django_htmx/htmx-2[^"]*\.js"', response.text)


def test_the_availability_bars_need_no_inline_style(client, alice):
    client.force_login(alice.user)
    page = client.get("/portal/availability/").text
    assert '<rect class="covered" x="0.000%" width="100.000%"' in page
    assert "style=" not in page


def test_the_api_docs_get_inline_styles_and_nothing_else(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    policy = directives(response)
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["script-src"] == ["'self'"]
    # The Swagger UI's start-up script is a file of its own, not an inline script.
    assert not INLINE["an inline script"].search(response.text)
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.text


def test_the_api_answers_carry_the_policy_too(as_alice_api):
    response = as_alice_api.get("/api/v1/me/")
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_a_permissions_policy_denies_what_we_never_use(client):
    policy = client.get("/accounts/login/")["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


@pytest.mark.parametrize(
    "url", ["/portal/", "/portal/availability/", "/calls/history/", "/calls/conversations/"]
)
def test_personal_pages_are_never_stored(client, alice, url):
    client.force_login(alice.user)
    cache_control = client.get(url)["Cache-Control"]
    assert "private" in cache_control
    assert "no-store" in cache_control


def test_rota_pages_are_never_stored(client):
    from ..rotas.people import Team

    team = Team()
    client.force_login(team.coordinator.user)
    response = client.get("/rotas/", follow=True)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_api_answers_are_never_stored(as_alice_api):
    cache_control = as_alice_api.get("/api/v1/me/")["Cache-Control"]
    assert "private" in cache_control
    assert "no-store" in cache_control


def test_a_view_may_make_an_anonymous_answer_public():
    def public(request):
        response = HttpResponse("figures")
        response["Cache-Control"] = "public, max-age=60"
        return response

    anonymous = RequestFactory().get("/")
    assert PrivateResponsesMiddleware(public)(anonymous)["Cache-Control"] == "public, max-age=60"
    with_a_token = RequestFactory().get("/", HTTP_AUTHORIZATION="Token abc")
    assert "no-store" in PrivateResponsesMiddleware(public)(with_a_token)["Cache-Control"]


@override_settings(SECURE_SSL_REDIRECT=True)
def test_a_client_cannot_claim_https_by_itself(client):
    response = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


@override_settings(
    SECURE_SSL_REDIRECT=True, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")
)
def test_behind_a_trusted_proxy_its_word_is_taken(client):
    assert client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https").status_code == 200


def test_the_proxy_header_is_trusted_only_with_num_proxies():
    production = {"SECRET_KEY": "x" * 60}
    assert settings_under(**production)["SECURE_PROXY_SSL_HEADER"] is None
    behind_one = settings_under(**production, NUM_PROXIES="1")
    assert behind_one["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    behind_two = settings_under(**production, NUM_PROXIES="2")
    assert behind_two["REST_FRAMEWORK"]["NUM_PROXIES"] == 2
    assert behind_two["ALLAUTH_TRUSTED_PROXY_COUNT"] == 2


def test_with_debug_on_the_policy_is_only_reported():
    assert settings_under(DEBUG="1")["CSP_REPORT_ONLY"] is True
    assert settings_under(SECRET_KEY="x" * 60)["CSP_REPORT_ONLY"] is False


@pytest.fixture
def as_alice_api(alice):
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=alice.user).key}")
    return api
