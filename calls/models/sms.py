"""SMS: a masked relay between a tourist and a local, the opt-outs and the FAQ."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ambassadors.models import Ambassador
from concierge.models import CallMotive, Community, Membership

from .lines import PhoneLine


class ConversationStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for a local")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ConversationChannel(models.TextChoices):
    """How the tourist writes to the line (locals always answer by SMS or on the web)."""

    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    WEB = "web", _("Web chat")


# Twilio's address of a WhatsApp user or sender: the number behind this prefix.
WHATSAPP_PREFIX = "whatsapp:"
WEB_ADDRESS_PREFIX = "web:"  # a web-chat visitor's address: "web:" and 24 hex digits


def channel_of(address: str) -> ConversationChannel:
    """The channel an address belongs to: "whatsapp:+49…", "web:…" or a plain number (SMS)."""
    if address.startswith(WHATSAPP_PREFIX):
        return ConversationChannel.WHATSAPP
    if address.startswith(WEB_ADDRESS_PREFIX):  # a web-chat visitor (calls.webchat)
        return ConversationChannel.WEB
    return ConversationChannel.SMS


def address_on(channel: str, number: str) -> str:
    """A plain E.164 number as an address on ``channel``."""
    return WHATSAPP_PREFIX + number if channel == ConversationChannel.WHATSAPP else number


def number_of(address: str) -> str:
    """The plain E.164 number of an address (what a country is guessed from)."""
    return address.removeprefix(WHATSAPP_PREFIX)


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
    # Kept in clear while the conversation lives (texts go to it); a pseudonym after
    # PHONE_NUMBER_RETENTION_DAYS once closed (calls.privacy). The address on the channel:
    # "+49…" by SMS, "whatsapp:+49…" on WhatsApp (a tourist may have one of each at once).
    tourist_number = models.CharField(_("tourist's number"), max_length=32)
    channel = models.CharField(
        _("channel"),
        max_length=10,
        choices=ConversationChannel,
        default=ConversationChannel.SMS,
    )
    tourist_country = models.CharField(_("tourist's country"), max_length=2, blank=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    motive = models.ForeignKey(
        CallMotive, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("motive")
    )
    # The affinity community asked for: the line's own, or a keyword in the first text.
    community = models.ForeignKey(
        Community,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("community"),
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
    # Made in the SMS simulator: never mixed with real ones, earns no points, in no figure.
    is_rehearsal = models.BooleanField(_("rehearsal"), default=False)
    # When the conversation was counted in the figures (calls.figures), once it closed.
    rolled_up_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Contacts typed in texts are hidden when the line says so; each side is told once.
    tourist_told_masking = models.BooleanField(default=False)
    local_told_masking = models.BooleanField(default=False)

    class Meta:
        ordering = ["-last_activity_at"]
        verbose_name = _("SMS conversation")
        verbose_name_plural = _("SMS conversations")
        constraints = [
            models.UniqueConstraint(
                fields=["line", "tourist_number", "is_rehearsal"],
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
            ),
            models.Index(
                fields=["opened_at"],
                condition=models.Q(rolled_up_at__isnull=True, is_rehearsal=False),
                name="conversation_not_rolled_up_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.code or '?'} ({self.get_status_display()})"

    @property
    def tag(self) -> str:
        """How a local sees the tourist, in the active language: the code and where they write
        from (their country, on WhatsApp too; the web chat), never the number."""
        from ..copy import origin

        return f"#{self.code} {origin(self.channel, self.tourist_country)}"


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
    # A local's reply to a WhatsApp tourist whose 24-hour window had closed: the tourist was
    # sent an approved template instead, and gets the reply when they write again.
    HELD = "held", _("Held until the tourist writes again (WhatsApp 24-hour rule)")
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Sending")
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    READ = "read", _("Read")  # WhatsApp tells when the tourist opened it
    UNDELIVERED = "undelivered", _("Could not be delivered")
    FAILED = "failed", _("Could not be sent")


MESSAGE_STATUS_RANK = {
    status: rank
    for rank, status in enumerate(
        [
            *("held", "pending", "sending", "queued", "sent", "delivered", "read"),
            *("undelivered", "failed"),
        ]
    )
}
FAILED_MESSAGE_STATUSES = {MessageStatus.UNDELIVERED, MessageStatus.FAILED}


class Message(models.Model):
    """One SMS in or out of our lines. Numbers are kept to send and to match replies, and are
    never shown; after PHONE_NUMBER_RETENTION_DAYS the sender's or recipient's number gives way
    to a pseudonym (``numbers_erased``), and bodies are blanked after SMS_RETENTION_DAYS."""

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
    numbers_erased = models.BooleanField(default=False)
    status = models.CharField(_("status"), max_length=12, choices=MessageStatus)
    error = models.CharField(_("error"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # A failed reply is reported to its local once.
    failure_notified_at = models.DateTimeField(null=True, blank=True)
    # Which local wrote a reply (a conversation may pass from one to another).
    written_by = models.ForeignKey(
        Ambassador, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    written_by_advisor = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A long text goes out in parts, each sent once the one it follows has been handed over.
    follows = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="next_part"
    )
    # In or out of a rehearsal: never handed to a backend that reaches real phones.
    is_rehearsal = models.BooleanField(_("rehearsal"), default=False)
    # Sent as a pre-approved WhatsApp template (Twilio's ContentSid, HX…) with these variables;
    # ``body`` then holds what the template says, for the pages.
    template_sid = models.CharField(_("WhatsApp template"), max_length=34, blank=True)
    template_variables = models.JSONField(default=dict, blank=True)

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
        indexes = [
            # Retention finds the few rows still holding a number among all the old ones.
            models.Index(
                fields=["created_at"],
                condition=models.Q(numbers_erased=False),
                name="message_numbers_kept_idx",
            ),
            # WhatsApp's 24-hour window: when did this address last write to the line?
            models.Index(
                fields=["from_number", "created_at"],
                condition=models.Q(direction="in"),
                name="message_inbound_from_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.get_author_display()} {self.created_at:%c}"

    @property
    def failed(self) -> bool:
        return self.status in FAILED_MESSAGE_STATUSES


class OptOut(models.Model):
    """A number that texted STOP (or a synonym): nothing is sent to it until it texts START.

    A STOP rehearsed in the simulator holds in rehearsals only: it never silences a real number,
    and a real opt-out does not hide the number from rehearsals (which reach no phone). Only the
    number's keyed hash is kept (concierge.lib.pseudonyms)."""

    number_hash = models.CharField(_("number (keyed hash)"), max_length=64, editable=False)
    is_rehearsal = models.BooleanField(_("rehearsal"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("SMS opt-out")
        verbose_name_plural = _("SMS opt-outs")
        constraints = [
            models.UniqueConstraint(fields=["number_hash", "is_rehearsal"], name="unique_opt_out")
        ]

    def __str__(self) -> str:
        return f"#{self.number_hash[:8]}"


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
