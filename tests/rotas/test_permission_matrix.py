"""Every role against every rota page and action, in one table: who gets what."""

from __future__ import annotations

import pytest
import time_machine

from concierge.models import Assignment, ShiftOffer

from .people import NOW

ROLES = ["coordinator", "manager_a", "manager_b", "advisor_a", "outsider", "anonymous"]
# page or action → expected status for each role above (302 for anonymous: to the log-in page)
PAGES = {
    "month": [200, 200, 200, 200, 404, 302],
    "export": [200, 200, 200, 404, 404, 302],
    "fill": [200, 200, 200, 404, 404, 302],
    "invite": [200, 200, 200, 404, 404, 302],
    "mine": [404, 404, 404, 200, 404, 302],
}
# action → whether it changes anything for each role
ACTIONS = {
    "assign advisor A": [True, True, False, False, False, False],
    "unassign advisor A": [True, True, False, False, False, False],
    "approve a hand-over": [True, False, False, False, False, False],
}


def login(client, team, role: str) -> None:
    client.logout()
    if role != "anonymous":
        client.force_login(getattr(team, role).user)


def url(team, page: str) -> str:
    base = f"/rotas/{team.network.pk}/2026/6/"
    return {
        "month": base,
        "export": base + "export.csv",
        "fill": base + "fill/",
        "invite": f"/rotas/{team.network.pk}/invite/",
        "mine": "/rotas/me/",
    }[page]


@pytest.mark.parametrize("page", PAGES)
def test_pages(client, team, page):
    with time_machine.travel(NOW, tick=False):
        for role, expected in zip(ROLES, PAGES[page], strict=True):
            login(client, team, role)
            assert client.get(url(team, page)).status_code == expected, (role, page)


@pytest.mark.parametrize("action", ACTIONS)
def test_actions(client, team, action):
    shift = team.shift
    for role, allowed in zip(ROLES, ACTIONS[action], strict=True):
        Assignment.objects.all().delete()
        ShiftOffer.objects.all().delete()
        if action == "unassign advisor A":
            Assignment.objects.create(shift=shift, membership=team.advisor_a)
        if action == "approve a hand-over":
            ShiftOffer.objects.create(
                assignment=Assignment.objects.create(shift=shift, membership=team.advisor_a),
                offered_by=team.advisor_a,
                taken_by=team.advisor_b,
                status="pending",
            )
        login(client, team, role)
        with time_machine.travel(NOW, tick=False):
            if action == "assign advisor A":
                client.post(
                    f"/rotas/shifts/{shift.public_id}/assign/", {"advisor": team.advisor_a.pk}
                )
                changed = Assignment.objects.exists()
            elif action == "unassign advisor A":
                client.post(f"/rotas/shifts/{shift.public_id}/unassign/{team.advisor_a.pk}/")
                changed = not Assignment.objects.exists()
            else:
                offer = ShiftOffer.objects.get()
                client.post(f"/rotas/offers/{offer.public_id}/decide/", {"decision": "approve"})
                changed = ShiftOffer.objects.get().status == "done"
        assert changed == allowed, (role, action)
