"""Everything under /api/v1/. Apps contribute their routes by dotted path (imports run upward)."""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [
    path("", include("ambassadors.api_urls")),
    path("", include("calls.api_urls")),
]
