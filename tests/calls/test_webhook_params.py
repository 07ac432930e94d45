"""Twilio's parameters are checked at the edge: malformed values are treated as absent and every
answer is valid TwiML; callers who withhold their number are their own case."""

from __future__ import annotations

import pytest
from django.test import override_settings

from calls.models import Call, CallStatus, Message

from ..factories import every_day, make_ambassador
from .twilio import phone, signed_post

pytestmark = pytest.mark.django_db

LINE = "+33199000000"


@pytest.fixture
def local(db):
    return make_ambassador("lou@example.com", name="Lou", slots=every_day())


def twiml_of(response) -> str:
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith('<?xml version="1.0" encoding="UTF-8"?><Response')
    return body


@pytest.mark.parametrize(
    "params",
    [
        {"CallSid": "CA\x00nul", "From": "+4915112345678", "To": LINE},
        {"CallSid": "CA" + "f" * 90, "From": "+4915112345678", "To": LINE},
        {"CallSid": "CAok", "From": "+49151\x0012345678", "To": LINE},
        {"CallSid": "CAok", "From": "+4915112345678", "To": LINE + "\x00"},
    ],
)
def test_malformed_ids_and_numbers_make_no_call_and_no_error(client, national_line, params):
    body = twiml_of(signed_post(client, "/calls/voice/incoming/", params))
    if Call.objects.exists():  # only the garbled caller: a call without a number
        assert Call.objects.get().caller_number == ""
    else:
        assert "not in service" in body


@pytest.mark.parametrize("duration", ["-5", "99999999999999999999", "1e9", "²", "\x00"])
def test_absurd_durations_still_end_the_call(client, national_line, local, duration):
    tourist = phone(client).dial().press("1").press("0").press("0").answer("1")
    assert tourist.ringing is not None  # the <Dial> the local answered
    action = tourist.ringing.action
    params = tourist.params(DialCallStatus="completed", DialCallDuration=duration)
    twiml_of(signed_post(client, action, params))
    call = Call.objects.get(sid=tourist.sid)
    assert call.status == CallStatus.COMPLETED  # not stuck "in progress"
    assert call.duration == 0


def test_a_status_callback_with_a_garbled_duration_ends_the_call(client, national_line, local):
    tourist = phone(client).dial().press("1").press("0").press("0").answer("1")
    params = tourist.params(CallStatus="completed", CallDuration="-1")
    twiml_of(signed_post(client, "/calls/voice/status/", params))
    assert Call.objects.get(sid=tourist.sid).status == CallStatus.COMPLETED


@pytest.mark.parametrize("page", ["%C2%B2", "-1", "99", "x", "1" * 50, "%00"])
def test_odd_menu_pages_ask_the_first_page(client, national_line, page):
    tourist = phone(client).dial().press("1")  # English: now the motive menu
    call = Call.objects.get(sid=tourist.sid)
    path = f"/calls/voice/{call.public_id}/menu/region/?page={page}"
    assert "<Gather" in twiml_of(signed_post(client, path, tourist.params()))


def test_a_text_with_nul_bytes_is_stored_without_them(client, national_line):
    params = {"MessageSid": "SMnul", "From": "+4915112345678", "To": LINE, "Body": "Hi\x00!"}
    twiml_of(signed_post(client, "/calls/sms/incoming/", params))
    assert Message.objects.get(sid="SMnul").body == "Hi!"


def test_a_status_callback_with_an_oversized_sid_changes_nothing(client, national_line):
    params = {"MessageSid": "SM" + "a" * 200, "MessageStatus": "delivered", "ErrorCode": "x" * 99}
    twiml_of(signed_post(client, "/calls/sms/status/", params))


# --- Withheld numbers (hole 4) ----------------------------------------------------------------


def withheld_call(client, sid: str, caller: str = "anonymous") -> str:
    params = {"CallSid": sid, "From": caller, "To": LINE}
    return twiml_of(signed_post(client, "/calls/voice/incoming/", params))


def test_withheld_callers_do_not_share_one_rate_limit(client, national_line, settings):
    settings.CALL_RATE_LIMIT_PER_HOUR = 2
    for n, caller in enumerate(["anonymous", "Restricted", "+266696687", "", "unknown"] * 2):
        body = withheld_call(client, f"CAwithheld{n}", caller)
        assert "many times" not in body
    assert not Call.objects.filter(status=CallStatus.REFUSED).exists()
    assert set(Call.objects.values_list("caller_number", flat=True)) == {""}


def test_a_flood_of_withheld_calls_is_turned_away_others_still_get_through(
    client, national_line, local
):
    with override_settings(CALL_WITHHELD_PER_HOUR=3):
        for n in range(3):
            assert "hidden numbers" not in withheld_call(client, f"CAflood{n}")
        assert "cannot take calls from hidden numbers right now" in withheld_call(client, "CAx")
        tourist = phone(client).dial()
        assert tourist.state == "menu"


def test_a_line_may_refuse_withheld_numbers_politely(client, national_line):
    national_line.accepts_withheld = False
    national_line.save()
    body = withheld_call(client, "CAhidden")
    assert "does not take calls from hidden numbers" in body
    assert Call.objects.get(sid="CAhidden").status == CallStatus.REFUSED
