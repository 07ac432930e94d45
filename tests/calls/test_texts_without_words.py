"""A text with no words (an MMS photo, an empty SMS) disturbs no local: the tourist is asked, in
their language, to write words, as on WhatsApp; a caption is relayed as any text."""

from __future__ import annotations

import uuid

import pytest

from calls.models import Conversation
from calls.telephony import locmem

from ..factories import every_day, make_ambassador
from .twilio import signed_post

pytestmark = pytest.mark.django_db

GERMAN = "+4915112345678"


@pytest.fixture
def carla(db):
    return make_ambassador("carla@example.com", name="Carla", slots=every_day())


def mms(client, capture, body: str, *, media: int) -> None:
    sid = "MM" + uuid.uuid4().hex
    params = {"MessageSid": sid, "From": GERMAN, "To": "+33199000000", "Body": body}
    params["NumMedia"] = str(media)
    for n in range(media):
        params[f"MediaUrl{n}"] = f"https://api.twilio.com/2010-04-01/Accounts/AC/Media/ME{n}"
        params[f"MediaContentType{n}"] = "image/jpeg"
    with capture(execute=True):
        assert signed_post(client, "/calls/sms/incoming/", params).status_code == 200


@pytest.mark.parametrize("media", [1, 0])
def test_a_text_without_words_asks_for_words_and_rings_nobody(
    client, national_line, carla, django_capture_on_commit_callbacks, media
):
    mms(client, django_capture_on_commit_callbacks, "", media=media)
    (answer,) = [sms.body for sms in locmem.outbox if sms.to == GERMAN]
    assert "nur geschriebene Nachrichten" in answer
    assert not Conversation.objects.exists()
    assert not [sms for sms in locmem.outbox if sms.to == carla.phone_number.as_e164]


def test_an_mms_caption_still_reaches_a_local(
    client, national_line, carla, django_capture_on_commit_callbacks
):
    mms(client, django_capture_on_commit_callbacks, "Which bridge is this?", media=1)
    conversation = Conversation.objects.get()
    to_carla = [sms.body for sms in locmem.outbox if sms.to == carla.phone_number.as_e164]
    assert len(to_carla) == 1 and to_carla[0].startswith(f"[#{conversation.code} ")
    assert to_carla[0].endswith("] Which bridge is this?")
