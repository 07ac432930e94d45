"""What tourists thought, read for pages and figures. Rehearsals and unanswered surveys never
count; a rating's date is when it was answered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Avg, Count, QuerySet

from ambassadors.models import Ambassador

from ..models import LOW_SCORE, Rating

KIND_SCORE = 4  # a comment with a score at or above it is shown to the local it praises
KIND_WORDS = 5


@dataclass(frozen=True)
class KindWords:
    text: str
    score: int
    at: datetime


@dataclass(frozen=True)
class RatingSummary:
    """An ambassador's satisfaction: how many rated them, the average (None before the first
    answer) and the latest kind comments (4 or 5, with words), newest first."""

    count: int
    average: float | None
    kind_words: list[KindWords]


def ratings_answered() -> QuerySet[Rating]:
    """Every real answer: the base of every figure (filter by date on ``answered_at``)."""
    return Rating.objects.filter(score__isnull=False, is_rehearsal=False)


def ratings_to_review() -> QuerySet[Rating]:
    """Scores of 1 or 2 nobody on the staff has looked at yet, oldest first."""
    return ratings_answered().filter(score__lte=LOW_SCORE, reviewed_at__isnull=True)


def rating_summary_for_ambassador(
    ambassador: Ambassador, *, kind_words: int = KIND_WORDS
) -> RatingSummary:
    """Two queries: the count and average, then the kind comments."""
    mine = ratings_answered().filter(ambassador=ambassador)
    totals = mine.aggregate(count=Count("pk"), average=Avg("score"))
    kind = mine.filter(score__gte=KIND_SCORE).exclude(comment="").order_by("-answered_at")
    return RatingSummary(
        count=totals["count"],
        average=round(float(totals["average"]), 1) if totals["average"] is not None else None,
        kind_words=[
            KindWords(text=r.comment, score=r.score or 0, at=r.answered_at or r.asked_at)
            for r in kind.only("comment", "score", "answered_at", "asked_at")[:kind_words]
        ],
    )
