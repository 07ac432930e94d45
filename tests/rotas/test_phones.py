"""An advisor verifies their French mobile with a texted code, like an ambassador."""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine

from calls.telephony import locmem
from concierge.models import Membership


def code_sent() -> str:
    return re.search(r"\b(\d{6})\b", locmem.outbox[-1].body).group(1)


def test_an_advisor_verifies_their_mobile(client, team):
    client.force_login(team.advisor_b.user)  # verified already: a new number
    page = client.post(
        "/rotas/me/", {"action": "phone-send", "phone_number": "06 98 76 54 32"}, follow=True
    )
    assert "Code sent by text message." in page.text
    assert locmem.outbox[-1].to == "+33698765432"
    wrong = client.post("/rotas/me/", {"action": "phone-confirm", "code": "000000"}, follow=True)
    assert "This code is not right." in wrong.text
    client.post("/rotas/me/", {"action": "phone-confirm", "code": code_sent()})
    member = Membership.objects.get(pk=team.advisor_b.pk)
    assert str(member.phone_number) == "+33698765432" and member.phone_verified_at


def test_bad_numbers_too_soon_too_many_and_too_late(client, team):
    client.force_login(team.advisor_a.user)
    landline = client.post(
        "/rotas/me/", {"action": "phone-send", "phone_number": "01 23 45 67 89"}, follow=True
    )
    assert "This is a landline." in landline.text
    client.post("/rotas/me/", {"action": "phone-send", "phone_number": "06 11 22 33 44"})
    again = client.post(
        "/rotas/me/", {"action": "phone-send", "phone_number": "06 11 22 33 44"}, follow=True
    )
    assert "less than a minute ago" in again.text
    code = code_sent()
    for _ in range(5):
        last = client.post("/rotas/me/", {"action": "phone-confirm", "code": "999999"}, follow=True)
    assert "Too many wrong codes" in last.text
    client.post("/rotas/me/", {"action": "phone-confirm", "code": code})  # void now
    assert str(Membership.objects.get(pk=team.advisor_a.pk).phone_number) == "+33612340501"

    with time_machine.travel(timedelta(minutes=2)):
        client.post("/rotas/me/", {"action": "phone-send", "phone_number": "06 11 22 33 44"})
        code = code_sent()
    with time_machine.travel(timedelta(minutes=13)):
        late = client.post("/rotas/me/", {"action": "phone-confirm", "code": code}, follow=True)
    assert "This code has expired." in late.text
