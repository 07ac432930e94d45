"""Tourists' numbers: rate limits, blocks and opt-outs work on a keyed hash; the number itself is
kept in clear only while something must still be sent to it, and erased after
PHONE_NUMBER_RETENTION_DAYS."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.db.models import CharField, Q, TextField
from django.test import override_settings
from django.utils import timezone

from calls.models import (
    BlockedNumber,
    Call,
    CallbackRequest,
    CallReport,
    CallStatus,
    Conversation,
    ConversationStatus,
    Message,
    MessageStatus,
    OptOut,
    SandboxMessage,
)
from calls.privacy import numbers_erase_old
from calls.sms.selectors import conversation_thread
from calls.tasks import erase_old_numbers
from calls.telephony import locmem
from calls.voice.reports import report_confirm
from concierge.celery import app
from concierge.lib.pseudonyms import number_hash, number_pseudonym

from ..factories import every_day, make_ambassador
from .twilio import phone, text

pytestmark = pytest.mark.django_db

GERMAN = "+4915112345678"
BRITISH = "+447400123456"
DIGITS = "15112345678"


def holding(digits: str) -> list[str]:
    """Every text column of the calls app that holds ``digits``, as "model.field"."""
    from django.apps import apps

    found = []
    for model in apps.get_app_config("calls").get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, CharField | TextField):
                lookup = Q(**{f"{field.attname}__contains": digits})
                if model._default_manager.filter(lookup).exists():
                    found.append(f"{model.__name__}.{field.name}")
    return found


@pytest.fixture
def carla(db):
    return make_ambassador("carla@example.com", name="Carla", languages=("en",), slots=every_day())


@pytest.fixture
def texts(client, national_line, django_capture_on_commit_callbacks):
    def send(from_: str, body: str) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            text(client, from_, body)

    return send


# --- The keyed hash ------------------------------------------------------------------------------


def test_the_hash_is_keyed_by_the_secret_key_and_ignores_spacing():
    assert number_hash(GERMAN) == number_hash("+49 151 1234 5678")
    assert len(number_hash(GERMAN)) == 64 and DIGITS not in number_hash(GERMAN)
    assert number_hash(GERMAN) != number_hash(BRITISH)
    ours = number_hash(GERMAN)
    with override_settings(SECRET_KEY="another-key-" + "x" * 50):
        assert number_hash(GERMAN) != ours  # without the key, no table of numbers finds it
    assert number_hash("") == ""


def test_a_pseudonym_is_stable_short_and_never_a_number():
    pseudonym = number_pseudonym(GERMAN)
    assert pseudonym == number_pseudonym(GERMAN) != number_pseudonym(BRITISH)
    assert len(pseudonym) <= 20 and not pseudonym.lstrip("~").isdigit()
    assert not pseudonym.startswith("+") and DIGITS not in pseudonym
    assert number_pseudonym(pseudonym) == pseudonym  # erasing twice changes nothing
    assert number_pseudonym("") == ""


# --- Calls: rate limit and blocks ----------------------------------------------------------------


def test_a_call_keeps_the_keyed_hash_of_its_caller(client, national_line):
    phone(client, from_=GERMAN).dial().hang_up()
    call = Call.objects.get()
    assert call.caller_hash == number_hash(GERMAN)
    assert call.caller_number == GERMAN  # still needed to text back (callback, replay link)


def test_the_rate_limit_counts_calls_by_hash_even_once_numbers_are_erased(client, national_line):
    for _ in range(settings.CALL_RATE_LIMIT_PER_HOUR):
        phone(client, from_=GERMAN).dial().hang_up()
    Call.objects.update(caller_number="")  # as retention leaves them
    tourist = phone(client, from_=GERMAN).dial()
    assert "in der letzten Stunde sehr oft angerufen" in tourist.said[-1]
    assert Call.objects.filter(status=CallStatus.REFUSED).count() == 1


def test_erased_numbers_do_not_count_as_withheld(client, national_line):
    for n in range(3):
        phone(client, from_=f"+4915100000{n:03d}").dial().hang_up()
    Call.objects.update(caller_number="")  # as retention leaves them
    with override_settings(CALL_WITHHELD_PER_HOUR=2):
        tourist = phone(client, from_="anonymous").dial()
    assert "hidden numbers" not in " ".join(tourist.said)
    assert Call.objects.get(sid=tourist.sid).status != CallStatus.REFUSED


def test_a_confirmed_report_blocks_the_caller_by_hash_alone(client, national_line, carla):
    phone(client, from_=GERMAN).dial().press("1").press("0").press("0").answer("1").hang_up(
        after=30
    )
    call = Call.objects.get()
    assert call.responder == carla
    Call.objects.update(caller_number="")  # confirmed days later, after retention
    report = CallReport.objects.create(call=call, ambassador=carla, reason="Insults")
    report_confirm(report=report)
    blocked = BlockedNumber.objects.get()
    assert blocked.number_hash == number_hash(GERMAN)
    assert holding(DIGITS) == []
    tourist = phone(client, from_=GERMAN).dial()
    assert "wir können Ihren Anruf nicht annehmen" in tourist.said[-1]
    assert phone(client, from_=BRITISH).dial().state != "ended"


def test_staff_block_a_number_typed_in_the_admin_and_only_its_hash_is_kept(client, staff):
    client.force_login(staff)
    response = client.post(
        "/admin/calls/blockednumber/add/", {"number": "+49 151 1234 5678", "reason": "Pranks"}
    )
    assert response.status_code == 302, response.content.decode()
    assert BlockedNumber.objects.get().number_hash == number_hash(GERMAN)
    assert holding(DIGITS) == []
    again = client.post("/admin/calls/blockednumber/add/", {"number": GERMAN, "reason": "x"})
    assert "already on the list" in again.content.decode()
    listing = client.get("/admin/calls/blockednumber/", {"q": "+49 151 1234 5678"}).content
    assert b"Pranks" in listing
    assert b"Pranks" not in client.get("/admin/calls/blockednumber/", {"q": BRITISH}).content


# --- SMS: opt-outs -------------------------------------------------------------------------------


def test_stop_keeps_only_the_hash_and_still_silences_the_number(texts, carla):
    texts(GERMAN, "STOP")
    assert OptOut.objects.get().number_hash == number_hash(GERMAN)
    assert not {"OptOut.number", "OptOut.number_hash"} & set(holding(DIGITS))
    sent = len(locmem.outbox)
    texts(GERMAN, "Hello?")
    assert len(locmem.outbox) == sent
    assert not Conversation.objects.exists()
    texts(GERMAN, "START")
    assert not OptOut.objects.exists()
    assert "Willkommen zurück" in locmem.outbox[-1].body


def test_a_local_who_texts_stop_is_no_longer_texted(texts, carla):
    texts(carla.phone_number.as_e164, "STOP")
    assert OptOut.objects.get().number_hash == number_hash(carla.phone_number.as_e164)
    texts(GERMAN, "Hi, where is the best cheese?")
    assert not [sms for sms in locmem.outbox if sms.to == carla.phone_number.as_e164]


def test_a_refusal_quoting_the_number_is_stored_without_it(texts, carla, monkeypatch):
    from calls.telephony.locmem import LocmemBackend
    from concierge.lib import telephony

    class Refusing(LocmemBackend):
        def send_sms(self, *, to: str, **kwargs):
            message = f"Twilio refused (HTTP 400, code 21211): The 'To' number {to} is not valid"
            raise telephony.TelephonyError(message, permanent=True)

    monkeypatch.setattr(telephony, "get_backend", lambda: Refusing())
    texts(GERMAN, "Hello")
    failed = Message.objects.filter(to_number=GERMAN, status=MessageStatus.FAILED).get()
    assert failed.error.startswith("Twilio refused (HTTP 400, code 21211): The 'To' number [")
    assert holding(DIGITS) == [
        "Conversation.tourist_number",
        "Message.from_number",
        "Message.to_number",
    ]


# --- Retention -----------------------------------------------------------------------------------


def days_later(days: float):
    return time_machine.travel(timezone.now() + timedelta(days=days), tick=False)


def test_numbers_are_erased_after_the_retention_period(
    client, texts, carla, django_capture_on_commit_callbacks
):
    phone(client, from_=GERMAN).dial().press("1").press("0").press("0").answer("1").hang_up(
        after=30
    )
    texts(GERMAN, "Hi, where is the best cheese?")
    conversation = Conversation.objects.get()
    texts(carla.phone_number.as_e164, "At the market, ask for Saint-Marcellin!")
    texts(carla.phone_number.as_e164, f"#{Conversation.objects.get().code} END")
    texts(BRITISH, "HELP")  # answered outside any conversation
    SandboxMessage.objects.create(sid="SMx", to=GERMAN, from_number="+33199000000", body="Hi")
    assert holding(DIGITS)

    retention = settings.PHONE_NUMBER_RETENTION_DAYS
    with days_later(retention - 0.5):
        numbers_erase_old()
    assert Call.objects.get().caller_number == GERMAN  # not yet

    with days_later(retention + 0.1):
        erased = erase_old_numbers()
    assert erased["calls"] == 1 and erased["conversations"] == 1
    assert holding(DIGITS) == []
    assert holding("7400123456") == []
    call = Call.objects.get()
    assert call.caller_hash == number_hash(GERMAN) and call.caller_country == "DE"
    conversation.refresh_from_db()
    assert conversation.tourist_number == number_pseudonym(GERMAN)
    assert conversation.tourist_country == "DE"
    # The local's thread still reads as before: the tourist's texts and what they were sent.
    thread = [m.body for m in conversation_thread(conversation)]
    assert thread[0] == "Hi, where is the best cheese?"
    assert "At the market, ask for Saint-Marcellin!" in thread
    assert holding(carla.phone_number.as_e164[3:]) == []  # the local's number in texts, too

    with days_later(retention + 0.2):
        assert erase_old_numbers() == {"calls": 0, "conversations": 0, "messages": 0, "sandbox": 0}


def test_numbers_still_needed_to_send_a_text_are_kept(client, texts, national_line):
    # Nobody free: a pending callback request, and a conversation waiting for a local.
    tourist = phone(client, from_=GERMAN).dial().press("1").press("0").press("0")
    tourist.press("1")
    assert CallbackRequest.objects.get().status == "pending"
    texts(BRITISH, "Hello, anyone?")
    conversation = Conversation.objects.get()
    assert conversation.status == ConversationStatus.WAITING
    pending = Message.objects.create(
        direction="out",
        author="system",
        from_number="+33199000000",
        to_number=BRITISH,
        body="A text the broker has not taken yet",
        status=MessageStatus.PENDING,
        created_at=timezone.now() - timedelta(days=30),
    )

    with days_later(settings.PHONE_NUMBER_RETENTION_DAYS + 1):
        numbers_erase_old()
    assert Call.objects.get().caller_number == GERMAN
    conversation.refresh_from_db()
    assert conversation.tourist_number == BRITISH
    pending.refresh_from_db()
    assert pending.to_number == BRITISH


def test_the_retention_task_runs_every_hour_by_name():
    entry = next(
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "calls.tasks.erase_old_numbers"
    )
    schedule = entry["schedule"]
    assert isinstance(schedule, int | float) and schedule <= 60 * 60
    assert "calls.tasks.erase_old_numbers" in app.tasks
