"""Premium lines: recorded after the notice, a private replay link, and retention."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from calls.models import Call, Recording
from calls.tasks import delete_old_recordings
from calls.telephony import locmem
from tests.text import found

from ..factories import every_day, make_ambassador
from .twilio import phone, signed_post

pytestmark = pytest.mark.django_db

TOURIST = "+447911123456"


@pytest.fixture
def recorded_call(client, premium_line, django_capture_on_commit_callbacks):
    make_ambassador("rec@example.com", name="Rec", slots=every_day())
    tourist = phone(client, to="+33199000001", from_=TOURIST).dial()
    assert "This call may be recorded." in tourist.said
    tourist.press("1").press("1").press("0")
    assert tourist.state == "ringing"
    tourist.answer("1").hang_up(after=200)
    call = Call.objects.get()
    params = {
        "CallSid": call.sid,
        "RecordingSid": "RE" + "1" * 32,
        "RecordingUrl": "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1",
        "RecordingStatus": "completed",
        "RecordingDuration": "198",
    }
    with django_capture_on_commit_callbacks(execute=True):
        signed_post(client, "/calls/voice/recording/", params)
        signed_post(client, "/calls/voice/recording/", params)  # Twilio retries
    return call


def replay_link() -> str:
    texts = [sms.body for sms in locmem.outbox if sms.to == TOURIST]
    assert len(texts) == 1
    return found(r"https://concierge\.test(/calls/replay/\S+/)", texts[0], 1)


def test_the_dial_records_from_answer_on_premium_lines_only(client, premium_line, national_line):
    make_ambassador("rec@example.com", name="Rec", slots=every_day())
    for number, recorded in (("+33199000001", True), ("+33199000000", False)):
        tourist = phone(client, to=number, from_=TOURIST).dial()
        while tourist.state == "menu":
            tourist.press("0" if tourist.said[-1].endswith("press 0.") else "1")
        call = Call.objects.get(sid=tourist.sid)
        dial = signed_post(client, f"/calls/voice/{call.public_id}/connect/", tourist.params())
        assert ('record="record-from-answer-dual"' in dial.content.decode()) is recorded
        tourist.no_answer()


def test_the_tourist_gets_one_private_link_that_plays(client, recorded_call):
    assert Recording.objects.count() == 1
    link = replay_link()
    page = client.get(link)
    assert page.status_code == 200
    assert "<audio" in page.text
    audio = client.get(link + "audio/")
    assert audio["Content-Type"] == "audio/wav"
    assert audio.content.startswith(b"RIFF")


def test_the_link_expires_after_seven_days(client, recorded_call):
    link = replay_link()
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        assert client.get(link).status_code == 404
        assert client.get(link + "audio/").status_code == 404


def test_a_forged_link_is_refused(client, recorded_call):
    link = replay_link()
    assert client.get(link.replace("/replay/", "/replay/x")).status_code == 404
    assert client.get("/calls/replay/1:abc:def/").status_code == 404


def test_recordings_are_deleted_after_the_retention_period(client, recorded_call):
    link = replay_link()
    with time_machine.travel(timezone.now() + timedelta(days=29)):
        assert delete_old_recordings() == 0
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        assert delete_old_recordings() == 1
        assert delete_old_recordings() == 0
    recording = Recording.objects.get()
    assert recording.deleted_at is not None
    assert recording.sid in locmem.deleted_recordings
    assert client.get(link).status_code == 404


def test_a_recording_callback_for_an_unrecorded_line_stores_nothing(client, national_line):
    phone(client, from_=TOURIST).dial()
    call = Call.objects.get()
    signed_post(
        client,
        "/calls/voice/recording/",
        {"CallSid": call.sid, "RecordingSid": "RE2", "RecordingUrl": "https://x.example/RE2"},
    )
    assert not Recording.objects.exists()
