"""The homes' addresses, included by the project's URLs by name (concierge may not import
calls)."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "homes"

urlpatterns = [
    path("home/", views.home, name="home"),
    path("home/role/", views.switch, name="switch"),
    path("office/evening/", views.evening, name="evening"),
    path("office/evening/name/", views.evening_name, name="evening-name"),
    path("office/tonight/", views.tonight, name="tonight"),
    path("staff/", views.operations, name="operations"),
]
