"""Twilio posts its webhooks form-encoded (``application/x-www-form-urlencoded``, UTF-8), which
calls.twilio.params.read_form reads in one pass: what a tourist typed arrives exactly as they
typed it, the signature still covers every field, and oversized forms are refused, not a 500."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

import pytest
from django.conf import settings

from calls.models import Call, Message
from calls.twilio.params import FORM
from calls.twilio.webhooks import sign

pytestmark = pytest.mark.django_db


def post_form(client, path: str, params: dict[str, str], *, signed_params=None):
    signature = sign(settings.PUBLIC_BASE_URL + path, signed_params or params)
    return client.post(
        path, urlencode(params), content_type=FORM, HTTP_X_TWILIO_SIGNATURE=signature
    )


def test_a_text_arrives_exactly_as_typed(client, national_line):
    body = "Café & crème = 3+4 €? 100% sûr, très bien; 東京 → Paris"
    sid = "SM" + uuid.uuid4().hex
    params = {"MessageSid": sid, "From": "+4915112345678", "To": "+33199000000", "Body": body}
    response = post_form(client, "/calls/sms/incoming/", params)
    assert response.status_code == 200
    assert Message.objects.get(sid=sid).body == body


def test_a_call_posted_as_twilio_posts_it_is_answered(client, national_line):
    sid = "CA" + uuid.uuid4().hex
    params = {"CallSid": sid, "From": "+4915112345678", "To": "+33199000000", "CallerCity": ""}
    response = post_form(client, "/calls/voice/incoming/", params)
    assert response.status_code == 200
    assert b"<Redirect" in response.content
    assert Call.objects.filter(sid=sid).exists()


def test_a_field_changed_after_signing_is_refused(client, national_line):
    params = {"CallSid": "CA" + uuid.uuid4().hex, "From": "+4915112345678", "To": "+33199000000"}
    forged = {**params, "From": "+4915199999999"}
    response = post_form(client, "/calls/voice/incoming/", forged, signed_params=params)
    assert response.status_code == 403
    assert not Call.objects.exists()


def test_too_many_fields_are_refused_without_a_500(client, national_line, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    params = {f"Field{n}": "x" for n in range(20)}
    response = post_form(client, "/calls/voice/incoming/", params)
    assert response.status_code == 400
