"""Volunteers: who they are, how to reach them, what they like and when they can take calls."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from concierge.lib.languages import LANGUAGES
from concierge.models import CallMotive, Region

MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY

# Stands for "never offered a call" in the queue order: before any real offer, so it sorts first.
# (An index cannot say NULLS FIRST portably: SQLite refuses it.)
NEVER_OFFERED = datetime(2000, 1, 1, tzinfo=UTC)

ROUTABLE = (
    Q(is_active=True, accepting_calls=True)
    & Q(onboarded_at__isnull=False)
    & Q(phone_verified_at__isnull=False)
)


def queue_position() -> Coalesce:
    """The rotating queue's sort key: whoever was offered a call longest ago goes first."""
    return Coalesce("last_offered_at", Value(NEVER_OFFERED, output_field=models.DateTimeField()))


class Ambassador(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Kept (with user set to NULL) when the person deletes their account, so statistics survive.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ambassador",
    )
    display_name = models.CharField(
        _("first name or pseudonym"),
        max_length=40,
        blank=True,
        help_text=_("The only name a tourist will ever hear."),
    )
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    phone_number = PhoneNumberField(_("mobile number"), null=True, blank=True, unique=True)
    phone_verified_at = models.DateTimeField(_("phone verified at"), null=True, blank=True)
    any_region = models.BooleanField(_("anywhere in France"), default=False)
    regions = models.ManyToManyField(Region, blank=True, verbose_name=_("regions known"))
    any_motive = models.BooleanField(_("happy to talk about anything"), default=False)
    motives = models.ManyToManyField(CallMotive, blank=True, verbose_name=_("motives enjoyed"))
    # The immediate switch, and a pause that lifts by itself at the start of a day.
    accepting_calls = models.BooleanField(_("taking calls"), default=True)
    paused_until = models.DateTimeField(_("paused until"), null=True, blank=True)
    # Set when calls were switched off for missed calls in a row; misses before it are forgiven.
    auto_paused_at = models.DateTimeField(
        _("switched off for missed calls at"), null=True, blank=True
    )
    # Staff switch: a suspended ambassador is never offered a call.
    is_active = models.BooleanField(_("active"), default=True)
    onboarded_at = models.DateTimeField(_("onboarding completed at"), null=True, blank=True)
    # The rotating queue: whoever was offered a call longest ago goes first.
    last_offered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ambassador")
        verbose_name_plural = _("ambassadors")

    def __str__(self) -> str:
        return self.display_name or f"Ambassador {self.pk}"

    @property
    def phone_verified(self) -> bool:
        return self.phone_verified_at is not None and self.phone_number is not None


class AmbassadorLanguage(models.Model):
    ambassador = models.ForeignKey(Ambassador, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGES)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["language", "ambassador"], name="unique_language"),
        ]

    def __str__(self) -> str:
        return self.get_language_display()


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


def week_minutes(weekday: int, start: time, end: time) -> tuple[int, int]:
    """A slot as minutes since Monday 00:00, wall-clock time of the destination.

    The end may pass midnight (22:00-02:00) and even the end of the week (Sunday night into
    Monday); an end equal to the start means a full 24 hours.
    """
    begin = weekday * MINUTES_PER_DAY + start.hour * 60 + start.minute
    length = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    if length <= 0:
        length += MINUTES_PER_DAY
    return begin, begin + length


