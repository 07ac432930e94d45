"""The destination itself: who logs in, its regions and the motives tourists call about."""

from __future__ import annotations

import secrets
import uuid
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from concierge.lib.names import community_name, motive_name, region_name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who logs in; the e-mail address is the login."""

    # No username: the stubs type AbstractUser's field and its manager for one, so these two
    # lines differ from the base class on purpose.
    username = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    def __str__(self) -> str:
        return self.email


class RegionKind(models.TextChoices):
    METROPOLITAN = "metropolitan", _("Metropolitan France")
    OVERSEAS = "overseas", _("Overseas")


class Region(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=RegionKind.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return region_name(self)


class CallMotive(models.Model):
    """Why a tourist calls: the IVR offers these, ambassadors say which they enjoy."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("call motive")
        verbose_name_plural = _("call motives")

    def __str__(self) -> str:
        return motive_name(self)


class Community(models.Model):
    """An affinity community (food lovers, hikers, families with children…): ambassadors join
    it, and a line, a menu choice, a spoken phrase or a text keyword can ask for its members
    first, exactly like a topic."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    moderated = models.BooleanField(
        _("moderated"),
        default=False,
        help_text=_("Off: ambassadors join at once. On: staff approve each request."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("community")
        verbose_name_plural = _("communities")

    def __str__(self) -> str:
        return community_name(self)


# --- Tourist offices and their shared evening rotas ---------------------------------------------


class OfficeNetwork(models.Model):
    """Tourist offices that take turns on the evening and weekend line for the regions they
    cover."""

    name = models.CharField(_("name"), max_length=120)
    regions = models.ManyToManyField(Region, blank=True, verbose_name=_("regions covered"))
    swaps_need_approval = models.BooleanField(
        _("swaps need the coordinator's approval"), default=True
    )
    # The day coordinators were last told about uncovered shifts: once a day, whatever beat does.
    uncovered_notice_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("office network")
        verbose_name_plural = _("office networks")

    def __str__(self) -> str:
        return self.name


class TouristOffice(models.Model):
    name = models.CharField(_("name"), max_length=120)
    network = models.ForeignKey(
        OfficeNetwork, on_delete=models.PROTECT, related_name="offices", verbose_name=_("network")
    )
    regions = models.ManyToManyField(Region, blank=True, verbose_name=_("regions"))
    time_zone = models.CharField(_("time zone"), max_length=40, default="Europe/Paris")

    class Meta:
        ordering = ["name"]
        verbose_name = _("tourist office")
        verbose_name_plural = _("tourist offices")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Network coordinator")
    MANAGER = "manager", _("Office manager")
    ADVISOR = "advisor", _("Advisor")


# Who plans a network's rotas (and reads its figures, prints its posters, rehearses its line).
PLANNING_ROLES = (Role.COORDINATOR, Role.MANAGER)


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class Membership(models.Model):
    """Someone's place in a network: a coordinator (of the whole network), or a manager or an
    advisor of one office. Advisors take shifts on a French mobile they have verified."""

    user = models.ForeignKey("concierge.User", on_delete=models.CASCADE, related_name="memberships")
    network = models.ForeignKey(OfficeNetwork, on_delete=models.CASCADE, related_name="members")
    office = models.ForeignKey(
        TouristOffice, on_delete=models.CASCADE, null=True, blank=True, related_name="members"
    )
    role = models.CharField(_("role"), max_length=12, choices=Role)
    phone_number = PhoneNumberField(_("mobile number"), null=True, blank=True)
    phone_verified_at = models.DateTimeField(_("phone verified at"), null=True, blank=True)
    # A code texted to a new number waits here until the advisor types it (hashed, like an
    # ambassador's; see concierge.rotas.phones).
    pending_phone = PhoneNumberField(null=True, blank=True)
    phone_code_hash = models.CharField(max_length=64, blank=True)
    phone_code_sent_at = models.DateTimeField(null=True, blank=True)
    phone_code_attempts = models.PositiveSmallIntegerField(default=0)
    # The secret in the address of the advisor's private calendar feed; a new one revokes it.
    calendar_token = models.CharField(max_length=64, default=new_calendar_token, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "network", "role"], name="one_role_per_person_and_network"
            ),
            models.CheckConstraint(
                condition=models.Q(role="coordinator") | models.Q(office__isnull=False),
                name="managers_and_advisors_belong_to_an_office",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class OnHolidays(models.TextChoices):
    USUAL = "usual", _("As on any other day")
    SKIP = "skip", _("No shift on public holidays")
    ADD = "add", _("Also on public holidays, whatever the day of the week")


class RotaRule(models.Model):
    """A recurring window of the rota, e.g. Monday–Friday 18:00–22:00 with two advisors.
    Stored as a row; concrete shifts are expanded from it (``concierge.rotas``)."""

    network = models.ForeignKey(OfficeNetwork, on_delete=models.CASCADE, related_name="rules")
    name = models.CharField(_("name"), max_length=80)
    # dateutil's weekday names, comma-separated: "MO,TU,WE,TH,FR".
    weekdays = models.CharField(_("days"), max_length=20)
    start_time = models.TimeField(_("starts at"))
    end_time = models.TimeField(
        _("ends at"), help_text=_("Before the start: the shift ends the next day.")
    )
    advisors_needed = models.PositiveSmallIntegerField(_("advisors needed"), default=1)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    # The destination country's public holidays (the ``holidays`` library, DESTINATION_COUNTRY).
    on_holidays = models.CharField(
        _("on public holidays"), max_length=8, choices=OnHolidays, default=OnHolidays.USUAL
    )

    class Meta:
        ordering = ["network", "start_time"]
        verbose_name = _("rota rule")
        verbose_name_plural = _("rota rules")

    def __str__(self) -> str:
        return f"{self.name} ({self.weekdays} {self.start_time:%H:%M}–{self.end_time:%H:%M})"


class Shift(models.Model):
    """One concrete turn on the line, in UTC; ``rule`` is what it was expanded from."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey(OfficeNetwork, on_delete=models.CASCADE, related_name="shifts")
    rule = models.ForeignKey(
        RotaRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="shifts"
    )
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    advisors_needed = models.PositiveSmallIntegerField(_("advisors needed"), default=1)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        constraints = [
            models.UniqueConstraint(fields=["rule", "starts_at"], name="one_shift_per_rule_start"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="shift_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["network", "starts_at", "ends_at"], name="shift_time_idx")]

    def __str__(self) -> str:
        return f"{self.network}: {self.starts_at:%Y-%m-%d %H:%M} UTC"


class Assignment(models.Model):
    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="assignments")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="assignments")
    created_at = models.DateTimeField(auto_now_add=True)
    reminded_at = models.DateTimeField(null=True, blank=True)  # the reminder goes once

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(fields=["shift", "membership"], name="one_assignment_each")
        ]

    def __str__(self) -> str:
        return f"{self.membership} on {self.shift}"


