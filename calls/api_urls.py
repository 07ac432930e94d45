from __future__ import annotations

from django.urls import path

from .impact_api import ImpactView
from .sms import api as sms_api
from .voice import api as voice_api

urlpatterns = [
    path("me/impact/", ImpactView.as_view(), name="api-impact"),
    path("me/calls/", voice_api.CallHistoryView.as_view(), name="api-calls"),
    path("me/conversations/", sms_api.ConversationListView.as_view(), name="api-conversations"),
    path(
        "me/conversations/<uuid:conversation_id>/",
        sms_api.ConversationDetailView.as_view(),
        name="api-conversation",
    ),
    path(
        "me/conversations/<uuid:conversation_id>/messages/",
        sms_api.ConversationReplyView.as_view(),
        name="api-conversation-reply",
    ),
    path(
        "me/conversations/<uuid:conversation_id>/end/",
        sms_api.ConversationEndView.as_view(),
        name="api-conversation-end",
    ),
]
