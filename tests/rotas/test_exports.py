"""An advisor's shifts and private calendar feed; the month as CSV for managers."""

from __future__ import annotations

import time_machine
from icalendar import Calendar

from concierge.models import Assignment, Membership

from .people import NOW, assign


def test_an_advisor_sees_their_shifts_and_subscribes_to_a_private_feed(client, team):
    with time_machine.travel(NOW, tick=False):
        assign(client, team, team.manager_a, team.advisor_a)
        client.force_login(team.advisor_a.user)
        page = client.get("/rotas/me/").text
        assert "Monday 1 June" in page and "18:00–22:00" in page
        token = Membership.objects.get(pk=team.advisor_a.pk).calendar_token
        assert f"/rotas/calendar/{token}.ics" in page

        client.logout()  # calendar apps do not log in: the secret address is the key
        feed = client.get(f"/rotas/calendar/{token}.ics")
        assert feed["Content-Type"].startswith("text/calendar")
        (event,) = Calendar.from_ical(feed.content).walk("VEVENT")
        assert event["SUMMARY"] == "De permanence\u00a0: Alps evenings"  # the offices' language
        assert event.decoded("DTSTART") == Assignment.objects.get().shift.starts_at

        client.force_login(team.advisor_a.user)
        client.post("/rotas/me/", {"action": "new-feed"})
        assert client.get(f"/rotas/calendar/{token}.ics").status_code == 404
        assert client.get("/rotas/calendar/not-a-token.ics").status_code == 404


def test_managers_download_the_month_as_csv_advisors_and_outsiders_cannot(client, team):
    with time_machine.travel(NOW, tick=False):
        assign(client, team, team.coordinator, team.advisor_b)
        url = f"/rotas/{team.network.pk}/2026/6/export.csv"
        client.force_login(team.manager_a.user)
        response = client.get(url)
        assert response["Content-Disposition"] == 'attachment; filename="rota-2026-06.csv"'
        lines = response.content.decode().splitlines()
        assert lines[0] == "date,start,end,needed,assigned,advisors"
        assert lines[1] == "2026-06-01,18:00,22:00,2,1,Advisor-B (Briançon)"
        assert "Advisor-B (Briançon),4.0" in lines
        for who in (team.advisor_a, team.outsider):
            client.force_login(who.user)
            assert client.get(url).status_code == 404
