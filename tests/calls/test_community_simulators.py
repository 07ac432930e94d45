"""Staff rehearse a community request in both simulators (issue 16, item 4): a key or a
phrase in the call simulator, a keyword in the SMS simulator; each shows what was asked for."""

from __future__ import annotations

import pytest

from ambassadors.models import CommunityMembership, MembershipStatus
from calls.models import Call, Conversation
from concierge.models import Community

from ..factories import every_day, make_ambassador

pytestmark = pytest.mark.django_db


@pytest.fixture
def hana(db):
    """Hana hikes and speaks German too (the SMS simulator's tourist is German); Kit is in no
    community."""
    make_ambassador("kit@example.com", name="Kit", languages=("en",), slots=every_day())
    hana = make_ambassador(
        "hana@example.com", name="Hana", languages=("en", "de"), slots=every_day()
    )
    CommunityMembership.objects.create(
        ambassador=hana,
        community=Community.objects.get(code="hikers"),
        status=MembershipStatus.APPROVED,
    )
    return hana


def act(client, action, **extra):
    response = client.post("/calls/simulator/", {"action": action, **extra})
    assert response.status_code == 302
    return client.get("/calls/simulator/").text


def test_the_call_simulator_rehearses_a_community_chosen_by_key(client, staff, national_line, hana):
    client.force_login(staff)
    act(client, "dial", line=national_line.pk, caller="+447400123456")
    act(client, "wait")
    act(client, "wait")  # English, from the country code
    page = act(client, "2")  # food and wine
    assert "For Hikers and walkers, press 1." in page
    act(client, "1")
    page = act(client, "0")  # anywhere
    assert "Ringing: Hana" in page
    assert "Community asked for: Hikers and walkers" in page
    page = act(client, "accept")
    assert "This tourist asked for a local from: Hikers and walkers." in page  # the whisper
    assert (
        Call.objects.get(is_rehearsal=True).community == hana.community_memberships.get().community
    )


def test_the_call_simulator_rehearses_a_community_said(client, staff, national_line, hana):
    client.force_login(staff)
    act(client, "dial", line=national_line.pk, caller="+447400123456")
    act(client, "wait")
    act(client, "wait")
    act(client, "say", words="We love hiking", confidence="0.9")  # a topic and a community
    page = act(client, "0")  # anywhere
    assert "Community asked for: Hikers and walkers" in page
    assert "Ringing: Hana" in page


def test_the_sms_simulator_rehearses_a_community_keyword(
    client, staff, national_line, hana, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    assert "name it in the first text" in client.get("/calls/simulator/sms/").text
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/calls/simulator/sms/", {"action": "tourist", "body": "HIKERS near Annecy?"})
    conversation = Conversation.objects.get(is_rehearsal=True)
    assert conversation.responder == hana
    page = client.get("/calls/simulator/sms/").text
    assert "Community asked for: Hikers and walkers" in page
    assert "Germany, Hikers and walkers] HIKERS near Annecy?" in page  # Hana's first text
