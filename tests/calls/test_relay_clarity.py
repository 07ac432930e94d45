"""The text relay says what it does: who wrote each message after a hand-over, long texts whole
and in order, contacts typed in texts hidden (and the writer told once)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from calls.models import Conversation, ConversationStatus
from calls.sms import sweep as sms_sweep
from calls.telephony import locmem

from ..factories import every_day, make_ambassador
from .twilio import text

pytestmark = pytest.mark.django_db

GERMAN = "+4915112345678"


@pytest.fixture
def texts(client, national_line, django_capture_on_commit_callbacks):
    def send(from_: str, body: str) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            return text(client, from_, body)

    return send


def inbox(number: str) -> list[str]:
    return [sms.body for sms in locmem.outbox if sms.to == number]


def number_of(ambassador) -> str:
    return ambassador.phone_number.as_e164


def live() -> Conversation:
    return Conversation.objects.exclude(status=ConversationStatus.CLOSED).get()


def test_after_a_hand_over_the_thread_names_who_wrote_what(
    client, texts, settings, django_capture_on_commit_callbacks
):
    carla = make_ambassador(
        "carla@example.com", name="Carla M", languages=("en",), slots=every_day()
    )
    texts(GERMAN, "Hello!")
    texts(number_of(carla), "Hi, I am Carla!")
    # Carla stops answering; Erik takes over when she opts her phone out of the line.
    erik = make_ambassador("erik@example.com", name="Erik", languages=("en",), slots=every_day())
    texts(number_of(carla), "STOP")
    with django_capture_on_commit_callbacks(execute=True):
        sms_sweep.conversations_sweep(now=timezone.now() + timedelta(minutes=1))
    conversation = live()
    assert conversation.responder == erik
    # The tourist is told, once, that someone else answers now.
    assert "Erik, ebenfalls ehrenamtlich und von hier, ist jetzt für Sie da" in inbox(GERMAN)[-1]
    texts(number_of(erik), "Erik here, happy to help.")

    client.force_login(erik.user)
    page = client.get(f"/calls/conversations/{conversation.public_id}/").text
    labels = [line.split("·")[0].strip() for line in _meta_lines(page)]
    assert labels[:1] == ["Tourist"]
    assert "Carla" in labels and "You" in labels
    assert labels.index("Carla") < labels.index("You")


def _meta_lines(page: str) -> list[str]:
    import re

    return [
        re.sub(r"\s+", " ", m).strip()
        for m in re.findall(r'<span class="sms-meta">(.*?)</span>', page, re.S)
    ]


def test_a_long_text_arrives_whole_and_in_order(texts):
    lou = make_ambassador("lou@example.com", name="Lou", languages=("en",), slots=every_day())
    words = [f"w{n:04d}" for n in range(600)]  # 3,000 characters
    long_text = " ".join(words)
    assert len(long_text) >= 2999
    texts(GERMAN, long_text)
    parts = [body for body in inbox(number_of(lou)) if body.startswith("[")]
    assert len(parts) == 3
    code = Conversation.objects.get().code
    # Each part says which conversation it belongs to and where it stands.
    assert [p.split(") ", 1)[0] for p in parts] == [
        f"[#{code} Germany] (1/3",
        f"[#{code}] (2/3",
        f"[#{code}] (3/3",
    ]
    received = " ".join(p.split(") ", 1)[1] for p in parts)
    assert received.split() == words  # every word, in order

    texts(number_of(lou), long_text)  # and back to the tourist, whole
    back = [b for b in inbox(GERMAN) if b.startswith("(")]
    assert [b.split(")")[0] for b in back] == ["(1/3", "(2/3", "(3/3"]
    assert " ".join(b.split(") ", 1)[1] for b in back).split() == words


def test_contacts_typed_in_texts_are_hidden_and_the_writer_told_once(texts):
    lou = make_ambassador("lou@example.com", name="Lou", languages=("en",), slots=every_day())
    texts(GERMAN, "Hi! Call me on +49 151 98765432 or write to hans@example.de")
    relayed = inbox(number_of(lou))[0]
    assert "98765432" not in relayed and "hans@example.de" not in relayed
    assert relayed.endswith("Call me on […] or write to […]")
    notices = [b for b in inbox(GERMAN) if "sehen Ihre Ansprechpartner keine Telefonnummern" in b]
    assert len(notices) == 1
    texts(GERMAN, "My number again: 0049 151 98765432")
    assert "98765432" not in inbox(number_of(lou))[-1]
    assert (
        len([b for b in inbox(GERMAN) if "sehen Ihre Ansprechpartner keine Telefonnummern" in b])
        == 1
    )  # once

    texts(number_of(lou), "Sure, I am on 06 12 34 56 78, dinner opens at 19:30 on 2026-12-01")
    to_tourist = inbox(GERMAN)[-1]
    assert "06 12 34 56 78" not in to_tourist
    assert "19:30 on 2026-12-01" in to_tourist  # times and dates pass
    assert "are hidden from the tourist" in inbox(number_of(lou))[-1]
    assert "98765432" not in str(list(Conversation.objects.get().messages.values("body")))


def test_a_line_may_let_people_share_contacts(texts, national_line):
    national_line.masks_contacts = False
    national_line.save()
    lou = make_ambassador("lou@example.com", name="Lou", languages=("en",), slots=every_day())
    texts(GERMAN, "Call me on +49 151 98765432")
    assert inbox(number_of(lou))[0].endswith("Call me on +49 151 98765432")


# --- Reserved words (point 1) -------------------------------------------------------------------


def test_done_closes_and_the_help_teaches_done_never_end(texts):
    lou = make_ambassador("lou@example.com", name="Lou", languages=("en",), slots=every_day())
    texts(GERMAN, "Hello from Berlin")
    texts("+4915100000002", "Hello from Munich")
    texts(number_of(lou), "Which one?")  # two open: she is told how to answer
    help_text = inbox(number_of(lou))[-1]
    assert " DONE' closes it" in help_text
    assert "END" not in help_text
    code = Conversation.objects.get(tourist_number=GERMAN).code
    texts(number_of(lou), f"#{code} done")
    assert Conversation.objects.get(tourist_number=GERMAN).status == ConversationStatus.CLOSED
    assert "hat dieses Gespräch beendet" in inbox(GERMAN)[-1]


def test_a_bare_end_from_a_volunteer_is_explained_once_and_their_tourist_handed_over(
    texts, mailoutbox
):
    lou = make_ambassador("lou@example.com", name="Lou", languages=("en",), slots=every_day())
    texts(GERMAN, "Hello!")
    vera = make_ambassador("vera@example.com", name="Vera", languages=("en",), slots=every_day())
    before = len(inbox(GERMAN))
    texts(number_of(lou), "END")  # she meant "done"; the phone network hears "unsubscribe"

    conversation = live()
    assert conversation.responder == vera  # handed over at once, not left waiting
    (notice,) = inbox(GERMAN)[before:]  # one text to the tourist, and it says what changed
    assert "Vera, ebenfalls ehrenamtlich und von hier, ist jetzt für Sie da" in notice
    (mail,) = mailoutbox
    assert mail.to == ["lou@example.com"]
    assert "You texted END to +33 1 99 00 00 00" in mail.body
    assert "text START to +33 1 99 00 00 00" in mail.body
    assert "#K7 DONE" in mail.body

    texts(number_of(lou), "END")  # again: nothing more
    assert len(mailoutbox) == 1


def test_an_advisor_is_told_in_french(texts, mailoutbox):
    """The e-mail goes in the local's language (advisors: the offices' French)."""
    from calls.copy import local_opted_out_mail

    mail = local_opted_out_mail("fr", word="END", line="+33199000000", example="#K7 DONE")
    assert mail.subject == "Votre téléphone ne reçoit plus les SMS de la ligne"
    assert "envoyez START au +33 1 99 00 00 00" in mail.body


def test_the_api_says_who_wrote_each_message(client, texts, django_capture_on_commit_callbacks):
    from rest_framework.authtoken.models import Token

    carla = make_ambassador("carla@example.com", name="Carla", languages=("en",), slots=every_day())
    texts(GERMAN, "Hello!")
    texts(number_of(carla), "Hi, I am Carla!")
    erik = make_ambassador("erik@example.com", name="Erik", languages=("en",), slots=every_day())
    texts(number_of(carla), "STOP")  # handed over to Erik at once
    texts(number_of(erik), "Erik here.")
    conversation = live()
    assert erik.user is not None
    token = Token.objects.create(user=erik.user).key
    answer = client.get(
        f"/api/v1/me/conversations/{conversation.public_id}/", HTTP_AUTHORIZATION=f"Token {token}"
    ).json()
    by = [(m["by"], m["text"]) for m in answer["messages"] if m["author"] != "system"]
    assert by == [
        ("tourist", "Hello!"),
        ("Carla", "Hi, I am Carla!"),
        ("you", "Erik here."),
    ]
