"""Every model of the calls app, by subdomain: lines, voice, SMS, ratings, the sandbox outbox."""

from __future__ import annotations

from .figures import EVERY_LINE, WAIT_BUCKETS, WAIT_EDGES, Channel, Dimension, FigureDay, FigureHour
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
    "EVERY_LINE",
    "FAILED_MESSAGE_STATUSES",
    "FINAL_CALL_STATUSES",
    "LOW_SCORE",
    "MESSAGE_STATUS_RANK",
    "WAIT_BUCKETS",
    "WAIT_EDGES",
    "AttemptOutcome",
    "BlockedNumber",
    "Call",
    "CallAttempt",
    "CallReport",
    "CallStatus",
    "CallbackRequest",
    "CallbackStatus",
    "Channel",
    "CloseReason",
    "Conversation",
    "ConversationStatus",
    "Dimension",
    "FaqEntry",
    "FigureDay",
    "FigureHour",
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
