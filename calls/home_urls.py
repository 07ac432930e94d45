"""The public home, included by the project's URLs by name (concierge may not import calls)."""

from __future__ import annotations

from django.urls import path

from .home import home

urlpatterns = [path("", home, name="home")]
