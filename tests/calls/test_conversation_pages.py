"""An ambassador's text conversations on the web and in the API: read, answer, close; only their
own; never a number. Plus the staff SMS simulator's guard rails."""

from __future__ import annotations

import re

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from calls.models import Conversation, Message, MessageStatus
from calls.telephony import locmem

from ..factories import make_user
from .twilio import signed_post, text

pytestmark = pytest.mark.django_db

TOURIST = "+4915112345678"


@pytest.fixture
def conversation(client, national_line, alice, django_capture_on_commit_callbacks):
    """A German tourist texted and Alice (the only local yet: request this fixture before
    ``bob``) answered once by SMS."""
    with django_capture_on_commit_callbacks(execute=True):
        text(client, TOURIST, "Hallo! Is the Louvre open on Tuesdays?")
    with django_capture_on_commit_callbacks(execute=True):
        text(client, alice.phone_number.as_e164, "No, it is closed on Tuesdays.")
    return Conversation.objects.get()


def api_for(ambassador) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=ambassador.user).key}")
    return api


def digits(page: str) -> str:
    return re.sub(r"\D", "", page)


def test_the_list_and_the_thread_show_country_and_code_never_the_number(
    client, alice, conversation
):
    client.force_login(alice.user)
    listing = client.get("/calls/conversations/").text
    assert f"#{conversation.code} Germany" in listing
    thread = client.get(f"/calls/conversations/{conversation.public_id}/").text
    assert "Is the Louvre open on Tuesdays?" in thread
    assert "No, it is closed on Tuesdays." in thread
    assert "Alice, ehrenamtlich und von hier, ist für Sie da" in thread  # what the tourist was told
    assert f"[#{conversation.code}" not in thread  # not the copies relayed to Alice's phone
    for page in (listing, thread):
        assert TOURIST[1:] not in digits(page)


def test_a_reply_on_the_web_reaches_the_tourist(
    client, alice, conversation, django_capture_on_commit_callbacks
):
    client.force_login(alice.user)
    url = f"/calls/conversations/{conversation.public_id}/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"text": "But the Orsay is open!"}, follow=True)
    assert "Sent." in response.text
    assert locmem.outbox[-1].to == TOURIST
    assert locmem.outbox[-1].body == "But the Orsay is open!"
    assert locmem.outbox[-1].from_ == "+33199000000"

    empty = client.post(url, {"text": "   "})
    assert "This field is required." in empty.text
    too_long = client.post(url, {"text": "x" * 6001})
    assert "at most 6000 characters" in too_long.text


def test_a_failed_delivery_is_shown_on_the_thread(client, alice, conversation):
    reply = Message.objects.get(body="No, it is closed on Tuesdays.", direction="out")
    signed_post(
        client,
        f"/calls/sms/status/?m={reply.public_id}",
        {"MessageSid": reply.sid, "MessageStatus": "failed", "ErrorCode": "30006"},
    )
    client.force_login(alice.user)
    thread = client.get(f"/calls/conversations/{conversation.public_id}/").text
    assert "could not be delivered" in thread


def test_ending_asks_first_then_tells_the_tourist(
    client, alice, conversation, django_capture_on_commit_callbacks
):
    client.force_login(alice.user)
    url = f"/calls/conversations/{conversation.public_id}/end/"
    assert "End conversation" in client.get(url).text
    assert Conversation.objects.get().status == "open"  # a GET changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert f"Conversation #{conversation.code} Germany closed." in response.text
    to_tourist = [sms.body for sms in locmem.outbox if sms.to == TOURIST]
    assert "Alice hat dieses Gespräch beendet" in to_tourist[-2]
    assert "Wie war Ihr Gespräch mit Alice?" in to_tourist[-1]  # then the survey, once
    closed = client.get(f"/calls/conversations/{conversation.public_id}/").text
    assert "This conversation is closed." in closed
    assert 'name="text"' not in closed
    again = client.post(f"/calls/conversations/{conversation.public_id}/", {"text": "Hi?"})
    assert "This conversation is closed." in again.text


