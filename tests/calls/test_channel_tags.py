"""What a local sees of where a tourist writes from: their country by SMS, "(WhatsApp)" on
WhatsApp, "web chat" for a visitor of the web chat (who has no number, so no country): on the
first relayed text, on the conversation pages and in the admin's list; in the local's language."""

from __future__ import annotations

import pytest

from calls.models import Conversation, WebChat
from calls.telephony import locmem
from calls.webchat.guard import proof_holds
from calls.webchat.services import visitor_start, visitor_write

from ..factories import every_day, make_ambassador
from .twilio import text, whatsapp

pytestmark = pytest.mark.django_db

GERMAN = "+4915112345678"


@pytest.fixture(autouse=True)
def _small_puzzle(settings):
    settings.WEBCHAT_POW_BITS = 4


def inbox(number: str) -> list[str]:
    return [sent.body for sent in locmem.outbox if sent.to == number]


def web_visitor_writes(line, text: str) -> Conversation:
    chat = WebChat.objects.create(key="lyon", name="Lyon Tourisme", line=line)
    visitor_pass = visitor_start(chat=chat, language="en")
    nonce = next(str(n) for n in range(100_000) if proof_holds(visitor_pass.challenge, str(n)))
    visitor_write(visitor_pass=visitor_pass, text=text, client_id="m1", nonce=nonce)
    return Conversation.objects.get(tourist_number=visitor_pass.address)


@pytest.mark.parametrize(
    ("languages", "web", "whatsapp_tag"),
    [(("en", "de"), "web chat", "Germany (WhatsApp)"), (("en", "fr"), "discussion web", None)],
)
def test_the_first_relayed_text_says_web_chat_or_whatsapp_in_the_locals_language(
    national_line, django_capture_on_commit_callbacks, client, languages, web, whatsapp_tag
):
    local = make_ambassador("lou@example.com", name="Lou", languages=languages, slots=every_day())
    phone = local.phone_number.as_e164
    with django_capture_on_commit_callbacks(execute=True):
        conversation = web_visitor_writes(national_line, "Where can I eat cheese?")
    assert conversation.responder == local
    assert inbox(phone) == [f"[#{conversation.code} {web}] Where can I eat cheese?"]
    assert "unknown" not in inbox(phone)[0] and "inconnu" not in inbox(phone)[0]

    with django_capture_on_commit_callbacks(execute=True):
        whatsapp(client, GERMAN, "Hallo!")
    on_whatsapp = Conversation.objects.get(tourist_number=f"whatsapp:{GERMAN}")
    assert on_whatsapp.responder == local  # Lou takes several conversations at once
    expected = whatsapp_tag or "Allemagne (WhatsApp)"
    assert inbox(phone)[-1] == f"[#{on_whatsapp.code} {expected}] Hallo!"

    with django_capture_on_commit_callbacks(execute=True):
        text(client, phone, "Hello")  # two open, no code: which one? Both, as tagged above
    assert f"#{conversation.code} {web}" in inbox(phone)[-1]
    assert f"#{on_whatsapp.code} {expected}" in inbox(phone)[-1]


def test_the_conversation_pages_and_the_admin_list_say_web_chat_and_whatsapp(
    national_line, django_capture_on_commit_callbacks, client, staff
):
    local = make_ambassador("lou@example.com", name="Lou", languages=("en",), slots=every_day())
    with django_capture_on_commit_callbacks(execute=True):
        web = web_visitor_writes(national_line, "Where can I eat cheese?")
        whatsapp(client, GERMAN, "Hallo!")
    on_whatsapp = Conversation.objects.get(tourist_number=f"whatsapp:{GERMAN}")

    client.force_login(local.user)
    listing = client.get("/calls/conversations/").text
    assert f"#{web.code} web chat" in listing
    assert f"#{on_whatsapp.code} Germany (WhatsApp)" in listing
    assert "unknown country" not in listing
    page = client.get(f"/calls/conversations/{web.public_id}/").text
    assert f"<h1>#{web.code} web chat</h1>" in page
    page = client.get(f"/calls/conversations/{on_whatsapp.public_id}/").text
    assert f"<h1>#{on_whatsapp.code} Germany (WhatsApp)</h1>" in page

    client.force_login(staff)
    admin = client.get("/admin/calls/conversation/").text
    assert "web chat" in admin and "Germany (WhatsApp)" in admin
    assert "unknown country" not in admin
    assert GERMAN[1:] not in admin
    assert client.get("/admin/calls/conversation/?channel__exact=web").status_code == 200
