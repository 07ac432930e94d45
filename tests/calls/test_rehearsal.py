"""Rehearsals never touch real people or the ledger (issue 11, hole 1).

The simulators used to sign with Twilio's own token, so what a manager typed there was taken for
real traffic: a text to a real tourist "from" their volunteer, a STOP that opted a real tourist
out, a four-hour call that earned a volunteer points. Each attack is replayed here.
"""

from __future__ import annotations

import re

import pytest
from django.test import override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from ambassadors.models import PointsAward
from calls.models import (
    Call,
    CallAttempt,
    CallStatus,
    Conversation,
    ConversationStatus,
    Message,
    MessageStatus,
    OptOut,
)
from calls.sms import outbox
from calls.telephony import locmem
from calls.telephony.twilio import TwilioBackend
from calls.twilio.webhooks import REHEARSAL_HEADER, sign, sign_rehearsal, signing_token
from calls.twilio.webhooks import rehearsal_key as the_rehearsal_key
from concierge.lib import telephony
from concierge.lib.pseudonyms import number_hash
from concierge.models import Membership, OfficeNetwork, Role, TouristOffice

from ..factories import every_day, make_ambassador, make_user
from .test_webhook_security import webhook_paths
from .twilio import phone, signed_post, text

pytestmark = pytest.mark.django_db

LINE = "+33199000000"
GERMAN = "+4915112345678"


@pytest.fixture
def alps(db):
    return OfficeNetwork.objects.create(name="Alps")


@pytest.fixture
def manager(alps):
    """The manager of a tourist office of the Alps network."""
    user = make_user("manager@example.com")
    office = TouristOffice.objects.create(name="Annecy", network=alps)
    Membership.objects.create(user=user, network=alps, office=office, role=Role.MANAGER)
    return user


@pytest.fixture
def line(national_line, alps):
    """The national line, open to the Alps network's rehearsals."""
    national_line.rehearsal_networks.add(alps)
    return national_line


@pytest.fixture
def carla(db):
    return make_ambassador("carla@example.com", name="Carla", languages=("en",), slots=every_day())


@pytest.fixture
def twilio_backend():
    """The real Twilio backend (its client never called: nothing may reach it)."""
    telephony._load.cache_clear()
    with override_settings(
        TELEPHONY_BACKEND="calls.telephony.twilio.TwilioBackend",
        TWILIO_ACCOUNT_SID="AC" + "0" * 32,
        TWILIO_AUTH_TOKEN="the-real-token",
    ):
        yield
    telephony._load.cache_clear()


@pytest.fixture
def real(client, django_capture_on_commit_callbacks):
    """Real traffic: texts signed with Twilio's token, what they cause sent after commit."""

    def send(from_: str, body: str) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            text(client, from_, body)

    return send


