"""The staff call simulator: a whole call rehearsed through its page."""

from __future__ import annotations

import pytest

from calls.models import Call, CallStatus

from ..factories import every_day, make_ambassador

pytestmark = pytest.mark.django_db


def act(client, action, **extra):
    response = client.post("/calls/simulator/", {"action": action, **extra})
    assert response.status_code == 302
    return client.get("/calls/simulator/").text


def test_staff_rehearse_a_whole_call(client, staff, national_line):
    heidi = make_ambassador(
        "heidi@example.com", name="Heidi", languages=("en", "de"), slots=every_day()
    )
    client.force_login(staff)
    page = act(client, "dial", line=national_line.pk, caller="+4915112345678")
    assert "Willkommen bei Destination Concierge" in page
    assert "Für Deutsch" in page
    act(client, "3")  # German
    act(client, "1")  # plan a trip
    page = act(client, "0")  # anywhere
    assert "Ringing: Heidi" in page
    assert str(heidi.phone_number) not in page  # the pseudonym only
    page = act(client, "accept")
    assert "Talking with Heidi" in page
    assert "Tourist call, German" in page
    # The transcript shows the keys pressed, and the call its time to a human.
    assert page.count("(pressed ") == 3 and "(pressed 3)" in page
    assert "Time to a human:" in page and "1 local rung" in page
    page = act(client, "hang_up", seconds="161")
    assert "The call has ended." in page
    call = Call.objects.get()
    assert call.status == CallStatus.COMPLETED
    assert call.duration == 161
    assert "Dial" in act(client, "reset")


def test_the_simulator_is_for_staff_and_tourist_office_managers(client, alice, national_line):
    from concierge.models import Membership, OfficeNetwork, Role, TouristOffice

    client.force_login(alice.user)
    response = client.get("/calls/simulator/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    network = OfficeNetwork.objects.create(name="Alps")
    office = TouristOffice.objects.create(name="Annecy", network=network)
    for role, allowed in ((Role.ADVISOR, False), (Role.MANAGER, True)):
        Membership.objects.create(user=alice.user, network=network, office=office, role=role)
        for url in ("/calls/simulator/", "/calls/simulator/sms/"):
            assert (client.get(url).status_code == 200) == allowed, (role, url)


def test_an_advisor_answering_is_named_in_the_simulator(client, staff, national_line):
    import time_machine

    from ..rotas.test_on_duty_calls import FRIDAY_EVENING, on_duty_network

    client.force_login(staff)
    with time_machine.travel(FRIDAY_EVENING, tick=False):
        on_duty_network(advisors=1)
        act(client, "dial", line=national_line.pk, caller="+4915112345678")
        for key in ("1", "0", "0"):
            page = act(client, key)
        assert "advisor on duty at Nice" in page
        page = act(client, "accept")
    assert "Talking with Ana0, advisor on duty at Nice" in page


def test_staff_rehearse_a_ring_group_phone_by_phone(client, staff):
    from calls.models import AttemptOutcome, PhoneLine

    line = PhoneLine.objects.create(number="+33199000005", label="Group", ring_group_size=2)
    for name in ("Heidi", "Hanna"):
        make_ambassador(
            f"{name.lower()}@example.com", name=name, languages=("en", "de"), slots=every_day()
        )
    client.force_login(staff)
    act(client, "dial", line=line.pk, caller="+4915112345678")
    page = act(client, "wait")  # stays on the line: both phones ring
    assert "Ringing: H" in page and "Heidi" in page and "Hanna" in page
    assert page.count('name="leg"') == 2 and "Let them all ring" in page
    page = act(client, "decline", leg="0")  # the first says no; the other still rings
    assert page.count('name="leg"') == 1
    page = act(client, "accept", leg="0")
    call = Call.objects.get()
    assert call.responder is not None
    assert f"Talking with {call.responder.display_name}" in page
    assert sorted(a.outcome for a in call.attempts.all()) == [
        AttemptOutcome.ACCEPTED,
        AttemptOutcome.DECLINED,
    ]


def test_the_tester_types_what_the_caller_says(client, staff, national_line):
    make_ambassador("lou@example.com", name="Lou", languages=("en",), slots=every_day())
    client.force_login(staff)
    page = act(client, "dial", line=national_line.pk, caller="+447400123456")
    assert "+44 7400 123456 → +33 1 99 00 00 00" in page  # numbers written for humans
    assert 'name="words"' not in page  # the language question takes keys only
    act(client, "wait")
    page = act(client, "wait")  # English, from the country code
    assert 'name="words"' in page  # the topic question listens
    page = act(client, "say", words="I'd love to talk about wine", confidence="0.9")
    assert "(said “I&#x27;d love to talk about wine”, confidence 0.90)" in page
    page = act(client, "say", words="Bordeaux", confidence="")  # no confidence: confirm
    assert "(said “Bordeaux”, no confidence)" in page
    assert "Did you say Bordeaux? Press 1 for yes, 2 to choose again." in page
    assert 'name="words"' not in page  # the confirmation takes a key
    page = act(client, "1")
    assert "Ringing: Lou" in page
    call = Call.objects.get()
    assert call.motive is not None and call.motive.code == "food-and-wine"
    assert call.region is not None and call.region.code == "nouvelle-aquitaine"
    assert "No local has accepted yet" in page
    page = act(client, "accept")
    assert "Time to a human:" in page


def test_each_rehearsed_call_shows_its_time_to_a_human(client, staff, national_line):
    make_ambassador("lou@example.com", name="Lou", languages=("en",), slots=every_day())
    client.force_login(staff)
    for answer in ("accept", "no_answer"):
        act(client, "dial", line=national_line.pk, caller="+447400123456")
        for key in ("1", "0", "0"):
            act(client, key)
        act(client, answer)
        act(client, "reset")
    page = client.get("/calls/simulator/").text
    assert "Recent rehearsals" in page
    answered, missed = Call.objects.order_by("received_at")
    assert answered.time_to_human is not None and missed.time_to_human is None
    rows = page.split('<table class="table rehearsals">')[1]
    assert rows.index(missed.reference) < rows.index(answered.reference)  # newest first
    assert f"{answered.time_to_human} s" in rows
