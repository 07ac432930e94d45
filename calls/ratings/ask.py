"""Who is asked what they thought, decided once for calls and text conversations.

The voice line (a call completed) and the SMS relay (a conversation closed) call these in the
transaction that ends the call or conversation; the survey task is enqueued after commit by its
name, ``calls.tasks.send_rating_survey`` (calls.sms.tasks), and decides again on fresh rows, so
a retried callback or a duplicate task sends nothing twice (the rating's unique keys)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction

from concierge import celery_app

from ..models import Call, CallStatus, CloseReason, Conversation, is_web_address
from ..twilio.webhooks import rehearsals_allowed

logger = logging.getLogger(__name__)

SURVEY_TASK = "calls.tasks.send_rating_survey"
# A conversation is rated when it ends normally: the local said DONE, or it went quiet. Not when
# the tourist opted out, asked for another local (NEW) or was passed on unanswered.
RATED_CLOSES = (CloseReason.ENDED, CloseReason.IDLE)


def call_deserves_survey(call: Call) -> bool:
    """A completed call of at least RATING_MIN_CALL_SECONDS with a local, from a number we can
    text (never a withheld one); a rehearsal only where its texts reach no real phone (the SMS
    simulator shows them)."""
    return (
        call.status == CallStatus.COMPLETED
        and (call.duration or 0) >= settings.RATING_MIN_CALL_SECONDS
        and bool(call.responder_id or call.advisor_id)
        and bool(call.caller_hash and call.caller_number)
        and (not call.is_rehearsal or rehearsals_allowed())
    )


def conversation_deserves_survey(conversation: Conversation) -> bool:
    """A conversation a local answered, closed by DONE or by the idle sweep."""
    return (
        conversation.close_reason in RATED_CLOSES
        and conversation.first_reply_at is not None
        and bool(conversation.responder_id or conversation.advisor_id)
        and bool(conversation.tourist_number)
        # A web-chat visitor has no phone to text the question to (docs/webchat.md).
        and not is_web_address(conversation.tourist_number)
        and (not conversation.is_rehearsal or rehearsals_allowed())
    )


def rating_ask_after_call(call: Call) -> None:
    if call_deserves_survey(call):
        call_id = call.pk
        transaction.on_commit(lambda: _enqueue("call", call_id))


def rating_ask_after_conversation(conversation: Conversation) -> None:
    if conversation_deserves_survey(conversation):
        conversation_id = conversation.pk
        transaction.on_commit(lambda: _enqueue("conversation", conversation_id))


def _enqueue(kind: str, object_id: int) -> None:
    try:
        celery_app.signature(SURVEY_TASK, args=(kind, object_id)).delay()
    except Exception:  # noqa: BLE001 - broker down: a survey is not worth failing a call for
        logger.warning("Could not enqueue the survey for %s %s", kind, object_id)
