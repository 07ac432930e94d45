"""During a rota shift the line rings the advisor on duty before any volunteer, with the same
press-to-accept whisper; advisors earn no points; two calls never ring one advisor."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time

import pytest
import time_machine
from django.test import Client

from ambassadors.models import PointsEntry
from calls.models import Call, CallAttempt, PhoneLine
from concierge import rotas
from concierge.models import (
    Assignment,
    Membership,
    OfficeNetwork,
    Region,
    Role,
    RotaRule,
    Shift,
    TouristOffice,
)

from ..calls.twilio import phone, signed_post
from ..concurrency import at_once
from ..factories import every_day, make_ambassador, make_user

FRIDAY_EVENING = datetime(2026, 6, 5, 19, 30, tzinfo=UTC).replace(hour=17)  # 19:30 in Paris
ADVISOR_PHONE = "+33612349901"


def on_duty_network(*, advisors: int = 1) -> list[Membership]:
    network = OfficeNetwork.objects.create(name="Paris evenings")
    network.regions.set(Region.objects.filter(code="ile-de-france"))
    office = TouristOffice.objects.create(name="Nice", network=network)
    RotaRule.objects.create(
        network=network,
        name="Weekdays",
        weekdays="MO,TU,WE,TH,FR",
        start_time=time(18),
        end_time=time(22),
        starts_on=date(2026, 1, 1),
    )
    rotas.rota_expand(network=network, start=date(2026, 6, 5), end=date(2026, 6, 5))
    shift = Shift.objects.get()
    members = []
    for n in range(advisors):
        member = Membership.objects.create(
            user=make_user(f"advisor{n}@example.com", first_name=f"Ana{n}"),
            network=network,
            office=office,
            role=Role.ADVISOR,
            phone_number=f"+336123499{n:02d}",
            phone_verified_at=datetime(2026, 1, 1, tzinfo=UTC),
        )
        Assignment.objects.create(shift=shift, membership=member)
        members.append(member)
    return members


def paris_call(client):
    # English (1), any topic (0), Île-de-France: its position in the region menu.
    regions = list(Region.objects.filter(is_active=True)[:9])
    key = str(next(n for n, r in enumerate(regions, 1) if r.code == "ile-de-france"))
    return phone(client).dial().press("1").press("0").press(key)


def test_the_advisor_on_duty_is_rung_first_then_a_volunteer(client, national_line, alice):
    (advisor,) = on_duty_network()
    with time_machine.travel(FRIDAY_EVENING, tick=False):
        tourist = paris_call(client)
        assert tourist.rung().number == str(advisor.phone_number)
        assert tourist.rung().caller_id == "+33199000000"  # never the tourist's number
        tourist.answer("2")  # the advisor declines
        assert tourist.rung().number == str(alice.phone_number)
    attempts = list(CallAttempt.objects.order_by("order"))
    assert (attempts[0].advisor, attempts[1].ambassador) == (advisor, alice)


def test_an_advisor_who_answers_takes_the_call_and_earns_no_points(
    client, national_line, alice, django_capture_on_commit_callbacks
):
    (advisor,) = on_duty_network()
    with time_machine.travel(FRIDAY_EVENING, tick=False):
        tourist = paris_call(client)
        with django_capture_on_commit_callbacks(execute=True):
            tourist.answer("1").hang_up(after=600)
    call = Call.objects.get()
    assert (call.status, call.advisor, call.responder) == ("completed", advisor, None)
    assert not PointsEntry.objects.exists()
    assert tourist.whispered  # the same whisper: country and topic, press 1


def test_outside_the_shift_or_the_region_volunteers_answer(client, national_line, alice):
    on_duty_network()
    with time_machine.travel(FRIDAY_EVENING.replace(hour=21), tick=False):  # 23:00 in Paris
        late = paris_call(client)
        assert late.rung().number == str(alice.phone_number)
        late.hang_up(after=0)  # Alice is free again
    with time_machine.travel(FRIDAY_EVENING, tick=False):
        elsewhere = phone(client, from_="+4915112345679").dial().press("1").press("0").press("1")
        assert elsewhere.rung().number == str(alice.phone_number)


def test_the_simulator_shows_a_call_reaching_the_advisor_on_duty(client, national_line):
    on_duty_network()
    client.force_login(make_user("boss@example.com", is_staff=True, is_superuser=True))
    with time_machine.travel(FRIDAY_EVENING, tick=False):
        client.post("/calls/simulator/", {"action": "dial", "line": national_line.pk,
                                          "caller": "+4915112345678"})  # fmt: skip
        for key in ("1", "0"):
            client.post("/calls/simulator/", {"action": key})
        regions = list(Region.objects.filter(is_active=True)[:9])
        key = str(next(n for n, r in enumerate(regions, 1) if r.code == "ile-de-france"))
        client.post("/calls/simulator/", {"action": key})
        page = client.get("/calls/simulator/").text
    assert "Ringing: Ana0, advisor on duty at Nice" in page
    assert ADVISOR_PHONE[1:] not in page.replace(" ", "")


@pytest.mark.django_db(transaction=True)
def test_two_calls_at_once_never_ring_the_same_advisor(postgres):
    import importlib

    from django.apps import apps

    importlib.import_module("concierge.migrations.0002_default_regions_and_motives").add_defaults(
        apps, None
    )
    line = PhoneLine.objects.create(number="+33199000000", label="National", ring_group_size=1)
    on_duty_network(advisors=1)
    for n in range(3):
        make_ambassador(f"v{n}@example.com", name=f"V{n}", slots=every_day())
    paris = Region.objects.get(code="ile-de-france")
    calls = [
        Call.objects.create(
            sid=f"CA{uuid.uuid4().hex}",
            line=line,
            caller_number=f"+4915100000{n:03d}",
            language="en",
            region=paris,
        )
        for n in range(4)
    ]
    with time_machine.travel(FRIDAY_EVENING, tick=False):
        answers = at_once(
            *(
                (
                    lambda c=call: signed_post(
                        Client(), f"/calls/voice/{c.public_id}/connect/", {"CallSid": c.sid}
                    ).content.decode()
                )
                for call in calls
            )
        )
    assert all("<Dial" in answer for answer in answers)
    assert CallAttempt.objects.filter(advisor__isnull=False).count() == 1
    assert len({(a.advisor_id, a.ambassador_id) for a in CallAttempt.objects.all()}) == 4


def test_texts_go_to_the_advisor_on_duty_who_answers_from_their_phone(
    client, national_line, alice, django_capture_on_commit_callbacks
):
    from calls.models import Conversation
    from calls.telephony import locmem

    from ..calls.twilio import text

    (advisor,) = on_duty_network()
    tourist = "+4915112345678"
    with time_machine.travel(FRIDAY_EVENING, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            text(client, tourist, "Hello! Is the Louvre open tonight?")
        conversation = Conversation.objects.get()
        assert (conversation.advisor, conversation.responder) == (advisor, None)
        relayed = [m.body for m in locmem.outbox if m.to == str(advisor.phone_number)]
        # The advisor works in French: the country is named in French.
        assert relayed == [f"[#{conversation.code} Allemagne] Hello! Is the Louvre open tonight?"]
        assert "vom diensthabenden Tourismusbüro" in locmem.outbox[-1].body
        with django_capture_on_commit_callbacks(execute=True):
            text(client, str(advisor.phone_number), "Yes, until 21:45 on Fridays!")
        assert locmem.outbox[-1].to == tourist
        assert locmem.outbox[-1].body == "Yes, until 21:45 on Fridays!"
        with django_capture_on_commit_callbacks(execute=True):
            text(client, str(advisor.phone_number), f"#{conversation.code} END")
        assert f"[#{conversation.code}] Fermée. Merci !" in [
            m.body for m in locmem.outbox if m.to == str(advisor.phone_number)
        ]
    conversation.refresh_from_db()
    assert conversation.status == "closed"
    assert not PointsEntry.objects.exists()  # advisors earn no points
    assert all(tourist[1:] not in m.body for m in locmem.outbox if m.to != tourist)