def test_nobody_else_sees_or_answers_the_conversation(client, conversation, bob, staff):
    # Staff are not volunteers: every volunteer page is the 403 that says so, whatever the id.
    for user, refused in ((bob.user, 404), (staff, 403)):
        client.force_login(user)
        for url in (
            f"/calls/conversations/{conversation.public_id}/",
            f"/calls/conversations/{conversation.public_id}/end/",
        ):
            assert client.get(url).status_code == refused
            assert client.post(url, {"text": "intrusion"}).status_code == refused
        assert conversation.tag not in client.get("/calls/conversations/").text
    client.logout()
    assert client.get("/calls/conversations/").status_code == 302  # to the log-in page


def test_the_api_lists_shows_answers_and_ends(
    alice, conversation, django_capture_on_commit_callbacks
):
    api = api_for(alice)
    listing = api.get("/api/v1/me/conversations/")
    assert listing.status_code == 200
    (item,) = listing.json()["results"]
    assert item["code"] == conversation.code
    assert item["tourist_country"] == "DE"
    assert item["status"] == "open"
    assert item["first_response_seconds"] is not None

    detail = api.get(f"/api/v1/me/conversations/{conversation.public_id}/").json()
    assert [m["author"] for m in detail["messages"]] == ["tourist", "system", "local"]
    assert detail["messages"][2]["text"] == "No, it is closed on Tuesdays."

    with django_capture_on_commit_callbacks(execute=True):
        sent = api.post(
            f"/api/v1/me/conversations/{conversation.public_id}/messages/",
            {"text": "See you!"},
            format="json",
        )
    assert sent.status_code == 201
    assert sent.json()["author"] == "local"
    assert locmem.outbox[-1].body == "See you!"
    assert Message.objects.get(public_id=sent.json()["id"]).status != MessageStatus.PENDING

    bad = api.post(
        f"/api/v1/me/conversations/{conversation.public_id}/messages/", {"text": ""}, format="json"
    )
    assert bad.status_code == 400 and "text" in bad.json()

    with django_capture_on_commit_callbacks(execute=True):
        ended = api.post(f"/api/v1/me/conversations/{conversation.public_id}/end/")
    assert ended.status_code == 200
    assert ended.json()["status"] == "closed"
    again = api.post(f"/api/v1/me/conversations/{conversation.public_id}/end/")
    assert again.status_code == 400
    closed = api.post(
        f"/api/v1/me/conversations/{conversation.public_id}/messages/",
        {"text": "Hello?"},
        format="json",
    )
    assert closed.status_code == 400
    assert closed.json() == {"text": ["This conversation is closed."]}

    for response in (listing, api.get(f"/api/v1/me/conversations/{conversation.public_id}/")):
        assert TOURIST[1:] not in digits(response.content.decode())


def test_the_api_gives_another_local_a_404(conversation, bob):
    api = api_for(bob)
    assert api.get("/api/v1/me/conversations/").json()["results"] == []
    for method, suffix in (("get", ""), ("post", "messages/"), ("post", "end/")):
        url = f"/api/v1/me/conversations/{conversation.public_id}/{suffix}"
        assert getattr(api, method)(url, {"text": "x"}, format="json").status_code == 404
    assert APIClient().get("/api/v1/me/conversations/").status_code == 401


def test_the_sms_simulator_is_for_staff_only(client, alice, national_line):
    client.force_login(alice.user)
    assert client.get("/calls/simulator/sms/").status_code == 302  # to the admin log-in
    client.force_login(make_user("boss@example.com", is_staff=True))
    assert client.get("/calls/simulator/sms/").status_code == 200
    bad = client.post(
        "/calls/simulator/sms/",
        {"action": "phones", "line": national_line.pk, "tourist": "0049 151", "local": ""},
    )
    assert "Write the number in international form" in bad.text
