"""The SMS simulator's "web chat" channel: a visitor of the line's web chat, played from the staff
side without a browser.

The visitor is made by the web chat's own service (``visitor_start``: a row, an address
"web:…", a pass) and their page is the panel's own view of the thread (``visitor_panel``). Their
messages are routed by the web chat's own routing (``message_route``: a live conversation
joined, or one opened in the visitor's language and given to the advisor on duty or a free
local, the FAQ while nobody is free) but as a rehearsal, like every text of the simulator: the
conversation and its texts are marked, reach no real phone, earn no points and stay out of the
figures; the local answers from the simulator's phone (a signed rehearsal SMS). No proof of work
and no rate limit: staff are not a flood.
"""

from __future__ import annotations

import uuid

from django.utils.translation import gettext as _

from ..models import (
    Message,
    PhoneLine,
    WebChat,
    WebVisitor,
)
from ..webchat.selectors import Panel, visitor_panel
from ..webchat.services import ChatError, message_receive, visitor_start


def chat_of(line: PhoneLine) -> WebChat | None:
    """The line's web chat a visitor is rehearsed on (its first active one)."""
    return line.web_chats.filter(is_active=True).order_by("pk").first()


def new_visitor(line: PhoneLine, language: str) -> str:
    """A new visitor of the line's web chat; their address. ChatError when it has none."""
    chat = chat_of(line)
    if chat is None:
        raise ChatError("closed", status=404)
    return visitor_start(chat=chat, language=language).address


def visitor_at(address: str) -> WebVisitor | None:
    return (
        WebVisitor.objects.select_related("chat__line", "conversation")
        .filter(address=address)
        .first()
    )


def panel(address: str) -> Panel | None:
    """What the visitor's panel shows (their texts, the replies, the concierge's words)."""
    visitor = visitor_at(address)
    return visitor_panel(visitor) if visitor else None


def visitor_writes(address: str, text: str) -> Message | None:
    """A rehearsed visitor's message, received as the web chat receives a visitor's message."""
    visitor = visitor_at(address)
    if visitor is None:
        raise ChatError("expired", status=401)
    return message_receive(visitor, text, sid="WB" + uuid.uuid4().hex, rehearsal=True)


def refusal(error: ChatError) -> str:
    """The simulator's words for a refused visitor."""
    if error.what == "closed":
        return str(_("This line has no web chat: add one in the admin (Web chats)."))
    return str(_("The visitor could not write: start a new visitor."))
