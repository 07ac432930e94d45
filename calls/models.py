"""Public lines, calls and their attempts, the block list, and the sandbox outbox."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from ambassadors.models import Ambassador
from concierge.models import CallMotive, Membership, Region


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
    # When a tourist office's advisor on duty answered instead of a volunteer (no points).
    advisor = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="answered_calls",
        verbose_name=_("advisor on duty"),
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
    """One person rung for a call: a volunteer, or a tourist office's advisor on duty."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="attempts")
    ambassador = models.ForeignKey(
        Ambassador, on_delete=models.CASCADE, null=True, blank=True, related_name="call_attempts"
    )
    advisor = models.ForeignKey(
        Membership, on_delete=models.CASCADE, null=True, blank=True, related_name="call_attempts"
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
    def phone_number(self) -> str:
        """Whom Twilio dials; it appears nowhere else."""
        person = self.ambassador or self.advisor
        return str(person.phone_number) if person and person.phone_number else ""

    @property
    def responder_name(self) -> str:
        """The pseudonym a caller may hear; for an advisor, their first name and office."""
        if self.ambassador is not None:
            return self.ambassador.display_name
        if self.advisor is not None:
            return f"{self.advisor.user.first_name or self.advisor.user.email.split('@')[0]}"
        return ""

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


# --- SMS: a masked relay between a tourist and a local -----------------------------------------


class ConversationStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for a local")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class CloseReason(models.TextChoices):
    ENDED = "ended", _("Ended by the local")
    NEW = "new", _("The tourist asked for another local")
    IDLE = "idle", _("No message for a while")
    OPTED_OUT = "opted_out", _("The tourist opted out")
    UNANSWERED = "unanswered", _("Passed to another local: no answer")


class Conversation(models.Model):
    """A tourist's text thread on one line, relayed to one local at a time; numbers stay hidden.

    While nobody is free it waits (the tourist gets answers from the FAQ) and is handed to the
    first local who is. ``code`` (e.g. "K7") tells a local's open conversations apart."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    line = models.ForeignKey(PhoneLine, on_delete=models.PROTECT, related_name="conversations")
    tourist_number = models.CharField(_("tourist's number"), max_length=32)
    tourist_country = models.CharField(_("tourist's country"), max_length=2, blank=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    motive = models.ForeignKey(
        CallMotive, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("motive")
    )
    responder = models.ForeignKey(
        Ambassador,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conversations",
        verbose_name=_("local"),
    )
    # Or, during a rota shift, the tourist office's advisor on duty (who earns no points).
    advisor = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conversations",
        verbose_name=_("advisor on duty"),
    )
    # Locals this conversation was offered to already: never offered to them again.
    tried = models.ManyToManyField(Ambassador, blank=True, related_name="+")
    tried_advisors = models.ManyToManyField(Membership, blank=True, related_name="+")
    code = models.CharField(_("code"), max_length=4, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ConversationStatus,
        default=ConversationStatus.WAITING,
    )
    close_reason = models.CharField(
        _("closed because"), max_length=12, choices=CloseReason, blank=True
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now, db_index=True)
    assigned_at = models.DateTimeField(_("given to the local at"), null=True, blank=True)
    first_reply_at = models.DateTimeField(_("first reply at"), null=True, blank=True)
    # The tourist's first message to the first human reply: what tourist offices are judged on.
    first_response_time = models.DurationField(_("first response time"), null=True, blank=True)
    faq_sent_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-last_activity_at"]
        verbose_name = _("SMS conversation")
        verbose_name_plural = _("SMS conversations")
        constraints = [
            models.UniqueConstraint(
                fields=["line", "tourist_number"],
                condition=~models.Q(status="closed"),
                name="one_live_conversation_per_tourist",
            ),
            models.UniqueConstraint(
                fields=["responder", "code"],
                condition=models.Q(status="open"),
                name="unique_open_code_per_local",
            ),
            models.UniqueConstraint(
                fields=["advisor", "code"],
                condition=models.Q(status="open"),
                name="unique_open_code_per_advisor",
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "last_activity_at"],
                name="conversation_live_idx",
                condition=~models.Q(status="closed"),
            )
        ]

    def __str__(self) -> str:
        return f"#{self.code or '?'} ({self.get_status_display()})"

    @property
    def local_phone(self) -> str:
        """The number of whoever answers: the volunteer, or the advisor on duty."""
        local = self.responder or self.advisor
        return local.phone_number.as_e164 if local and local.phone_number else ""

    @property
    def local_name(self) -> str:
        if self.responder is not None:
            return self.responder.display_name.split()[0] if self.responder.display_name else ""
        if self.advisor is not None:
            return self.advisor.user.first_name.split()[0] if self.advisor.user.first_name else ""
        return ""

    @property
    def tag(self) -> str:
        """How a local sees the tourist: the code and the country, never the number."""
        from .countries import country_name

        return f"#{self.code} {country_name(self.tourist_country)}"


class MessageDirection(models.TextChoices):
    INBOUND = "in", _("Received")
    OUTBOUND = "out", _("Sent")


class MessageAuthor(models.TextChoices):
    TOURIST = "tourist", _("Tourist")
    LOCAL = "local", _("Local")
    SYSTEM = "system", _("Destination Concierge")


class MessageStatus(models.TextChoices):
    # Ours (pending: stored, not yet handed over; sending: being handed to the backend), then
    # Twilio's, in the order they move (MESSAGE_STATUS_RANK).
    RECEIVED = "received", _("Received")
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Sending")
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    UNDELIVERED = "undelivered", _("Could not be delivered")
    FAILED = "failed", _("Could not be sent")


MESSAGE_STATUS_RANK = {
    status: rank
    for rank, status in enumerate(
        ["pending", "sending", "queued", "sent", "delivered", "undelivered", "failed"]
    )
}
FAILED_MESSAGE_STATUSES = {MessageStatus.UNDELIVERED, MessageStatus.FAILED}


class Message(models.Model):
    """One SMS in or out of our lines. Numbers are kept to send and to match replies, and are
    never shown; bodies are blanked after the retention period."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, null=True, blank=True, related_name="messages"
    )
    # Twilio's MessageSid: the idempotency key of inbound webhooks; set on outbound once sent.
    sid = models.CharField(max_length=64, blank=True, db_index=True)
    direction = models.CharField(max_length=3, choices=MessageDirection)
    author = models.CharField(max_length=8, choices=MessageAuthor)
    from_number = models.CharField(max_length=32)
    to_number = models.CharField(max_length=32)
    body = models.TextField(_("text"), blank=True)
    body_deleted = models.BooleanField(default=False)
    status = models.CharField(_("status"), max_length=12, choices=MessageStatus)
    error = models.CharField(_("error"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # A failed reply is reported to its local once.
    failure_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("SMS message")
        verbose_name_plural = _("SMS messages")
        constraints = [
            # A retried webhook cannot store (and relay) the same message twice.
            models.UniqueConstraint(
                fields=["sid"], condition=models.Q(direction="in"), name="unique_inbound_sid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.get_author_display()} {self.created_at:%c}"

    @property
    def failed(self) -> bool:
        return self.status in FAILED_MESSAGE_STATUSES


class OptOut(models.Model):
    """A number that texted STOP (or a synonym): nothing is sent to it until it texts START."""

    number = models.CharField(_("number"), max_length=32, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("SMS opt-out")
        verbose_name_plural = _("SMS opt-outs")

    def __str__(self) -> str:
        return self.number


class FaqEntry(models.Model):
    """An instant answer for tourists while no local is free, found by its keywords."""

    topic = models.CharField(_("topic"), max_length=100)
    language = models.CharField(
        _("language"), max_length=8, default="en", help_text=_("e.g. en, fr, de.")
    )
    keywords = models.CharField(
        _("keywords"),
        max_length=300,
        help_text=_("Comma-separated words that call for this answer, e.g. train, station, SNCF."),
    )
    answer = models.TextField(_("answer"), max_length=600)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["language", "position", "id"]
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")

    def __str__(self) -> str:
        return f"{self.topic} ({self.language})"

    @property
    def keyword_list(self) -> list[str]:
        return [word.strip().lower() for word in self.keywords.split(",") if word.strip()]
