from __future__ import annotations

from django.urls import path, register_converter

from .converters import MonthConverter
from .views import planner

register_converter(MonthConverter, "month")

app_name = "rotas"

urlpatterns = [
    path("", planner.home, name="home"),
    path("me/", planner.my_shifts, name="mine"),
    path("calendar/<str:token>.ics", planner.feed, name="feed"),
    path("<int:network_id>/<month:first>/export.csv", planner.export, name="export"),
    path("<int:network_id>/<month:first>/fill/", planner.fill, name="fill"),
    path("<int:network_id>/invite/", planner.invite, name="invite"),
    path("invitations/<str:token>/", planner.invitation, name="invitation"),
    path("assignments/<int:assignment_id>/offer/", planner.offer, name="offer"),
    path("offers/<uuid:offer_id>/take/", planner.take, name="take"),
    path("offers/<uuid:offer_id>/decide/", planner.decide, name="decide"),
    path("<int:network_id>/<month:first>/", planner.month, name="month"),
    path("shifts/<uuid:shift_id>/assign/", planner.assign, name="assign"),
    path(
        "shifts/<uuid:shift_id>/unassign/<int:membership_id>/",
        planner.unassign,
        name="unassign",
    ),
]
