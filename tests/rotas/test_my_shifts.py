"""/rotas/me/: each form of the page posts to a view of its own; the forms as they were
(posted to /rotas/me/ with an ``action``) still work, and only advisors get anything."""

from __future__ import annotations

import re

import pytest
import time_machine

from calls.telephony import locmem
from concierge.models import Membership, Unavailability
from tests.text import found

from .people import NOW

ACTIONS = {
    "/rotas/me/phone/send/": {"phone_number": "06 98 76 54 32"},
    "/rotas/me/phone/confirm/": {"code": "000000"},
    "/rotas/me/away/": {"day": "2026-06-12"},
    "/rotas/me/back/": {"day": "2026-06-12"},
    "/rotas/me/calendar/renew/": {},
}


def test_the_page_posts_each_form_to_its_own_view(client, team):
    client.force_login(team.advisor_a.user)
    client.post("/rotas/me/away/", {"day": "2026-06-12"})
    with time_machine.travel(NOW, tick=False):
        client.post("/rotas/me/phone/send/", {"phone_number": "06 98 76 54 32"})
        page = client.get("/rotas/me/").text
    actions = set(re.findall(r'<form method="post" action="(/rotas/me/[^"]*)"', page))
    assert actions == set(ACTIONS)
    assert 'name="action"' not in page


def test_an_advisor_is_away_and_back(client, team):
    client.force_login(team.advisor_a.user)
    saved = client.post("/rotas/me/away/", {"day": "2026-06-12"}, follow=True)
    assert "Saved." in saved.text
    assert [u.day.isoformat() for u in Unavailability.objects.all()] == ["2026-06-12"]
    client.post("/rotas/me/away/", {"day": "2026-06-12"})  # twice is once
    assert Unavailability.objects.count() == 1
    client.post("/rotas/me/back/", {"day": "2026-06-12"})
    assert not Unavailability.objects.exists()
    for url in ("/rotas/me/away/", "/rotas/me/back/"):
        assert "Choose a day." in client.post(url, {"day": "someday"}, follow=True).text


def test_an_advisor_verifies_their_mobile(client, team):
    client.force_login(team.advisor_a.user)
    sent = client.post("/rotas/me/phone/send/", {"phone_number": "06 98 76 54 32"}, follow=True)
    assert "Code sent by text message." in sent.text
    code = found(r"\b(\d{6})\b", locmem.outbox[-1].body, 1)
    done = client.post("/rotas/me/phone/confirm/", {"code": code}, follow=True)
    assert "Your mobile is verified" in done.text
    assert str(Membership.objects.get(pk=team.advisor_a.pk).phone_number) == "+33698765432"


def test_a_new_calendar_address_revokes_the_old_one(client, team):
    old = team.advisor_a.calendar_token
    client.force_login(team.advisor_a.user)
    renewed = client.post("/rotas/me/calendar/renew/", follow=True)
    assert "New calendar address: the old one no longer works." in renewed.text
    new = Membership.objects.get(pk=team.advisor_a.pk).calendar_token
    assert new != old
    assert client.get(f"/rotas/calendar/{old}.ics").status_code == 404
    assert client.get(f"/rotas/calendar/{new}.ics").status_code == 200


@pytest.mark.parametrize("url", ACTIONS)
def test_only_advisors_act_and_only_by_post(client, team, url):
    client.force_login(team.manager_a.user)
    assert client.post(url, ACTIONS[url]).status_code == 404
    client.force_login(team.advisor_a.user)
    assert client.get(url).status_code == 405
    client.logout()
    assert client.post(url, ACTIONS[url]).status_code == 302
    assert not Unavailability.objects.exists()


def test_the_old_forms_still_reach_the_views(client, team):
    client.force_login(team.advisor_a.user)
    client.post("/rotas/me/", {"action": "away", "day": "2026-06-12"})
    assert Unavailability.objects.exists()
    client.post("/rotas/me/", {"action": "back", "day": "2026-06-12"})
    assert not Unavailability.objects.exists()
    client.post("/rotas/me/", {"action": "new-feed"})
    assert Membership.objects.get(pk=team.advisor_a.pk).calendar_token != (
        team.advisor_a.calendar_token
    )
    unknown = client.post("/rotas/me/", {"action": "dance"})
    assert unknown.status_code == 200  # the page, as before
