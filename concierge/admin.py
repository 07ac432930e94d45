from __future__ import annotations

from datetime import timedelta

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.forms import BaseModelFormSet, ModelForm
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import rotas
from .models import (
    CallMotive,
    Closure,
    Community,
    Membership,
    OfficeNetwork,
    Region,
    RotaChange,
    RotaRule,
    TouristOffice,
    User,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]


@admin.register(CallMotive)
class CallMotiveAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "position", "is_active"]
    list_editable = ["position", "is_active"]
    search_fields = ["name", "code"]


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "moderated", "position", "is_active"]
    list_editable = ["moderated", "position", "is_active"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}


class OfficeInline(admin.TabularInline):
    model = TouristOffice
    extra = 0
    fields = ["name", "time_zone"]
    show_change_link = True


class RuleInline(admin.TabularInline):
    model = RotaRule
    extra = 0


@admin.register(OfficeNetwork)
class OfficeNetworkAdmin(admin.ModelAdmin):
    """Networks, their offices and rota rules. Editing a rule here does not touch existing
    shifts; the planner's services rebuild future shifts (concierge.rotas.rota_rule_change)."""

    list_display = ["name", "swaps_need_approval"]
    filter_horizontal = ["regions"]
    inlines = [OfficeInline, RuleInline]

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseModelFormSet, change: bool
    ) -> None:
        """A rule added or edited here reshapes the shifts that have not started (the next two
        months are kept expanded); shifts already started stay as they were."""
        super().save_formset(request, form, formset, change)
        if formset.model is not RotaRule:
            return
        today = timezone.localdate()
        horizon = (today.replace(day=1) + timedelta(days=62)).replace(day=1) - timedelta(days=1)
        for rule in formset.new_objects + [rule for rule, _fields in formset.changed_objects]:
            rotas.rota_rule_change(rule=rule, horizon=horizon)
            rotas.rota_expand(network=rule.network, start=today, end=horizon)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "network", "office", "role", "phone_verified_at"]
    list_filter = ["role", "network"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    list_select_related = ["user", "network", "office"]
    exclude = ["calendar_token"]


@admin.register(RotaChange)
class RotaChangeAdmin(admin.ModelAdmin):
    list_display = ["created_at", "network", "actor", "description"]
    list_filter = ["network", "action"]
    readonly_fields = ["network", "actor", "action", "data", "description", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    """Closure days (offices declare them on the planner)."""

    list_display = ["day", "network", "office", "reason"]
    list_filter = ["network"]
    list_select_related = ["network", "office"]
