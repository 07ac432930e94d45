from __future__ import annotations

from django.contrib import admin

from .models import SandboxMessage


@admin.register(SandboxMessage)
class SandboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "to", "from_number", "body"]
    search_fields = ["to", "body"]
    readonly_fields = ["sid", "to", "from_number", "body", "created_at"]
