"""What a visitor's panel shows: their messages and what was sent to them (replies, who
answers, the FAQ), never the copies relayed to the local nor anyone's number."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Q

from ..copy import BRAND
from ..models import (
    Conversation,
    ConversationStatus,
    Message,
    MessageAuthor,
    MessageDirection,
    WebVisitor,
)
from ..sms.selectors import writer_name

# A service text begins with who sends it, as a text must ("Destination Concierge: …", "… : …"
# in French, "…：…" in Japanese); the panel names its author already, so once is enough.
BRANDED = re.compile(rf"^{re.escape(BRAND)}\s*[:：]\s*")


@dataclass(frozen=True)
class PanelMessage:
    id: int
    author: str  # "you", "local" or "concierge"
    name: str  # the local's first name, for a reply
    text: str
    at: str  # ISO 8601


@dataclass(frozen=True)
class Panel:
    messages: list[PanelMessage]
    status: str  # "new", "waiting", "open" or "closed"

    @property
    def newest(self) -> int:
        return self.messages[-1].id if self.messages else 0


def visitor_panel(visitor: WebVisitor) -> Panel:
    """The visitor's thread (their latest conversation: ``visitor.conversation``, best fetched
    with the visitor by ``select_related``)."""
    conversation: Conversation | None = visitor.conversation
    if conversation is None:
        return Panel(messages=[], status="new")
    messages = list(
        Message.objects.filter(conversation_id=conversation.pk)
        .filter(
            Q(author=MessageAuthor.TOURIST, direction=MessageDirection.INBOUND)
            | Q(direction=MessageDirection.OUTBOUND, to_number=visitor.address)
        )
        .only("pk", "direction", "author", "body", "created_at", "written_by", "written_by_advisor")
        .order_by("pk")
    )
    names = _local_names([m for m in messages if m.author == MessageAuthor.LOCAL])
    shown = [_shown(message, names.get(message.pk, "")) for message in messages]
    status = {
        ConversationStatus.WAITING: "waiting",
        ConversationStatus.OPEN: "open",
    }.get(ConversationStatus(conversation.status), "closed")
    return Panel(messages=shown, status=status)


def _local_names(replies: list[Message]) -> dict[int, str]:
    """The first name of each reply's writer, read only when there are replies (most polls
    that read the thread find none yet)."""
    if not replies:
        return {}
    writers = Message.objects.filter(pk__in=[m.pk for m in replies]).select_related(
        "written_by", "written_by_advisor__user"
    )
    return {message.pk: writer_name(message) for message in writers}


def _shown(message: Message, name: str) -> PanelMessage:
    author = _author(message)
    text = BRANDED.sub("", message.body, count=1) if author == "concierge" else message.body
    return PanelMessage(
        id=message.pk, author=author, name=name, text=text, at=message.created_at.isoformat()
    )


def _author(message: Message) -> str:
    if message.direction == MessageDirection.INBOUND:
        return "you"
    return "local" if message.author == MessageAuthor.LOCAL else "concierge"
