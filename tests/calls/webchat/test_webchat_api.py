"""The web chat's API as a browser on a tourist office's site meets it: a token, the proof of
work, the honeypot, the limits, CORS for the allowed sites only, and clear refusals."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from calls.models import Conversation, Message, WebChat, WebVisitor
from calls.telephony import locmem
from calls.webchat.guard import proof_holds

from .conftest import SITE, Visitor, solve

pytestmark = pytest.mark.django_db


def test_it_gives_a_visitor_a_token_and_a_puzzle(visitor):
    response = visitor.start("de-DE")
    assert response.status_code == 201
    assert response["Access-Control-Allow-Origin"] == SITE
    assert visitor.token and visitor.challenge and visitor.bits == 6
    assert "Set-Cookie" not in response  # nothing to carry across origins
    assert WebVisitor.objects.get().language == "de"


def test_it_speaks_the_visitors_language_before_any_session(client, web_chat):
    response = client.get("/chat/api/lyon/", {"lang": "ja-JP"}, HTTP_ORIGIN=SITE)
    assert response.status_code == 200
    assert response.json()["title"] == "Lyon Tourisme"
    assert response.json()["texts"]["send"] == "送信"


def test_it_refuses_a_site_the_chat_does_not_allow(web_chat):
    stranger = Visitor(client=Client(), origin="https://evil.example")
    response = stranger.start()
    assert response.status_code == 403
    assert "Access-Control-Allow-Origin" not in response
    assert "may not use this chat" in response.json()["error"]
    assert not WebVisitor.objects.exists()


def test_a_preflight_is_answered_for_allowed_sites_only(client, web_chat):
    allowed = client.options("/chat/api/lyon/messages/", HTTP_ORIGIN=SITE)
    assert allowed.status_code == 204
    assert allowed["Access-Control-Allow-Origin"] == SITE
    assert "If-None-Match" in allowed["Access-Control-Allow-Headers"]
    refused = client.options("/chat/api/lyon/messages/", HTTP_ORIGIN="https://evil.example")
    assert refused.status_code == 403 and "Access-Control-Allow-Origin" not in refused


def test_an_unknown_chat_is_a_404_with_a_message(client, db):
    response = client.post("/chat/api/nowhere/session/", "{}", content_type="text/plain")
    assert response.status_code == 404
    assert response.json()["error"] == "This chat is not available at the moment."


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        ("not json", 400, "could not be read"),
        ("[1, 2]", 400, "could not be read"),
        ({"token": "forged", "text": "Hi", "id": "a1"}, 401, "expired"),
    ],
)
def test_bad_input_is_a_clear_refusal(visitor, body, status, says):
    visitor.start()
    response = visitor.post("messages/", body)
    assert response.status_code == status
    assert says in response.json()["error"]


def test_an_empty_or_too_long_message_is_refused_with_a_reason(visitor):
    visitor.start()
    assert visitor.write("   ").json()["error"] == "Write a message first."
    too_long = visitor.write("x" * 1001)
    assert too_long.status_code == 400
    assert "1000 characters at most" in too_long.json()["error"]
    assert not Message.objects.exists()


def test_the_first_message_needs_the_proof_of_work(visitor):
    visitor.start()
    wrong = next(str(n) for n in range(1000) if not proof_holds(visitor.challenge, str(n)))
    response = visitor.write("Hello", nonce=wrong)
    assert response.status_code == 403
    assert "security check" in response.json()["error"]
    assert not Conversation.objects.exists()
    assert visitor.write("Hello").status_code == 201
    assert visitor.write("And a second one", proof=False).status_code == 201  # once is enough


def test_the_honeypot_swallows_a_bot_quietly(visitor):
    visitor.start()
    response = visitor.write("BUY CHEAP WATCHES", website="http://spam.example")
    assert response.status_code == 202
    assert not Message.objects.exists() and not locmem.outbox


def test_a_retried_message_is_stored_once(visitor):
    visitor.start()
    nonce = solve(visitor.challenge, visitor.bits)
    body = {"token": visitor.token, "text": "Hello", "id": "same-id", "nonce": nonce}
    assert visitor.post("messages/", body).status_code == 201
    assert visitor.post("messages/", body).status_code == 200
    assert Message.objects.filter(direction="in").count() == 1


def test_a_flood_is_limited_per_token_and_per_address(visitor, settings):
    settings.WEBCHAT_LIMITS = {**settings.WEBCHAT_LIMITS, "write_token": (3, 60)}
    visitor.start()
    statuses = [visitor.write(f"Message {n}").status_code for n in range(5)]
    assert statuses == [201, 201, 201, 429, 429]
    assert "wait a minute" in visitor.write("again").json()["error"]
    settings.WEBCHAT_LIMITS = {**settings.WEBCHAT_LIMITS, "start_ip": (2, 3600)}
    others = [Visitor(client=visitor.client).start().status_code for _ in range(3)]
    assert others == [201, 429, 429]  # the first visitor's start counted too


def test_polling_answers_304_while_nothing_changed(visitor, django_capture_on_commit_callbacks):
    visitor.start()
    first = visitor.poll()
    assert first.status_code == 200 and first.json() == {"status": "new", "messages": []}
    assert first["Cache-Control"] == "private, no-cache"
    assert first["Access-Control-Expose-Headers"] == "ETag"
    assert visitor.poll().status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        visitor.write("Where can I eat good cheese?")
    changed = visitor.poll()
    assert changed.status_code == 200
    assert visitor.texts()[0] == "Where can I eat good cheese?"
    assert visitor.poll().status_code == 304


def test_a_poll_with_a_token_of_another_chat_is_refused(visitor, national_line):
    WebChat.objects.create(key="paris", name="Paris", line=national_line, allowed_origins=SITE)
    visitor.start()
    response = visitor.client.get("/chat/api/paris/messages/", {"t": visitor.token})
    assert response.status_code == 401


def test_leaving_an_email_address(visitor):
    visitor.start()
    assert visitor.post("email/", {"token": visitor.token, "email": "nope"}).status_code == 400
    ok = visitor.post("email/", {"token": visitor.token, "email": "ines@example.com"})
    assert ok.status_code == 200
    assert WebVisitor.objects.get().email == "ines@example.com"


def test_the_script_is_served_for_any_site(client, db):
    response = client.get("/chat/widget.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert b"data-line" in response.content


def test_a_foreign_site_gets_no_304_either(visitor):
    visitor.start()
    visitor.poll()
    visitor.origin = "https://evil.example"
    response = visitor.poll()
    assert response.status_code == 403
    assert "Access-Control-Allow-Origin" not in response


@pytest.mark.parametrize(
    ("backend", "after_ten_minutes"),
    [
        ("django.core.cache.backends.filebased.FileBasedCache", 304),  # shared by processes
        ("django.core.cache.backends.locmem.LocMemCache", 200),  # a process's own memory
    ],
)
def test_a_panel_open_for_long_keeps_its_etag_in_a_shared_cache(
    visitor, settings, tmp_path, backend, after_ten_minutes
):
    """In a shared cache the stamp outlives a long visit (an expired one costs the panel a read
    of its thread); in a process's own memory it expires within a minute, so that another
    process cannot miss a new reply for longer."""
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": str(tmp_path)}}
    with time_machine.travel("2026-07-01 10:00", tick=False) as traveller:
        visitor.start()
        assert visitor.poll().status_code == 200
        assert visitor.poll().status_code == 304
        traveller.shift(600)
        assert visitor.poll().status_code == after_ten_minutes
