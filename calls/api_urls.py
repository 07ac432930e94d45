from __future__ import annotations

from django.urls import path

from . import api

urlpatterns = [
    path("me/calls/", api.CallHistoryView.as_view(), name="api-calls"),
]
