"""An invited person's whole way in, through the site as they meet it: the link in the e-mail,
a sign-up page that names the office and the role and knows their address, the confirmation
link from the outbox, and their home with a welcome (issue 13, item 6)."""

from __future__ import annotations

import pytest
from django.core import mail

from ambassadors.models import Ambassador
from concierge.models import Invitation, Membership, Role

from ..factories import PASSWORD, make_user
from ..text import found


def heading(page: str) -> str:
    return found(r"<h1[^>]*>\s*(.*?)\s*</h1>", page, 1)


def invite(client, team, django_capture_on_commit_callbacks, *, email, role="advisor", by=None):
    client.force_login((by or team.manager_a).user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/rotas/{team.network.pk}/invite/", {"email": email, "office": team.a.pk, "role": role}
        )
    client.logout()
    return found(r"/rotas/invitations/[\w-]+/", mail.outbox[-1].body)


def sign_up_from(client, link, email, django_capture_on_commit_callbacks):
    """Follow the link, then "Create my account", sign up, confirm from the outbox."""
    page = client.get(link)
    signup_url = found(r'href="(/accounts/signup/\?[^"]+)"', page.text, 1).replace("&amp;", "&")
    signup = client.get(signup_url)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            signup_url, {"email": email, "password1": PASSWORD, "password2": PASSWORD}
        )
    assert response["Location"] == "/accounts/confirm-email/"
    sent = client.get("/accounts/confirm-email/").text
    confirm = found(r"/accounts/confirm-email/\S+/", mail.outbox[-1].body)
    return signup, sent, client.post(confirm, follow=True)


def test_an_invited_advisor_signs_up_and_lands_on_their_evening(
    client, team, django_capture_on_commit_callbacks
):
    link = invite(client, team, django_capture_on_commit_callbacks, email="zoe@example.com")
    signup, sent, landed = sign_up_from(
        client, link, "zoe@example.com", django_capture_on_commit_callbacks
    )
    # The sign-up page speaks to her: the office, the network, the role, her address.
    assert heading(signup.text) == "Join Annecy"
    assert "in the Alps evenings rota, as: Advisor" in signup.text
    assert 'value="zoe@example.com"' in signup.text
    assert "you will join Annecy at once" in sent
    # Confirmed, she is an advisor of Annecy and at home, welcomed.
    assert landed.redirect_chain[-1][0] == "/office/evening/"
    assert "Welcome to Annecy! You joined the Alps evenings rota as: Advisor." in landed.text
    assert "expired or was already used" not in landed.text
    member = Membership.objects.get(user__email="zoe@example.com")
    assert (member.role, member.office) == (Role.ADVISOR, team.a)
    assert Invitation.objects.get().accepted_at is not None
    # Nobody asked her first name yet: her home does, for what tourists are told.
    assert 'action="/office/evening/name/"' in landed.text
    saved = client.post("/office/evening/name/", {"first_name": " Zoé "}, follow=True)
    assert "Saved: tourists will be told Zoé." in saved.text
    assert 'action="/office/evening/name/"' not in saved.text
    assert member.user.__class__.objects.get(pk=member.user_id).first_name == "Zoé"
    # Nobody became a volunteer on the way.
    assert not Ambassador.objects.filter(user__email="zoe@example.com").exists()
    assert client.get("/portal/").status_code == 403


def test_an_invited_manager_lands_on_tonight(client, team, django_capture_on_commit_callbacks):
    link = invite(
        client,
        team,
        django_capture_on_commit_callbacks,
        email="max@example.com",
        role="manager",
        by=team.coordinator,
    )
    signup, _sent, landed = sign_up_from(
        client, link, "max@example.com", django_capture_on_commit_callbacks
    )
    assert "as: Office manager" in signup.text
    assert landed.redirect_chain[-1][0] == "/office/tonight/"
    assert "Welcome to Annecy!" in landed.text


def test_the_pages_speak_french(client, team, django_capture_on_commit_callbacks):
    link = invite(client, team, django_capture_on_commit_callbacks, email="lea@example.com")
    client.get(link)
    signup = client.get("/accounts/signup/?email=lea%40example.com", HTTP_ACCEPT_LANGUAGE="fr")
    assert heading(signup.text) == "Rejoindre Annecy"


def test_an_existing_user_accepts_in_one_click(client, team, django_capture_on_commit_callbacks):
    link = invite(client, team, django_capture_on_commit_callbacks, email="ines@example.com")
    make_user("ines@example.com", first_name="Inès")
    page = client.get(link)
    login = found(r'href="(/accounts/login/\?next=[^"]+)"', page.text, 1)
    back = client.post(login, {"login": "ines@example.com", "password": PASSWORD})
    assert back["Location"] == link
    form = client.get(link).text
    assert 'value="Inès"' in form  # her first name is already there: one click
    landed = client.post(link, {"first_name": "Inès"}, follow=True)
    assert landed.redirect_chain[-1][0] == "/office/evening/"
    assert "Welcome to Annecy!" in landed.text
    assert Membership.objects.filter(user__email="ines@example.com", role=Role.ADVISOR).exists()


@pytest.mark.parametrize("email", ["someone-else@example.com"])
def test_a_used_invitation_still_says_so_to_others(
    client, team, django_capture_on_commit_callbacks, email
):
    link = invite(client, team, django_capture_on_commit_callbacks, email="zoe@example.com")
    sign_up_from(client, link, "zoe@example.com", django_capture_on_commit_callbacks)
    client.logout()
    client.force_login(make_user(email))
    assert "expired or was already used" in client.get(link).text
