"""An advisor verifies their French mobile with a texted code, like an ambassador."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from calls.telephony import locmem
from concierge.models import Membership
from concierge.rotas.phones import AdvisorPhoneError, advisor_phone_confirm, advisor_phone_start
from tests.text import found


def code_sent() -> str:
    return found(r"\b(\d{6})\b", locmem.outbox[-1].body, 1)


def test_an_advisor_verifies_their_mobile(client, team):
    client.force_login(team.advisor_b.user)  # verified already: a new number
    page = client.post(
        "/rotas/me/", {"action": "phone-send", "phone_number": "06 98 76 54 32"}, follow=True
    )
    assert "Code sent by text message." in page.text
    assert locmem.outbox[-1].to == "+33698765432"
    wrong = client.post("/rotas/me/", {"action": "phone-confirm", "code": "000000"}, follow=True)
    assert "This code is not right. 4 tries left." in wrong.text
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
    assert "You can ask for a new one in 60 seconds." in again.text
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
    assert "This code has expired" in late.text


def test_an_advisor_is_told_tries_left_and_when_to_retry_in_french(client, team):
    client.force_login(team.advisor_a.user)
    french = {"HTTP_ACCEPT_LANGUAGE": "fr"}
    client.post("/rotas/me/", {"action": "phone-send", "phone_number": "06 11 22 33 44"}, **french)
    with time_machine.travel(timedelta(seconds=15)):
        again = client.post(
            "/rotas/me/",
            {"action": "phone-send", "phone_number": "06 11 22 33 44"},
            follow=True,
            **french,
        )
    assert "Vous pourrez en demander un nouveau dans 45 secondes." in again.text
    wrong = client.post(
        "/rotas/me/", {"action": "phone-confirm", "code": "000000"}, follow=True, **french
    )
    assert "Ce code n’est pas le bon. Il vous reste 4 essais." in wrong.text


def test_advisor_errors_carry_the_tries_left_and_the_wait(team):
    member = team.advisor_a
    advisor_phone_start(member=member, phone_number="0611223344")
    with pytest.raises(AdvisorPhoneError) as too_soon:
        advisor_phone_start(member=member, phone_number="0611223344")
    assert (too_soon.value.code, too_soon.value.retry_after) == ("too_soon", 60)
    wrong = f"{(int(code_sent()) + 1) % 1_000_000:06d}"
    for left in (4, 3, 2, 1, 0):
        with pytest.raises(AdvisorPhoneError) as error:
            advisor_phone_confirm(member=member, code=wrong)
        assert error.value.tries_left == left
    assert error.value.code == "too_many_attempts"
    assert Membership.objects.get(pk=member.pk).phone_code_hash == ""


def test_the_advisors_code_is_kept_hashed(team):
    advisor_phone_start(member=team.advisor_a, phone_number="0611223344")
    member = Membership.objects.get(pk=team.advisor_a.pk)
    assert member.phone_code_hash and code_sent() not in member.phone_code_hash
    assert str(member.pending_phone) == "+33611223344"
    confirmed = advisor_phone_confirm(member=team.advisor_a, code=code_sent())
    assert str(confirmed.phone_number) == "+33611223344" and confirmed.pending_phone is None
    assert confirmed.phone_code_hash == "" and confirmed.phone_verified_at


def test_an_advisor_of_two_networks_gets_one_code_that_verifies_both(client, team):
    from concierge.models import OfficeNetwork, Role, TouristOffice

    other = OfficeNetwork.objects.create(name="Riviera evenings")
    nice = TouristOffice.objects.create(name="Nice", network=other)
    second = Membership.objects.create(
        user=team.advisor_b.user, network=other, office=nice, role=Role.ADVISOR
    )
    client.force_login(team.advisor_b.user)
    sent_before = len(locmem.outbox)
    client.post("/rotas/me/phone/send/", {"phone_number": "06 98 76 54 32"})
    assert len(locmem.outbox) == sent_before + 1  # one text, not one per network
    page = client.post("/rotas/me/phone/confirm/", {"code": code_sent()}, follow=True)
    assert "Your mobile is verified" in page.text
    for member in (team.advisor_b, second):
        member.refresh_from_db()
        assert str(member.phone_number) == "+33698765432"
        assert member.phone_verified_at is not None
