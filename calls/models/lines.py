"""The public numbers tourists call or text, and the numbers refused on them."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from concierge.models import Community, OfficeNetwork, Region

# Chosen on the simulated evening (docs/PERFORMANCE.md); Twilio rings ten numbers at most.
RING_GROUP_SIZE = 2
MAX_RING_GROUP = 10


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
    full_menu = models.BooleanField(
        _("asks the full menu"),
        default=False,
        help_text=_(
            "On: callers choose a language, a topic and a region before anyone rings. Off (the "
            "short path): callers are put through at once unless they press 1 to choose."
        ),
    )
    ring_group_size = models.PositiveSmallIntegerField(
        _("locals rung at once"),
        default=RING_GROUP_SIZE,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_RING_GROUP)],
        help_text=_(
            "How many locals' phones ring together for a call; the first to press 1 takes it "
            "and the others are let go (no missed call counted). 1: one at a time."
        ),
    )
    rings_early = models.BooleanField(
        _("rings locals during the greeting"),
        default=True,
        help_text=_(
            "On the short path: the caller waits in a queue of their own, hearing the greeting "
            "and the question, while the first locals' phones already ring; the first to press 1 "
            "is bridged to them. Rehearsals always ring after the greeting."
        ),
    )
    masks_contacts = models.BooleanField(
        _("hides contacts typed in texts"),
        default=True,
        help_text=_(
            "Phone numbers and e-mail addresses written in relayed texts are hidden from the "
            "other side (the writer is told once). Off: people may share them."
        ),
    )
    accepts_withheld = models.BooleanField(
        _("takes withheld numbers"),
        default=True,
        help_text=_("Off: callers who hide their number are politely asked to call again."),
    )
    takes_whatsapp = models.BooleanField(
        _("takes WhatsApp messages"),
        default=False,
        help_text=_(
            "On: the line's number is also a WhatsApp sender at Twilio; twilio_configure points "
            "the sender at this site and twilio_check reports it when missing or elsewhere."
        ),
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("community asked for"),
        help_text=_(
            "A line for one affinity community (families, accessible travel…): its members are "
            "rung or texted first, then anyone, as for a topic."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    rehearsal_networks = models.ManyToManyField(
        OfficeNetwork,
        blank=True,
        related_name="+",
        verbose_name=_("networks that may rehearse"),
        help_text=_(
            "Their coordinators and managers may rehearse calls and texts on this line in the "
            "simulators (staff always may). Rehearsals reach no real phone and earn no points."
        ),
    )

    class Meta:
        verbose_name = _("phone line")
        verbose_name_plural = _("phone lines")

    def __str__(self) -> str:
        return f"{self.label} ({self.number})"

    @property
    def languages(self) -> list[str]:
        return [code.strip() for code in self.ivr_languages.split(",") if code.strip()][:9]


class BlockedNumber(models.Model):
    """A caller refused on every line. Only the keyed hash of the number is kept
    (concierge.lib.pseudonyms): enough to recognise the number, not to read it."""

    number_hash = models.CharField(
        _("number (keyed hash)"), max_length=64, unique=True, editable=False
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("blocked number")
        verbose_name_plural = _("blocked numbers")

    def __str__(self) -> str:
        return self.reason or f"#{self.number_hash[:8]}"
