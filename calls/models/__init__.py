"""Every model of the calls app, by subdomain: lines, voice, SMS, ratings, the sandbox outbox."""

from __future__ import annotations

from .lines import BlockedNumber, LineTier, PhoneLine
from .ratings import LOW_SCORE, Rating
from .sandbox import SandboxMessage
from .sms import (
    FAILED_MESSAGE_STATUSES,
    MESSAGE_STATUS_RANK,
    CloseReason,
    Conversation,
    ConversationStatus,
    FaqEntry,
    Message,
    MessageAuthor,
    MessageDirection,
    MessageStatus,
    OptOut,
)
from .voice import (
    FINAL_CALL_STATUSES,
    AttemptOutcome,
    Call,
    CallAttempt,
    CallbackRequest,
    CallbackStatus,
    CallReport,
    CallStatus,
    Recording,
    ReportStatus,
)

__all__ = [
    "FAILED_MESSAGE_STATUSES",
    "FINAL_CALL_STATUSES",
    "LOW_SCORE",
    "MESSAGE_STATUS_RANK",
    "AttemptOutcome",
    "BlockedNumber",
    "Call",
    "CallAttempt",
    "CallReport",
    "CallStatus",
    "CallbackRequest",
    "CallbackStatus",
    "CloseReason",
    "Conversation",
    "ConversationStatus",
    "FaqEntry",
    "LineTier",
    "Message",
    "MessageAuthor",
    "MessageDirection",
    "MessageStatus",
    "OptOut",
    "PhoneLine",
    "Rating",
    "Recording",
    "ReportStatus",
    "SandboxMessage",
]
