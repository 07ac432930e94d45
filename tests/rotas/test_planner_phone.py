"""The planner as a phone uses it: today marked, past shifts read-only (on the page and on the
server), only advisors who may take a shift in its list, the working-time check before an
assignment, the calendar feed to subscribe to, and a past day away refused."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine

from concierge.models import Assignment, Shift, Unavailability

from .people import NOW, assign

pytestmark = pytest.mark.django_db
JUNE = "/rotas/{}/2026/6/"


def box(page: str, shift: Shift) -> str:
    """The HTML of one shift's box on the month page."""
    start = page.index(f'id="shift-{shift.public_id}"')
    following = re.compile(r'<div class="shift[ "]').search(page, start)
    return page[start : following.start() if following else len(page)]


def options(page: str, shift: Shift) -> list[str]:
    return re.findall(r'<option value="\d+">([^<]+)</option>', box(page, shift))


def test_past_shifts_are_read_only(client, team):
    with time_machine.travel(NOW, tick=False):
        assign(client, team, team.coordinator, team.advisor_a)
    second = Shift.objects.order_by("starts_at")[1]
    with time_machine.travel(team.shift.starts_at + timedelta(minutes=5), tick=False):
        client.force_login(team.coordinator.user)
        page = client.get(JUNE.format(team.network.pk)).text
        refused = client.post(
            f"/rotas/shifts/{team.shift.public_id}/unassign/{team.advisor_a.pk}/", follow=True
        )
    past = box(page, team.shift)
    assert "Assign" not in past and "unassign" not in past and "Advisor-A" in past
    assert "Assign" in box(page, second)
    assert "This shift has already started." in refused.text
    assert Assignment.objects.filter(shift=team.shift).exists()


def test_today_is_marked(client, team):
    client.force_login(team.advisor_a.user)
    with time_machine.travel(NOW, tick=False):
        page = client.get(JUNE.format(team.network.pk)).text
    assert page.count('aria-current="date"') == 1
    today = page[page.index('aria-current="date"') :]
    assert re.search(r'<span class="day-name">Monday </span>1<span class="day-name"> June', today)


def test_the_list_offers_only_advisors_who_may_take_the_shift(client, team):
    second = Shift.objects.order_by("starts_at")[1]
    Unavailability.objects.create(
        membership=team.advisor_b, day=second.starts_at.astimezone(NOW.tzinfo).date()
    )
    with time_machine.travel(NOW, tick=False):
        assign(client, team, team.coordinator, team.advisor_a)
        page = client.get(JUNE.format(team.network.pk)).text
    assert options(page, team.shift) == ["Advisor-B (Briançon)"]  # A is on it
    assert options(page, second) == ["Advisor-A (Annecy)"]  # B is away that day


def test_the_working_time_check_comes_before_the_assignment(client, team):
    evening = Shift.objects.order_by("starts_at")[1]  # Tuesday 2 June, 18:00–22:00
    morning = Shift.objects.create(
        network=team.network,
        starts_at=evening.starts_at - timedelta(hours=10),  # 08:00–16:00
        ends_at=evening.starts_at - timedelta(hours=2),
    )
    Assignment.objects.create(shift=morning, membership=team.advisor_a)
    url = f"/rotas/shifts/{evening.public_id}/assign/"
    with time_machine.travel(NOW, tick=False):
        client.force_login(team.manager_a.user)
        check = client.post(url, {"advisor": team.advisor_a.pk})
        assert not Assignment.objects.filter(shift=evening).exists()
        in_the_box = client.post(url, {"advisor": team.advisor_a.pk}, HTTP_HX_REQUEST="true")
        client.cookies["django_language"] = "fr"
        french = client.post(url, {"advisor": team.advisor_a.pk}, HTTP_HX_REQUEST="true")
        done = client.post(url, {"advisor": team.advisor_a.pk, "confirm": "1"}, follow=True)
    assert "Check the working time" in check.text
    assert "12 h on 2 June (over 10 h)" in check.text
    assert "Assign anyway" in in_the_box.text and "<html" not in in_the_box.text
    assert "12 h le 2 juin (plus de 10 h)" in french.text
    assert Assignment.objects.filter(shift=evening, membership=team.advisor_a).exists()
    assert done.status_code == 200


def test_an_assignment_within_the_limits_needs_no_confirmation(client, team):
    with time_machine.travel(NOW, tick=False):
        response = assign(client, team, team.manager_a, team.advisor_a)
    assert "Assigned." in response.text


def test_the_calendar_feed_can_be_subscribed_to(client, team):
    client.force_login(team.advisor_a.user)
    with time_machine.travel(NOW, tick=False):
        page = client.get("/rotas/me/").text
    token = team.advisor_a.calendar_token
    assert f'href="webcal://testserver/rotas/calendar/{token}.ics"' in page
    feed = f"http://testserver/rotas/calendar/{token}.ics"
    assert f'<code class="feed-url" id="feed-1">{feed}</code>' in page
    assert 'data-copy="feed-1"' in page and "/static/js/copy.js" in page


def test_a_past_day_away_is_refused_with_a_reason(client, team):
    client.force_login(team.advisor_a.user)
    with time_machine.travel(NOW, tick=False):
        answer = client.post("/rotas/me/away/", {"day": "2026-05-20"}, follow=True)
    assert "This day is past: choose today or a later day." in answer.text
    assert "Saved." not in answer.text
    assert not Unavailability.objects.exists()


def test_a_shift_under_way_cannot_be_offered_from_my_shifts(client, team):
    Assignment.objects.create(shift=team.shift, membership=team.advisor_a)
    client.force_login(team.advisor_a.user)
    with time_machine.travel(team.shift.starts_at + timedelta(minutes=5), tick=False):
        page = client.get("/rotas/me/").text
    assert "On duty now" in page
    assert "Offer to a colleague" not in page
