"""Phone verification, reward points and rewards, and community memberships."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from .people import Ambassador


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
