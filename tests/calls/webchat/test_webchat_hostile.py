"""The web chat's API against a hostile browser or script: bodies no panel sends (nested JSON,
NUL bytes, lone surrogates, forged tokens of odd shapes) get a clear JSON refusal, never a 500,
and nothing is stored."""

from __future__ import annotations

import json

import pytest

from calls.models import Message, MessageAuthor, MessageDirection, WebVisitor
from calls.telephony import locmem
from calls.webchat.guard import pass_of

from ...factories import every_day, make_ambassador
from ..twilio import signed_post, text
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


@pytest.mark.parametrize(
    "news", [{"MessageStatus": "undelivered", "ErrorCode": "63016"}, {"MessageStatus": "failed"}]
)
def test_a_signed_status_callback_about_a_web_reply_changes_nothing(
    client, visitor, settings, django_capture_on_commit_callbacks, news
):
    """Web replies never go through Twilio: news of one (a stray or replayed callback naming
    it) neither holds it as a WhatsApp reply nor tells the local it failed."""
    settings.WHATSAPP_TEMPLATE_LOCAL_ANSWERED = {"en": "HX" + "e" * 32}
    camille = make_ambassador("camille@example.com", name="Camille", slots=every_day())
    visitor.start()
    with django_capture_on_commit_callbacks(execute=True):
        visitor.write("Where is the old town?")
    with django_capture_on_commit_callbacks(execute=True):
        text(client, camille.phone_number.as_e164, "Take the funicular to Saint-Jean.")
    reply = Message.objects.get(author=MessageAuthor.LOCAL, direction=MessageDirection.OUTBOUND)
    before = (reply.status, Message.objects.count(), len(locmem.outbox))
    params = {"MessageSid": "SM" + "7" * 32, **news}
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_post(client, f"/calls/sms/status/?m={reply.public_id}", params)
    assert response.status_code == 200
    reply.refresh_from_db()
    assert (reply.status, Message.objects.count(), len(locmem.outbox)) == before
    visitor.poll()
    assert visitor.texts()[-1] == "Take the funicular to Saint-Jean."


def test_a_chat_deleted_a_moment_ago_is_closed_not_a_crash(visitor, web_chat):
    assert visitor.client.get("/chat/api/lyon/", HTTP_ORIGIN=SITE).status_code == 200
    web_chat.delete()  # its settings stay a minute in the shared cache
    response = visitor.start()
    assert response.status_code == 404
    assert response.json()["error"] == "This chat is not available at the moment."


def test_a_body_past_djangos_upload_limit_is_refused_in_json_the_panel_can_read(visitor):
    visitor.start()
    huge = {"token": visitor.token, "text": "a" * 3_000_000, "id": "big"}
    refused = visitor.post("messages/", huge)
    assert refused.status_code == 413
    assert refused["Access-Control-Allow-Origin"] == SITE
    assert refused.json() == {"error": "Your message is too long: 1000 characters at most."}
