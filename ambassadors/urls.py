from __future__ import annotations

from django.urls import path

from .views import availability, communities, dashboard, onboarding, points, privacy, volunteer

app_name = "ambassadors"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    # Staff and tourist-office accounts volunteer only by asking.
    path("volunteer/", volunteer.become, name="volunteer"),
    # Onboarding, one saved step at a time.
    path("onboarding/", onboarding.start, name="onboarding"),
    path("onboarding/profile/", onboarding.profile, name="onboarding-profile"),
    path("onboarding/phone/", onboarding.phone, name="onboarding-phone"),
    path("onboarding/phone/confirm/", onboarding.phone_confirm, name="onboarding-phone-confirm"),
    path("onboarding/preferences/", onboarding.preferences, name="onboarding-preferences"),
    path("onboarding/availability/", availability.onboarding, name="onboarding-availability"),
    # The same forms once onboarded.
    path("profile/", onboarding.profile_edit, name="profile"),
    path("phone/", onboarding.phone_edit, name="phone"),
    path("phone/confirm/", onboarding.phone_confirm_edit, name="phone-confirm"),
    path("preferences/", onboarding.preferences_edit, name="preferences"),
    # Weekly availability and the switches.
    path("availability/", availability.editor, name="availability"),
    path("availability/slots/<uuid:slot_id>/edit/", availability.slot_edit, name="slot-edit"),
    path("availability/slots/<uuid:slot_id>/delete/", availability.slot_delete, name="slot-delete"),
    path("availability/switch/", availability.switch, name="switch"),
    path("availability/pause/", availability.pause, name="pause"),
    path("availability/unpause/", availability.unpause, name="unpause"),
    # Affinity communities.
    path("communities/", communities.communities, name="communities"),
    # Points and rewards.
    path("points/", points.history, name="points"),
    path("points/adjust/", points.adjust, name="points-adjust"),
    path("rewards/", points.rewards, name="rewards"),
    path("rewards/<uuid:reward_id>/request/", points.request_reward, name="reward-request"),
    path("rewards/requests/", points.my_requests, name="redemptions"),
    path("rewards/review/", points.review, name="redemption-review"),
    path("rewards/review/<uuid:redemption_id>/", points.decide, name="redemption-decide"),
    # Privacy.
    path("privacy/", privacy.overview, name="privacy"),
    path("privacy/export/", privacy.export, name="privacy-export"),
    path("privacy/delete/", privacy.delete, name="privacy-delete"),
]
