"""Whole SMS conversations through signed webhooks: a tourist texts a line, a local answers from
their own phone, and neither ever sees the other's number."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from calls.models import (
    CloseReason,
    Conversation,
    ConversationStatus,
    FaqEntry,
    Message,
    MessageStatus,
    OptOut,
)
from calls.sms import faq as sms_faq
from calls.sms import outbox
from calls.sms import sweep as sms_sweep
from calls.telephony import locmem
from concierge.lib.pseudonyms import number_hash

from ..factories import every_day, make_ambassador
from .twilio import signed_post, text

LINE = "+33199000000"
GERMAN = "+4915112345678"
JAPANESE = "+819012345678"
BRITISH = "+447400123456"


@pytest.fixture
def texts(client, national_line, django_capture_on_commit_callbacks):
    """``texts(from_, body)`` sends an SMS to the line as Twilio would; returns the MessageSid."""

    def send(from_: str, body: str, *, sid: str = "", to: str = LINE) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            return text(client, from_, body, to=to, sid=sid)

    return send


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    """The periodic sweep, with what it sends really sent (after its transactions commit)."""

    def run(now=None) -> dict[str, int]:
        with django_capture_on_commit_callbacks(execute=True):
            return sms_sweep.conversations_sweep(now=now)

    return run


def inbox(number: str) -> list[str]:
    return [sms.body for sms in locmem.outbox if sms.to == number]


def number_of(ambassador) -> str:
    return ambassador.phone_number.as_e164


@pytest.fixture
def carla(db):
    """The only local free: every conversation goes to her."""
    return make_ambassador(
        "carla@example.com", name="Carla Martin", languages=("en",), slots=every_day()
    )


def conversation_of(tourist: str) -> Conversation:
    return Conversation.objects.exclude(status=ConversationStatus.CLOSED).get(
        tourist_number=tourist
    )


def test_a_first_text_reaches_a_local_who_answers_from_their_phone(texts, carla):
    texts(GERMAN, "Hi! Where can I eat good cheese in Lyon?")

    conversation = conversation_of(GERMAN)
    assert conversation.responder == carla
    assert conversation.motive is not None and conversation.motive.code == "food-and-wine"
    relayed = inbox(number_of(carla))
    assert relayed == [f"[#{conversation.code} Germany] Hi! Where can I eat good cheese in Lyon?"]
    (confirmation,) = inbox(GERMAN)
    assert "Carla, ehrenamtlich und von hier, ist für Sie da" in confirmation
    assert all(sms.from_ == LINE for sms in locmem.outbox)  # always the line's number

    texts(number_of(carla), "Try the Halles Paul Bocuse!")
    assert inbox(GERMAN)[-1] == "Try the Halles Paul Bocuse!"
    conversation.refresh_from_db()
    assert conversation.first_reply_at is not None
    assert conversation.first_response_time == conversation.first_reply_at - conversation.opened_at

    texts(GERMAN, "Danke!")
    assert inbox(number_of(carla))[-1] == f"[#{conversation.code}] Danke!"


def test_a_local_with_several_conversations_answers_with_the_code(texts, carla):
    texts(GERMAN, "Hello from Berlin")
    texts(JAPANESE, "Hello from Tokyo")
    german, japanese = conversation_of(GERMAN), conversation_of(JAPANESE)
    assert german.code != japanese.code

    texts(number_of(carla), "Welcome!")  # which one? She is told how to say.
    help_text = inbox(number_of(carla))[-1]
    assert f"#{german.code} Germany" in help_text and f"#{japanese.code} Japan" in help_text
    assert inbox(GERMAN)[-1].startswith("Destination Concierge: Carla, ehrenamtlich")  # nothing new

    texts(number_of(carla), f"#{japanese.code} Konnichiwa and welcome!")
    assert inbox(JAPANESE)[-1] == "Konnichiwa and welcome!"
    texts(number_of(carla), f"{german.code.lower()} no hash")  # not a code: help again
    assert "start your reply with the code" in inbox(number_of(carla))[-1]
    texts(number_of(carla), "#ZZ9 hello")
    assert "is not one of your open conversations" in inbox(number_of(carla))[-1]


def test_the_local_closes_with_end_and_a_new_text_opens_a_new_conversation(texts, carla):
    texts(GERMAN, "Hi")
    conversation = conversation_of(GERMAN)

    texts(number_of(carla), f"#{conversation.code} END")
    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.CLOSED
    assert conversation.close_reason == CloseReason.ENDED
    assert "Carla hat dieses Gespräch beendet" in inbox(GERMAN)[-1]
    assert inbox(number_of(carla))[-1] == f"[#{conversation.code}] Closed. Thank you!"

    texts(GERMAN, "One more question")
    assert conversation_of(GERMAN).pk != conversation.pk


def test_new_puts_the_tourist_in_touch_with_another_local(texts, carla, bob):
    texts(GERMAN, "Hi")
    first = conversation_of(GERMAN)
    first_local = first.responder

    texts(GERMAN, "new")
    first.refresh_from_db()
    assert first.close_reason == CloseReason.NEW
    assert "asked for another local" in inbox(number_of(first_local))[-1]
    second = conversation_of(GERMAN)
    assert second.responder not in (None, first_local)
    assert "A tourist would like to chat" in inbox(number_of(second.responder))[-1]
    assert "NEW" not in "".join(inbox(number_of(second.responder)))  # the keyword is not relayed


def test_a_quiet_conversation_closes_after_the_idle_period(texts, sweep, carla, settings):
    texts(GERMAN, "Hi")
    texts(number_of(carla), "Hello!")
    conversation = conversation_of(GERMAN)
    sent_before = len(locmem.outbox)

    sweep(now=timezone.now() + timedelta(hours=23))
    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.OPEN
    sweep(now=timezone.now() + timedelta(hours=settings.SMS_IDLE_HOURS, minutes=1))
    conversation.refresh_from_db()
    assert conversation.close_reason == CloseReason.IDLE
    # Closed quietly: the local is not woken up for it; the tourist only gets the survey.
    (survey,) = locmem.outbox[sent_before:]
    assert survey.to == GERMAN and "Wie war Ihr Gespräch mit Carla?" in survey.body


@pytest.mark.parametrize(
    "word", ["STOP", "stop", "StopAll", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"]
)
def test_opt_out_words_are_never_relayed_and_silence_the_number(texts, carla, word):
    texts(GERMAN, "Hi")
    conversation = conversation_of(GERMAN)
    to_tourist = len(inbox(GERMAN))

    texts(GERMAN, f" {word} ")
    conversation.refresh_from_db()
    assert conversation.close_reason == CloseReason.OPTED_OUT
    assert word.upper() not in " ".join(inbox(number_of(carla))).upper().replace("ENDED", "")
    assert OptOut.objects.filter(number_hash=number_hash(GERMAN)).exists()

    texts(GERMAN, "are you there?")  # not START: nothing starts, nothing is sent
    assert len(inbox(GERMAN)) == to_tourist
    assert not Conversation.objects.exclude(status="closed").filter(tourist_number=GERMAN)


def test_start_lifts_the_opt_out(texts, carla):
    texts(GERMAN, "STOP")
    texts(GERMAN, "START")
    assert not OptOut.objects.filter(number_hash=number_hash(GERMAN)).exists()
    assert "Willkommen zurück" in inbox(GERMAN)[-1]
    texts(GERMAN, "Hello again")
    assert conversation_of(GERMAN).responder == carla


def test_help_answers_a_help_text_and_opens_nothing(texts, carla):
    texts(BRITISH, "help")
    assert "text us your question" in inbox(BRITISH)[-1]
    assert not Conversation.objects.exists()


def test_a_retried_webhook_relays_nothing_twice(texts, carla):
    sid = texts(GERMAN, "Hi")
    texts(GERMAN, "Hi", sid=sid)
    texts(GERMAN, "Hi", sid=sid)
    assert len(inbox(number_of(carla))) == 1
    assert Message.objects.filter(sid=sid).count() == 1


@pytest.fixture
def faq(db):
    FaqEntry.objects.create(
        topic="Emergencies",
        language="en",
        keywords="emergency, police, ambulance, 112",
        answer="Call 112 from any phone, free.",
    )
    FaqEntry.objects.create(
        topic="Trains", language="en", keywords="train, SNCF, station", answer="See sncf-connect."
    )
    FaqEntry.objects.create(
        topic="Notfall", language="de", keywords="notfall, polizei", answer="Wählen Sie 112."
    )


def test_nobody_free_the_faq_answers_then_a_local_takes_over(texts, sweep, faq):
    texts(BRITISH, "Which number for an emergency?")
    conversation = conversation_of(BRITISH)
    assert conversation.status == ConversationStatus.WAITING
    (answer,) = inbox(BRITISH)
    assert "Emergencies: Call 112 from any phone, free." in answer
    assert "we will put you in touch with one as soon as one is free" in answer

    texts(BRITISH, "And a train to Nice?")
    assert "Trains: See sncf-connect." in inbox(BRITISH)[-1]
    texts(BRITISH, "thanks")  # nothing matches, the tourist already knows we are looking
    assert len(inbox(BRITISH)) == 2

    dora = make_ambassador("dora@example.com", name="Dora", languages=("en",), slots=every_day())
    assert sweep()["assigned"] == 1
    conversation.refresh_from_db()
    assert conversation.responder == dora
    (relayed,) = inbox(number_of(dora))
    assert relayed == (
        f"[#{conversation.code} United Kingdom] Which number for an emergency? / "
        "And a train to Nice? / thanks"
    )
    assert "you are in touch with Dora" in inbox(BRITISH)[-1]


def test_the_faq_answers_in_the_tourists_language_when_it_can(texts, faq):
    texts(GERMAN, "Notfall! Polizei?")
    assert "Notfall: Wählen Sie 112." in inbox(GERMAN)[0]


def test_without_a_keyword_the_faq_suggests_some(texts, faq):
    texts(BRITISH, "Hello?")
    assert "text a word like EMERGENCY, TRAIN" in inbox(BRITISH)[0]


def test_an_unanswered_conversation_goes_to_another_local(texts, sweep, faq, carla, settings):
    texts(GERMAN, "Any police station near the Louvre?")
    conversation = conversation_of(GERMAN)
    assert conversation.responder == carla
    sweep(now=timezone.now() + timedelta(minutes=settings.SMS_ANSWER_MINUTES - 1))
    assert conversation_of(GERMAN).responder == carla

    erik = make_ambassador("erik@example.com", name="Erik", languages=("en",), slots=every_day())
    later = timezone.now() + timedelta(minutes=settings.SMS_ANSWER_MINUTES + 1)
    before = len(inbox(GERMAN))
    done = sweep(now=later)
    assert done["unanswered"] == 1 and done["assigned"] == 1
    assert "another local will take it" in inbox(number_of(carla))[-1]
    # One text, and it says what happened: someone else answers now (no "all busy" beside it).
    (confirmation,) = inbox(GERMAN)[before:]
    assert "Erik, ebenfalls ehrenamtlich und von hier, ist jetzt für Sie da" in confirmation
    assert conversation_of(GERMAN).responder == erik
    assert inbox(number_of(erik))[0].endswith("Any police station near the Louvre?")

    texts(number_of(carla), "Sorry, I was driving!")  # too late: not hers any more
    assert "no open conversation" in inbox(number_of(carla))[-1]


def test_numbers_never_cross(texts, carla, bob, faq):
    tourists = [GERMAN, JAPANESE, BRITISH]
    for tourist in tourists:
        texts(tourist, "Hello, any tips for the emergency services?")
    for tourist in tourists:
        conversation = conversation_of(tourist)
        local = number_of(conversation.responder)
        texts(local, f"#{conversation.code} Sure: call 112.")
        texts(tourist, "Thanks, and the police?")
        texts(local, f"#{conversation.code} 17. Bye! END")
    texts(GERMAN, "new")
    locals_ = {number_of(carla), number_of(bob)}
    for sms in locmem.outbox:
        digits = re.sub(r"\D", "", sms.body)
        if sms.to in locals_:
            assert not any(t.lstrip("+") in digits for t in tourists), sms.body
        else:
            assert not any(n.lstrip("+") in digits for n in locals_), sms.body
        assert sms.from_ == LINE


def test_a_failed_reply_is_reported_to_the_local_once(
    client, texts, carla, django_capture_on_commit_callbacks
):
    texts(GERMAN, "Hi")
    texts(number_of(carla), "Welcome to France!")
    reply = Message.objects.get(body="Welcome to France!", direction="out")
    url = f"/calls/sms/status/?m={reply.public_id}"
    params = {"MessageSid": reply.sid, "MessageStatus": "undelivered", "ErrorCode": "30003"}
    for _ in range(3):  # Twilio retries callbacks
        with django_capture_on_commit_callbacks(execute=True):
            assert signed_post(client, url, params).status_code == 200
    late = {"MessageSid": reply.sid, "MessageStatus": "sent"}
    assert signed_post(client, url, late).status_code == 200

    reply.refresh_from_db()
    assert reply.status == MessageStatus.UNDELIVERED  # a late "sent" changes nothing
    assert reply.error == "Twilio error 30003"
    notices = [b for b in inbox(number_of(carla)) if "could not be delivered" in b]
    assert notices == [
        f'[#{conversation_of(GERMAN).code}] Your reply could not be delivered: "Welcome to France!"'
    ]


def test_delivery_news_moves_forward_only(client, texts, carla):
    texts(GERMAN, "Hi")
    (confirmation,) = Message.objects.filter(to_number=GERMAN)
    url = f"/calls/sms/status/?m={confirmation.public_id}"
    for status in ("sent", "delivered", "sent", "queued", "nonsense"):
        signed_post(client, url, {"MessageSid": confirmation.sid, "MessageStatus": status})
    confirmation.refresh_from_db()
    assert confirmation.status == MessageStatus.DELIVERED


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"MessageSid": "SM1"},
        {"MessageSid": "SM2", "From": GERMAN, "To": "+33100000000", "Body": "unknown line"},
        {"MessageSid": "SM3", "From": "", "To": LINE, "Body": "no sender"},
        {"MessageSid": "SM4", "From": "garbage", "To": LINE},
    ],
)
def test_garbled_webhooks_get_valid_twiml(client, national_line, params):
    response = signed_post(client, "/calls/sms/incoming/", params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    status = signed_post(client, "/calls/sms/status/?m=not-a-uuid", params)
    assert status.status_code == 200


def test_message_texts_are_erased_after_the_retention_period(texts, carla, settings):
    texts(GERMAN, "My hotel is the Ritz, room 12")
    later = timezone.now() + timedelta(days=settings.SMS_RETENTION_DAYS, minutes=1)
    assert outbox.messages_blank_old(now=later) == Message.objects.count()
    assert not Message.objects.exclude(body="").exists()
    conversation = Conversation.objects.get()
    assert conversation.opened_at  # what response times need stays


def test_a_local_who_opts_out_hands_their_conversations_on(texts, sweep, carla):
    texts(GERMAN, "Hi")
    texts(number_of(carla), "STOP")
    assert conversation_of(GERMAN).status == ConversationStatus.WAITING
    sent_to_carla = len(inbox(number_of(carla)))

    dora = make_ambassador("dora@example.com", name="Dora", languages=("en",), slots=every_day())
    assert sweep()["assigned"] == 1
    assert conversation_of(GERMAN).responder == dora
    assert inbox(number_of(dora))[0].endswith("] Hi")
    texts(GERMAN, "Hello Dora")
    assert len(inbox(number_of(carla))) == sent_to_carla  # nothing more for Carla


def test_the_demo_faq_answers_common_questions_in_english_and_french(db):
    from io import StringIO

    from calls import demo

    demo.seed(stdout=StringIO())
    demo.seed(stdout=StringIO())  # idempotent
    assert FaqEntry.objects.count() == len(demo.FAQ)
    (emergency,) = sms_faq.faq_answers(language="en", text="What is the emergency number?")
    assert "112" in emergency.answer
    (trains,) = sms_faq.faq_answers(language="fr", text="Où acheter un billet de TGV à la gare ?")
    assert trains.topic == "Trains" and trains.language == "fr"
    (pharmacy,) = sms_faq.faq_answers(language="de", text="Where is a pharmacy open at night?")
    assert pharmacy.language == "en"  # no German entries: English rather than nothing


def test_an_unanswered_conversation_with_nobody_else_free_sends_one_true_text(
    texts, sweep, faq, carla, settings
):
    texts(GERMAN, "Any police station near the Louvre?")
    before = len(inbox(GERMAN))
    done = sweep(now=timezone.now() + timedelta(minutes=settings.SMS_ANSWER_MINUTES + 1))
    assert (done["unanswered"], done["assigned"]) == (1, 0)
    (text,) = inbox(GERMAN)[before:]
    assert "Emergencies: Call 112" in text  # the FAQ answer to what they asked
    assert "Ihr Ansprechpartner konnte nicht rechtzeitig antworten" in text
    assert "für Sie da" not in text.split("konnte nicht rechtzeitig")[0]
    assert conversation_of(GERMAN).status == ConversationStatus.WAITING
