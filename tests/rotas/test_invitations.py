"""Managers invite advisors by e-mail; the link joins them with a new or existing account."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.core import mail

from concierge.models import Invitation, Membership, Role

from ..factories import make_user
from .people import NOW


def test_a_manager_invites_an_advisor_who_accepts_with_an_existing_account(
    client, team, django_capture_on_commit_callbacks
):
    client.force_login(team.manager_a.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/rotas/{team.network.pk}/invite/",
            {"email": "Zoe@Example.com", "office": team.a.pk, "role": "advisor"},
            follow=True,
        )
    assert "Invitation sent to Zoe@Example.com." in response.text
    (message,) = mail.outbox
    invitation = Invitation.objects.get()
    assert message.to == ["zoe@example.com"]
    assert f"/rotas/invitations/{invitation.token}/" in message.body

    zoe = make_user("zoe@example.com")
    client.logout()
    page = client.get(f"/rotas/invitations/{invitation.token}/").text
    assert "Create my account" in page and "next=" in page
    client.force_login(zoe)
    nameless = client.post(f"/rotas/invitations/{invitation.token}/", {"first_name": "  "})
    assert "This field is required." in nameless.text  # tourists are told a first name
    assert not Membership.objects.filter(user=zoe).exists()
    accepted = client.post(f"/rotas/invitations/{invitation.token}/", {"first_name": " Zoé "})
    assert accepted["Location"] == "/office/evening/"  # her home, as an advisor
    zoe.refresh_from_db()
    assert zoe.first_name == "Zoé"
    member = Membership.objects.get(user=zoe)
    assert (member.role, member.office) == (Role.ADVISOR, team.a)
    # Following the link again, she is a member: welcomed home, not told it was used.
    again = client.get(f"/rotas/invitations/{invitation.token}/", follow=True).text
    assert "Welcome to Annecy!" in again
    assert "expired or was already used" not in again
    # The change log says both, in the reader's language.
    from django.utils import translation

    from concierge import rotas

    with translation.override("fr"):
        logged = [line.description for line in rotas.selectors.latest_changes(team.network)]
    assert logged[0] == "Zoé a rejoint Annecy"
    assert logged[1] == "Manager-A a invité zoe@example.com à rejoindre Annecy"
    # Someone else following a used link is told so.
    client.force_login(make_user("eve@example.com"))
    assert (
        "expired or was already used" in client.get(f"/rotas/invitations/{invitation.token}/").text
    )


def test_who_may_invite_whom(client, team):
    url = f"/rotas/{team.network.pk}/invite/"
    client.force_login(team.manager_a.user)
    other_office = client.post(
        url, {"email": "x@example.com", "office": team.b.pk, "role": "advisor"}
    )
    assert "Select a valid choice" in other_office.text  # B's office is not offered to A
    manager = client.post(url, {"email": "x@example.com", "office": team.a.pk, "role": "manager"})
    assert "Select a valid choice" in manager.text
    client.force_login(team.advisor_a.user)
    assert client.get(url).status_code == 404
    client.force_login(team.outsider.user)
    assert client.get(url).status_code == 404
    client.force_login(team.coordinator.user)
    ok = client.post(
        url, {"email": "m@example.com", "office": team.b.pk, "role": "manager"}, follow=True
    )
    assert "Invitation sent" in ok.text
    member = client.post(
        url, {"email": "advisor-b@example.com", "office": team.b.pk, "role": "advisor"}
    )
    assert "already a member of the network" in member.text


def test_an_invitation_expires_after_two_weeks(client, team):
    client.force_login(team.manager_a.user)
    with time_machine.travel(NOW, tick=False):
        client.post(
            f"/rotas/{team.network.pk}/invite/",
            {"email": "late@example.com", "office": team.a.pk, "role": "advisor"},
        )
    token = Invitation.objects.get().token
    client.force_login(make_user("late@example.com"))
    with time_machine.travel(NOW + timedelta(days=15), tick=False):
        assert "expired" in client.get(f"/rotas/invitations/{token}/").text
        client.post(f"/rotas/invitations/{token}/", {"first_name": "Léa"})
    assert not Membership.objects.filter(user__email="late@example.com").exists()


def test_signing_up_with_the_invited_address_joins_on_confirmation(client, team, rf):
    from allauth.account.models import EmailAddress
    from allauth.account.signals import email_confirmed

    client.force_login(team.manager_a.user)
    client.post(
        f"/rotas/{team.network.pk}/invite/",
        {"email": "new@example.com", "office": team.a.pk, "role": "advisor"},
    )
    newcomer = make_user("new@example.com", verified=False)
    address = EmailAddress.objects.get(user=newcomer)
    email_confirmed.send(sender=EmailAddress, request=rf.get("/"), email_address=address)
    member = Membership.objects.get(user=newcomer)
    assert (member.office, member.role) == (team.a, Role.ADVISOR)
