"""Find a call or a conversation from what someone quotes: the 6-character reference locals see
on a call (``3F9A2C``), a conversation's code (``#K7``), Twilio's CallSid or MessageSid, or the
id in a page's address. Rehearsals are found too, and say so."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from django.db.models import Q

from ..countries import country_name
from ..models import Call, Conversation, Message
from ..responders import responder_of

MAX_FOUND = 20
HEX = re.compile(r"^[0-9A-F]{6,32}$")
CODE = re.compile(r"^[A-Z][0-9]$")
TWILIO_SID = re.compile(r"^(CA|SM|MM)[0-9a-f]{32}$")


@dataclass(frozen=True)
class FoundCall:
    call: Call
    local: str  # the first name of who answered, "" if nobody did
    country: str
    score: int | None


@dataclass(frozen=True)
class FoundConversation:
    conversation: Conversation
    local: str
    country: str
    score: int | None


@dataclass(frozen=True)
class Found:
    query: str
    calls: list[FoundCall]
    conversations: list[FoundConversation]

    @property
    def nothing(self) -> bool:
        return not self.calls and not self.conversations


def normalise(query: str) -> str:
    return query.strip().lstrip("#").strip()


def find_by_reference(query: str) -> Found:
    """At most MAX_FOUND of each, newest first. A query that cannot be a reference finds nothing
    (no scan of every row for a word)."""
    text = normalise(query)
    calls = Call.objects.none()
    conversations = Conversation.objects.none()
    if TWILIO_SID.match(text):
        calls = Call.objects.filter(sid=text)
        conversations = Conversation.objects.filter(messages__sid=text)
    elif (found := _uuid(text)) is not None:
        calls = Call.objects.filter(public_id=found)
        conversations = Conversation.objects.filter(
            Q(public_id=found)
            | Q(pk__in=Message.objects.filter(public_id=found).values("conversation"))
        )
    elif CODE.match(text.upper()):
        conversations = Conversation.objects.filter(code=text.upper())
    elif HEX.match(text.upper().replace("-", "")):
        prefix = _dashed_prefix(text.lower().replace("-", ""))
        calls = Call.objects.filter(public_id__startswith=prefix)
        conversations = Conversation.objects.filter(public_id__startswith=prefix)
    calls = calls.select_related("line", "responder", "advisor__user", "rating").order_by(
        "-received_at"
    )
    conversations = conversations.select_related(
        "line", "responder", "advisor__user", "rating"
    ).order_by("-opened_at")
    return Found(
        query=text,
        calls=[
            FoundCall(
                call=c, local=_local(c), country=country_name(c.caller_country), score=_score(c)
            )
            for c in calls[:MAX_FOUND]
        ],
        conversations=[
            FoundConversation(
                conversation=c,
                local=_local(c),
                country=country_name(c.tourist_country),
                score=_score(c),
            )
            for c in conversations.distinct()[:MAX_FOUND]
        ],
    )


def _uuid(text: str) -> uuid.UUID | None:
    if len(text.replace("-", "")) != 32:
        return None
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def _dashed_prefix(hex_prefix: str) -> str:
    """A UUID's leading hex digits as the UUID is written (dashes after 8, 12, 16, 20), which is
    how both SQLite (no dashes) and PostgreSQL (uuid as text) compare a prefix."""
    parts, cuts = [], (8, 12, 16, 20, 32)
    start = 0
    for cut in cuts:
        piece = hex_prefix[start:cut]
        if not piece:
            break
        parts.append(piece)
        start = cut
    return "-".join(parts)


def _local(obj: Call | Conversation) -> str:
    local = responder_of(obj)
    return local.first_name if local else ""


def _score(obj: Call | Conversation) -> int | None:
    rating = getattr(obj, "rating", None)
    return rating.score if rating is not None else None
