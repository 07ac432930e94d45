from __future__ import annotations

import pytest

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
    assert as_alice.get(url).status_code == 404
    assert as_alice.patch(url, {"end": "23:00"}).status_code == 404
    assert as_alice.delete(url).status_code == 404
    assert bob.availability_slots.filter(pk=slot.pk).exists()
