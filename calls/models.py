"""Public lines, calls and their attempts, the block list, and the sandbox outbox."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from ambassadors.models import Ambassador
from concierge.models import CallMotive, Region


class SandboxMessage(models.Model):
    """An SMS the sandbox backend 'sent': shown on the staff outbox instead of reaching a phone."""

    sid = models.CharField(max_length=40, unique=True)
    to = models.CharField(_("to"), max_length=20)
    from_number = models.CharField(_("from"), max_length=20)
    body = models.TextField(_("body"))
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("sandbox message")
        verbose_name_plural = _("sandbox messages")

    def __str__(self) -> str:
        return f"SMS to {self.to} at {self.created_at:%Y-%m-%d %H:%M}"


class LineTier(models.TextChoices):
    STANDARD = "standard", _("Standard")
    PREMIUM = "premium", _("Premium")


class PhoneLine(models.Model):
    """A public number tourists call. With no regions it is a national line (the IVR asks)."""

    number = PhoneNumberField(_("number"), unique=True)
    label = models.CharField(_("label"), max_length=100)
    regions = models.ManyToManyField(
        Region, blank=True, verbose_name=_("regions covered"), help_text=_("None: national.")
    )
    ivr_languages = models.CharField(
        _("IVR languages"),
        max_length=60,
        default="en,fr,de,es,it",
        help_text=_("Language codes offered by the menu, in order, comma-separated (9 at most)."),
    )
    greeting = models.TextField(_("greeting"), blank=True)
    tier = models.CharField(_("tier"), max_length=10, choices=LineTier, default=LineTier.STANDARD)
    records_calls = models.BooleanField(_("records calls"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("phone line")
        verbose_name_plural = _("phone lines")

    def __str__(self) -> str:
        return f"{self.label} ({self.number})"

    @property
    def languages(self) -> list[str]:
        return [code.strip() for code in self.ivr_languages.split(",") if code.strip()][:9]


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


class Call(models.Model):
    sid = models.CharField(_("Twilio CallSid"), max_length=64, unique=True)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    line = models.ForeignKey(PhoneLine, on_delete=models.PROTECT, related_name="calls")
    # Never shown to responders: they see the country and the short reference only.
    caller_number = models.CharField(_("caller's number"), max_length=32, blank=True)
    caller_country = models.CharField(_("caller's country"), max_length=2, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    motive = models.ForeignKey(
        CallMotive, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("motive")
    )
    region = models.ForeignKey(
        Region, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("region")
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

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        indexes = [models.Index(fields=["caller_number", "received_at"])]

    def __str__(self) -> str:
        return f"Call {self.reference} on {self.received_at:%Y-%m-%d %H:%M}"

    @property
    def reference(self) -> str:
        """What a responder may see instead of the number: a short, stable code."""
        return self.public_id.hex[:6].upper()


class AttemptOutcome(models.TextChoices):
    RINGING = "ringing", _("Ringing")
    ACCEPTED = "accepted", _("Accepted")
    NO_ANSWER = "no_answer", _("No answer")
    DECLINED = "declined", _("Declined")
    BUSY = "busy", _("Busy")
    FAILED = "failed", _("Failed")
    CANCELED = "canceled", _("Caller hung up while ringing")


class CallAttempt(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="attempts")
    ambassador = models.ForeignKey(
        Ambassador, on_delete=models.CASCADE, related_name="call_attempts"
    )
    order = models.PositiveSmallIntegerField()
    outcome = models.CharField(
        max_length=12, choices=AttemptOutcome, default=AttemptOutcome.RINGING
    )
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["call", "order"]
        constraints = [
            models.UniqueConstraint(fields=["call", "order"], name="unique_attempt_order"),
            models.UniqueConstraint(fields=["call", "ambassador"], name="unique_attempt_person"),
        ]
        indexes = [
            models.Index(
                fields=["ambassador", "started_at"],
                name="attempt_engaged_idx",
                condition=models.Q(outcome__in=["ringing", "accepted"]),
            )
        ]

    def __str__(self) -> str:
        return f"Attempt {self.order} of {self.call_id}: {self.get_outcome_display()}"

    @property
    def ring_seconds(self) -> int | None:
        if self.ended_at is None:
            return None
        return int((self.ended_at - self.started_at).total_seconds())


class BlockedNumber(models.Model):
    number = models.CharField(_("number"), max_length=32, unique=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("blocked number")
        verbose_name_plural = _("blocked numbers")

    def __str__(self) -> str:
        return self.number


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
