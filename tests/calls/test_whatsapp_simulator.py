"""The SMS simulator plays a WhatsApp tourist: a channel switch on the tourist's phone, the same
signed webhook with ``whatsapp:`` addresses, photos included; a rehearsal all the same."""

from __future__ import annotations

import pytest

from calls.models import Conversation, ConversationChannel, Message

from ..factories import every_day, make_ambassador
from .conftest import SIMULATED_TOURIST, SMS_SIMULATOR_URL

pytestmark = pytest.mark.django_db

URL = SMS_SIMULATOR_URL


@pytest.fixture
def simulator(sms_simulator):
    return sms_simulator("whatsapp")


def test_staff_rehearse_a_whatsapp_tourist(client, simulator):
    carla = make_ambassador("carla@example.com", name="Carla", slots=every_day())

    simulator(action="photo", body="")
    page = client.get(URL).content.decode()
    assert "The tourist's phone, on WhatsApp" in page
    assert "nur geschriebene Nachrichten" in page  # the photo's answer, in German, on the phone

    simulator(action="tourist", body="Hello! Any jazz tonight?")
    conversation = Conversation.objects.get()
    assert conversation.channel == ConversationChannel.WHATSAPP and conversation.is_rehearsal
    assert conversation.responder == carla
    simulator(action="local", body="Try the Caveau de la Huchette!")

    page = client.get(URL).content.decode()
    assert "Try the Caveau de la Huchette!" in page  # on the WhatsApp phone's thread
    reply = Message.objects.get(body="Try the Caveau de la Huchette!", direction="out")
    assert reply.to_number == f"whatsapp:{SIMULATED_TOURIST}" and reply.is_rehearsal
    assert reply.from_number == "whatsapp:+33199000000"


def test_the_sms_phone_stays_the_default(client, staff, national_line):
    client.force_login(staff)
    page = client.get(URL).content.decode()
    assert "The tourist's phone, on WhatsApp" not in page
    assert 'value="sms"' in page and "checked" in page
