"""'Fill the gaps fairly': a proposal the manager reviews, least-loaded first, respecting days
away and working-time limits; only confirmed assignments are saved."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
import time_machine

from concierge import demo, rotas
from concierge.models import (
    Assignment,
    Membership,
    OfficeNetwork,
    Role,
    Shift,
    Unavailability,
)

from .people import NOW

FILL = "/rotas/{}/2026/6/fill/"


def test_the_proposal_fills_every_seat_fairly_and_respects_days_away(team):
    day_away = Shift.objects.order_by("starts_at")[2].starts_at.date()
    Unavailability.objects.create(membership=team.advisor_a, day=day_away)
    with time_machine.travel(NOW, tick=False):
        proposals = rotas.rota_propose(network=team.network, first=NOW.date(), by=team.coordinator)
    by_shift: dict = {}
    for p in proposals:
        by_shift.setdefault(p.shift.pk, []).append(p.advisor)
    shifts = list(Shift.objects.order_by("starts_at"))
    # Two advisors for two seats: both every evening, except where Ana is away.
    assert len(proposals) == 2 * len(shifts) - 1
    assert by_shift[shifts[2].pk] == [team.advisor_b]
    hours = {
        who.pk: sum(4 for p in proposals if p.advisor == who)
        for who in (team.advisor_a, team.advisor_b)
    }
    assert abs(hours[team.advisor_a.pk] - hours[team.advisor_b.pk]) <= 4
    assert not Assignment.objects.exists()  # nothing saved by a proposal


def test_a_manager_is_proposed_only_their_own_advisors(team):
    with time_machine.travel(NOW, tick=False):
        proposals = rotas.rota_propose(network=team.network, first=NOW.date(), by=team.manager_a)
    assert {p.advisor for p in proposals} == {team.advisor_a}


def test_the_proposal_never_breaks_the_working_time_limits(team):
    long_shift = Shift.objects.create(
        network=team.network,
        starts_at=NOW + timedelta(hours=1),
        ends_at=NOW + timedelta(hours=8),  # 11:00–18:00 in Paris, then the 18:00 evening
        advisors_needed=1,
    )
    Assignment.objects.create(shift=long_shift, membership=team.advisor_a)
    with time_machine.travel(NOW, tick=False):
        proposals = rotas.rota_propose(network=team.network, first=NOW.date(), by=team.manager_a)
    first_evening = Shift.objects.filter(rule__isnull=False).order_by("starts_at").first()
    assert all(p.shift != first_evening for p in proposals)  # 11 h that day: over 10 h


def test_confirming_saves_only_what_was_kept(client, team):
    url = FILL.format(team.network.pk)
    with time_machine.travel(NOW, tick=False):
        client.force_login(team.advisor_a.user)
        assert client.get(url).status_code == 404
        client.force_login(team.coordinator.user)
        page = client.get(url).text
        assert "Confirm these assignments" in page
        values = [p.split('"')[0] for p in page.split('name="proposal" value="')[1:]]
        response = client.post(url, {"proposal": [*values[:3], "garbage:1"]}, follow=True)
    assert "3 assignments saved." in response.text
    assert Assignment.objects.count() == 3
    assert all(a.membership.role == Role.ADVISOR for a in Assignment.objects.all())


def test_an_advisor_declares_days_away(client, team):
    client.force_login(team.advisor_a.user)
    client.post("/rotas/me/", {"action": "away", "day": "2026-06-12"})
    assert Unavailability.objects.get().day.isoformat() == "2026-06-12"
    with time_machine.travel(NOW, tick=False):
        assert "Friday 12 June 2026" in client.get("/rotas/me/").text
    client.post("/rotas/me/", {"action": "back", "day": "2026-06-12"})
    assert not Unavailability.objects.exists()
    bad = client.post("/rotas/me/", {"action": "away", "day": "someday"}, follow=True)
    assert "Choose a day." in bad.text


@pytest.mark.django_db
def test_on_the_demo_every_empty_seat_of_next_month_gets_a_legal_proposal():
    with time_machine.travel(datetime(2026, 11, 20, 12, tzinfo=UTC), tick=False):
        demo.seed(stdout=StringIO())
        network = OfficeNetwork.objects.get()
        coordinator = Membership.objects.get(user__email="coordinator@example.com")
        for month in (date(2026, 11, 1), date(2026, 12, 1)):
            plan = rotas.month_plan(network=network, first=month)
            assert [load.warnings for load in plan.advisors if load.warnings] == []
        plan = rotas.month_plan(network=network, first=date(2026, 12, 1))
        proposals = rotas.rota_propose(network=network, first=date(2026, 12, 1), by=coordinator)
    assert plan.gaps > 0
    assert len(proposals) == plan.gaps  # every empty seat
    worked: dict = {}
    for row in plan.rows:
        for member in row.assignees:
            worked.setdefault(member.pk, []).append(row.shift)
    for proposal in proposals:
        worked.setdefault(proposal.advisor.pk, []).append(proposal.shift)
    assert all(rotas.working_time_warnings(shifts) == [] for shifts in worked.values())
    hours = [p.hours for p in proposals]
    assert max(hours) - min(hours) < 12  # the least loaded take the seats


def test_a_breach_elsewhere_does_not_rule_an_advisor_out(team):
    saturday = datetime(2026, 6, 6, 8, tzinfo=UTC)  # 10:00 in Paris
    long_day = Shift.objects.create(
        network=team.network,
        starts_at=saturday,
        ends_at=saturday + timedelta(hours=12),
        advisors_needed=1,
    )
    Assignment.objects.create(shift=long_day, membership=team.advisor_a)
    with time_machine.travel(NOW, tick=False):
        warnings = rotas.month_plan(network=team.network, first=NOW.date()).advisors
        proposals = rotas.rota_propose(network=team.network, first=NOW.date(), by=team.manager_a)
    assert any(load.warnings for load in warnings)  # 12 h on Saturday 6 June
    assert len(proposals) == Shift.objects.filter(rule__isnull=False).count()
    assert {p.advisor for p in proposals} == {team.advisor_a}
