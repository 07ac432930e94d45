"""WhatsApp tourists, through signed webhooks: Twilio posts their messages on the same Messaging
webhook with ``whatsapp:`` addresses. The same relay, keywords, FAQ, opt-out and masking as SMS;
the local answers by SMS; replies go back on WhatsApp, free-form only within 24 hours of the
tourist's last message, otherwise as an approved template."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import override_settings

from calls.models import (
    CloseReason,
    Conversation,
    ConversationChannel,
    ConversationStatus,
    Message,
    MessageAuthor,
    MessageStatus,
)
from calls.sms import sweep as sms_sweep
from calls.telephony import locmem

from ..factories import every_day, make_ambassador
from .twilio import signed_post, text, whatsapp

LINE = "+33199000000"
LINE_WA = f"whatsapp:{LINE}"
GERMAN = "+4915112345678"
GERMAN_WA = f"whatsapp:{GERMAN}"
TEMPLATES = {"en": "HX" + "e" * 32, "de": "HX" + "d" * 32}
MONDAY = datetime(2026, 6, 8, 9, 0, tzinfo=UTC)


@pytest.fixture
def wa(client, national_line, django_capture_on_commit_callbacks):
    """``wa(from_, body)``: a WhatsApp message to the line, as Twilio posts it."""

    def send(from_: str, body: str, **kwargs) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            return whatsapp(client, from_, body, **kwargs)

    return send


@pytest.fixture
def sms(client, national_line, django_capture_on_commit_callbacks):
    def send(from_: str, body: str) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            return text(client, from_, body)

    return send


@pytest.fixture
def carla(db):
    return make_ambassador(
        "carla@example.com", name="Carla Martin", languages=("en", "de"), slots=every_day()
    )


def inbox(address: str) -> list[locmem.OutgoingSMS]:
    return [sent for sent in locmem.outbox if sent.to == address]


def bodies(address: str) -> list[str]:
    return [sent.body for sent in inbox(address)]


def phone_of(ambassador) -> str:
    return ambassador.phone_number.as_e164


def test_a_whatsapp_tourist_and_a_local_on_sms_never_see_each_others_number(wa, sms, carla):
    wa(GERMAN, "Hallo! Where can I eat cheese in Lyon? Call me on +49 151 98765432")

    conversation = Conversation.objects.get()
    assert conversation.channel == ConversationChannel.WHATSAPP
    assert conversation.responder == carla
    (relayed,) = inbox(phone_of(carla))
    assert relayed.from_ == LINE  # the local hears from the line's number, by SMS
    assert relayed.body.startswith(f"[#{conversation.code} Germany (WhatsApp)] Hallo!")
    assert "98765432" not in relayed.body and "[…]" in relayed.body
    assert "4915112345678" not in relayed.body
    to_tourist = inbox(GERMAN_WA)
    assert {sent.from_ for sent in to_tourist} == {LINE_WA}  # on WhatsApp, from the line
    assert any("Carla" in sent.body for sent in to_tourist)
    assert not inbox(GERMAN)  # nothing by SMS

    sms(phone_of(carla), "Try the Halles! Or call my friend on 06 12 34 56 78")
    reply = next(s for s in inbox(GERMAN_WA) if s.body.startswith("Try the Halles"))
    assert reply.from_ == LINE_WA and not reply.content_sid
    assert "06 12 34 56 78" not in reply.body and "[…]" in reply.body
    assert phone_of(carla)[3:] not in "".join(bodies(GERMAN_WA))

    wa(GERMAN, "Danke!")
    assert bodies(phone_of(carla))[-1] == f"[#{conversation.code}] Danke!"


@override_settings(WHATSAPP_TEMPLATE_LOCAL_ANSWERED=TEMPLATES)
def test_after_24_hours_only_the_template_goes_and_the_reply_waits_for_the_tourist(
    wa, sms, carla, client
):
    with time_machine.travel(MONDAY, tick=False):
        wa(GERMAN, "Is the Louvre open on Tuesdays?")
    conversation = Conversation.objects.get()
    code = conversation.code

    with time_machine.travel(MONDAY + timedelta(hours=23, minutes=59, seconds=59), tick=False):
        sms(phone_of(carla), "It is closed on Tuesdays.")
    free_form = inbox(GERMAN_WA)[-1]
    assert free_form.body == "It is closed on Tuesdays." and not free_form.content_sid

    sent_before = len(locmem.outbox)
    with time_machine.travel(MONDAY + timedelta(hours=24, seconds=1), tick=False):
        sms(phone_of(carla), "But the Orsay is open!")
        sms(phone_of(carla), "And so is the Pompidou.")
    new = locmem.outbox[sent_before:]
    (template,) = [sent for sent in new if sent.to == GERMAN_WA]
    assert template.content_sid == TEMPLATES["de"]  # the tourist's language
    assert template.content_variables == {"1": "Carla"}
    assert template.from_ == LINE_WA
    (notice,) = [sent for sent in new if sent.to == phone_of(carla)]  # told once, not twice
    assert notice.body.startswith(f"[#{code}]") and "24 hours" in notice.body
    held = Message.objects.filter(author=MessageAuthor.LOCAL, status=MessageStatus.HELD)
    assert [m.body for m in held] == ["But the Orsay is open!", "And so is the Pompidou."]

    client.force_login(carla.user)  # her page says where the replies are
    page = client.get(f"/calls/conversations/{conversation.public_id}/").content.decode()
    assert "Held until the tourist writes again (WhatsApp 24-hour rule)" in page

    with time_machine.travel(MONDAY + timedelta(hours=30), tick=False):
        wa(GERMAN, "Sorry, I was asleep")
    latest = bodies(GERMAN_WA)[-2:]
    assert latest == ["But the Orsay is open!", "And so is the Pompidou."]
    assert not Message.objects.filter(status=MessageStatus.HELD).exists()
    assert bodies(phone_of(carla))[-1] == f"[#{code}] Sorry, I was asleep"

    with time_machine.travel(MONDAY + timedelta(hours=31), tick=False):  # the window reopened
        sms(phone_of(carla), "Sleep well!")
    assert inbox(GERMAN_WA)[-1].body == "Sleep well!" and not inbox(GERMAN_WA)[-1].content_sid


def test_without_a_template_the_reply_still_waits_for_the_tourist(wa, sms, carla):
    with time_machine.travel(MONDAY, tick=False):
        wa(GERMAN, "Hello")
    sent_before = len(inbox(GERMAN_WA))
    with time_machine.travel(MONDAY + timedelta(days=1, hours=1), tick=False):
        sms(phone_of(carla), "Hello, how can I help?")
    assert len(inbox(GERMAN_WA)) == sent_before  # nothing Twilio would refuse (63016)
    with time_machine.travel(MONDAY + timedelta(days=1, hours=2), tick=False):
        wa(GERMAN, "Hi again")
    assert bodies(GERMAN_WA)[-1] == "Hello, how can I help?"


def test_our_own_notices_are_not_sent_outside_the_window(
    wa, carla, django_capture_on_commit_callbacks
):
    with time_machine.travel(MONDAY, tick=False):
        wa(GERMAN, "Hello")
    sent_before = len(inbox(GERMAN_WA))
    later = MONDAY + timedelta(hours=25)
    with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks(execute=True):
        sms_sweep.conversations_sweep(now=later)  # quiet for a day: it closes
    assert Conversation.objects.get().close_reason == CloseReason.IDLE
    assert len(inbox(GERMAN_WA)) == sent_before
    dropped = Message.objects.filter(to_number=GERMAN_WA, status=MessageStatus.FAILED)
    assert dropped.exists() and all("24-hour window" in m.error for m in dropped)


def test_a_photo_gets_a_polite_text_only_answer_in_the_tourists_language(wa, carla):
    wa(GERMAN, "", media=1)

    (answer,) = bodies(GERMAN_WA)
    assert "nur geschriebene Nachrichten" in answer
    assert not Conversation.objects.exists()  # nothing to relay: no local disturbed
    assert not inbox(phone_of(carla))
    assert not Message.objects.filter(body__contains="Media").exists()  # no media URL kept

    wa(GERMAN, "This bridge, what is it?", media=2)  # a caption is words: relayed
    conversation = Conversation.objects.get()
    assert bodies(phone_of(carla)) == [
        f"[#{conversation.code} Germany (WhatsApp)] This bridge, what is it?"
    ]
    assert sum("nur geschriebene Nachrichten" in body for body in bodies(GERMAN_WA)) == 2


def test_stop_on_whatsapp_is_confirmed_once_and_silences_whatsapp(wa, sms, carla):
    wa(GERMAN, "Hello")
    conversation = Conversation.objects.get()
    wa(GERMAN, "stop")
    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.CLOSED
    assert conversation.close_reason == CloseReason.OPTED_OUT
    assert "keine Nachrichten mehr" in bodies(GERMAN_WA)[-1]
    assert "START" in bodies(GERMAN_WA)[-1]
    sent = len(locmem.outbox)

    wa(GERMAN, "STOP")  # again: nothing more, not even a confirmation
    wa(GERMAN, "Hello?")  # nothing starts until START
    assert len(locmem.outbox) == sent
    assert Conversation.objects.count() == 1

    wa(GERMAN, "START")
    assert "Willkommen zurück" in bodies(GERMAN_WA)[-1]


def test_the_same_message_posted_twice_is_relayed_once(wa, carla):
    sid = wa(GERMAN, "Hello, Lyon tips?")
    wa(GERMAN, "Hello, Lyon tips?", sid=sid)  # Twilio retries
    assert Message.objects.filter(sid=sid).count() == 1
    assert len(inbox(phone_of(carla))) == 1
    assert sum("Carla" in body for body in bodies(GERMAN_WA)) == 1


def test_whatsapp_and_sms_of_one_tourist_are_two_conversations(wa, sms, carla):
    wa(GERMAN, "Hello from WhatsApp")
    sms(GERMAN, "Hello by SMS")
    by_channel = {c.channel: c for c in Conversation.objects.all()}
    assert set(by_channel) == {ConversationChannel.WHATSAPP, ConversationChannel.SMS}
    assert by_channel["sms"].tourist_number == GERMAN
    assert by_channel["whatsapp"].tourist_number == GERMAN_WA


def test_a_message_half_whatsapp_half_sms_is_ignored(client, national_line, carla):
    from .twilio import signed_post

    params = {"MessageSid": "SM" + "1" * 32, "From": GERMAN_WA, "To": LINE, "Body": "Hi"}
    response = signed_post(client, "/calls/sms/incoming/", params)
    assert response.status_code == 200
    assert not Message.objects.exists()


@override_settings(WHATSAPP_TEMPLATE_LOCAL_ANSWERED=TEMPLATES)
def test_a_reply_twilio_refuses_as_outside_the_window_is_held_and_sent_later(
    wa, sms, carla, client, django_capture_on_commit_callbacks
):
    with time_machine.travel(MONDAY, tick=False):
        wa(GERMAN, "Hello")
    with time_machine.travel(MONDAY + timedelta(hours=23, minutes=59), tick=False):
        sms(phone_of(carla), "Welcome to Paris!")
    reply = Message.objects.get(body="Welcome to Paris!", direction="out")
    first_sid = reply.sid
    url = f"/calls/sms/status/?m={reply.public_id}"
    refused = {"MessageSid": first_sid, "MessageStatus": "failed", "ErrorCode": "63016"}
    with time_machine.travel(MONDAY + timedelta(hours=24, minutes=1), tick=False):
        for _ in range(2):  # Twilio retries its callbacks
            with django_capture_on_commit_callbacks(execute=True):
                assert signed_post(client, url, refused).status_code == 200
    reply.refresh_from_db()
    assert reply.status == MessageStatus.HELD
    templates = [sent for sent in inbox(GERMAN_WA) if sent.content_sid]
    assert [t.content_sid for t in templates] == [TEMPLATES["de"]]
    assert not any("could not be delivered" in body for body in bodies(phone_of(carla)))
    assert sum("24 hours" in body for body in bodies(phone_of(carla))) == 1  # told, once

    with time_machine.travel(MONDAY + timedelta(hours=26), tick=False):
        wa(GERMAN, "Hi again")
    reply.refresh_from_db()
    assert reply.status == MessageStatus.QUEUED and reply.sid != first_sid
    assert [s.body for s in inbox(GERMAN_WA)].count("Welcome to Paris!") == 2  # sent afresh
    stale = {"MessageSid": first_sid, "MessageStatus": "failed", "ErrorCode": "63016"}
    signed_post(client, url, stale)  # news of the first attempt, arriving late
    reply.refresh_from_db()
    assert reply.status == MessageStatus.QUEUED


def test_whatsapp_says_when_a_reply_was_read(wa, sms, carla, client):
    wa(GERMAN, "Hello")
    sms(phone_of(carla), "Bonjour!")
    reply = Message.objects.get(body="Bonjour!", direction="out")
    url = f"/calls/sms/status/?m={reply.public_id}"
    for status in ("sent", "delivered", "read", "delivered"):
        signed_post(client, url, {"MessageSid": reply.sid, "MessageStatus": status})
    reply.refresh_from_db()
    assert reply.status == MessageStatus.READ


def test_the_app_shows_the_local_a_whatsapp_conversation_without_the_number(wa, carla, client):
    from rest_framework.authtoken.models import Token

    wa(GERMAN, "Hello")
    token = Token.objects.create(user=carla.user)
    answer = client.get("/api/v1/me/conversations/", HTTP_AUTHORIZATION=f"Token {token.key}")
    (conversation,) = answer.json()["results"]
    assert conversation["channel"] == "whatsapp" and conversation["tourist_country"] == "DE"
    assert "15112345678" not in answer.content.decode()


def test_a_deleted_ambassador_leaves_their_whatsapp_address_nowhere(wa, carla, client):
    from ..ambassadors.test_deletion_scrubs_numbers import where_stored
    from ..factories import PASSWORD

    wa(GERMAN, "Hello")
    wa(phone_of(carla), "Hello from my WhatsApp")  # she tried the line's WhatsApp herself
    digits = phone_of(carla)[3:]
    assert "calls.Message.from_number" in where_stored(digits)

    client.force_login(carla.user)
    assert client.post("/portal/privacy/delete/", {"password": PASSWORD}).status_code == 302
    assert where_stored(digits) == []


@override_settings(WHATSAPP_TEMPLATE_LOCAL_ANSWERED=TEMPLATES)
def test_a_local_answering_on_the_web_is_told_the_reply_waits(
    wa, carla, client, django_capture_on_commit_callbacks
):
    with time_machine.travel(MONDAY, tick=False):
        wa(GERMAN, "Hello")
    conversation = Conversation.objects.get()
    client.force_login(carla.user)
    url = f"/calls/conversations/{conversation.public_id}/"
    with (
        time_machine.travel(MONDAY + timedelta(hours=25), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        page = client.post(url, {"text": "Sorry for the delay!"}, follow=True).content.decode()
    assert "WhatsApp lets us send them only a notice" in page
    assert inbox(GERMAN_WA)[-1].content_sid == TEMPLATES["de"]


def test_a_caption_with_a_number_is_masked_and_the_tourist_told(wa, carla):
    wa(GERMAN, "Where is this? Call me: +49 151 98765432", media=1)
    (relayed,) = bodies(phone_of(carla))
    assert "98765432" not in relayed and "[…]" in relayed
    assert any("keine Telefonnummern" in body for body in bodies(GERMAN_WA))  # told, in German
