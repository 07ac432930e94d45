from __future__ import annotations

from django.urls import path

from . import views

app_name = "calls"

urlpatterns = [
    path("outbox/", views.outbox, name="outbox"),
]