def simulate(client, url: str, captured, **data: object) -> None:
    with captured(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302, response.status_code


@pytest.fixture
def sms_simulator(client, manager, line, django_capture_on_commit_callbacks):
    """The SMS simulator in the manager's hands: ``(tourist, local, action, body)``."""
    client.force_login(manager)

    def act(*, tourist: str = GERMAN, local=None, action: str, body: str = "") -> None:
        url = "/calls/simulator/sms/"
        captured = django_capture_on_commit_callbacks
        phones = {"line": line.pk, "tourist": tourist, "local": local.pk if local else ""}
        simulate(client, url, captured, action="phones", **phones)
        simulate(client, url, captured, action=action, body=body)

    return act


def call_simulator(client, action: str, **extra: object) -> None:
    response = client.post("/calls/simulator/", {"action": action, **extra})
    assert response.status_code == 302


def inbox(number: str) -> list[str]:
    return [sms.body for sms in locmem.outbox if sms.to == number]


# --- The attacks -------------------------------------------------------------------------------


def test_a_rehearsed_four_hour_call_earns_no_points(client, manager, line, carla):
    client.force_login(manager)
    call_simulator(client, "dial", line=line.pk, caller=GERMAN)
    for key in ("3", "1", "0"):
        call_simulator(client, key)
    call_simulator(client, "accept")
    call_simulator(client, "hang_up", seconds=str(4 * 3600))
    call = Call.objects.get()
    assert (call.status, call.duration, call.responder) == (CallStatus.COMPLETED, 14400, carla)
    assert call.is_rehearsal
    assert not PointsAward.objects.exists()


def test_a_rehearsal_cannot_text_a_real_tourist_as_their_local(real, sms_simulator, line, carla):
    real(GERMAN, "Hello, where can I eat in Lyon?")
    conversation = Conversation.objects.get()
    assert conversation.responder == carla and not conversation.is_rehearsal
    before = len(inbox(GERMAN))

    sms_simulator(local=carla, action="local", body="Call me on my private number")

    assert inbox(GERMAN)[before:] == []
    assert not Message.objects.filter(to_number=GERMAN, body__contains="private").exists()
    conversation.refresh_from_db()
    assert conversation.first_reply_at is None
    assert not PointsAward.objects.exists()


def test_a_rehearsed_stop_never_opts_a_real_tourist_out(real, sms_simulator, line, carla):
    real(GERMAN, "Hello, where can I eat in Lyon?")
    sms_simulator(tourist=GERMAN, action="tourist", body="STOP")

    assert not OptOut.objects.filter(number_hash=number_hash(GERMAN), is_rehearsal=False).exists()
    assert Conversation.objects.get(is_rehearsal=False).status == ConversationStatus.OPEN
    real(carla.phone_number.as_e164, "Try the Halles!")
    assert inbox(GERMAN)[-1] == "Try the Halles!"
    assert OptOut.objects.filter(number_hash=number_hash(GERMAN), is_rehearsal=True).exists()


def test_a_rehearsed_stop_works_within_the_rehearsal(sms_simulator, carla):
    sms_simulator(action="tourist", body="Hello, where can I eat in Lyon?")
    assert Conversation.objects.get().status == ConversationStatus.OPEN
    sms_simulator(action="tourist", body="STOP")
    assert Conversation.objects.get().status == ConversationStatus.CLOSED
    sms_simulator(action="tourist", body="Hello again")  # opted out of rehearsals: nothing opens
    assert Conversation.objects.count() == 1
    sms_simulator(action="tourist", body="START")
    assert not OptOut.objects.exists()


def test_a_rehearsed_tourist_never_joins_a_real_conversation(real, sms_simulator, client, carla):
    real(GERMAN, "Hello, where can I eat in Lyon?")
    before = len(inbox(carla.phone_number.as_e164))

    sms_simulator(tourist=GERMAN, action="tourist", body="Rehearsing: hello")

    real_one, rehearsal = Conversation.objects.order_by("is_rehearsal")
    assert not real_one.is_rehearsal and rehearsal.is_rehearsal
    assert not real_one.messages.filter(body__contains="Rehearsing").exists()
    relayed = inbox(carla.phone_number.as_e164)[before:]
    assert all("where can I eat" not in body for body in relayed)
    page = client.get("/calls/simulator/sms/").text  # the real tourist's texts stay private
    assert "where can I eat" not in page
    assert "Rehearsing: hello" in page


def test_rehearsed_missed_calls_never_pause_a_volunteer(client, manager, line, carla):
    client.force_login(manager)
    for _ in range(3):
        call_simulator(client, "dial", line=line.pk, caller=GERMAN)
        for key in ("3", "1", "0"):
            call_simulator(client, key)
        call_simulator(client, "no_answer")
        call_simulator(client, "reset")
    carla.refresh_from_db()
    assert CallAttempt.objects.filter(ambassador=carla).count() == 3
    assert carla.auto_paused_at is None
    assert inbox(carla.phone_number.as_e164) == []


def test_rehearsals_and_real_calls_never_count_against_each_other(client, manager, line, settings):
    settings.CALL_RATE_LIMIT_PER_HOUR = 1
    client.force_login(manager)
    call_simulator(client, "dial", line=line.pk, caller=GERMAN)
    phone(client, from_=GERMAN).dial()
    assert Call.objects.get(is_rehearsal=False).status != CallStatus.REFUSED


# --- Marked, and left out of what volunteers see -----------------------------------------------


def test_every_rehearsal_is_marked_and_real_traffic_is_not(real, sms_simulator, client, carla):
    real(GERMAN, "A real text")
    phone(client, from_=GERMAN).dial()
    sms_simulator(tourist="+447400123456", action="tourist", body="A rehearsed text")
    assert list(Conversation.objects.values_list("is_rehearsal", flat=True).order_by("pk")) == [
        False,
        True,
    ]
    assert not Call.objects.get().is_rehearsal
    assert Message.objects.filter(is_rehearsal=True).exists()
    assert not Message.objects.filter(is_rehearsal=True, conversation__is_rehearsal=False).exists()


def test_volunteers_never_see_rehearsals(client, manager, line, carla, sms_simulator):
    client.force_login(manager)
    call_simulator(client, "dial", line=line.pk, caller=GERMAN)
    for action in ("3", "1", "0", "accept"):
        call_simulator(client, action)
    call_simulator(client, "hang_up", seconds="125")
    sms_simulator(action="tourist", body="Hello, where can I eat in Lyon?")
    call, conversation = Call.objects.get(), Conversation.objects.get()
    assert call.responder == carla and conversation.responder == carla

    client.force_login(carla.user)
    assert call.reference not in client.get("/calls/history/").text
    assert "Food and wine" not in client.get("/portal/").text
    assert client.get(f"/calls/history/{call.public_id}/report/").status_code == 404
    assert str(conversation.public_id) not in client.get("/calls/conversations/").text
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=carla.user).key}")
    assert api.get("/api/v1/me/calls/").json()["count"] == 0
    assert api.get("/api/v1/me/conversations/").json()["count"] == 0


