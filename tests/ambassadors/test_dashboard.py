"""What the dashboard tells an ambassador about themselves."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
import time_machine

from ambassadors.models import Weekday
from concierge.lib.timezones import local_datetime, local_today

from ..factories import make_ambassador

pytestmark = pytest.mark.django_db


def dashboard(client, ambassador) -> str:
    client.force_login(ambassador.user)
    response = client.get("/portal/")
    assert response.status_code == 200
    return response.text


def test_it_says_alice_is_taking_calls_now(client, alice):
    page = dashboard(client, alice)
    assert "You are taking calls now." in page
    assert "verified" in page
    assert alice.phone_number.as_national in page
    assert "No calls yet" in page
    assert '<p class="big">0</p>' in page


def test_it_gives_the_next_hours_in_french_time(client):
    monday = local_today() - timedelta(days=local_today().weekday()) + timedelta(days=7)
    ambassador = make_ambassador(
        "eve@example.com", name="Eve", slots=((Weekday.TUESDAY, time(18, 30), time(20)),)
    )
    with time_machine.travel(local_datetime(monday, time(9)), tick=False):
        page = dashboard(client, ambassador)
    assert "Your next hours begin Tuesday" in page
    assert "18:30" in page


def test_it_shows_the_switch_and_the_pause(client, alice):
    alice.accepting_calls = False
    alice.save()
    assert "Calls are switched off" in dashboard(client, alice)


def test_a_suspended_ambassador_is_told_so(client, alice):
    alice.is_active = False
    alice.save()
    assert "Your account is suspended" in dashboard(client, alice)


def test_it_never_shows_another_ambassadors_details(client, alice, bob):
    page = dashboard(client, alice)
    assert "Bob" not in page
    assert bob.phone_number.as_national not in page
