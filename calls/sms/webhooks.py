"""The SMS webhooks Twilio calls on our lines: a message arrives, a message's delivery changes.

Both are signature-checked and answer 200 with an empty TwiML <Response>, whatever arrives:
everything we send goes out through the telephony backend, with its own status callback.
"""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from twilio.twiml.messaging_response import MessagingResponse

from .. import copy
from ..countries import country_of, guess_language
from ..models import Message
from ..twilio.webhooks import twilio_webhook, twiml
from . import outbox, relay


def nothing() -> HttpResponse:
    return twiml(MessagingResponse())


def sorry(request: HttpRequest) -> HttpResponse:
    """When handling a text fails: ask the sender to send it again (nothing was stored)."""
    language = guess_language(country_of(request.POST.get("From", "")), ["en", "fr"])
    response = MessagingResponse()
    response.message(copy.sorry_try_again(language))
    return twiml(response)


@twilio_webhook(fallback=sorry)
def incoming(request: HttpRequest) -> HttpResponse:
    sid = request.POST.get("MessageSid", "").strip()[:64]
    from_ = request.POST.get("From", "").strip()[:32]
    to = request.POST.get("To", "").strip()[:32]
    if sid and from_ and to:
        relay.sms_receive(sid=sid, from_=from_, to=to, body=request.POST.get("Body", ""))
    return nothing()


@twilio_webhook()
def status(request: HttpRequest) -> HttpResponse:
    message = find_message(request.GET.get("m", ""), request.POST.get("MessageSid", ""))
    if message is not None:
        if not message.sid and request.POST.get("MessageSid"):
            # The callback beat the backend's answer: the sid is known from here on.
            Message.objects.filter(pk=message.pk, sid="").update(
                sid=request.POST["MessageSid"][:64]
            )
        error = request.POST.get("ErrorCode", "")
        outbox.message_status_update(
            message=message,
            status=request.POST.get("MessageStatus", "").strip().lower(),
            error=f"Twilio error {error}" if error else "",
        )
    return nothing()


def find_message(public_id: str, sid: str) -> Message | None:
    """Our status callback URLs carry the message's id; a bare MessageSid works too."""
    try:
        return Message.objects.select_related("conversation").get(public_id=uuid.UUID(public_id))
    except (ValueError, Message.DoesNotExist):
        pass
    if sid:
        return (
            Message.objects.select_related("conversation")
            .filter(sid=sid[:64], direction="out")
            .first()
        )
    return None
