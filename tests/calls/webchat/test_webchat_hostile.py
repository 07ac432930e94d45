"""The web chat's API against a hostile browser or script: bodies no panel sends (nested JSON,
NUL bytes, lone surrogates, forged tokens of odd shapes) get a clear JSON refusal, never a 500,
and nothing is stored."""

from __future__ import annotations

import json

import pytest

from calls.models import Message, WebVisitor
from calls.webchat.guard import pass_of

from .conftest import SITE, solve

pytestmark = pytest.mark.django_db

NESTED = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize("path", ["session/", "messages/", "email/"])
def test_deeply_nested_json_is_refused_as_unreadable(visitor, path):
    visitor.start()
    response = visitor.post(path, NESTED)
    assert response.status_code == 400
    assert response.json()["error"] == "The request could not be read."
    assert response["Access-Control-Allow-Origin"] == SITE


@pytest.mark.parametrize("text", ["Hello\u0000world", "Hello \ud800 there"])
def test_a_message_with_a_nul_or_a_lone_surrogate_is_refused_and_nothing_stored(visitor, text):
    visitor.start()
    body = {"token": visitor.token, "text": text, "id": "m1"}
    body["nonce"] = solve(visitor.challenge, visitor.bits)
    response = visitor.post("messages/", json.dumps(body))  # ASCII JSON: "\u0000", "\ud800"
    assert response.status_code == 400
    assert response.json()["error"] == "The request could not be read."
    assert not Message.objects.exists()


@pytest.mark.parametrize("email", ["tourist@exa\ud800mple.com", "tourist\u0000@example.com"])
def test_an_email_address_with_a_lone_surrogate_or_a_nul_is_refused(visitor, email):
    visitor.start()
    response = visitor.post("email/", json.dumps({"token": visitor.token, "email": email}))
    assert response.status_code == 400
    assert WebVisitor.objects.get().email == ""


@pytest.mark.parametrize("path", ["messages/", "email/"])
def test_a_forged_token_with_a_lone_surrogate_is_refused(visitor, path):
    visitor.start()
    forged = "eyJ2Ijoi:abc:d\ud800"
    body = json.dumps({"token": forged, "text": "Hi", "id": "m1", "email": "a@b.fr"})
    response = visitor.post(path, body)
    assert response.status_code == 400
    assert response.json()["error"] == "The request could not be read."


def test_a_token_no_signer_could_have_made_is_no_pass(web_chat):
    assert pass_of("eyJ2Ijoi:abc:d\ud800", chat=web_chat.key) is None
    assert pass_of("eyJ2Ijoi:abc:dé", chat=web_chat.key) is None
