"""API shapes. Like the portal forms they check shape only; services apply the rules."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from concierge.lib.languages import LANGUAGE_CODES
from concierge.models import CallMotive, Region

from .models import Ambassador, AvailabilitySlot, Weekday
from .selectors import ambassador_status, onboarding_next_step

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ErrorSerializer(serializers.Serializer):
    """The body of every refusal that is not about a field (401, 403, 404, 429): one sentence."""

    detail = serializers.CharField()


# The body of a 400: each faulty field with its messages ("non_field_errors" when no single field
# is at fault); a list's errors keyed by position; a body that is not JSON: {"detail": "…"}.
FIELD_ERRORS: dict[str, Any] = {
    "type": "object",
    "additionalProperties": {
        "oneOf": [
            {"type": "array", "items": {"type": "string"}},
            {"type": "object"},
            {"type": "string"},
        ]
    },
    "example": {"until": ["Choose a date after today."]},
}


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


class OnboardingSerializer(serializers.Serializer):
    complete = serializers.BooleanField()
    next_step = serializers.CharField(allow_null=True)


class StatusSerializer(serializers.Serializer):
    state = serializers.CharField(
        help_text="available, later, paused, off, no_slots, onboarding or suspended"
    )
    available_now = serializers.BooleanField()
    next_available = serializers.DateTimeField(allow_null=True)


class MeSerializer(serializers.Serializer):
    """The ambassador's own profile, as the app shows it."""

    email = serializers.EmailField(source="user.email")
    display_name = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    languages = serializers.SerializerMethodField()
    phone_number = serializers.CharField(allow_null=True)
    phone_verified = serializers.BooleanField()
    any_region = serializers.BooleanField()
    regions = serializers.SerializerMethodField()
    any_motive = serializers.BooleanField()
    motives = serializers.SerializerMethodField()
    accepting_calls = serializers.BooleanField()
    paused_until = serializers.DateTimeField(allow_null=True)
    onboarding = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()

    def get_languages(self, ambassador: Ambassador) -> list[str]:
        return sorted(ambassador.languages.values_list("language", flat=True))

    def get_regions(self, ambassador: Ambassador) -> list[str]:
        return list(ambassador.regions.values_list("code", flat=True))

    def get_motives(self, ambassador: Ambassador) -> list[str]:
        return list(ambassador.motives.values_list("code", flat=True))

    def get_onboarding(self, ambassador: Ambassador) -> dict[str, Any]:
        step = onboarding_next_step(ambassador)
        return OnboardingSerializer(
            {"complete": ambassador.onboarded_at is not None, "next_step": step}
        ).data

    def get_status(self, ambassador: Ambassador) -> dict[str, Any]:
        status = ambassador_status(ambassador)
        return StatusSerializer(
            {
                "state": status.status.value,
                "available_now": status.available_now,
                "next_available": status.next_available,
            }
        ).data

    def to_representation(self, ambassador: Ambassador) -> dict[str, Any]:
        data = super().to_representation(ambassador)
        number = ambassador.phone_number
        data["phone_number"] = number.as_e164 if number else None
        return data


@extend_schema_field({"type": "array", "items": {"type": "string", "enum": sorted(LANGUAGE_CODES)}})
class LanguageCodesField(serializers.ListField):
    """ISO 639-1 codes. Checked by the service, so an unknown code gets the portal's message
    as one flat error instead of DRF's per-index one."""

    child = serializers.CharField(max_length=8)


def code_field(
    queryset: QuerySet, *, unknown: StrOrPromise, help_text: StrOrPromise
) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(
        slug_field="code",
        queryset=queryset,
        many=True,
        required=False,
        error_messages={"does_not_exist": unknown},
        help_text=help_text,
    )


class MeUpdateSerializer(serializers.Serializer):
    """Every field optional: send only what changes."""

    # Blank is let through so the service answers with the portal's own message.
    display_name = serializers.CharField(max_length=40, required=False, allow_blank=True)
    date_of_birth = serializers.DateField(required=False)
    languages = LanguageCodesField(required=False, allow_empty=True)
    any_region = serializers.BooleanField(required=False)
    regions = code_field(
        Region.objects.filter(is_active=True),
        unknown=_("Unknown region code: “{value}”."),
        help_text=_("Region codes, e.g. bretagne; ignored while any_region is true."),
    )
    any_motive = serializers.BooleanField(required=False)
    motives = code_field(
        CallMotive.objects.filter(is_active=True),
        unknown=_("Unknown motive code: “{value}”."),
        help_text=_("Call motive codes, e.g. food-and-wine; ignored while any_motive is true."),
    )
    accepting_calls = serializers.BooleanField(required=False)


class PhoneNumberSerializer(serializers.Serializer):
    phone_number = serializers.CharField(max_length=30)


class PhoneCodeSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=12)


class VerificationSentSerializer(serializers.Serializer):
    phone_number = serializers.CharField()
    expires_at = serializers.DateTimeField()


# A time of day as the app shows it ("18:30"); seconds are accepted on the way in.
WALL_CLOCK = r"^([01]?[0-9]|2[0-3]):[0-5]?[0-9](:[0-5]?[0-9])?$"


@extend_schema_field({"type": "string", "pattern": WALL_CLOCK, "example": "18:30"})
class WallClockField(serializers.TimeField):
    """Paris wall-clock time, "HH:MM": not an RFC 3339 time, which needs seconds and an offset."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", input_formats=["%H:%M", "%H:%M:%S"], **kwargs)


class SlotSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    weekday = serializers.ChoiceField(
        choices=Weekday.choices, help_text=_("0 = Monday … 6 = Sunday")
    )
    weekday_name = serializers.CharField(source="get_weekday_display", read_only=True)
    start = WallClockField()
    end = WallClockField(
        help_text=_("Earlier than start: runs past midnight. Equal to start: 24 hours."),
    )
    crosses_midnight = serializers.BooleanField(read_only=True)

    class Meta:
        model = AvailabilitySlot
        fields = ["id", "weekday", "weekday_name", "start", "end", "crosses_midnight"]


class PauseSerializer(serializers.Serializer):
    until = serializers.DateField(help_text=_("Calls resume on this date at 00:00, Paris time."))
