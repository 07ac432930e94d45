"""What callers thought: one short survey per completed call or closed text conversation."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ambassadors.models import Ambassador
from concierge.models import Membership

from .lines import PhoneLine
from .sms import Conversation
from .voice import Call

LOW_SCORE = 2  # a score at or under it puts the call or conversation in the staff review list


class Rating(models.Model):
    """The survey texted to a tourist after a call (or a text conversation) and their answer.

    One row per call or conversation (the unique keys are what makes the survey go once). The
    row is created when the survey is sent; ``score`` (1 to 5) and ``comment`` arrive with the
    tourist's reply. The tourist's number is kept only as its keyed hash: their reply is
    recognised by it, and nobody can read it. ``ambassador`` or ``advisor`` is who was rated
    (the local holding the call or conversation at its end).

    For figures: count only ``score`` not null and ``is_rehearsal`` false; the date of a rating
    is ``answered_at``; ``call`` or ``conversation`` says which channel it rates."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    call = models.OneToOneField(
        Call, on_delete=models.CASCADE, null=True, blank=True, related_name="rating"
    )
    conversation = models.OneToOneField(
        Conversation, on_delete=models.CASCADE, null=True, blank=True, related_name="rating"
    )
    line = models.ForeignKey(PhoneLine, on_delete=models.PROTECT, related_name="+")
    ambassador = models.ForeignKey(
        Ambassador,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ratings",
        verbose_name=_("ambassador"),
    )
    advisor = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ratings",
        verbose_name=_("advisor on duty"),
    )
    tourist_hash = models.CharField(max_length=64, editable=False)
    language = models.CharField(_("language"), max_length=8, default="en")
    asked_at = models.DateTimeField(_("asked at"), default=timezone.now)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    comment = models.TextField(_("comment"), max_length=500, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True, db_index=True)
    is_rehearsal = models.BooleanField(_("rehearsal"), default=False)
    # A low score waits in the staff review list until someone has looked at it.
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )

    class Meta:
        ordering = ["-asked_at"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.CheckConstraint(
                condition=Q(call__isnull=True) ^ Q(conversation__isnull=True),
                name="rating_rates_one_thing",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                name="rating_score_1_to_5",
            ),
        ]
        indexes = [
            # An inbound text looks for a survey waiting for its sender.
            models.Index(fields=["tourist_hash", "asked_at"], name="rating_waiting_idx"),
            models.Index(
                fields=["answered_at"],
                condition=Q(score__lte=LOW_SCORE, reviewed_at__isnull=True),
                name="rating_to_review_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Rating {self.score or '?'} ({self.asked_at:%Y-%m-%d})"

    @property
    def to_review(self) -> bool:
        return self.score is not None and self.score <= LOW_SCORE and self.reviewed_at is None
