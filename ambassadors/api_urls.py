from __future__ import annotations

from django.urls import path

from . import api, choices_api, communities_api, points_api

urlpatterns = [
    path("auth/token/", api.TokenView.as_view(), name="api-token"),
    path("me/", api.MeView.as_view(), name="api-me"),
    path(
        "me/phone/verification/",
        api.PhoneVerificationStartView.as_view(),
        name="api-phone-verification",
    ),
    path(
        "me/phone/verification/confirm/",
        api.PhoneVerificationConfirmView.as_view(),
        name="api-phone-verification-confirm",
    ),
    path("me/availability/", api.SlotListView.as_view(), name="api-slots"),
    path("me/availability/<uuid:slot_id>/", api.SlotDetailView.as_view(), name="api-slot"),
    path("me/pause/", api.PauseView.as_view(), name="api-pause"),
    path("me/points/", points_api.PointsView.as_view(), name="api-points"),
    path("me/redemptions/", points_api.RedemptionListView.as_view(), name="api-redemptions"),
    path("rewards/", points_api.RewardListView.as_view(), name="api-rewards"),
    path("choices/", choices_api.ChoicesView.as_view(), name="api-choices"),
    path("communities/", communities_api.CommunityListView.as_view(), name="api-communities"),
    path("me/communities/", communities_api.MyCommunitiesView.as_view(), name="api-my-communities"),
    path(
        "me/communities/<slug:code>/",
        communities_api.MyCommunityView.as_view(),
        name="api-my-community",
    ),
]
