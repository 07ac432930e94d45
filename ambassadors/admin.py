from __future__ import annotations

from django.contrib import admin

from .models import Ambassador, AmbassadorLanguage, AvailabilitySlot


class LanguageInline(admin.TabularInline):
    model = AmbassadorLanguage
    extra = 0


class SlotInline(admin.TabularInline):
    model = AvailabilitySlot
    extra = 0
    fields = ["weekday", "start", "end"]


@admin.register(Ambassador)
class AmbassadorAdmin(admin.ModelAdmin):
    list_display = [
        "display_name",
        "user",
        "phone_number",
        "phone_verified_at",
        "accepting_calls",
        "paused_until",
        "is_active",
        "onboarded_at",
    ]
    list_filter = ["is_active", "accepting_calls", "any_region", "any_motive"]
    search_fields = ["display_name", "user__email", "phone_number"]
    raw_id_fields = ["user"]
    filter_horizontal = ["regions", "motives"]
    readonly_fields = ["public_id", "created_at", "last_offered_at", "anonymised_at"]
    inlines = [LanguageInline, SlotInline]
    list_select_related = ["user"]
