from __future__ import annotations

import pytest

from calls.telephony import locmem
from tests.text import found

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/availability/"


@pytest.fixture
def fresh(as_alice, alice):
    alice.availability_slots.all().delete()
    return as_alice


def test_crud(fresh):
    response = fresh.post(URL, {"weekday": 4, "start": "22:00", "end": "02:00"})
    assert response.status_code == 201
    slot = response.json()
    assert slot["weekday_name"] == "Friday"
    assert slot["crosses_midnight"] is True
    assert [s["id"] for s in fresh.get(URL).json()] == [slot["id"]]

    response = fresh.patch(f"{URL}{slot['id']}/", {"end": "23:30"})
    assert response.status_code == 200
    assert response.json()["end"] == "23:30"
    assert response.json()["start"] == "22:00"

    response = fresh.put(f"{URL}{slot['id']}/", {"weekday": 0, "start": "09:00", "end": "10:00"})
    assert response.json()["weekday_name"] == "Monday"

    assert fresh.delete(f"{URL}{slot['id']}/").status_code == 204
    assert fresh.get(URL).json() == []


def test_overlap_across_midnight_is_a_400(fresh):
    fresh.post(URL, {"weekday": 0, "start": "22:00", "end": "02:00"})
    response = fresh.post(URL, {"weekday": 1, "start": "01:00", "end": "03:00"})
    assert response.status_code == 400
    assert "overlaps your slot Monday 22:00–02:00" in response.json()["start"][0]


def test_bad_times_are_named(fresh):
    response = fresh.post(URL, {"weekday": 9, "start": "9am", "end": ""})
    assert response.status_code == 400
    assert set(response.json()) == {"weekday", "start", "end"}


def test_bobs_slot_is_a_404_for_alice(as_alice, bob):
    slot = bob.availability_slots.first()
    url = f"{URL}{slot.public_id}/"
    response = as_alice.get(url)
    assert response.status_code == 404
    assert response.json() == {"detail": "You have no availability slot with this id."}
    assert as_alice.patch(url, {"end": "23:00"}).status_code == 404
    assert as_alice.delete(url).status_code == 404
    assert bob.availability_slots.filter(pk=slot.pk).exists()


def test_a_sunday_night_slot_overlaps_monday_morning(fresh):
    fresh.post(URL, {"weekday": 6, "start": "23:00", "end": "01:00"})
    response = fresh.post(URL, {"weekday": 0, "start": "00:30", "end": "08:00"})
    assert response.status_code == 400
    assert "overlaps your slot Sunday 23:00–01:00" in response.json()["start"][0]


def test_an_update_into_an_overlap_is_refused_and_changes_nothing(fresh):
    fresh.post(URL, {"weekday": 2, "start": "09:00", "end": "12:00"})
    later = fresh.post(URL, {"weekday": 2, "start": "14:00", "end": "16:00"}).json()
    response = fresh.patch(f"{URL}{later['id']}/", {"start": "11:00"})
    assert response.status_code == 400
    assert "overlaps your slot Wednesday 09:00–12:00" in response.json()["start"][0]
    assert fresh.get(f"{URL}{later['id']}/").json()["start"] == "14:00"


def test_the_whole_onboarding_through_the_api_ends_with_the_first_slot(as_newcomer):
    me = "/api/v1/me/"
    profile = {"display_name": "Nina", "date_of_birth": "1990-02-03", "languages": ["en"]}
    assert as_newcomer.patch(me, profile, format="json").status_code == 200
    as_newcomer.post(f"{me}phone/verification/", {"phone_number": "06 11 22 33 44"})
    code = found(r"\b(\d{6})\b", locmem.outbox[-1].body, 1)
    assert as_newcomer.post(f"{me}phone/verification/confirm/", {"code": code}).status_code == 200
    as_newcomer.patch(me, {"any_region": True, "any_motive": True}, format="json")
    assert as_newcomer.get(me).json()["onboarding"]["next_step"] == "availability"

    as_newcomer.post(URL, {"weekday": 5, "start": "10:00", "end": "18:00"})
    assert as_newcomer.get(me).json()["onboarding"] == {"complete": True, "next_step": None}
