"""Staff find a call or a conversation by its reference and export a date range as CSV, with no
phone number in it (issue 14, item 7)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.http import StreamingHttpResponse

from calls.models import Call, CallStatus, Conversation, ConversationStatus, Rating

from ..factories import every_day, make_ambassador
from ..security.test_anonymity import leaks

pytestmark = pytest.mark.django_db

TOURISTS = ["+4915112345678", "+819012345678", "+447400123456"]
NOW = datetime(2026, 6, 15, 18, 30, tzinfo=UTC)


@pytest.fixture
def camille(db):
    return make_ambassador("camille@example.com", name="Camille Durand", slots=every_day())


@pytest.fixture
def traffic(national_line, camille):
    """Three calls and a conversation in June, a call in May, and a rehearsal in June."""
    calls = [
        Call.objects.create(
            sid=f"CA{n:032x}",
            line=national_line,
            caller_number=number,
            caller_country=country,
            language="en",
            status=CallStatus.COMPLETED,
            responder=camille,
            received_at=NOW - timedelta(days=n),
            answered_at=NOW - timedelta(days=n) + timedelta(seconds=9),
            duration=120 + n,
        )
        for n, (number, country) in enumerate(zip(TOURISTS, ["DE", "JP", "GB"], strict=True))
    ]
    Rating.objects.create(
        call=calls[0], line=national_line, ambassador=camille, tourist_hash="h", score=5
    )
    Call.objects.create(
        sid="CA" + "e" * 32, line=national_line, caller_number=TOURISTS[0],
        received_at=NOW - timedelta(days=40),
    )  # fmt: skip
    Call.objects.create(
        sid="CA" + "f" * 32, line=national_line, caller_number=TOURISTS[1],
        received_at=NOW, is_rehearsal=True,
    )  # fmt: skip
    conversation = Conversation.objects.create(
        line=national_line,
        tourist_number=TOURISTS[2],
        tourist_country="GB",
        code="K7",
        responder=camille,
        status=ConversationStatus.CLOSED,
        opened_at=NOW - timedelta(hours=3),
    )
    return calls, conversation


def test_it_finds_a_call_by_the_reference_locals_see(client, staff, traffic):
    calls, _conversation = traffic
    client.force_login(staff)
    for typed in (calls[1].reference, calls[1].reference.lower(), f"#{calls[1].reference} "):
        page = client.get("/calls/staff/search/", {"q": typed})
        assert page.status_code == 200
        assert page.context["found"].calls[0].call == calls[1]
        assert "Camille" in page.text and "Durand" not in page.text
    assert all(number not in page.text for number in TOURISTS)


def test_it_finds_a_call_by_twilio_sid_and_a_conversation_by_code_or_address(
    client, staff, traffic
):
    calls, conversation = traffic
    client.force_login(staff)
    found = client.get("/calls/staff/search/", {"q": calls[0].sid}).context["found"]
    assert [row.call for row in found.calls] == [calls[0]] and found.calls[0].score == 5
    found = client.get("/calls/staff/search/", {"q": "#k7"}).context["found"]
    assert [row.conversation for row in found.conversations] == [conversation]
    # The id in the conversation page's address.
    found = client.get("/calls/staff/search/", {"q": str(conversation.public_id)}).context["found"]
    assert [row.conversation for row in found.conversations] == [conversation]


def test_nothing_found_and_nonsense_are_said_plainly(client, staff, traffic):
    client.force_login(staff)
    page = client.get("/calls/staff/search/", {"q": "ZZZZZZ"})
    assert page.status_code == 200 and "Nothing has the reference “ZZZZZZ”." in page.text
    page = client.get("/calls/staff/search/", {"q": ""})
    assert page.status_code == 400 and "This field is required." in page.text
    page = client.get("/calls/staff/search/", {"q": "x" * 65})
    assert page.status_code == 400


def read_csv(response) -> tuple[list[dict[str, str]], str]:
    assert isinstance(response, StreamingHttpResponse)
    text = response.getvalue().decode()
    return list(csv.DictReader(io.StringIO(text))), text


def test_the_calls_csv_has_the_range_and_no_phone_number(client, staff, traffic):
    calls, _conversation = traffic
    client.force_login(staff)
    with time_machine.travel(NOW, tick=False):
        response = client.get(
            "/calls/staff/export/", {"kind": "calls", "start": "2026-06-01", "end": "2026-06-15"}
        )
    assert response["Content-Disposition"] == (
        'attachment; filename="calls-2026-06-01-2026-06-15.csv"'
    )
    rows, text = read_csv(response)
    assert [row["reference"] for row in rows] == [c.reference for c in reversed(calls)]
    assert rows[-1]["rating"] == "5" and rows[-1]["seconds_to_a_human"] == "9"
    assert rows[-1]["local_first_name"] == "Camille" and rows[-1]["answered_by"] == "ambassador"
    assert leaks(text, TOURISTS) == []
    assert "caller_number" not in text and "hash" not in text


def test_the_conversations_csv_has_no_phone_number(client, staff, traffic):
    _calls, conversation = traffic
    client.force_login(staff)
    response = client.get(
        "/calls/staff/export/",
        {"kind": "conversations", "start": "2026-06-15", "end": "2026-06-15"},
    )
    rows, text = read_csv(response)
    assert [(row["id"], row["code"], row["tourist_country"]) for row in rows] == [
        (str(conversation.public_id), "K7", "GB")
    ]
    assert leaks(text, TOURISTS) == []


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"kind": "calls", "start": "2026-06-15", "end": "2026-06-01"}, "The end comes before"),
        ({"kind": "calls", "start": "2025-01-01", "end": "2026-06-01"}, "At most a year"),
        ({"kind": "calls", "start": "15/06/2026", "end": "2026-06-01"}, "Enter a valid date."),
        ({"kind": "numbers", "start": "2026-06-01", "end": "2026-06-01"}, "Select a valid choice"),
    ],
)
def test_a_bad_range_gets_a_specific_error(client, staff, params, error):
    client.force_login(staff)
    page = client.get("/calls/staff/export/", params)
    assert page.status_code == 400 and error in page.text


def test_a_name_typed_as_a_formula_stays_text_in_the_csv(client, staff, traffic, camille):
    camille.display_name = "=HYPERLINK(1)"
    camille.save(update_fields=["display_name"])
    client.force_login(staff)
    response = client.get(
        "/calls/staff/export/", {"kind": "calls", "start": "2026-06-15", "end": "2026-06-15"}
    )
    rows, _text = read_csv(response)
    assert rows[0]["local_first_name"] == "'=HYPERLINK(1)"
