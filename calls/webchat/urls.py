"""/chat/: the web chat's script and API, included by the project's URLs by name (concierge may
not import calls)."""

from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("widget.js", views.widget_script, name="webchat-widget"),
    path("api/<slug:key>/", views.chat_config, name="webchat-config"),
    path("api/<slug:key>/session/", views.chat_session, name="webchat-session"),
    path("api/<slug:key>/messages/", views.chat_messages, name="webchat-messages"),
    path("api/<slug:key>/email/", views.chat_email, name="webchat-email"),
]
