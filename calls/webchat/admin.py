"""The web chats in the admin: staff create one per line or network and list the sites that
may open it. Visitors are not listed: they are anonymous, and their addresses are erased."""

from __future__ import annotations

from django.contrib import admin

from ..models import WebChat


@admin.register(WebChat)
class WebChatAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "line", "network", "is_active"]
    list_filter = ["is_active", "line"]
    search_fields = ["name", "key"]
    prepopulated_fields = {"key": ["name"]}
