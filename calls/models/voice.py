"""Calls and their attempts, reports, callback requests and recordings."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ambassadors.models import Ambassador
from concierge.models import CallMotive, Community, Membership, Region

from .lines import PhoneLine


class CallStatus(models.TextChoices):
    # In the order a call moves through them; a status never moves backwards.
    IVR = "ivr", _("In the menu")
    ROUTING = "routing", _("Ringing ambassadors")
    IN_PROGRESS = "in_progress", _("Connected")
    NO_RESPONDER = "no_responder", _("Nobody could answer")
    REFUSED = "refused", _("Refused (blocked or rate-limited)")
    COMPLETED = "completed", _("Completed")
    ABANDONED = "abandoned", _("Caller hung up before connecting")


FINAL_CALL_STATUSES = {CallStatus.REFUSED, CallStatus.COMPLETED, CallStatus.ABANDONED}
# A caller still waiting for someone: in the menu, or while phones ring.
LIVE_CALL_STATUSES = (CallStatus.IVR, CallStatus.ROUTING)


class Call(models.Model):
    sid = models.CharField(_("Twilio CallSid"), max_length=64, unique=True)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    line = models.ForeignKey(PhoneLine, on_delete=models.PROTECT, related_name="calls")
    # Never shown to responders: they see the country and the short reference only. Kept to
    # text the caller back (a callback, a replay link), erased after PHONE_NUMBER_RETENTION_DAYS.
    caller_number = models.CharField(_("caller's number"), max_length=32, blank=True)
    # Its keyed hash, kept with the call: the rate limit and blocks need no clear number.
    # "" when the number was withheld.
    caller_hash = models.CharField(max_length=64, blank=True, editable=False)
    caller_country = models.CharField(_("caller's country"), max_length=2, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    motive = models.ForeignKey(
        CallMotive, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("motive")
    )
    region = models.ForeignKey(
        Region, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("region")
    )
    # The affinity community asked for: the line's own, or the caller's choice in the menu.
    community = models.ForeignKey(
        Community,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("community"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CallStatus, default=CallStatus.IVR, db_index=True
    )
    received_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    duration = models.PositiveIntegerField(_("duration (s)"), null=True, blank=True)
    responder = models.ForeignKey(
        Ambassador,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="answered_calls",
        verbose_name=_("responder"),
    )
    # When a tourist office's advisor on duty answered instead of a volunteer (no points).
    advisor = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="answered_calls",
        verbose_name=_("advisor on duty"),
    )
    # Made in the call simulator: earns no points and is left out of every figure.
    is_rehearsal = models.BooleanField(_("rehearsal"), default=False)
    # When the call was counted in the figures (calls.figures): claimed once, by one worker.
    rolled_up_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        indexes = [
            models.Index(fields=["caller_hash", "received_at"], name="call_caller_hash_idx"),
            # Retention finds the few calls still holding a number among all the old ones.
            models.Index(
                fields=["received_at"],
                condition=~models.Q(caller_number=""),
                name="call_number_kept_idx",
            ),
            # The figures' catch-up finds the few ended calls not yet counted.
            models.Index(
                fields=["received_at"],
                condition=models.Q(rolled_up_at__isnull=True, is_rehearsal=False),
                name="call_not_rolled_up_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Call {self.reference} on {self.received_at:%Y-%m-%d %H:%M}"

    @property
    def time_to_human(self) -> int | None:
        """Seconds from dialling to a local accepting: the yardstick (DESIGN)."""
        if self.answered_at is None:
            return None
        return int((self.answered_at - self.received_at).total_seconds())

    @property
    def reference(self) -> str:
        """What a responder may see instead of the number: a short, stable code."""
        return call_reference(self.public_id)


def call_reference(public_id: uuid.UUID) -> str:
    """A call's reference from its public id (for reads that load no Call instance)."""
    return public_id.hex[:6].upper()


class AttemptOutcome(models.TextChoices):
    RINGING = "ringing", _("Ringing")
    ACCEPTED = "accepted", _("Accepted")
    NO_ANSWER = "no_answer", _("No answer")
    DECLINED = "declined", _("Declined")
    BUSY = "busy", _("Busy")
    FAILED = "failed", _("Failed")
    CANCELED = "canceled", _("Caller hung up while ringing")
    # Rung together with others, one of whom took the call first: no missed call.
    RELEASED = "released", _("Another local took the call")


