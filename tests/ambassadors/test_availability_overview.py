"""The week overview: one 24-hour bar per day, filled where the ambassador takes calls."""

from __future__ import annotations

from datetime import datetime, time

import pytest

from ambassadors.models import AvailabilitySlot, Weekday, week_minutes
from ambassadors.views.availability import week_overview, weekly_minutes
from concierge.lib.timezones import destination_tz

from ..factories import make_ambassador

pytestmark = pytest.mark.django_db

A_WEDNESDAY = datetime(2026, 3, 4, 15, 30, tzinfo=destination_tz())


def slot(weekday: int, start: time, end: time) -> AvailabilitySlot:
    """An unsaved slot with its week minutes, as the model computes them on save."""
    start_minute, end_minute = week_minutes(weekday, start, end)
    return AvailabilitySlot(
        weekday=weekday, start=start, end=end, start_minute=start_minute, end_minute=end_minute
    )


def bars(slots) -> dict[str, list[tuple[str, str]]]:
    return {
        day.label: [(s.left, s.width) for s in day.segments]
        for day in week_overview(slots, now=A_WEDNESDAY)
    }


def test_a_daytime_slot_fills_part_of_its_own_day():
    week = bars([slot(Weekday.MONDAY, time(6), time(12))])
    assert week["Monday"] == [("25.000%", "25.000%")]
    assert all(not segments for label, segments in week.items() if label != "Monday")


def test_a_slot_past_midnight_fills_the_end_of_its_day_and_the_start_of_the_next():
    week = bars([slot(Weekday.MONDAY, time(22), time(2))])
    assert week["Monday"] == [("91.667%", "8.333%")]
    assert week["Tuesday"] == [("0.000%", "8.333%")]


def test_sunday_night_wraps_to_monday_morning():
    week = bars([slot(Weekday.SUNDAY, time(23), time(1))])
    assert week["Sunday"] == [("95.833%", "4.167%")]
    assert week["Monday"] == [("0.000%", "4.167%")]


def test_the_same_start_and_end_is_24_hours():
    late_start = slot(Weekday.FRIDAY, time(12), time(12))
    week = bars([late_start])
    assert week["Friday"] == [("50.000%", "50.000%")]
    assert week["Saturday"] == [("0.000%", "50.000%")]
    assert weekly_minutes([late_start]) == 24 * 60


def test_each_day_lists_its_slots_and_today_is_marked():
    days = week_overview([slot(Weekday.WEDNESDAY, time(8), time(9))], now=A_WEDNESDAY)
    assert [day.label for day in days if day.is_today] == ["Wednesday"]
    assert [str(s) for s in days[Weekday.WEDNESDAY].slots] == ["Wednesday 08:00–09:00"]


def test_the_page_shows_the_bars_and_the_weekly_total(client):
    ambassador = make_ambassador(
        "gus@example.com",
        name="Gus",
        slots=((Weekday.MONDAY, time(22), time(2)), (Weekday.SATURDAY, time(9), time(10, 30))),
    )
    client.force_login(ambassador.user)
    page = client.get("/portal/availability/").text
    assert "22:00 – 02:00 (next day)" in page
    assert 'x="91.667%" width="8.333%"' in page
    assert 'x="0.000%" width="8.333%"' in page
    assert "5.5 hours a week in all." in page


def test_the_bars_stay_valid_css_in_french(client):
    ambassador = make_ambassador(
        "hal@example.com", name="Hal", slots=((Weekday.MONDAY, time(6), time(9, 20)),)
    )
    client.force_login(ambassador.user)
    page = client.get("/portal/availability/", HTTP_ACCEPT_LANGUAGE="fr").text
    assert 'x="25.000%" width="13.889%"' in page
