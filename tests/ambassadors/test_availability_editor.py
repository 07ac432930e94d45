"""The weekly availability editor, the switch and the pause, as Alice uses them."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from ambassadors.models import AvailabilitySlot, Weekday
from concierge.lib.timezones import destination_tz, local_today

from ..factories import make_ambassador

pytestmark = pytest.mark.django_db


@pytest.fixture
def carla(client):
    """An onboarded ambassador with one slot, Monday 18:00-22:00, logged in."""
    ambassador = make_ambassador(
        "carla@example.com", name="Carla", slots=((Weekday.MONDAY, time(18), time(22)),)
    )
    client.force_login(ambassador.user)
    return ambassador


def add(client, weekday, start, end, **headers):
    data = {"weekday": weekday, "start": start, "end": end}
    return client.post("/portal/availability/", data, **headers)


def slots(ambassador) -> list[str]:
    return [str(slot) for slot in ambassador.availability_slots.all()]


def test_it_adds_several_slots_on_one_day(client, carla):
    assert add(client, Weekday.MONDAY, "08:00", "09:30").status_code == 302
    assert add(client, Weekday.MONDAY, "12:00", "13:00").status_code == 302
    assert slots(carla) == [
        "Monday 08:00–09:30",
        "Monday 12:00–13:00",
        "Monday 18:00–22:00",
    ]
    page = client.get("/portal/availability/").text
    assert "08:00 – 09:30" in page
    assert "French time (Paris)" in page


def test_a_slot_may_cross_midnight(client, carla):
    add(client, Weekday.FRIDAY, "22:00", "02:00")
    assert "22:00 – 02:00 (next day)" in client.get("/portal/availability/").text


@pytest.mark.parametrize(
    ("weekday", "start", "end"),
    [
        (Weekday.MONDAY, "21:00", "23:00"),  # same day
        (Weekday.MONDAY, "17:00", "18:01"),  # touches the start
        (Weekday.SUNDAY, "20:00", "19:00"),  # 23 hours into Monday evening
    ],
)
def test_an_overlapping_slot_is_refused_and_says_with_which(client, carla, weekday, start, end):
    response = add(client, weekday, start, end)
    assert response.status_code == 200
    assert "overlaps your slot Monday 18:00–22:00" in response.text
    assert slots(carla) == ["Monday 18:00–22:00"]


def test_overlaps_are_found_across_midnight_and_across_the_weeks_end(client, carla):
    assert add(client, Weekday.MONDAY, "22:00", "02:00").status_code == 302
    response = add(client, Weekday.TUESDAY, "01:00", "03:00")
    assert "This slot overlaps your slot Monday 22:00–02:00." in response.text
    assert add(client, Weekday.SUNDAY, "23:00", "01:00").status_code == 302
    response = add(client, Weekday.MONDAY, "00:30", "02:00")
    assert "This slot overlaps your slot Sunday 23:00–01:00." in response.text
    # Back to back is fine.
    assert add(client, Weekday.MONDAY, "01:00", "02:00").status_code == 302
    assert add(client, Weekday.TUESDAY, "02:00", "03:00").status_code == 302


def test_slots_that_only_touch_are_accepted(client, carla):
    assert add(client, Weekday.MONDAY, "22:00", "23:00").status_code == 302


def test_it_edits_a_slot(client, carla):
    slot = carla.availability_slots.get()
    response = client.post(
        f"/portal/availability/slots/{slot.public_id}/edit/",
        {"weekday": Weekday.TUESDAY, "start": "19:00", "end": "21:00"},
    )
    assert response["Location"] == "/portal/availability/"
    assert slots(carla) == ["Tuesday 19:00–21:00"]


def test_it_deletes_a_slot(client, carla):
    slot = carla.availability_slots.get()
    response = client.post(f"/portal/availability/slots/{slot.public_id}/delete/")
    assert response.status_code == 302
    assert slots(carla) == []


def test_another_ambassadors_slot_is_a_404(client, carla, bob):
    slot = bob.availability_slots.first()
    assert client.get(f"/portal/availability/slots/{slot.public_id}/edit/").status_code == 404
    assert client.post(f"/portal/availability/slots/{slot.public_id}/delete/").status_code == 404
    assert AvailabilitySlot.objects.filter(pk=slot.pk).exists()


def test_htmx_gets_only_the_editor_partial(client, carla):
    response = add(client, Weekday.MONDAY, "08:00", "09:00", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="availability">')
    assert "<html" not in response.text
    assert "08:00 – 09:00" in response.text
    assert "Slot added" in response.text
    response = add(client, Weekday.MONDAY, "08:30", "09:30", HTTP_HX_REQUEST="true")
    assert "overlaps" in response.text


def test_a_bad_time_is_a_form_error(client, carla):
    response = add(client, Weekday.MONDAY, "25:00", "26:00")
    assert response.status_code == 200
    assert "Enter a valid time" in response.text


def test_the_switch_turns_calls_off_and_on(client, carla):
    response = client.post("/portal/availability/switch/", {"accepting": "off"}, follow=True)
    assert "Calls are switched off" in response.text
    carla.refresh_from_db()
    assert not carla.accepting_calls
    client.post("/portal/availability/switch/", {"accepting": "on"})
    carla.refresh_from_db()
    assert carla.accepting_calls


def test_the_switch_ignores_an_unsafe_next(client, carla):
    response = client.post(
        "/portal/availability/switch/", {"accepting": "off", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/portal/availability/"
    response = client.post("/portal/availability/switch/", {"accepting": "on", "next": "/portal/"})
    assert response["Location"] == "/portal/"


def test_the_switch_refuses_anything_but_on_or_off(client, carla):
    response = client.post("/portal/availability/switch/", {"accepting": "maybe"})
    assert response.status_code == 400
    assert client.post("/portal/availability/switch/").status_code == 400
    carla.refresh_from_db()
    assert carla.accepting_calls


def test_a_pause_must_end_after_today_and_within_a_year(client, carla):
    today = local_today()
    response = client.post("/portal/availability/pause/", {"until": today.isoformat()}, follow=True)
    assert "Choose a date after today." in response.text
    too_far = today + timedelta(days=400)
    response = client.post(
        "/portal/availability/pause/", {"until": too_far.isoformat()}, follow=True
    )
    assert "a year at most" in response.text
    carla.refresh_from_db()
    assert carla.paused_until is None


def test_a_pause_stops_calls_until_that_day_and_can_be_ended(client, carla):
    until = local_today() + timedelta(days=3)
    response = client.post("/portal/availability/pause/", {"until": until.isoformat()}, follow=True)
    assert "Paused. Calls resume on" in response.text
    assert "You are paused until" in response.text
    carla.refresh_from_db()
    assert carla.paused_until.astimezone(destination_tz()).date() == until
    assert carla.paused_until.astimezone(destination_tz()).hour == 0
    client.post("/portal/availability/unpause/")
    carla.refresh_from_db()
    assert carla.paused_until is None


def test_finishing_onboarding_needs_a_slot(client):
    ambassador = make_ambassador("dan@example.com", onboarded=True)
    ambassador.onboarded_at = None
    ambassador.save()
    client.force_login(ambassador.user)
    response = client.post("/portal/onboarding/availability/", {"finish": "1"}, follow=True)
    assert "Add at least one slot" in response.text
    assert response.redirect_chain[-1][0] == "/portal/onboarding/availability/"
    client.post(
        "/portal/onboarding/availability/", {"weekday": 0, "start": "09:00", "end": "12:00"}
    )
    response = client.post("/portal/onboarding/availability/", {"finish": "1"})
    assert response["Location"] == "/portal/"


def test_anonymous_visitors_are_sent_to_log_in(client):
    for url in ["/portal/", "/portal/availability/", "/portal/privacy/", "/portal/onboarding/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_a_change_that_overlaps_is_refused_on_the_edit_page(client, carla):
    add(client, Weekday.MONDAY, "08:00", "10:00")
    slot = carla.availability_slots.get(start=time(8))
    response = client.post(
        f"/portal/availability/slots/{slot.public_id}/edit/",
        {"weekday": Weekday.MONDAY, "start": "09:00", "end": "19:00"},
    )
    assert response.status_code == 200
    assert "This slot overlaps your slot Monday 18:00–22:00." in response.text
    assert slots(carla) == ["Monday 08:00–10:00", "Monday 18:00–22:00"]


def test_editing_from_onboarding_step_4_goes_back_there(client, carla):
    slot = carla.availability_slots.get()
    url = f"/portal/availability/slots/{slot.public_id}/edit/?next=/portal/onboarding/availability/"
    assert 'href="/portal/onboarding/availability/"' in client.get(url).text  # Cancel
    response = client.post(url, {"weekday": Weekday.MONDAY, "start": "17:00", "end": "22:00"})
    assert response["Location"] == "/portal/onboarding/availability/"
    assert slots(carla) == ["Monday 17:00–22:00"]


def test_finishing_with_an_earlier_step_undone_leads_to_that_step(client):
    ambassador = make_ambassador("eve@example.com", onboarded=False)
    client.force_login(ambassador.user)
    client.post(
        "/portal/onboarding/availability/", {"weekday": 0, "start": "09:00", "end": "12:00"}
    )
    response = client.post("/portal/onboarding/availability/", {"finish": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == "/portal/onboarding/phone/"
    assert "One more step before you can take calls." in response.text
    assert "Welcome aboard" not in response.text


def test_finishing_with_a_slot_welcomes_the_ambassador_on_the_dashboard(client, carla):
    response = client.post("/portal/onboarding/availability/", {"finish": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == "/portal/"
    assert "Welcome aboard!" in response.text


def test_the_page_says_what_state_calls_are_in(client, carla):
    client.post("/portal/availability/switch/", {"accepting": "off"})
    page = client.get("/portal/availability/").text
    assert "Calls are switched off" in page
    assert "Switch calls on" in page


def test_a_pause_can_be_ended_even_while_calls_are_switched_off(client, carla):
    until = local_today() + timedelta(days=5)
    client.post("/portal/availability/pause/", {"until": until.isoformat()})
    client.post("/portal/availability/switch/", {"accepting": "off"})
    page = client.get("/portal/availability/").text
    assert "End the pause now" in page
    assert "calls resume on" in page
    response = client.post("/portal/availability/unpause/", follow=True)
    assert "Welcome back" in response.text
    assert "Pause until" in response.text


def test_the_date_picker_offers_only_dates_a_pause_accepts(client, carla):
    today = local_today()
    page = client.get("/portal/availability/").text
    assert f'min="{(today + timedelta(days=1)).isoformat()}"' in page
    assert f'max="{(today + timedelta(days=366)).isoformat()}"' in page


def test_a_missing_pause_date_is_explained(client, carla):
    response = client.post("/portal/availability/pause/", {"until": ""}, follow=True)
    assert "Pause until: This field is required." in response.text
