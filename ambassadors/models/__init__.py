"""Every model of the ambassadors app: the volunteers, the queue the database keeps, points."""

from __future__ import annotations

from .people import (
    MINUTES_PER_DAY,
    MINUTES_PER_WEEK,
    NEVER_OFFERED,
    ROUTABLE,
    Ambassador,
    AmbassadorLanguage,
    AvailabilitySlot,
    Weekday,
    queue_position,
    week_minutes,
)
from .points import (
    AwardKind,
    AwardStatus,
    CommunityMembership,
    EntryKind,
    MembershipStatus,
    PhoneVerification,
    PointsAward,
    PointsEntry,
    PointsRules,
    Redemption,
    RedemptionStatus,
    Reward,
)
from .queue import (
    HOURS_PER_WEEK,
    OpenConversations,
    QueueSeat,
    StaleSeats,
    seat_position,
)

__all__ = [
    "HOURS_PER_WEEK",
    "MINUTES_PER_DAY",
    "MINUTES_PER_WEEK",
    "NEVER_OFFERED",
    "ROUTABLE",
    "Ambassador",
    "AmbassadorLanguage",
    "AvailabilitySlot",
    "AwardKind",
    "AwardStatus",
    "CommunityMembership",
    "EntryKind",
    "MembershipStatus",
    "OpenConversations",
    "PhoneVerification",
    "PointsAward",
    "PointsEntry",
    "PointsRules",
    "QueueSeat",
    "Redemption",
    "RedemptionStatus",
    "Reward",
    "StaleSeats",
    "Weekday",
    "queue_position",
    "seat_position",
    "week_minutes",
]
