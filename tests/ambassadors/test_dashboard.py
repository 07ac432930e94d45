"""What the dashboard tells an ambassador about themselves."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
import time_machine
from django.utils.formats import date_format

from ambassadors.models import Weekday
from calls.models import Call, PhoneLine
from concierge.lib.timezones import local_datetime, local_today
from concierge.models import CallMotive

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
    assert "Bob" not in re.sub(r"[A-Za-z0-9]{32,}", "", page)  # not inside a CSRF token
    assert bob.phone_number.as_national not in page


def test_a_paused_ambassador_sees_until_when(client, alice):
    client.force_login(alice.user)
    until = local_today() + timedelta(days=10)
    client.post("/portal/availability/pause/", {"until": until.isoformat()})
    page = dashboard(client, alice)
    assert "You are paused until" in page
    assert date_format(until, "l j F") in page


def test_without_slots_it_asks_for_hours(client):
    ambassador = make_ambassador("ivy@example.com", name="Ivy")
    page = dashboard(client, ambassador)
    assert "You have no hours yet" in page
    assert 'href="/portal/availability/"' in page


def test_an_unverified_mobile_is_flagged_with_a_way_to_verify_it(client):
    ambassador = make_ambassador("jo@example.com", name="Jo", slots=((0, time(9), time(17)),))
    ambassador.phone_verified_at = None
    ambassador.save()
    page = dashboard(client, ambassador)
    assert "not verified" in page
    assert 'href="/portal/phone/"' in page


def test_points_start_at_zero_and_say_when_they_come(client, alice):
    page = dashboard(client, alice)
    assert '<p class="big">0</p>' in page
    assert "Points arrive with your first calls" in page


def test_it_links_to_every_setting(client, alice):
    page = dashboard(client, alice)
    for path in ("profile", "phone", "preferences", "availability", "privacy"):
        assert f'href="/portal/{path}/"' in page, path


def test_the_switch_turns_calls_off_and_on_from_the_dashboard(client, alice):
    page = dashboard(client, alice)
    assert 'name="accepting" value="off"' in page
    response = client.post(
        "/portal/availability/switch/", {"accepting": "off", "next": "/portal/"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/portal/"
    assert "Calls are switched off" in response.text
    assert 'name="accepting" value="on"' in response.text
    response = client.post(
        "/portal/availability/switch/", {"accepting": "on", "next": "/portal/"}, follow=True
    )
    assert "You are taking calls now." in response.text


def test_recent_calls_show_the_topic_never_the_callers_number(client, alice):
    line = PhoneLine.objects.create(number="+33199000000", label="National line")
    Call.objects.create(
        sid="CA" + "1" * 32,
        line=line,
        caller_number="+4915112345678",
        caller_country="DE",
        motive=CallMotive.objects.get(code="food-and-wine"),
        responder=alice,
    )
    page = dashboard(client, alice)
    assert "No calls yet" not in page
    assert "Food and wine" in page
    assert "+4915112345678" not in page
    assert "151 12345678" not in page


def test_an_unfinished_onboarding_leads_away_from_the_dashboard(client, newcomer):
    client.force_login(newcomer)
    assert client.get("/portal/")["Location"] == "/portal/onboarding/profile/"


def test_the_page_title_names_the_page_and_the_site(client, alice):
    assert "<title>My dashboard · Destination Concierge</title>" in dashboard(client, alice)
