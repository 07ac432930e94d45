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
from ..models import ConversationChannel, Message, MessageStatus, channel_of
from ..twilio.params import InboundMessage, MessageStatusUpdate, address
from ..twilio.webhooks import is_rehearsal, twilio_webhook, twiml
from . import outbox, relay, whatsapp


def nothing() -> HttpResponse:
    return twiml(MessagingResponse())


def sorry(request: HttpRequest) -> HttpResponse:
    """When handling a text fails: ask the sender to send it again (nothing was stored)."""
    _channel, sender = address(request.POST, "From")
    language = guess_language(country_of(sender), ["en", "fr"])
    response = MessagingResponse()
    response.message(copy.sorry_try_again(language))
    return twiml(response)


@twilio_webhook(fallback=sorry)
def incoming(request: HttpRequest) -> HttpResponse:
    params = InboundMessage.parse(request)
    if params.message_sid and params.sender and params.to:
        relay.sms_receive(
            sid=params.message_sid,
            from_=params.sender,
            to=params.to,
            body=params.body,
            rehearsal=is_rehearsal(request),
            channel=params.channel,
            media=params.media,
        )
    return nothing()


@twilio_webhook()
def status(request: HttpRequest) -> HttpResponse:
    params = MessageStatusUpdate.parse(request)
    message = find_message(request.GET.get("m", ""), params.message_sid)
    if message is not None and channel_of(message.to_number) == ConversationChannel.WEB:
        return nothing()  # a web-chat reply never goes through Twilio: no news of it is real
    if message is not None:
        if message.status == MessageStatus.HELD or (
            message.sid and params.message_sid and params.message_sid != message.sid
        ):
            return nothing()  # news of an attempt before the reply was held: stale
        if not message.sid and params.message_sid:
            # The callback beat the backend's answer: the sid is known from here on.
            Message.objects.filter(pk=message.pk, sid="").update(sid=params.message_sid)
        if params.error_code == whatsapp.OUTSIDE_WINDOW_ERROR and outbox.message_hold(message):
            return nothing()  # Twilio's clock closed the window before ours: held, as a template
        outbox.message_status_update(
            message=message,
            status=params.status,
            error=f"Twilio error {params.error_code}" if params.error_code else "",
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
            Message.objects.select_related("conversation").filter(sid=sid, direction="out").first()
        )
    return None
