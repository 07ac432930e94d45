"""An advisor on duty answers like a volunteer: a text handed to them shows in their list, their
thread and the API, they reply on the web; a call they answered is in their history. Each
conversation stays its holder's: an advisor of another network, or a volunteer, gets a 404
(issue 13, item 2)."""

from __future__ import annotations

import pytest
import time_machine
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from ambassadors.models import Ambassador
from calls.models import Call, CallStatus, Conversation, MessageAuthor
from calls.telephony import locmem
from concierge.models import Membership, OfficeNetwork, Role, TouristOffice

from ..factories import make_ambassador, make_user
from ..rotas.test_on_duty_calls import FRIDAY_EVENING, on_duty_network
from .twilio import text

pytestmark = pytest.mark.django_db

TOURIST = "+4915112345678"


@pytest.fixture
def handed(client, national_line, django_capture_on_commit_callbacks):
    """A tourist texts during Ana's shift: the conversation is hers."""
    with time_machine.travel(FRIDAY_EVENING, tick=False):
        (ana,) = on_duty_network(advisors=1)
        with django_capture_on_commit_callbacks(execute=True):
            text(client, TOURIST, "Hello! Where can we eat late near the Louvre?")
    conversation = Conversation.objects.get()
    assert conversation.advisor == ana
    return ana, conversation


def api_as(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return api


def test_the_advisor_reads_and_answers_on_the_web(
    client, handed, django_capture_on_commit_callbacks
):
    ana, conversation = handed
    client.force_login(ana.user)
    listed = client.get("/calls/conversations/").text
    assert f"#{conversation.code}" in listed
    assert "No text conversations yet" not in listed
    url = f"/calls/conversations/{conversation.public_id}/"
    thread = client.get(url).text
    assert "Where can we eat late near the Louvre?" in thread
    assert TOURIST not in thread and "15112345678" not in thread
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url, {"text": "Try the bistro on rue de Rivoli."}, follow=True)
    assert "Sent." in sent.text
    reply = conversation.messages.get(author=MessageAuthor.LOCAL)
    assert reply.written_by_advisor == ana
    assert any(m.to == TOURIST and "bistro on rue de Rivoli" in m.body for m in locmem.outbox)
    assert "You" in client.get(url).text  # her own reply, as hers
    assert not Ambassador.objects.filter(user=ana.user).exists()


def test_the_api_lists_and_answers_the_advisors_conversations(
    handed, django_capture_on_commit_callbacks
):
    ana, conversation = handed
    api = api_as(ana.user)
    listed = api.get("/api/v1/me/conversations/").json()
    assert [c["id"] for c in listed["results"]] == [str(conversation.public_id)]
    with django_capture_on_commit_callbacks(execute=True):
        answer = api.post(
            f"/api/v1/me/conversations/{conversation.public_id}/messages/", {"text": "Bonsoir!"}
        )
    assert answer.status_code == 201
    assert answer.json()["by"] == "you"
    detail = api.get(f"/api/v1/me/conversations/{conversation.public_id}/").json()
    assert [m["by"] for m in detail["messages"] if m["author"] == "local"] == ["you"]
    assert api.post(f"/api/v1/me/conversations/{conversation.public_id}/end/").status_code == 200


def test_nobody_else_reads_the_advisors_thread(client, handed):
    _ana, conversation = handed
    elsewhere = OfficeNetwork.objects.create(name="Alps evenings")
    office = TouristOffice.objects.create(name="Annecy", network=elsewhere)
    other_advisor = Membership.objects.create(
        user=make_user("bea@example.com"), network=elsewhere, office=office, role=Role.ADVISOR
    )
    volunteer = make_ambassador("vic@example.com", name="Vic")
    url = f"/calls/conversations/{conversation.public_id}/"
    api_url = f"/api/v1/me/conversations/{conversation.public_id}/"
    for user in (other_advisor.user, volunteer.user):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"text": "Hi"}).status_code == 404
        assert f"#{conversation.code}" not in client.get("/calls/conversations/").text
        assert api_as(user).get(api_url).status_code == 404
    assert not conversation.messages.filter(author=MessageAuthor.LOCAL).exists()


def test_a_call_the_advisor_answered_is_in_their_history(client, national_line):
    with time_machine.travel(FRIDAY_EVENING, tick=False):
        (ana,) = on_duty_network(advisors=1)
    call = Call.objects.create(
        sid="CA" + "b" * 32,
        line=national_line,
        caller_number=TOURIST,
        status=CallStatus.COMPLETED,
        advisor=ana,
        duration=161,
        answered_at=FRIDAY_EVENING,
    )
    client.force_login(ana.user)
    history = client.get("/calls/history/").text
    assert call.reference in history and "2:41" in history
    assert "No calls yet." not in history
    assert f"/calls/history/{call.public_id}/report/" not in history  # volunteers report
    calls = api_as(ana.user).get("/api/v1/me/calls/").json()["results"]
    assert [c["id"] for c in calls] == [str(call.public_id)]


def test_the_sms_simulator_plays_the_advisors_phone(
    client, national_line, django_capture_on_commit_callbacks
):
    """Staff rehearse an evening: a tourist's text goes to the advisor on duty, and the page
    shows the advisor's phone and answers from it."""
    with time_machine.travel(FRIDAY_EVENING, tick=False):
        (ana,) = on_duty_network(advisors=1)
        client.force_login(make_user("boss@example.com", is_staff=True))
        page = client.get("/calls/simulator/sms/").text
        assert f'value="advisor:{ana.pk}"' in page  # the advisor's phone may be chosen
        assert str(ana.phone_number) not in page
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/calls/simulator/sms/", {"action": "tourist", "body": "Hello there"})
        conversation = Conversation.objects.get(is_rehearsal=True)
        assert conversation.advisor == ana
        page = client.get("/calls/simulator/sms/").text
        assert "Ana0&#x27;s phone" in page or "Ana0's phone" in page
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/calls/simulator/sms/", {"action": "local", "body": "Bonsoir, Ana here"})
        to_tourist = conversation.messages.filter(to_number=TOURIST, author=MessageAuthor.LOCAL)
        assert [m.body for m in to_tourist] == ["Bonsoir, Ana here"]
        assert to_tourist.get().written_by_advisor == ana
        # Choosing her phone explicitly works as well.
        chosen = client.post(
            "/calls/simulator/sms/",
            {
                "action": "phones",
                "line": national_line.pk,
                "tourist": TOURIST,
                "local": f"advisor:{ana.pk}",
            },
            follow=True,
        )
        assert "Send as Ana0" in chosen.text
