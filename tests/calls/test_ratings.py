"""What callers thought (issue 14, item 5): one text after a call or a conversation, answered
"1" to "5", through signed webhooks. Camille answers; Tom, a British tourist, rates her."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from calls.models import Call, CallStatus, Conversation, ConversationStatus, OptOut, Rating
from calls.ratings.selectors import rating_summary_for_ambassador, ratings_to_review
from calls.sms import sweep as sms_sweep
from calls.tasks import delete_old_sms_texts, send_rating_survey
from calls.telephony import locmem
from concierge.lib.pseudonyms import number_hash

from ..factories import every_day, make_ambassador
from .twilio import phone, text

pytestmark = pytest.mark.django_db

LINE = "+33199000000"
TOM = "+447400123456"
GERMAN = "+4915112345678"
ASKED = "Destination Concierge: how was your chat with Camille? Reply with a number from 1"


@pytest.fixture
def camille(db):
    return make_ambassador(
        "camille@example.com", name="Camille Durand", languages=("en", "de"), slots=every_day()
    )


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """Run a step and what it enqueues after commit (the survey, the texts it sends)."""

    def run(step):
        with django_capture_on_commit_callbacks(execute=True):
            return step()

    return run


@pytest.fixture
def call(client, national_line, camille, after_commit):
    """A call from ``caller`` that Camille answers and that lasts ``seconds``."""

    def make(seconds: int, caller: str = TOM) -> Call:
        tourist = phone(client, from_=caller).dial().press("1").press("0").press("0")
        tourist.answer("1")
        after_commit(lambda: tourist.hang_up(after=seconds))
        return Call.objects.get(sid=tourist.sid)

    return make


@pytest.fixture
def texts(client, national_line, after_commit):
    def send(from_: str, body: str, *, sid: str = "") -> str:
        return after_commit(lambda: text(client, from_, body, to=LINE, sid=sid))

    return send


def inbox(number: str) -> list[str]:
    return [sms.body for sms in locmem.outbox if sms.to == number]


def test_it_asks_once_after_a_call_of_a_minute(call, client):
    made = call(61)
    assert made.status == CallStatus.COMPLETED
    assert inbox(TOM) == [
        ASKED + " (poor) to 5 (very good), and a few words if you like."
    ]  # her first name only, never her surname
    rating = Rating.objects.get(call=made)
    assert rating.ambassador == made.responder and rating.score is None
    assert rating.tourist_hash == number_hash(TOM)
    # A retried task (or a repeated status callback): nothing more is sent.
    assert send_rating_survey("call", made.pk) is False
    assert len(inbox(TOM)) == 1


def test_it_asks_in_the_callers_language(client, national_line, camille, after_commit):
    tourist = phone(client, from_=GERMAN).dial().wait().wait().press("2").press("0")
    tourist.answer("1")
    after_commit(lambda: tourist.hang_up(after=75))
    assert Call.objects.get(sid=tourist.sid).language == "de"
    (asked,) = inbox(GERMAN)
    assert "Wie war Ihr Gespräch mit Camille?" in asked


def test_it_does_not_ask_after_a_short_call(call):
    made = call(30)
    assert made.status == CallStatus.COMPLETED
    assert inbox(TOM) == []
    assert not Rating.objects.exists()


def test_it_never_texts_a_number_that_said_stop(call, texts):
    texts(TOM, "STOP")
    assert OptOut.objects.filter(number_hash=number_hash(TOM)).exists()
    call(120)
    assert inbox(TOM) == []
    assert not Rating.objects.exists()


def test_it_never_asks_a_withheld_caller(call):
    made = call(120, caller="anonymous")
    assert made.status == CallStatus.COMPLETED and made.caller_hash == ""
    assert [sms for sms in locmem.outbox if "how was your chat" in sms.body] == []
    assert not Rating.objects.exists()


def test_the_answer_is_recorded_and_opens_no_conversation(call, texts, camille):
    made = call(90)
    texts(TOM, "4")
    rating = Rating.objects.get(call=made)
    assert rating.score == 4 and rating.comment == "" and rating.answered_at is not None
    assert not Conversation.objects.exists()
    assert inbox(TOM)[-1] == (
        "Destination Concierge: thank you! If you like, reply within the hour with a few words "
        "about your chat."
    )
    assert inbox(camille.phone_number.as_e164) == []  # nothing relayed to any local

    texts(TOM, "She found us a lovely bistro near the station.")
    rating.refresh_from_db()
    assert rating.comment == "She found us a lovely bistro near the station."
    assert inbox(TOM)[-1] == "Destination Concierge: thank you, your words are noted."
    assert not Conversation.objects.exists()


def test_a_comment_may_come_with_the_score(call, texts, camille):
    call(200)
    texts(TOM, "5 - Camille was wonderful, merci!")
    rating = Rating.objects.get()
    assert (rating.score, rating.comment) == (5, "Camille was wonderful, merci!")
    assert inbox(TOM)[-1] == "Destination Concierge: thank you for your answer and your words!"
    summary = rating_summary_for_ambassador(camille)
    assert (summary.count, summary.average) == (1, 5.0)
    assert [w.text for w in summary.kind_words] == ["Camille was wonderful, merci!"]


def test_a_second_answer_is_ignored_politely(call, texts):
    call(200)
    texts(TOM, "5 great")
    texts(TOM, "1")
    assert Rating.objects.get().score == 5
    assert inbox(TOM)[-1] == (
        "Destination Concierge: thank you, we already have your answer. Text us anytime to "
        "talk with a local."
    )
    assert not Conversation.objects.exists()


def test_a_retried_webhook_records_the_answer_once(call, texts):
    call(200)
    texts(TOM, "3", sid="SM" + "3" * 32)
    texts(TOM, "3", sid="SM" + "3" * 32)
    assert Rating.objects.get().score == 3
    assert len(inbox(TOM)) == 2  # the survey and one thank-you


def test_a_four_after_the_window_is_an_ordinary_text(call, texts, camille):
    call(200)
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        texts(TOM, "4")
    assert Rating.objects.get().score is None
    conversation = Conversation.objects.get()
    assert conversation.tourist_number == TOM
    assert inbox(camille.phone_number.as_e164)[-1].endswith("] 4")  # relayed as usual


def test_words_without_a_score_go_to_the_relay(call, texts, camille):
    call(200)
    texts(TOM, "Where can I buy a metro ticket?")
    assert Rating.objects.get().score is None
    assert Conversation.objects.filter(tourist_number=TOM).exists()


def test_a_low_score_lands_in_the_staff_review_list(call, texts):
    call(200)
    texts(TOM, "2 she hung up on me")
    (to_review,) = ratings_to_review()
    assert to_review.score == 2 and to_review.comment == "she hung up on me"
    assert to_review.to_review


def test_kind_words_only_count_four_and_five(call, texts, camille):
    call(200)
    texts(TOM, "3 ok I guess")
    summary = rating_summary_for_ambassador(camille)
    assert (summary.count, summary.average, summary.kind_words) == (1, 3.0, [])


def test_a_closed_conversation_asks_once(texts, camille, after_commit):
    texts(TOM, "Hello, what should we see in Lyon?")
    conversation = Conversation.objects.get()
    local = camille.phone_number.as_e164
    texts(local, "The Fourvière hill, at sunset!")
    texts(local, "DONE")
    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.CLOSED
    asked = [body for body in inbox(TOM) if "how was your chat" in body]
    assert asked == [ASKED + " (poor) to 5 (very good), and a few words if you like."]
    texts(local, f"#{conversation.code} DONE")  # a second DONE closes nothing more
    after_commit(lambda: sms_sweep.conversations_sweep(now=timezone.now() + timedelta(days=2)))
    assert len([body for body in inbox(TOM) if "how was your chat" in body]) == 1

    texts(TOM, "5")
    rating = Rating.objects.get(conversation=conversation)
    assert rating.score == 5 and rating.ambassador == camille
    assert Conversation.objects.count() == 1  # the answer opened nothing


def test_an_idle_conversation_asks_when_the_sweep_closes_it(texts, camille, after_commit):
    texts(TOM, "Hello, what should we see in Lyon?")
    texts(camille.phone_number.as_e164, "The Fourvière hill!")
    after_commit(lambda: sms_sweep.conversations_sweep(now=timezone.now() + timedelta(days=2)))
    assert Conversation.objects.get().close_reason == "idle"
    assert Rating.objects.filter(conversation__isnull=False).count() == 1


def test_an_unanswered_conversation_asks_nothing(texts, after_commit):
    texts(TOM, "Hello?")  # nobody free: the FAQ answers, nobody replies
    after_commit(lambda: sms_sweep.conversations_sweep(now=timezone.now() + timedelta(days=2)))
    assert not Rating.objects.exists()


def test_a_volunteer_sees_their_average_and_kind_words_only(client, call, texts, camille):
    client.force_login(camille.user)
    assert "Their marks and kind words will appear here." in client.get("/portal/").text
    line = call(200).line
    texts(TOM, "5 Camille knew every bakery in the old town")
    Rating.objects.create(  # Bob's, from another call: never on Camille's page
        call=Call.objects.create(sid="CA" + "b" * 32, line=line),
        line=line,
        ambassador=make_ambassador("bob@example.com", name="Bob"),
        tourist_hash="x",
        score=1,
        comment="Bob was rude",
        answered_at=timezone.now(),
    )
    page = client.get("/portal/").text
    assert "5.0 out of 5" in page and "From 1 answer." in page
    assert "Camille knew every bakery in the old town" in page
    assert "Bob was rude" not in page


def test_staff_work_through_low_ratings_in_the_admin(client, call, texts, staff):
    call(200)
    texts(TOM, "1 nobody listened")
    client.force_login(staff)
    listed = client.get("/admin/calls/rating/", {"to_review": "yes"})
    assert "nobody listened" in listed.text and TOM not in listed.text
    (rating,) = ratings_to_review()
    client.post(
        "/admin/calls/rating/",
        {"action": "mark_reviewed", "_selected_action": [rating.pk], "index": 0},
    )
    rating.refresh_from_db()
    assert rating.reviewed_by == staff and not ratings_to_review().exists()
    assert "1 low rating to review" not in client.get("/calls/staff/search/").text


def test_comments_are_erased_with_the_texts_and_the_score_stays(call, texts, settings):
    call(200)
    texts(TOM, "5 lovely")
    later = timezone.now() + timedelta(days=settings.SMS_RETENTION_DAYS + 1)
    with time_machine.travel(later):
        delete_old_sms_texts()
    rating = Rating.objects.get()
    assert (rating.score, rating.comment) == (5, "")


def test_a_four_during_a_live_conversation_goes_to_the_local(call, texts, camille):
    call(200)
    texts(TOM, "Hello again, one more question about Lyon")  # a new conversation opens
    texts(TOM, "4")  # "4 of us": part of the chat, not a score
    assert Rating.objects.get().score is None
    assert inbox(camille.phone_number.as_e164)[-1].endswith("] 4")
