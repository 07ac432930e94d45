"""The survey by text: asked once after a call or a conversation, answered "1" to "5".

An answer is taken only from a number a survey is waiting for, on the line that asked, within
RATING_ANSWER_HOURS, and only while that tourist has no live conversation there: otherwise a
"4" is an ordinary text and goes to the relay. A comment may follow the score in the same text,
or come in the next one within RATING_COMMENT_MINUTES. Nothing here ever opens a conversation.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from concierge.lib.pseudonyms import number_hash

from .. import copy
from ..countries import guess_language
from ..models import Call, Conversation, Message, MessageAuthor, PhoneLine, Rating
from ..ratings.ask import call_deserves_survey, conversation_deserves_survey
from ..responders import responder_of
from .outbox import opted_out, send

# "4", "4/5", "5!", "5 great walk tips": the score, then perhaps words ("45" is no score).
SCORE = re.compile(r"^\s*([1-5])(?![0-9])(?:\s*/\s*5)?[\s,.:;!)*-]*(.*)$", re.DOTALL)
MAX_COMMENT = 500


def rating_ask(*, kind: str, object_id: int) -> Rating | None:
    """Text the survey about this call or conversation, once; None when it is not due (too
    short, withheld, opted out, already asked)."""
    with transaction.atomic():
        if kind == "call":
            call = (
                Call.objects.select_related("line", "responder", "advisor__user")
                .filter(pk=object_id)
                .first()
            )
            if call is None or not call_deserves_survey(call):
                return None
            rated: Call | Conversation = call
            number, country, language = call.caller_number, call.caller_country, call.language
        elif kind == "conversation":
            conversation = (
                Conversation.objects.select_related("line", "responder", "advisor__user")
                .filter(pk=object_id)
                .first()
            )
            if conversation is None or not conversation_deserves_survey(conversation):
                return None
            rated = conversation
            number, country = conversation.tourist_number, conversation.tourist_country
            language = conversation.language
        else:
            return None
        if opted_out(number, rehearsal=rated.is_rehearsal):
            return None
        language = language or guess_language(country, list(copy.TOURIST_LANGUAGES))
        local = responder_of(rated)
        try:
            with transaction.atomic():
                rating = Rating.objects.create(
                    **{kind: rated},
                    line=rated.line,
                    ambassador_id=rated.responder_id,
                    advisor_id=rated.advisor_id,
                    tourist_hash=number_hash(number),
                    language=language,
                    is_rehearsal=rated.is_rehearsal,
                )
        except IntegrityError:  # asked already (a retried task)
            return None
        text = copy.tourist_rating_ask(language, name=local.first_name if local else "")
        send(
            None,
            line=rated.line,
            to=number,
            body=text,
            author=MessageAuthor.SYSTEM,
            rehearsal=rated.is_rehearsal,
        )
    return rating


def rating_reply(*, line: PhoneLine, message: Message) -> bool:
    """Whether this tourist's text was an answer (or a comment) to a survey, recorded and
    acknowledged; False lets the relay handle it as usual. Runs in the receiving transaction."""
    now = message.created_at
    rating = (
        Rating.objects.select_for_update()
        .filter(
            tourist_hash=number_hash(message.from_number),
            line=line,
            is_rehearsal=message.is_rehearsal,
            asked_at__gte=now - timedelta(hours=settings.RATING_ANSWER_HOURS),
        )
        .order_by("-asked_at")
        .first()
    )
    if rating is None:
        return False
    match = SCORE.match(message.body)
    if rating.score is None:
        if match is None:
            return False
        comment = match.group(2).strip()[:MAX_COMMENT]
        rating.score, rating.comment, rating.answered_at = int(match.group(1)), comment, now
        rating.save(update_fields=["score", "comment", "answered_at"])
        _answer(line, message, copy.tourist_rating_thanks(rating.language, commented=bool(comment)))
        return True
    if match is not None:  # a second answer: the first one stands
        _answer(line, message, copy.tourist_rating_already(rating.language))
        return True
    comment_until = (rating.answered_at or now) + timedelta(minutes=settings.RATING_COMMENT_MINUTES)
    if not rating.comment and now <= comment_until and message.body.strip():
        rating.comment = message.body.strip()[:MAX_COMMENT]
        rating.save(update_fields=["comment"])
        _answer(line, message, copy.tourist_rating_comment_thanks(rating.language))
        return True
    return False


def _answer(line: PhoneLine, message: Message, text: str) -> None:
    send(
        None,
        line=line,
        to=message.from_number,
        body=text,
        author=MessageAuthor.SYSTEM,
        rehearsal=message.is_rehearsal,
    )


def rating_comments_blank_old(*, now: datetime | None = None) -> int:
    """Retention: a tourist's comment is their text, erased with the texts after
    SMS_RETENTION_DAYS; the score stays for the figures."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.SMS_RETENTION_DAYS)
    return Rating.objects.filter(answered_at__lt=cutoff).exclude(comment="").update(comment="")
