"""Nobody free: the caller can ask for a text as soon as a local is, and gets exactly one."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from calls.models import CallbackRequest, CallbackStatus
from calls.tasks import serve_callback_requests
from calls.telephony import locmem

from ..factories import every_day, make_ambassador
from .twilio import phone

pytestmark = pytest.mark.django_db

TOURIST = "+447911123456"


def texts_to_tourist() -> list[str]:
    return [sms.body for sms in locmem.outbox if sms.to == TOURIST]


def test_the_caller_is_texted_once_when_a_local_becomes_free(
    client, national_line, django_capture_on_commit_callbacks
):
    tourist = phone(client, from_=TOURIST).dial().press("1").press("0").press("0")
    with django_capture_on_commit_callbacks(execute=True):
        tourist.press("1")
    assert "We will text you as soon as a local is free" in tourist.said[-1]
    assert tourist.state == "ended"
    assert CallbackRequest.objects.get().status == CallbackStatus.PENDING
    assert texts_to_tourist() == []  # the sweep ran at once (eager) and found nobody

    make_ambassador("late@example.com", name="Late", slots=every_day())
    with django_capture_on_commit_callbacks(execute=True):
        assert serve_callback_requests() == 1
        assert serve_callback_requests() == 0
    assert len(texts_to_tourist()) == 1
    assert "a local is free now" in texts_to_tourist()[0]
    assert "+33 1 99 00 00 00" in texts_to_tourist()[0]  # written for humans


def test_pressing_1_twice_makes_one_request(client, national_line):
    tourist = phone(client, from_=TOURIST).dial().press("1").press("0").press("0")
    gather = tourist._gather_action
    tourist.press("1")
    tourist.state = "menu"
    tourist._gather_action = gather
    tourist.press("1")
    assert CallbackRequest.objects.count() == 1


def test_after_half_an_hour_the_caller_is_told_kindly_and_once(
    client, national_line, django_capture_on_commit_callbacks
):
    phone(client, from_=TOURIST).dial().press("1").press("0").press("0").press("1")
    with (
        time_machine.travel(timezone.now() + timedelta(minutes=31)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        serve_callback_requests()
        serve_callback_requests()
    assert len(texts_to_tourist()) == 1
    assert "still busy" in texts_to_tourist()[0]
    assert CallbackRequest.objects.get().status == CallbackStatus.EXPIRED
