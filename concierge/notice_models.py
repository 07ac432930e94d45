"""Notices of the shared rotas: what someone is told (a swap offered, a hand-over waiting, a shift
starting soon…), in the app and, as they chose, by e-mail and text. ``concierge.models`` imports
these models (they are the destination's like the rest); they live apart to keep that module
short, and refer to the others by name only."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeKind(models.TextChoices):
    OFFERED = "offered", _("A colleague offers a shift")
    TAKEN = "taken", _("Someone takes my shift")
    APPROVED = "approved", _("A hand-over is approved")
    REFUSED = "refused", _("A hand-over is refused")
    HANDOVER_WAITING = "handover", _("A hand-over waits for approval")
    ASSIGNED = "assigned", _("I am put on a shift")
    REMOVED = "removed", _("I am taken off a shift")
    SHIFT_SOON = "soon", _("My shift starts soon")
    EMPTY_SEAT = "empty", _("A seat is still empty today")


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    TEXT = "text", _("Text message")


class Notice(models.Model):
    """One thing told to one person, once: ``key`` names the event (the offer, the assignment,
    the seat and day), and the database refuses a second notice of it to the same person.
    ``by_email`` and ``by_text`` are what their preferences said when it was made; the
    ``…_sent_at`` columns say what went out, so a retry never sends it twice."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey("concierge.User", on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("kind"), max_length=10, choices=NoticeKind)
    key = models.CharField(max_length=80)
    network = models.ForeignKey(
        "concierge.OfficeNetwork", on_delete=models.CASCADE, related_name="+"
    )
    shift = models.ForeignKey(
        "concierge.Shift", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    offer = models.ForeignKey(
        "concierge.ShiftOffer", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # Who did it (the colleague who offered or took, the manager who assigned): their name only.
    actor = models.ForeignKey(
        "concierge.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    by_email = models.BooleanField(default=False)
    by_text = models.BooleanField(default=False)
    email_sent_at = models.DateTimeField(null=True, blank=True)
    text_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_notice_per_event_and_person")
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notices_of_a_person"),
            models.Index(
                fields=["user"], condition=models.Q(read_at__isnull=True), name="unread_notices"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.user}"


class NoticePreferences(models.Model):
    """What a person wants to receive outside the app, per kind; without a row, the defaults
    (``concierge.rotas.inbox.DEFAULT_EMAIL`` and ``DEFAULT_TEXT``). ``language``: the one
    their notices are written in (empty: the offices' language)."""

    user = models.OneToOneField(
        "concierge.User", on_delete=models.CASCADE, related_name="notice_preferences"
    )
    language = models.CharField(_("language"), max_length=8, blank=True)
    email_kinds = models.JSONField(default=list)
    text_kinds = models.JSONField(default=list)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notice preferences")
        verbose_name_plural = _("notice preferences")

    def __str__(self) -> str:
        return f"{self.user}"
