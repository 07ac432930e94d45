from __future__ import annotations

from django.urls import path

from . import api

urlpatterns = [
    path("me/calls/", api.CallHistoryView.as_view(), name="api-calls"),
    path("me/conversations/", api.ConversationListView.as_view(), name="api-conversations"),
    path(
        "me/conversations/<uuid:conversation_id>/",
        api.ConversationDetailView.as_view(),
        name="api-conversation",
    ),
    path(
        "me/conversations/<uuid:conversation_id>/messages/",
        api.ConversationReplyView.as_view(),
        name="api-conversation-reply",
    ),
    path(
        "me/conversations/<uuid:conversation_id>/end/",
        api.ConversationEndView.as_view(),
        name="api-conversation-end",
    ),
]
