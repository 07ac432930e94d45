"""An ambassador's impact, on their dashboard and in the API: the countries of the visitors they
helped, the minutes they talked and the public numbers of the lines whose calls reach them.
Their own calls only, rehearsals left out, in a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token

from calls.models import Call, CallStatus, Conversation, ConversationStatus, PhoneLine
from concierge.models import Region

from ..factories import make_ambassador

pytestmark = pytest.mark.django_db


def answered(line, responder, *, sid: str, country: str, seconds: int, rehearsal=False) -> Call:
    now = timezone.now()
    return Call.objects.create(
        sid=sid,
        line=line,
        caller_country=country,
        status=CallStatus.COMPLETED,
        answered_at=now - timedelta(seconds=seconds),
        duration=seconds,
        responder=responder,
        is_rehearsal=rehearsal,
    )


def replied(line, responder, *, country: str, number: str) -> Conversation:
    return Conversation.objects.create(
        line=line,
        tourist_number=number,
        tourist_country=country,
        responder=responder,
        status=ConversationStatus.CLOSED,
        assigned_at=timezone.now(),
        first_reply_at=timezone.now(),
    )


@pytest.fixture
def alices_record(national_line, alice, bob):
    answered(national_line, alice, sid="CA1", country="DE", seconds=161)
    answered(national_line, alice, sid="CA2", country="DE", seconds=120)
    answered(national_line, alice, sid="CA3", country="JP", seconds=60)
    answered(national_line, alice, sid="CA4", country="US", seconds=3600, rehearsal=True)
    answered(national_line, bob, sid="CA5", country="BR", seconds=600)
    Call.objects.create(sid="CA6", line=national_line, caller_country="IT", responder=alice)
    replied(national_line, alice, country="ES", number="+34600000001")
    replied(national_line, bob, country="NL", number="+31600000001")


def test_alice_sees_her_countries_minutes_and_line(client, alice, alices_record):
    client.force_login(alice.user)
    page = client.get("/portal/").content.decode()
    assert "My impact" in page
    assert "Visitors from 3 countries" in page
    assert '🇩🇪</span> Germany <span class="hint">(2)</span>' in page
    assert "Japan" in page and "Spain" in page
    for elsewhere in ("Brazil", "Netherlands", "United States", "Italy"):
        assert elsewhere not in page  # Bob's, a rehearsal, an unanswered call
    assert "<dt>Minutes talked</dt><dd>5</dd>" in page  # 341 s
    assert "<dt>Calls answered</dt><dd>3</dd>" in page
    assert "+33 1 99 00 00 00" in page


def test_the_countries_are_named_in_the_readers_language(client, alice, alices_record):
    client.force_login(alice.user)
    page = client.get("/portal/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Allemagne" in page and "Japon" in page


def test_only_the_lines_of_her_regions_reach_her(client, national_line):
    corsica = PhoneLine.objects.create(number="+33495000000", label="Corsica")
    corsica.regions.set(Region.objects.filter(code="corse"))
    brittany = PhoneLine.objects.create(number="+33299000000", label="Brittany")
    brittany.regions.set(Region.objects.filter(code="bretagne"))
    PhoneLine.objects.create(number="+33199000009", label="Old", is_active=False)
    corsican = make_ambassador("corsican@example.com", name="Ghjuvanni", regions=("corse",))
    client.force_login(corsican.user)
    page = client.get("/portal/").content.decode()
    assert "+33 1 99 00 00 00" in page and "+33 4 95 00 00 00" in page
    assert "+33 2 99 00 00 00" not in page and "+33 1 99 00 00 09" not in page


def test_a_newcomer_is_told_what_will_appear(client, national_line):
    newbie = make_ambassador("newbie@example.com", name="Nina")
    client.force_login(newbie.user)
    page = client.get("/portal/").content.decode()
    assert "The countries of the visitors you help will appear here." in page
    assert "<dt>Minutes talked</dt><dd>0</dd>" in page


def test_the_api_gives_the_same_impact(client, alice, alices_record):
    token = Token.objects.create(user=alice.user)
    response = client.get("/api/v1/me/impact/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert response.json() == {
        "calls": 3,
        "conversations": 1,
        "minutes": 5,
        "countries": [
            {"code": "DE", "name": "Germany", "flag": "🇩🇪", "visitors": 2},
            {"code": "JP", "name": "Japan", "flag": "🇯🇵", "visitors": 1},
            {"code": "ES", "name": "Spain", "flag": "🇪🇸", "visitors": 1},
        ],
        "lines": [{"name": "National", "number": "+33 1 99 00 00 00", "e164": "+33199000000"}],
    }


def test_the_dashboard_costs_the_same_queries_however_many_calls(
    client, alice, national_line, django_assert_num_queries
):
    client.force_login(alice.user)
    answered(national_line, alice, sid="CA1", country="DE", seconds=60)
    with CaptureQueriesContext(connection) as first:
        client.get("/portal/")
    countries = ("JP", "US", "BR", "IT", "ES", "NL", "CN", "KR", "AU", "CA")
    for n, country in enumerate(countries):
        answered(national_line, alice, sid=f"CB{n}", country=country, seconds=60)
        replied(national_line, alice, country=country, number=f"+4915112345{n:03d}")
    with django_assert_num_queries(len(first.captured_queries)):
        page = client.get("/portal/").content.decode()
    assert "Visitors from 11 countries" in page
