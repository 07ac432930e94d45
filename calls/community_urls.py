"""The public community pages, included by the project's URLs by name (concierge may not import
calls)."""

from __future__ import annotations

from django.urls import path

from .communities import community_detail, community_list

urlpatterns = [
    path("", community_list, name="communities"),
    path("<slug:code>/", community_detail, name="community"),
]
