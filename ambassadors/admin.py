from __future__ import annotations

from typing import Any, cast

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from concierge.models import User

from .models import (
    Ambassador,
    AmbassadorLanguage,
    AvailabilitySlot,
    CommunityMembership,
    MembershipStatus,
    PointsAward,
    PointsEntry,
    PointsRules,
    Redemption,
    Reward,
)
from .services import membership_decide


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


@admin.register(PointsRules)
class PointsRulesAdmin(admin.ModelAdmin):
    """One row of rules; changes apply to awards made from then on. The list goes straight to
    that row (created with the defaults on first visit)."""

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        rules = PointsRules.current()
        return redirect("admin:ambassadors_pointsrules_change", rules.pk)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(PointsEntry)
class PointsEntryAdmin(admin.ModelAdmin):
    """The ledger is append-only: entries are read here, never edited or deleted."""

    list_display = ["created_at", "ambassador", "amount", "kind", "reason", "created_by"]
    list_filter = ["kind"]
    search_fields = ["ambassador__display_name", "reason", "reference"]
    list_select_related = ["ambassador", "created_by"]

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(PointsAward)
class PointsAwardAdmin(PointsEntryAdmin):
    list_display = ["created_at", "ambassador", "kind", "status", "seconds", "key"]
    list_filter = ["kind", "status"]
    search_fields = ["key", "ambassador__display_name"]
    list_select_related = ["ambassador"]


@admin.register(Reward)
class RewardAdmin(admin.ModelAdmin):
    list_display = ["name", "price", "stock", "available_from", "available_until", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]


@admin.register(Redemption)
class RedemptionAdmin(admin.ModelAdmin):
    """Decide on the staff page (Reward requests), where the points and stock are checked."""

    list_display = ["created_at", "ambassador", "reward", "price", "status", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["ambassador", "reward"]
    readonly_fields = [f.name for f in Redemption._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(CommunityMembership)
class CommunityMembershipAdmin(admin.ModelAdmin):
    """Requests to join moderated communities are decided here (the actions below)."""

    list_display = ["ambassador", "community", "status", "requested_at", "decided_at"]
    list_filter = ["status", "community"]
    search_fields = ["ambassador__display_name"]
    raw_id_fields = ["ambassador"]
    readonly_fields = ["requested_at", "decided_at", "decided_by"]
    actions = ["approve", "refuse"]

    @admin.action(description=_("Approve the selected requests"))
    def approve(self, request: HttpRequest, queryset: Any) -> None:
        self._decide(request, queryset, approve=True)

    @admin.action(description=_("Refuse the selected requests"))
    def refuse(self, request: HttpRequest, queryset: Any) -> None:
        self._decide(request, queryset, approve=False)

    def _decide(self, request: HttpRequest, queryset: Any, *, approve: bool) -> None:
        decided = 0
        for membership in queryset.filter(status=MembershipStatus.PENDING):
            membership_decide(
                membership=membership, approve=approve, decided_by=cast(User, request.user)
            )
            decided += 1
        self.message_user(
            request,
            ngettext("%(count)d request decided.", "%(count)d requests decided.", decided)
            % {"count": decided},
        )
