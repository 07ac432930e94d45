from __future__ import annotations

import re
from typing import Any

import phonenumbers
from django import forms
from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from phonenumber_field.phonenumber import PhoneNumber

from concierge.lib.pseudonyms import number_hash

from .copy import origin
from .models import (
    LOW_SCORE,
    BlockedNumber,
    Call,
    CallAttempt,
    CallReport,
    Conversation,
    FaqEntry,
    Message,
    OptOut,
    PhoneLine,
    Rating,
    ReportStatus,
    SandboxMessage,
)
from .ratings.services import ratings_mark_reviewed
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
        "takes_whatsapp",
        "ivr_languages",
        "full_menu",
        "ring_group_size",
        "rings_early",
        "community",
        "is_active",
    ]
    list_filter = ["tier", "records_calls", "takes_whatsapp", "is_active"]
    filter_horizontal = ["regions", "rehearsal_networks"]


class AttemptInline(admin.TabularInline):
    model = CallAttempt
    extra = 0
    readonly_fields = (
        "order",
        "group",
        "ambassador",
        "advisor",
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


class HashedNumberForm(forms.ModelForm):
    """Staff type a number; only its keyed hash is stored, so a row cannot show it back."""

    number = forms.CharField(
        label=_("Number"),
        max_length=32,
        help_text=_("In international form, e.g. +49 151 12345678. Only a keyed hash is kept."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # a row already kept: its number can be neither shown nor changed
            self.fields["number"].required = False

    def clean_number(self) -> str:
        if self.instance.pk:
            return ""
        try:
            number = PhoneNumber.from_string(self.cleaned_data["number"])
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not number.is_valid():
            raise forms.ValidationError(
                _("Write the number in international form, e.g. +49 151 12345678.")
            )
        hashed = number_hash(number.as_e164)
        if type(self.instance)._default_manager.filter(number_hash=hashed).exists():
            raise forms.ValidationError(_("This number is already on the list."))
        self.instance.number_hash = hashed
        return ""  # the number itself goes nowhere


NUMBER_LIKE = re.compile(r"\+?[\d\s().-]{6,}")


class HashedNumberAdmin(admin.ModelAdmin):
    """Rows keyed by a number's hash: found by typing the number in the search box."""

    form = HashedNumberForm
    search_help_text = _("Type a number to find it.")

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        term = search_term.strip()
        if NUMBER_LIKE.fullmatch(term):
            return queryset.filter(number_hash=number_hash(term)), False
        return super().get_search_results(request, queryset, search_term)


@admin.register(BlockedNumber)
class BlockedNumberAdmin(HashedNumberAdmin):
    list_display = ["__str__", "created_at"]
    search_fields = ["reason"]
    readonly_fields = ["created_at"]

    def get_fields(self, request: HttpRequest, obj: Model | None = None) -> tuple[str, ...]:
        return ("number", "reason") if obj is None else ("reason", "created_at")


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


class ToReview(admin.SimpleListFilter):
    """Scores of 1 or 2 nobody has looked at: the list staff work through, beside the reports."""

    title = _("to review")
    parameter_name = "to_review"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("Low scores to review"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Rating]) -> QuerySet[Rating]:
        if self.value() == "yes":
            return queryset.filter(
                score__lte=LOW_SCORE, reviewed_at__isnull=True, is_rehearsal=False
            )
        return queryset


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    """What tourists thought of a call or a conversation; never their number (a keyed hash)."""

    list_display = [
        "answered_at",
        "score",
        "comment",
        "ambassador",
        "advisor",
        "call",
        "conversation",
        "reviewed_at",
    ]
    list_filter = [ToReview, "score", "is_rehearsal", "line"]
    list_select_related = ["ambassador", "advisor__user", "call", "conversation"]
    search_fields = ["comment"]
    exclude = ["tourist_hash"]
    readonly_fields = [f.name for f in Rating._meta.fields if f.name != "tourist_hash"]
    actions = ["mark_reviewed"]

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.action(description=_("Mark as reviewed"))
    def mark_reviewed(self, request: HttpRequest, queryset: QuerySet[Rating]) -> None:
        done = ratings_mark_reviewed(ids=queryset.values_list("pk", flat=True), by=request.user)  # type: ignore[arg-type]
        self.message_user(request, _("%(count)d marked as reviewed.") % {"count": done})


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
        "origin",
        "line",
        "language",
        "motive",
        "responder",
        "status",
        "opened_at",
        "first_response_time",
        "is_rehearsal",
    ]
    list_filter = ["is_rehearsal", "status", "channel", "line", "language", "close_reason"]
    list_select_related = ["line", "motive", "responder"]
    readonly_fields = [f.name for f in Conversation._meta.fields]
    exclude = ["tried"]
    inlines = [MessageInline]

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description=_("writes from"), ordering="tourist_country")
    def origin(self, conversation: Conversation) -> str:
        """The tourist's country, "(WhatsApp)" on WhatsApp, "web chat" for a web visitor."""
        return origin(conversation.channel, conversation.tourist_country)


@admin.register(OptOut)
class OptOutAdmin(HashedNumberAdmin):
    list_display = ["__str__", "created_at", "is_rehearsal"]
    list_filter = ["is_rehearsal"]
    search_fields = ["number_hash"]
    readonly_fields = ["created_at"]

    def get_fields(self, request: HttpRequest, obj: Model | None = None) -> tuple[str, ...]:
        return ("number",) if obj is None else ("created_at", "is_rehearsal")


from .webchat import admin as webchat_admin  # noqa: E402,F401 - registers the web chats
