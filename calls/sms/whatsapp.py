"""WhatsApp's rules for what a business may send: free-form text only within 24 hours of the
user's last message to it (the customer service window); after that, only a pre-approved
template, sent by its ContentSid with variables. Twilio refuses a free-form message outside the
window (error 63016), so we never try: a local's reply waits and the tourist gets the template.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Max

from ..models import Message, MessageAuthor, MessageDirection, MessageStatus

WINDOW = timedelta(hours=24)
OUTSIDE_WINDOW_ERROR = "63016"  # Twilio's "outside the allowed window" (a free-form message)
OUTSIDE_WINDOW = "Not sent: outside WhatsApp's 24-hour window (only templates may go)."


def last_heard(*, line_address: str, address: str, rehearsal: bool) -> datetime | None:
    """When this WhatsApp user last wrote to the line (any message: a keyword too)."""
    latest = Message.objects.filter(
        direction=MessageDirection.INBOUND,
        from_number=address,
        to_number=line_address,
        is_rehearsal=rehearsal,
    ).aggregate(at=Max("created_at"))
    return latest["at"]


def window_open(*, line_address: str, address: str, rehearsal: bool, now: datetime) -> bool:
    heard = last_heard(line_address=line_address, address=address, rehearsal=rehearsal)
    return heard is not None and now < heard + WINDOW


def invited_since(
    *, line_address: str, address: str, rehearsal: bool, since: datetime | None
) -> bool:
    """Whether a template already asked the tourist to write again since they last did: one
    notice per closed window, however many replies wait."""
    sent = Message.objects.filter(
        direction=MessageDirection.OUTBOUND,
        from_number=line_address,
        to_number=address,
        is_rehearsal=rehearsal,
        author=MessageAuthor.SYSTEM,
    ).exclude(template_sid="")
    if since is not None:
        sent = sent.filter(created_at__gt=since)
    return sent.exclude(status=MessageStatus.FAILED).exists()


def template_for(language: str) -> str:
    """The ContentSid of the "a local answered" template in the tourist's language (else
    English, else any configured); "" when none is."""
    templates: dict[str, str] = settings.WHATSAPP_TEMPLATE_LOCAL_ANSWERED
    for candidate in (language, "en"):
        if templates.get(candidate):
            return templates[candidate]
    return next(iter(templates.values()), "")
