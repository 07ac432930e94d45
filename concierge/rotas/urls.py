from __future__ import annotations

from django.urls import path, register_converter

from .converters import MonthConverter
from .views import invitations, mine, notices, planner

register_converter(MonthConverter, "month")

app_name = "rotas"

urlpatterns = [
    path("", planner.home, name="home"),
    path("me/", mine.my_shifts, name="mine"),
    path("me/phone/send/", mine.phone_send, name="mine-phone-send"),
    path("me/phone/confirm/", mine.phone_confirm, name="mine-phone-confirm"),
    path("me/away/", mine.day_away, name="mine-away"),
    path("me/back/", mine.day_back, name="mine-back"),
    path("me/calendar/renew/", mine.feed_renew, name="mine-feed-renew"),
    path("calendar/<str:token>.ics", mine.feed, name="feed"),
    path("notices/", notices.notice_list, name="notices"),
    path("notices/read/", notices.notices_read_all, name="notices-read-all"),
    path("notices/preferences/", notices.notice_preferences, name="notice-preferences"),
    path("notices/<uuid:notice_id>/", notices.notice_open, name="notice"),
    path("notices/<uuid:notice_id>/read/", notices.notice_read, name="notice-read"),
    path("<int:network_id>/<month:first>/export.csv", planner.export, name="export"),
    path("<int:network_id>/<month:first>/fill/", planner.fill, name="fill"),
    path("<int:network_id>/invite/", invitations.invite, name="invite"),
    path("<int:network_id>/closures/", planner.closure_add, name="closure-add"),
    path("closures/<int:closure_id>/withdraw/", planner.closure_remove, name="closure-remove"),
    path("invitations/<str:token>/", invitations.invitation, name="invitation"),
    path("assignments/<int:assignment_id>/offer/", mine.offer, name="offer"),
    path("offers/<uuid:offer_id>/take/", mine.take, name="take"),
    path("offers/<uuid:offer_id>/decide/", planner.decide, name="decide"),
    path("<int:network_id>/<month:first>/", planner.month, name="month"),
    path("shifts/<uuid:shift_id>/assign/", planner.assign, name="assign"),
    path(
        "shifts/<uuid:shift_id>/unassign/<int:membership_id>/",
        planner.unassign,
        name="unassign",
    ),
]
