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
