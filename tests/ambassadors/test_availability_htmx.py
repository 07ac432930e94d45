"""The availability editor with htmx: slots are added and removed in place, and everything the
swap replaces (status, week, "Finish" hint) is up to date afterwards."""

from __future__ import annotations

from datetime import time

import pytest

from ambassadors.models import Weekday

from ..factories import make_ambassador

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def dora(client):
    """Onboarded, one slot (Tuesday 09:00-12:00), logged in."""
    ambassador = make_ambassador(
        "dora@example.com", name="Dora", slots=((Weekday.TUESDAY, time(9), time(12)),)
    )
    client.force_login(ambassador.user)
    return ambassador


@pytest.fixture
def eli(client):
    """Steps 1 to 3 done, no hours yet: on onboarding step 4."""
    ambassador = make_ambassador("eli@example.com", name="Eli")
    ambassador.onboarded_at = None
    ambassador.save()
    client.force_login(ambassador.user)
    return ambassador


def delete(client, slot, next_url, **headers):
    url = f"/portal/availability/slots/{slot.public_id}/delete/?next={next_url}"
    return client.post(url, **headers)


def test_removing_a_slot_returns_the_editor_whose_forms_still_work(client, dora):
    slot = dora.availability_slots.get()
    response = delete(client, slot, "/portal/availability/", **HTMX)
    assert response.status_code == 200
    page = response.text
    assert page.lstrip().startswith('<div id="availability">')
    assert "Slot removed: Tuesday 09:00–12:00." in page
    # The add form swapped in posts to the editor, not to the removed slot's address.
    assert 'hx-post="/portal/availability/"' in page
    assert "/delete/" not in page.split('class="slot-form"')[1]
    assert not dora.availability_slots.exists()


def test_removing_a_slot_on_onboarding_step_4_stays_on_step_4(client, eli):
    client.post(
        "/portal/onboarding/availability/", {"weekday": 0, "start": "09:00", "end": "10:00"}
    )
    slot = eli.availability_slots.get()
    page = delete(client, slot, "/portal/onboarding/availability/", **HTMX).text
    assert 'hx-post="/portal/onboarding/availability/"' in page
    assert 'name="finish"' in page
    assert "Add at least one slot first." in page


def test_adding_the_first_slot_on_step_4_clears_the_finish_hint(client, eli):
    page = client.get("/portal/onboarding/availability/").text
    assert "Step 4 of 4" in page
    assert "Add at least one slot first." in page
    response = client.post(
        "/portal/onboarding/availability/",
        {"weekday": 2, "start": "18:00", "end": "20:00"},
        **HTMX,
    )
    assert "Slot added: Wednesday 18:00–20:00." in response.text
    assert 'name="finish"' in response.text
    assert "Add at least one slot first." not in response.text


def test_the_status_is_refreshed_with_the_slots(client):
    ambassador = make_ambassador("fay@example.com", name="Fay")
    client.force_login(ambassador.user)
    assert "You have no hours yet" in client.get("/portal/availability/").text
    response = client.post(
        "/portal/availability/", {"weekday": 0, "start": "00:00", "end": "00:00"}, **HTMX
    )
    assert "You have no hours yet" not in response.text
    assert 'class="status status-' in response.text


def test_a_refused_slot_comes_back_with_its_error_and_what_was_typed(client, dora):
    response = client.post(
        "/portal/availability/", {"weekday": 1, "start": "11:00", "end": "13:00"}, **HTMX
    )
    assert response.status_code == 200
    assert "This slot overlaps your slot Tuesday 09:00–12:00." in response.text
    assert 'value="11:00"' in response.text
    assert dora.availability_slots.count() == 1


def test_without_javascript_remove_asks_for_confirmation_first(client, dora):
    slot = dora.availability_slots.get()
    page = client.get(f"/portal/availability/slots/{slot.public_id}/delete/").text
    assert "Remove the slot Tuesday 09:00–12:00?" in page
    assert 'method="post"' in page
    assert dora.availability_slots.exists()
    # The list offers the same question to htmx, asked by the browser.
    editor = client.get("/portal/availability/").text
    assert 'hx-confirm="Remove the slot Tuesday 09:00–12:00?"' in editor


def test_a_removal_never_redirects_off_site(client, dora):
    slot = dora.availability_slots.get()
    response = delete(client, slot, "https://evil.example/")
    assert response["Location"] == "/portal/availability/"
