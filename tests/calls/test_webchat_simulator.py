"""The SMS simulator plays a web-chat visitor: a "web chat" channel that makes a visitor of the
line's web chat through its services and shows the panel's thread; the local answers from the
simulator's phone. A rehearsal like every text of the simulator: marked, on no real phone."""

from __future__ import annotations

import pytest

from calls.models import Conversation, ConversationChannel, Message, WebChat, WebVisitor

from ..factories import every_day, make_ambassador
from .conftest import SMS_SIMULATOR_URL

pytestmark = pytest.mark.django_db

URL = SMS_SIMULATOR_URL


@pytest.fixture
def simulator(sms_simulator):
    return sms_simulator("web")


def test_staff_rehearse_a_web_chat_visitor(client, simulator, national_line):
    WebChat.objects.create(key="lyon", name="Lyon Tourisme", line=national_line)
    carla = make_ambassador(
        "carla@example.com", name="Carla", languages=("en", "de"), slots=every_day()
    )
    page = client.get(URL).content.decode()
    assert "The visitor's web chat panel" in page and "Lyon Tourisme" in page

    simulator(action="tourist", body="Hallo! Where can I hear jazz tonight?")
    conversation = Conversation.objects.get()
    assert conversation.channel == ConversationChannel.WEB and conversation.is_rehearsal
    assert conversation.responder == carla
    assert conversation.language == "de"  # from the simulated tourist's German number
    assert WebVisitor.objects.get().conversation == conversation

    page = client.get(URL).content.decode()
    assert "Carla, ehrenamtlich und von hier, ist für Sie da" in page  # on the visitor's panel
    assert f"[#{conversation.code} web chat] Hallo! Where can I hear jazz tonight?" in page

    simulator(action="local", body="Try the Caveau de la Huchette!")
    simulator(action="tourist", body="Danke!")
    assert Conversation.objects.count() == 1  # the second message joins the conversation
    page = client.get(URL).content.decode()
    assert "Try the Caveau de la Huchette!" in page and "Danke!" in page
    assert not Message.objects.filter(is_rehearsal=False).exists()


def test_without_a_web_chat_on_the_line_staff_are_told_what_to_do(client, simulator):
    simulator(action="tourist", body="Hello")
    page = client.get(URL).content.decode()
    assert "This line has no web chat: add one in the admin" in page
    assert not Conversation.objects.exists()