class RotaChange(models.Model):
    """The rota's audit log: who changed what, when; read by the network's managers."""

    network = models.ForeignKey(OfficeNetwork, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(
        "concierge.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=40)
    # What changed, as data ({"advisor": "Amélie", "starts_at": "2026-12-06T09:00:00+00:00"}),
    # put into words in the reader's language (concierge.rotas.changelog); ``description`` is
    # the English line, for the admin and for entries older than ``data``.
    data = models.JSONField(default=dict, blank=True)
    description = models.CharField(_("what"), max_length=300)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("rota change")
        verbose_name_plural = _("rota changes")

    def __str__(self) -> str:
        return self.description


class Unavailability(models.Model):
    """A day an advisor cannot take shifts: "fill the gaps" never proposes them then."""

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="unavailable_days"
    )
    day = models.DateField(_("day"))

    class Meta:
        ordering = ["day"]
        verbose_name = _("unavailable day")
        verbose_name_plural = _("unavailable days")
        constraints = [
            models.UniqueConstraint(fields=["membership", "day"], name="one_unavailability_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.membership} away on {self.day}"


class Closure(models.Model):
    """A day an office (or, without an office, the whole network) is closed: no shift of the
    network that day, or none of the office's advisors on its shifts."""

    network = models.ForeignKey(OfficeNetwork, on_delete=models.CASCADE, related_name="closures")
    office = models.ForeignKey(
        TouristOffice, on_delete=models.CASCADE, null=True, blank=True, related_name="closures"
    )
    day = models.DateField(_("day"))
    reason = models.CharField(_("reason"), max_length=120, blank=True)

    class Meta:
        ordering = ["day"]
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "office", "day"], name="one_closure_per_office_and_day"
            ),
            models.UniqueConstraint(
                fields=["network", "day"],
                condition=models.Q(office__isnull=True),
                name="one_network_closure_a_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office or self.network} closed on {self.day}"


class OfferStatus(models.TextChoices):
    OPEN = "open", _("Offered")
    PENDING = "pending", _("Taken, waiting for the coordinator")
    DONE = "done", _("Handed over")
    REFUSED = "refused", _("Refused by the coordinator")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ShiftOffer(models.Model):
    """An advisor offers one of their shifts; a colleague of the network takes it, and the
    coordinator approves when the network says so. Only then does the shift change hands."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="offers")
    offered_by = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    taken_by = models.ForeignKey(
        Membership, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=OfferStatus, default=OfferStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("shift offer")
        verbose_name_plural = _("shift offers")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=models.Q(status__in=["open", "pending"]),
                name="one_live_offer_per_shift",
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment} ({self.get_status_display()})"


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """A manager invites someone by e-mail to join an office as an advisor (or a coordinator,
    as a manager); following the link and accepting creates the membership for their account,
    new or existing."""

    network = models.ForeignKey(OfficeNetwork, on_delete=models.CASCADE, related_name="invitations")
    office = models.ForeignKey(TouristOffice, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(_("role"), max_length=12, choices=Role, default=Role.ADVISOR)
    email = models.EmailField(_("e-mail address"))
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token)
    invited_by = models.ForeignKey(
        "concierge.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.office}"


# The notices of the rotas: in a module of their own (see its docstring), registered with ours.
from .notice_models import Channel as Channel  # noqa: E402
from .notice_models import Notice as Notice  # noqa: E402
from .notice_models import NoticeKind as NoticeKind  # noqa: E402
from .notice_models import NoticePreferences as NoticePreferences  # noqa: E402
