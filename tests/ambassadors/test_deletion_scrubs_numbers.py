"""An ambassador who deletes their account leaves their number nowhere: not in their profile,
and not in the texts, calls and outbox rows the relay and the line stored along the way."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db.models import CharField, Q, TextField

from calls.models import Conversation, ConversationStatus, Message, MessageStatus, PhoneLine
from calls.sms.selectors import conversation_thread
from tests.calls.twilio import phone, text

from ..factories import PASSWORD, every_day, make_ambassador

pytestmark = pytest.mark.django_db

LINE = "+33199000000"
TOURIST = "+4915112345678"


def where_stored(digits: str) -> list[str]:
    """Every text column of every model (join tables included) holding ``digits``."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if not isinstance(field, CharField | TextField):
                continue
            if model._default_manager.filter(Q(**{f"{field.attname}__contains": digits})):
                found.append(f"{model._meta.label}.{field.attname}")
    return found


@pytest.fixture
def line(db):
    return PhoneLine.objects.create(number=LINE, label="National")


@pytest.fixture
def sandbox(settings):
    """The demo backend: every text sent is also kept in the staff outbox (SandboxMessage)."""
    settings.TELEPHONY_BACKEND = "calls.telephony.sandbox.SandboxBackend"


@pytest.fixture
def alice(db):
    return make_ambassador(
        "alice@example.com", name="Alice", languages=("en", "de"), slots=every_day()
    )


def test_a_deleted_ambassador_leaves_their_number_nowhere(
    client, line, sandbox, alice, django_capture_on_commit_callbacks
):
    number = alice.phone_number.as_e164
    digits = number[3:]  # "6…": found whatever the prefix (+33, 0033, 0)
    with django_capture_on_commit_callbacks(execute=True):
        text(client, TOURIST, "Hi! Where can I eat good cheese in Lyon?")
        text(client, number, "Hello! Try the Halles Paul Bocuse.")
        phone(client, from_=number).dial().hang_up()  # Alice tried the line herself
    # A relayed text that the broker has not taken yet.
    text(client, TOURIST, "Thanks! And wine?")
    assert Message.objects.filter(to_number=number, status=MessageStatus.PENDING).exists()
    assert set(where_stored(digits)) >= {
        "ambassadors.Ambassador.phone_number",
        "calls.Message.from_number",
        "calls.Message.to_number",
        "calls.SandboxMessage.to",
        "calls.Call.caller_number",
    }

    client.force_login(alice.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/portal/privacy/delete/", {"password": PASSWORD})
    assert response.status_code == 302

    assert where_stored(digits) == []
    # What was waiting for Alice is never sent, and the tourist's conversation waits for
    # another local instead of staying with one who left.
    assert not Message.objects.filter(status=MessageStatus.PENDING).exclude(to_number=TOURIST)
    conversation = Conversation.objects.get()
    assert conversation.status == ConversationStatus.WAITING
    assert conversation.responder is None
    assert conversation.tourist_number == TOURIST  # the tourist may still be answered
    # Alice's reply is still part of the tourist's thread, for whoever answers next.
    thread = [m.body for m in conversation_thread(conversation)]
    assert "Hello! Try the Halles Paul Bocuse." in thread


def test_deleting_an_account_leaves_other_numbers_alone(client, line, alice):
    bob = make_ambassador("bob@example.com", name="Bob", slots=every_day())
    text(client, bob.phone_number.as_e164, "Hi")
    text(client, TOURIST, "Hello")
    before = set(where_stored(bob.phone_number.as_e164[3:])) | set(where_stored(TOURIST[3:]))
    client.force_login(alice.user)
    client.post("/portal/privacy/delete/", {"password": PASSWORD})
    after = set(where_stored(bob.phone_number.as_e164[3:])) | set(where_stored(TOURIST[3:]))
    assert after == before


def test_a_number_the_ambassador_verified_before_changing_it_is_erased_too(client, line, alice):
    from ambassadors.models import PhoneVerification

    old = "+33612999999"
    PhoneVerification.objects.create(
        ambassador=alice,
        phone_number=old,
        code_hash="x",
        expires_at=alice.created_at,
        confirmed_at=alice.created_at,
    )
    text(client, old, "Hi, it is me with my old phone")
    assert where_stored(old[3:])
    client.force_login(alice.user)
    client.post("/portal/privacy/delete/", {"password": PASSWORD})
    assert where_stored(old[3:]) == []


def test_if_the_numbers_cannot_be_erased_nothing_is_deleted(alice, monkeypatch):
    from ambassadors.models import Ambassador
    from ambassadors.services import ambassador_delete_account
    from calls import privacy

    def fail(**kwargs):
        raise RuntimeError("database unavailable")

    monkeypatch.setattr(privacy, "ambassador_forget", fail)
    with pytest.raises(RuntimeError):
        ambassador_delete_account(ambassador=alice)
    row = Ambassador.objects.get(pk=alice.pk)
    assert row.phone_number == alice.phone_number and row.user_id is not None