class CallAttempt(models.Model):
    """One person rung for a call: a volunteer, or a tourist office's advisor on duty."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="attempts")
    ambassador = models.ForeignKey(
        Ambassador, on_delete=models.CASCADE, null=True, blank=True, related_name="call_attempts"
    )
    advisor = models.ForeignKey(
        Membership, on_delete=models.CASCADE, null=True, blank=True, related_name="call_attempts"
    )
    order = models.PositiveSmallIntegerField()
    # The <Dial> (1, 2, …) that rang them: locals of one ring group ring together.
    group = models.PositiveSmallIntegerField(_("ring group"), default=1)
    outcome = models.CharField(
        max_length=12, choices=AttemptOutcome, default=AttemptOutcome.RINGING
    )
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    # The CallSid of the call placed to this local through the REST API (a line that rings
    # during the greeting), to hang it up when the call no longer needs them; else empty.
    leg_sid = models.CharField(max_length=40, blank=True)
    # When the local picked up that placed call (its whisper was asked for): a staggered group
    # rings nobody more while someone listens to the whisper.
    picked_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["call", "order"]
        constraints = [
            models.UniqueConstraint(fields=["call", "order"], name="unique_attempt_order"),
            models.UniqueConstraint(fields=["call", "ambassador"], name="unique_attempt_person"),
            models.UniqueConstraint(fields=["call", "advisor"], name="unique_attempt_advisor"),
            models.CheckConstraint(
                condition=models.Q(ambassador__isnull=True) ^ models.Q(advisor__isnull=True),
                name="attempt_rings_one_person",
            ),
        ]
        indexes = [
            models.Index(
                fields=["ambassador", "started_at"],
                name="attempt_engaged_idx",
                condition=models.Q(outcome__in=["ringing", "accepted"]),
            ),
            models.Index(
                fields=["advisor", "started_at"],
                name="attempt_advisor_engaged_idx",
                condition=models.Q(outcome__in=["ringing", "accepted"]),
            ),
        ]

    def __str__(self) -> str:
        return f"Attempt {self.order} of {self.call_id}: {self.get_outcome_display()}"

    @property
    def ring_seconds(self) -> int | None:
        if self.ended_at is None:
            return None
        return int((self.ended_at - self.started_at).total_seconds())


class ReportStatus(models.TextChoices):
    OPEN = "open", _("To review")
    CONFIRMED = "confirmed", _("Confirmed: caller blocked")
    DISMISSED = "dismissed", _("Dismissed")


class CallReport(models.Model):
    """An ambassador flags a call (abuse, prank…); staff review it and may block the number."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="reports")
    ambassador = models.ForeignKey(
        Ambassador, on_delete=models.SET_NULL, null=True, related_name="call_reports"
    )
    reason = models.TextField(_("what happened"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus, default=ReportStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("call report")
        verbose_name_plural = _("call reports")
        constraints = [
            models.UniqueConstraint(fields=["call", "ambassador"], name="one_report_per_call")
        ]

    def __str__(self) -> str:
        return f"Report on call {self.call.reference}"


class CallbackStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a free local")
    SERVED = "served", _("Caller told by SMS")
    EXPIRED = "expired", _("Expired")


class CallbackRequest(models.Model):
    """Nobody could answer; the caller asked for an SMS as soon as a local is free."""

    call = models.OneToOneField(Call, on_delete=models.CASCADE, related_name="callback_request")
    status = models.CharField(
        max_length=10, choices=CallbackStatus, default=CallbackStatus.PENDING, db_index=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    served_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("callback request")
        verbose_name_plural = _("callback requests")

    def __str__(self) -> str:
        return f"Callback for call {self.call.reference}: {self.get_status_display()}"


class Recording(models.Model):
    """A recorded call (premium lines, after the notice). Audio stays at Twilio; we keep the
    reference and serve it through signed, expiring links; retention deletes it."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="recordings")
    sid = models.CharField(max_length=64, unique=True)
    url = models.URLField(max_length=500)
    duration = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recording")
        verbose_name_plural = _("recordings")

    def __str__(self) -> str:
        return f"Recording {self.sid}"