def test_staff_see_and_filter_rehearsals_in_the_admin(client, staff, manager, line, carla):
    client.force_login(manager)
    call_simulator(client, "dial", line=line.pk, caller=GERMAN)
    client.force_login(staff)
    for url in ("/admin/calls/call/", "/admin/calls/conversation/", "/admin/calls/optout/"):
        page = client.get(url + "?is_rehearsal__exact=1")
        assert page.status_code == 200
        assert "By rehearsal" in page.text
    calls = client.get("/admin/calls/call/?is_rehearsal__exact=1").text
    assert "1 call" in calls and "column-is_rehearsal" in calls
    assert "0 calls" in client.get("/admin/calls/call/?is_rehearsal__exact=0").text
    line_page = client.get(f"/admin/calls/phoneline/{line.pk}/change/").text
    assert "Networks that may rehearse" in line_page


# --- Signatures: a rehearsal never passes for Twilio, and never runs beside real phones ---------


def test_the_rehearsal_key_is_never_twilios_token(settings):
    assert the_rehearsal_key() != signing_token()
    settings.TWILIO_AUTH_TOKEN = "the-real-token"
    assert the_rehearsal_key() != signing_token()
    assert "the-real-token" not in the_rehearsal_key()


@pytest.mark.parametrize("path", webhook_paths())
def test_no_webhook_takes_a_rehearsal_key_for_twilios(client, path):
    params = {"CallSid": "CA123", "From": GERMAN, "To": LINE}
    url = "https://concierge.test" + path
    as_twilio = sign_rehearsal(url, params)
    assert client.post(path, params, HTTP_X_TWILIO_SIGNATURE=as_twilio).status_code == 403
    forged = sign(url, params)  # Twilio's key in the rehearsal header is no rehearsal either
    assert client.post(path, params, headers={REHEARSAL_HEADER: forged}).status_code == 403


def test_a_rehearsal_signature_is_refused_beside_real_phones(client, national_line, twilio_backend):
    params = {"CallSid": "CA123", "From": GERMAN, "To": LINE, "CallStatus": "ringing"}
    signature = sign_rehearsal("https://concierge.test/calls/voice/incoming/", params)
    response = client.post("/calls/voice/incoming/", params, headers={REHEARSAL_HEADER: signature})
    assert response.status_code == 403
    assert not Call.objects.exists()
    # Twilio's own requests still pass.
    assert signed_post(client, "/calls/voice/incoming/", params).status_code == 200


def test_a_rehearsal_text_is_never_handed_to_real_phones(line, twilio_backend, monkeypatch):
    sent = []
    monkeypatch.setattr(TwilioBackend, "send_sms", lambda self, **sms: sent.append(sms))
    message = Message.objects.create(
        direction="out",
        author="system",
        from_number=LINE,
        to_number=GERMAN,
        body="Rehearsal",
        status=MessageStatus.PENDING,
        is_rehearsal=True,
    )
    assert not outbox.message_send(message_id=message.pk)
    assert sent == []
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED


def test_the_sms_simulator_shows_who_wrote_each_message(client, sms_simulator, carla):
    sms_simulator(local=carla, action="tourist", body="Hello, where can I eat in Lyon?")
    sms_simulator(local=carla, action="local", body="Try the Halles!")
    page = client.get("/calls/simulator/sms/").text
    metas = [
        " ".join(m.split()) for m in re.findall(r'<span class="sms-meta">(.*?)</span>', page, re.S)
    ]
    who = [meta.split(" · ")[0] for meta in metas]
    # The tourist's phone: their text, the service's confirmation, Carla's reply. Carla's phone:
    # the tourist's relayed text, then her own.
    assert who[:3] == ["You", "Destination Concierge", "Carla"]
    assert who[3:] == ["Tourist", "You"]
