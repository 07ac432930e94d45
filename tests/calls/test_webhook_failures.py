"""A webhook whose code fails still answers Twilio with polite TwiML, never a 500; the failure is
logged with Twilio's id and never with a phone number; nothing is half-stored, so the same
request, retried, is handled in full."""

from __future__ import annotations

import logging

import pytest
from django.db import IntegrityError

from calls.models import Call, Message
from calls.sms import relay
from calls.voice import services

from .twilio import signed_post, text

GERMAN = "+4915112345678"
FRENCH = "+33612345678"


def boom(*args, **kwargs):
    # What a database error looks like: its message quotes the data, here a number.
    raise IntegrityError(f"duplicate key value violates unique constraint: (number)=({GERMAN})")


def incoming_call(client, caller: str, sid: str = "CAfailing"):
    params = {"CallSid": sid, "From": caller, "To": "+33199000000", "CallStatus": "ringing"}
    return signed_post(client, "/calls/voice/incoming/", params)


def test_a_failing_call_webhook_apologises_and_hangs_up(client, national_line, monkeypatch):
    monkeypatch.setattr(services, "call_receive", boom)
    response = incoming_call(client, GERMAN)
    assert response.status_code == 200
    body = response.content.decode()
    assert "bei diesem Anruf ist etwas schiefgegangen" in body
    assert body.endswith("<Hangup /></Response>")


def test_a_french_caller_hears_the_apology_in_french(client, national_line, monkeypatch):
    monkeypatch.setattr(services, "call_receive", boom)
    body = incoming_call(client, FRENCH).content.decode()
    assert "un problème est survenu" in body
    assert 'language="fr-FR"' in body


def test_the_failure_is_logged_with_the_call_sid_and_no_number(
    client, national_line, monkeypatch, caplog
):
    monkeypatch.setattr(services, "call_receive", boom)
    with caplog.at_level(logging.ERROR, logger="calls.twilio.webhooks"):
        incoming_call(client, GERMAN, sid="CA0123456789")
    (record,) = [r for r in caplog.records if r.name == "calls.twilio.webhooks"]
    logged = record.getMessage()
    assert "CallSid=CA0123456789" in logged
    assert "IntegrityError" in logged
    assert "call_receive" in logged or "boom" in logged  # where it happened
    assert "4915112345678" not in logged


def test_a_failing_sms_webhook_asks_the_sender_to_write_again_and_keeps_nothing_half_done(
    client, national_line, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(relay, "open_conversation", boom)
    params = {"MessageSid": "SMfailing", "From": GERMAN, "To": "+33199000000", "Body": "Hi!"}
    with caplog.at_level(logging.ERROR, logger="calls.twilio.webhooks"):
        response = signed_post(client, "/calls/sms/incoming/", params)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<Message>" in body and "Please send it again" in body
    assert Message.objects.count() == 0  # the inbound text was rolled back with the failure
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "MessageSid=SMfailing" in logged and "4915112345678" not in logged

    monkeypatch.undo()  # Twilio (or the tourist) sends it again: now it is handled in full
    with django_capture_on_commit_callbacks(execute=True):
        text(client, GERMAN, "Hi!", sid="SMfailing")
    message = Message.objects.get(sid="SMfailing")
    assert message.conversation is not None


@pytest.mark.parametrize("path", ["/calls/voice/status/", "/calls/sms/status/"])
def test_a_failing_status_callback_answers_an_empty_response(
    client, national_line, monkeypatch, path
):
    incoming_call(client, GERMAN, sid="CAstatus")
    monkeypatch.setattr(services, "call_hung_up", boom)
    monkeypatch.setattr("calls.sms.outbox.message_status_update", boom)
    params = {"CallSid": "CAstatus", "CallStatus": "completed", "MessageSid": "SMx"}
    params["MessageStatus"] = "delivered"
    response = signed_post(client, path + "?m=00000000-0000-0000-0000-000000000000", params)
    assert response.status_code == 200
    assert response.content.decode().endswith("<Response />")
    assert Call.objects.filter(sid="CAstatus").exists()
