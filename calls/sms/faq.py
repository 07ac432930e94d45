"""Instant answers for a tourist while no local is free, found by the keywords of the FAQ."""

from __future__ import annotations

from django.utils import timezone

from .. import copy
from ..cached import faq_entries
from ..models import Conversation, FaqEntry, MessageAuthor
from .keywords import words
from .outbox import send


def faq_answers(*, language: str, text: str, limit: int = 2) -> list[FaqEntry]:
    """Entries whose keywords appear in the text, in the tourist's language, else in English."""
    found = words(text)
    for lang in dict.fromkeys([language, "en"]):
        entries = faq_entries(lang)
        matching = [e for e in entries if found & words(",".join(e.keyword_list))]
        if matching:
            return matching[:limit]
    return []


def faq_reply(
    conversation: Conversation, text: str, *, waiting: bool = False, handed_over: str = ""
) -> None:
    """Answer from the FAQ; the first time, say that a local is on the way (and, when nothing
    matched, which words give a quick answer)."""
    answers = faq_answers(language=conversation.language, text=text)
    first = conversation.faq_sent_at is None
    hints: list[str] = []
    if not answers and first:
        topics = [e for lang in sorted({conversation.language, "en"}) for e in faq_entries(lang)]
        hints = list(dict.fromkeys(e.keyword_list[0].upper() for e in topics if e.keyword_list))
    body = copy.tourist_waiting(
        conversation.language,
        answers=[(entry.topic, entry.answer) for entry in answers],
        hints=hints[:4],
        busy=waiting or first,
        handed_over=handed_over,
    )
    if not body:
        return
    send(conversation, to=conversation.tourist_number, body=body, author=MessageAuthor.SYSTEM)
    now = timezone.now()
    Conversation.objects.filter(pk=conversation.pk, faq_sent_at__isnull=True).update(
        faq_sent_at=now
    )
    conversation.faq_sent_at = conversation.faq_sent_at or now
