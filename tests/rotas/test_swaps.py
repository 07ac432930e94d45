"""Swap and cover: an advisor offers a shift, a colleague takes it, the coordinator approves
when the network requires it; nobody else can take or decide."""

from __future__ import annotations

import time_machine

from concierge.models import Assignment, OfferStatus, RotaChange, ShiftOffer

from .people import NOW


def offered(client, team):
    assignment = Assignment.objects.create(shift=team.shift, membership=team.advisor_a)
    client.force_login(team.advisor_a.user)
    response = client.post(f"/rotas/assignments/{assignment.pk}/offer/", follow=True)
    assert "Offered to your colleagues." in response.text
    return assignment, ShiftOffer.objects.get()


def test_a_colleague_takes_and_the_coordinator_approves(client, team):
    with time_machine.travel(NOW, tick=False):
        assignment, offer = offered(client, team)
        client.force_login(team.advisor_b.user)
        page = client.get("/rotas/me/").text
        assert "Take it" in page
        taken = client.post(f"/rotas/offers/{offer.public_id}/take/", follow=True)
        assert "Taken: the coordinator will confirm." in taken.text
        assignment.refresh_from_db()
        assert assignment.membership == team.advisor_a  # not before the approval

        client.force_login(team.manager_a.user)  # a manager does not decide
        client.post(f"/rotas/offers/{offer.public_id}/decide/", {"decision": "approve"})
        assert ShiftOffer.objects.get().status == OfferStatus.PENDING

        client.force_login(team.coordinator.user)
        month = client.get(f"/rotas/{team.network.pk}/2026/6/").text
        assert "Hand-overs to approve" in month
        client.post(f"/rotas/offers/{offer.public_id}/decide/", {"decision": "approve"})
    assignment.refresh_from_db()
    assert assignment.membership == team.advisor_b
    assert ShiftOffer.objects.get().status == OfferStatus.DONE
    assert RotaChange.objects.filter(action="hand-over").exists()


def test_without_approval_the_shift_changes_hands_at_once(client, team):
    team.network.swaps_need_approval = False
    team.network.save()
    with time_machine.travel(NOW, tick=False):
        assignment, offer = offered(client, team)
        client.force_login(team.advisor_b.user)
        done = client.post(f"/rotas/offers/{offer.public_id}/take/", follow=True)
    assert "The shift is yours." in done.text
    assignment.refresh_from_db()
    assert assignment.membership == team.advisor_b


def test_only_colleagues_take_and_only_once(client, team):
    with time_machine.travel(NOW, tick=False):
        _assignment, offer = offered(client, team)
        client.force_login(team.outsider.user)
        assert client.post(f"/rotas/offers/{offer.public_id}/take/").status_code == 404
        client.force_login(team.advisor_a.user)  # one's own offer
        own = client.post(f"/rotas/offers/{offer.public_id}/take/", follow=True)
        assert "Only a colleague of the network can take this shift." in own.text
        client.force_login(team.advisor_b.user)
        client.post(f"/rotas/offers/{offer.public_id}/take/")
        again = client.post(f"/rotas/offers/{offer.public_id}/take/", follow=True)
        assert "Someone has already taken this shift." in again.text
        client.force_login(team.advisor_b.user)
        someone_elses = client.post(f"/rotas/assignments/{_assignment.pk}/offer/")
        assert someone_elses.status_code == 404
