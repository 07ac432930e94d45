"""The SMS webhooks Twilio calls on our lines: a message arrives, a message's delivery changes.

Both are signature-checked and answer 200 with an empty TwiML <Response>, whatever arrives:
everything we send goes out through the telephony backend, with its own status callback.
"""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from twilio.twiml.messaging_response import MessagingResponse

from . import messaging, relay
from .models import Message
from .webhooks import twilio_webhook, twiml


def nothing() -> HttpResponse:
    return twiml(MessagingResponse())


@twilio_webhook
def incoming(request: HttpRequest) -> HttpResponse:
    sid = request.POST.get("MessageSid", "").strip()[:64]
    from_ = request.POST.get("From", "").strip()[:32]
    to = request.POST.get("To", "").strip()[:32]
    if sid and from_ and to:
        relay.sms_receive(sid=sid, from_=from_, to=to, body=request.POST.get("Body", ""))
    return nothing()


@twilio_webhook
def status(request: HttpRequest) -> HttpResponse:
    message = find_message(request.GET.get("m", ""), request.POST.get("MessageSid", ""))
    if message is not None:
        if not message.sid and request.POST.get("MessageSid"):
            # The callback beat the backend's answer: the sid is known from here on.
            Message.objects.filter(pk=message.pk, sid="").update(
                sid=request.POST["MessageSid"][:64]
            )
        error = request.POST.get("ErrorCode", "")
        messaging.message_status_update(
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
