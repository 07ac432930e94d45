from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import (
    BlockedNumber,
    Call,
    CallAttempt,
    CallReport,
    Conversation,
    FaqEntry,
    Message,
    OptOut,
    PhoneLine,
    ReportStatus,
    SandboxMessage,
)
from .voice import reports


@admin.register(SandboxMessage)
class SandboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "to", "from_number", "body"]
    search_fields = ["to", "body"]
    readonly_fields = ["sid", "to", "from_number", "body", "created_at"]


@admin.register(PhoneLine)
class PhoneLineAdmin(admin.ModelAdmin):
    list_display = [
        "label",
        "number",
        "tier",
        "records_calls",
        "accepts_withheld",
        "ivr_languages",
        "is_active",
    ]
    list_filter = ["tier", "records_calls", "is_active"]
    filter_horizontal = ["regions", "rehearsal_networks"]


class AttemptInline(admin.TabularInline):
    model = CallAttempt
    extra = 0
    readonly_fields = (
        "order",
        "ambassador",
        "outcome",
        "started_at",
        "ended_at",
    )
    fields = readonly_fields
    can_delete = False


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = [
        "received_at",
        "line",
        "caller_country",
        "language",
        "motive",
        "status",
        "responder",
        "duration",
        "is_rehearsal",
    ]
    list_filter = ["is_rehearsal", "status", "line", "language", "caller_country"]
    search_fields = ["sid", "caller_number"]
    readonly_fields = [f.name for f in Call._meta.fields]
    list_select_related = ["line", "motive", "responder"]
    inlines = [AttemptInline]


@admin.register(BlockedNumber)
class BlockedNumberAdmin(admin.ModelAdmin):
    list_display = ["number", "reason", "created_at"]
    search_fields = ["number", "reason"]


@admin.register(CallReport)
class CallReportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "call", "ambassador", "status", "reason"]
    list_filter = ["status"]
    readonly_fields = ["call", "ambassador", "reason", "created_at"]
    actions = ["confirm_and_block", "dismiss"]

    @admin.action(description=_("Confirm and block the caller's number"))
    def confirm_and_block(self, request: HttpRequest, queryset: QuerySet[CallReport]) -> None:
        for report in queryset.select_related("call"):
            reports.report_confirm(report=report)
        self.message_user(request, _("Blocked."), messages.SUCCESS)

    @admin.action(description=_("Dismiss"))
    def dismiss(self, request: HttpRequest, queryset: QuerySet[CallReport]) -> None:
        queryset.update(status=ReportStatus.DISMISSED)


@admin.register(FaqEntry)
class FaqEntryAdmin(admin.ModelAdmin):
    """The instant answers tourists get by text while no local is free."""

    list_display = ["topic", "language", "keywords", "position", "is_active"]
    list_filter = ["language", "is_active"]
    list_editable = ["position", "is_active"]
    search_fields = ["topic", "keywords", "answer"]


class MessageInline(admin.TabularInline):
    model = Message
    extra = 0
    readonly_fields = (
        "created_at",
        "direction",
        "author",
        "body",
        "status",
        "error",
    )
    fields = readonly_fields
    can_delete = False


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    """Staff follow conversations (response times, hand-overs); numbers stay out of the lists."""

    list_display = [
        "__str__",
        "tourist_country",
        "line",
        "language",
        "motive",
        "responder",
        "status",
        "opened_at",
        "first_response_time",
        "is_rehearsal",
    ]
    list_filter = ["is_rehearsal", "status", "line", "language", "close_reason"]
    list_select_related = ["line", "motive", "responder"]
    readonly_fields = [f.name for f in Conversation._meta.fields]
    exclude = ["tried"]
    inlines = [MessageInline]

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(OptOut)
class OptOutAdmin(admin.ModelAdmin):
    list_display = ["number", "created_at", "is_rehearsal"]
    list_filter = ["is_rehearsal"]
    search_fields = ["number"]