class AvailabilitySlot(models.Model):
    """A weekly window in which the ambassador is happy to be called.

    ``start_minute``/``end_minute`` repeat the slot as minutes of the week so the selector can
    find everyone available at an instant with one range condition on an index.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ambassador = models.ForeignKey(
        Ambassador, on_delete=models.CASCADE, related_name="availability_slots"
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))
    start_minute = models.PositiveIntegerField(editable=False)
    end_minute = models.PositiveIntegerField(editable=False)

    class Meta:
        ordering = ["weekday", "start"]
        verbose_name = _("availability slot")
        verbose_name_plural = _("availability slots")
        indexes = [models.Index(fields=["start_minute", "end_minute", "ambassador"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="slot_weekday_range"
            ),
            # At most 24 hours: the selector relies on it to scan one day of slots only.
            models.CheckConstraint(
                condition=Q(end_minute__gt=models.F("start_minute"))
                & Q(end_minute__lte=models.F("start_minute") + MINUTES_PER_DAY),
                name="slot_length_within_a_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.start_minute, self.end_minute = week_minutes(self.weekday, self.start, self.end)
        super().save(*args, **kwargs)

    @property
    def crosses_midnight(self) -> bool:
        return self.end <= self.start


HOURS_PER_WEEK = 7 * 24


class QueueSeat(models.Model):
    """The queue as seen from one hour of the week and one language: a row per ambassador, hour of
    the week (destination wall clock, 0 = Monday 00:00-00:59) that one of their slots touches and
    language they speak, carrying their queue position. The candidates walk only the seats of
    the current hour in the caller's language, in position order, so people who are never free
    at that hour, or do not speak the language, are not in the walk at all, however long they
    have waited (docs/PERFORMANCE.md, "A queue that does not age").

    Written by the database only (triggers of migration ``0007_queue_seats``): a slot's or a
    language's insert, change or removal rewrites its ambassador's seats; a change of the queue
    position or of anything that makes an ambassador routable rewrites ``position`` in their
    seats. So every writer (services, admin, ``QuerySet.update``, ``bulk_create``, ``COPY``)
    keeps them right.

    ``position`` is NULL while the ambassador is not routable (:data:`ROUTABLE`): such seats are
    left out of the walking index. Otherwise it is the later of :func:`queue_position` and the
    end of a pause: someone paused waits at the back until the pause ends, instead of gathering
    at the head and being stepped over by every call."""

    # The key leads with the ambassador: the triggers rewrite one person's seats through it.
    # No surrogate id: each claim rewrites every seat of the person, and each index costs.
    pk = models.CompositePrimaryKey("ambassador", "hour", "language")
    ambassador = models.ForeignKey(
        Ambassador, on_delete=models.CASCADE, related_name="queue_seats", db_index=False
    )
    hour = models.PositiveSmallIntegerField()
    language = models.CharField(max_length=8)
    position = models.DateTimeField(null=True)

    class Meta:
        indexes = [
            # The walk: this hour's routable seats in this language, in queue order.
            models.Index(
                fields=["hour", "language", "position", "ambassador"],
                name="queue_seat_walk_idx",
                condition=Q(position__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Seat of ambassador {self.ambassador_id} at hour {self.hour} ({self.language})"


class OpenConversations(models.Model):
    """The text conversations an ambassador holds open (no row: none), kept by the database
    only (triggers of calls migration ``0021_open_conversations``), whoever writes: the SMS
    candidates skip those at the cap with one key probe (docs/PERFORMANCE.md)."""

    ambassador = models.OneToOneField(
        Ambassador, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    held = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Ambassador {self.ambassador_id} holds {self.held} open conversations"


class PhoneVerification(models.Model):
    """A 6-digit code sent by SMS to prove the ambassador owns a number. Only its hash is kept."""

    ambassador = models.ForeignKey(
        Ambassador, on_delete=models.CASCADE, related_name="phone_verifications"
    )
    phone_number = PhoneNumberField()
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["ambassador", "-created_at"])]

    def __str__(self) -> str:
        return f"Verification of {self.phone_number} for ambassador {self.ambassador_id}"


# --- Reward points -----------------------------------------------------------------------------


class PointsRules(models.Model):
    """How many points what earns: one row, edited by staff (admin), read when awarding."""

    call_min_seconds = models.PositiveIntegerField(
        _("shortest call that earns points (s)"), default=60
    )
    call_base = models.PositiveIntegerField(_("points per call"), default=10)
    call_per_minute = models.PositiveIntegerField(_("points per full minute"), default=1)
    call_minutes_cap = models.PositiveIntegerField(_("minutes counted at most"), default=30)
    evening_bonus = models.PositiveIntegerField(
        _("bonus for a call answered 18:00–22:00"), default=5
    )
    weekend_bonus = models.PositiveIntegerField(
        _("bonus for a call answered on Saturday or Sunday"), default=5
    )
    sms_points = models.PositiveIntegerField(_("points for a text answered quickly"), default=5)
    sms_within_minutes = models.PositiveIntegerField(
        _("minutes to answer a text for its points"), default=15
    )
    monthly_calls = models.PositiveIntegerField(
        _("calls in a month for the monthly bonus"), default=20
    )
    monthly_bonus = models.PositiveIntegerField(_("monthly bonus"), default=50)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("points rules")
        verbose_name_plural = _("points rules")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="points_rules_one_row")]

    def __str__(self) -> str:
        return str(_("Points rules"))

    @classmethod
    def current(cls) -> PointsRules:
        rules, _created = cls.objects.get_or_create(pk=1)
        return rules


class AwardKind(models.TextChoices):
    CALL = "call", _("Call")
    SMS = "sms", _("Text conversation")
    MONTHLY = "monthly", _("Monthly bonus")


class AwardStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DONE = "done", _("Done")
    CANCELED = "canceled", _("Canceled")


class PointsAward(models.Model):
    """Something that may earn points, written in the same transaction as the event itself, so
    a broker outage loses nothing: a task turns pending awards into ledger entries."""

    key = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=10, choices=AwardKind)
    ambassador = models.ForeignKey(Ambassador, on_delete=models.PROTECT, related_name="awards")
    reference = models.CharField(max_length=64)
    occurred_at = models.DateTimeField(db_index=True)
    seconds = models.PositiveIntegerField(default=0)  # a call's duration, or a text's wait
    status = models.CharField(
        max_length=10, choices=AwardStatus, default=AwardStatus.PENDING, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("points award")
        verbose_name_plural = _("points awards")
        indexes = [
            models.Index(
                fields=["created_at"],
                name="award_pending_idx",
                condition=Q(status="pending"),
            )
        ]

    def __str__(self) -> str:
        return self.key


class EntryKind(models.TextChoices):
    CALL = "call", _("Call")
    SMS = "sms", _("Text conversation")
    MONTHLY = "monthly", _("Monthly bonus")
    REVERSAL = "reversal", _("Reversal")
    REDEMPTION = "redemption", _("Reward")
    ADJUSTMENT = "adjustment", _("Adjustment")


class PointsEntry(models.Model):
    """The ledger: append-only, one row per change of balance, each explained; the balance is
    the sum. ``key`` makes each entry happen once, whatever retries or restarts do."""

    ambassador = models.ForeignKey(
        Ambassador, on_delete=models.PROTECT, related_name="points_entries"
    )
    amount = models.IntegerField(_("points"))
    kind = models.CharField(_("kind"), max_length=12, choices=EntryKind)
    reason = models.CharField(_("reason"), max_length=200)
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    key = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(_("date"), auto_now_add=True)
    # Who made an adjustment by hand (staff); empty for what the rules award.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("made by"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("points entry")
        verbose_name_plural = _("points entries")
        indexes = [models.Index(fields=["ambassador", "-created_at"], name="entry_history_idx")]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="entry_not_zero")]

    def __str__(self) -> str:
        return f"{self.amount:+d} {self.reason}"


class Reward(models.Model):
    """Something points buy: a trip, a plane ticket, a partner's voucher."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    price = models.PositiveIntegerField(_("price in points"))
    stock = models.PositiveIntegerField(_("left in stock"))
    available_from = models.DateField(_("available from"), null=True, blank=True)
    available_until = models.DateField(_("available until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["price", "name"]
        verbose_name = _("reward")
        verbose_name_plural = _("rewards")
        constraints = [
            models.CheckConstraint(
                condition=Q(available_from__isnull=True)
                | Q(available_until__isnull=True)
                | Q(available_until__gte=models.F("available_from")),
                name="reward_dates_in_order",
                violation_error_message=_("The last day cannot come before the first."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class RedemptionStatus(models.TextChoices):
    REQUESTED = "requested", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Redemption(models.Model):
    """An ambassador asks for a reward; staff approve (points debited, stock taken) or reject.
    A request holds its points and one unit of stock until decided, so requests made at once
    can never overspend."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ambassador = models.ForeignKey(Ambassador, on_delete=models.PROTECT, related_name="redemptions")
    reward = models.ForeignKey(Reward, on_delete=models.PROTECT, related_name="redemptions")
    price = models.PositiveIntegerField(_("price in points"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RedemptionStatus,
        default=RedemptionStatus.REQUESTED,
        db_index=True,
    )
    reason = models.CharField(_("reason given"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("redemption")
        verbose_name_plural = _("redemptions")
        constraints = [
            # Decided exactly when it has left the waiting state; a rejection always says why.
            models.CheckConstraint(
                condition=Q(status=RedemptionStatus.REQUESTED, decided_at__isnull=True)
                | (~Q(status=RedemptionStatus.REQUESTED) & Q(decided_at__isnull=False)),
                name="redemption_decided_at",
            ),
            models.CheckConstraint(
                condition=~Q(status=RedemptionStatus.REJECTED) | ~Q(reason=""),
                name="redemption_rejection_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reward} for {self.ambassador}"


class MembershipStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Member")
    REFUSED = "refused", _("Not approved")


class CommunityMembership(models.Model):
    """An ambassador in an affinity community: a member at once, or once staff approve when the
    community is moderated. Only approved members are asked first for the community's callers."""

    ambassador = models.ForeignKey(
        Ambassador, on_delete=models.CASCADE, related_name="community_memberships"
    )
    community = models.ForeignKey(
        "concierge.Community", on_delete=models.CASCADE, related_name="memberships"
    )
    status = models.CharField(_("status"), max_length=10, choices=MembershipStatus)
    requested_at = models.DateTimeField(_("asked on"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["community__position", "community__name"]
        verbose_name = _("community membership")
        verbose_name_plural = _("community memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["ambassador", "community"], name="one_membership_per_community"
            ),
        ]
        indexes = [
            # Routing: "approved members of this community", from the community's side.
            models.Index(
                fields=["community", "status", "ambassador"], name="community_members_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ambassador} in {self.community}"
