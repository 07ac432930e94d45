"""A web-chat visitor's message travels like a tourist's text: to a free local (the advisor on
duty first), the FAQ while nobody is free; the local answers from their phone or the web, and
nobody sees anybody's number."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from calls.models import Conversation, ConversationStatus, FaqEntry, Rating, WebVisitor
from calls.telephony import locmem
from calls.webchat import tasks

from ...factories import every_day, make_ambassador
from ..twilio import text

pytestmark = pytest.mark.django_db


@pytest.fixture
def camille(db):
    return make_ambassador("camille@example.com", name="Camille", slots=every_day())


def test_a_visitor_reaches_a_local_who_answers_from_their_phone(
    client, visitor, camille, django_capture_on_commit_callbacks
):
    visitor.start("fr-FR")
    with django_capture_on_commit_callbacks(execute=True):
        assert visitor.write("Bonjour ! Un bon bouchon près de la gare ?").status_code == 201
    conversation = Conversation.objects.get()
    assert conversation.responder == camille and conversation.language == "fr"
    assert conversation.channel == "web" and conversation.tourist_country == ""
    relayed = [sms for sms in locmem.outbox if sms.to == camille.phone_number.as_e164]
    assert "Un bon bouchon" in relayed[0].body
    assert all(sms.to.startswith("+") for sms in locmem.outbox)  # nothing "sent" to the web
    visitor.poll()
    assert "Camille" in visitor.texts()[-1]  # who answers, in French
    with django_capture_on_commit_callbacks(execute=True):
        text(client, camille.phone_number.as_e164, "Le Café Comptoir Abel, call me 06 12 34 56 78")
    visitor.poll()
    reply = visitor.seen[-1]
    assert reply["author"] == "local" and reply["name"] == "Camille"
    assert "Café Comptoir Abel" in reply["text"]
    assert "56 78" not in reply["text"]  # the line hides contacts typed in texts
    # The local never sees the visitor's web address either.
    assert not any("web:" in sms.body for sms in locmem.outbox)


@pytest.mark.parametrize("language", ["en", "fr", "ja"])
def test_the_panel_names_the_concierge_once(
    visitor, camille, language, django_capture_on_commit_callbacks
):
    visitor.start(language)
    with django_capture_on_commit_callbacks(execute=True):
        visitor.write("Hello! Any jazz tonight?")
    visitor.poll()
    told = visitor.seen[-1]
    assert told["author"] == "concierge"  # the panel writes "Destination Concierge:" before it
    assert "Camille" in told["text"] and "Destination Concierge" not in told["text"]


def test_the_faq_answers_at_once_while_nobody_is_free(visitor, django_capture_on_commit_callbacks):
    FaqEntry.objects.create(
        topic="Trains", language="en", keywords="train, station", answer="Part-Dieu station."
    )
    visitor.start()
    with django_capture_on_commit_callbacks(execute=True):
        visitor.write("Which train station for Paris?")
    visitor.poll()
    assert visitor.seen[-1]["author"] == "concierge"
    assert "Part-Dieu station." in visitor.texts()[-1]
    assert Conversation.objects.get().status == ConversationStatus.WAITING
    assert not locmem.outbox


def test_a_local_answers_on_the_web_and_the_panel_shows_it(
    client, visitor, camille, django_capture_on_commit_callbacks
):
    visitor.start()
    with django_capture_on_commit_callbacks(execute=True):
        visitor.write("Hello! Any jazz tonight?")
    conversation = Conversation.objects.get()
    client.force_login(camille.user)
    page = client.get(f"/calls/conversations/{conversation.public_id}/")
    assert "Any jazz tonight?" in page.content.decode()
    assert "web:" not in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/calls/conversations/{conversation.public_id}/", {"text": "Try the Hot Club!"}
        )
    visitor.poll()
    assert visitor.texts()[-1] == "Try the Hot Club!"


def test_an_unread_reply_goes_to_the_address_the_visitor_left(
    client, visitor, camille, django_capture_on_commit_callbacks, settings
):
    settings.WEBCHAT_MAIL_AFTER_SECONDS = 0
    visitor.start()
    with django_capture_on_commit_callbacks(execute=True):
        visitor.write("Is the museum open on Mondays?")
    visitor.post("email/", {"token": visitor.token, "email": "ines@example.com"})
    with django_capture_on_commit_callbacks(execute=True):
        text(client, camille.phone_number.as_e164, "Closed on Mondays, sorry!")
    # The visitor closed the page: the reply was never fetched.
    assert tasks.mail_unread_web_chats() == 1
    (email,) = mail.outbox
    assert email.to == ["ines@example.com"]
    assert "Camille: Closed on Mondays, sorry!" in email.body
    assert camille.phone_number.as_e164[3:] not in email.body
    assert tasks.mail_unread_web_chats() == 0  # once
    # A reply the panel fetched is not e-mailed.
    with django_capture_on_commit_callbacks(execute=True):
        text(client, camille.phone_number.as_e164, "But open on Tuesdays.")
    visitor.poll()
    assert tasks.mail_unread_web_chats() == 0
    assert len(mail.outbox) == 1


def test_an_address_is_erased_two_days_later(visitor):
    visitor.start()
    visitor.post("email/", {"token": visitor.token, "email": "ines@example.com"})
    WebVisitor.objects.update(created_at=timezone.now() - timedelta(days=3))
    tasks.mail_unread_web_chats()
    assert WebVisitor.objects.get().email == ""


def test_new_asks_for_another_local(visitor, camille, django_capture_on_commit_callbacks):
    bob = make_ambassador("bob@example.com", name="Bob", slots=every_day())
    visitor.start()
    with django_capture_on_commit_callbacks(execute=True):
        visitor.write("Hello!")
    first = Conversation.objects.get().responder
    with django_capture_on_commit_callbacks(execute=True):
        visitor.write("NEW")
    live = Conversation.objects.exclude(status=ConversationStatus.CLOSED).get()
    assert live.responder == ({camille, bob} - {first}).pop()
    visitor.poll()
    assert live.responder.display_name.split()[0] in visitor.texts()[-1]


def test_a_visitor_is_not_asked_the_texted_survey(
    client, visitor, camille, django_capture_on_commit_callbacks
):
    visitor.start()
    with django_capture_on_commit_callbacks(execute=True):
        visitor.write("Hello! Any jazz tonight?")
    with django_capture_on_commit_callbacks(execute=True):
        text(client, camille.phone_number.as_e164, "Try the Hot Club!")
    with django_capture_on_commit_callbacks(execute=True):
        text(client, camille.phone_number.as_e164, "DONE")
    assert Conversation.objects.get().status == ConversationStatus.CLOSED
    assert not Rating.objects.exists()  # a question the panel could not show
    visitor.poll()
    assert "Camille has closed this conversation" in visitor.texts()[-1]


def test_a_community_named_in_the_first_message_goes_to_a_member(
    visitor, camille, django_capture_on_commit_callbacks
):
    from ambassadors.models import CommunityMembership, MembershipStatus
    from concierge.models import Community

    hugo = make_ambassador("hugo@example.com", name="Hugo", slots=every_day())
    CommunityMembership.objects.create(
        ambassador=hugo,
        community=Community.objects.get(code="families"),
        status=MembershipStatus.APPROVED,
    )
    visitor.start("en-GB")
    with django_capture_on_commit_callbacks(execute=True):
        assert visitor.write("We travel with kids: a park near the old town?").status_code == 201
    conversation = Conversation.objects.get()
    assert conversation.community is not None and conversation.community.code == "families"
    assert conversation.responder == hugo  # the member first, though Camille is free too


def test_a_number_typed_the_destinations_way_is_hidden(
    visitor, camille, settings, django_capture_on_commit_callbacks
):
    # A number written as people of the destination write it (no country code) is read in the
    # destination's numbering plan: here Germany's.
    settings.DESTINATION_COUNTRY = "DE"
    visitor.start("en-GB")
    with django_capture_on_commit_callbacks(execute=True):
        visitor.write("Call me back on 0151 23456789 please")
    relayed = [sms.body for sms in locmem.outbox if sms.to == camille.phone_number.as_e164]
    assert relayed and "23456789" not in relayed[0]
