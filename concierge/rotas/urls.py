from __future__ import annotations

from django.urls import path

from .views import planner

app_name = "rotas"

urlpatterns = [
    path("", planner.home, name="home"),
    path("me/", planner.my_shifts, name="mine"),
    path("calendar/<str:token>.ics", planner.feed, name="feed"),
    path("<int:network_id>/<int:year>/<int:month>/export.csv", planner.export, name="export"),
    path("<int:network_id>/<int:year>/<int:month>/fill/", planner.fill, name="fill"),
    path("<int:network_id>/invite/", planner.invite, name="invite"),
    path("invitations/<str:token>/", planner.invitation, name="invitation"),
    path("assignments/<int:assignment_id>/offer/", planner.offer, name="offer"),
    path("offers/<uuid:offer_id>/take/", planner.take, name="take"),
    path("offers/<uuid:offer_id>/decide/", planner.decide, name="decide"),
    path("<int:network_id>/<int:year>/<int:month>/", planner.month, name="month"),
    path("shifts/<uuid:shift_id>/assign/", planner.assign, name="assign"),
    path(
        "shifts/<uuid:shift_id>/unassign/<int:membership_id>/",
        planner.unassign,
        name="unassign",
    ),
]
