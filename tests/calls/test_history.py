"""An ambassador's call history, on the web and in the API; reports; never a number."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from calls.models import BlockedNumber, Call, CallReport, ReportStatus
from calls.voice.reports import report_confirm
from concierge.lib.pseudonyms import number_hash

from .twilio import phone

pytestmark = pytest.mark.django_db

TOURIST = "+4915112345678"


@pytest.fixture
def answered(client, national_line, alice):
    phone(client, from_=TOURIST).dial().press("1").press("2").press("0").answer("1").hang_up(
        after=125
    )
    return Call.objects.get()


def test_the_history_shows_country_motive_and_duration_never_the_number(client, alice, answered):
    client.force_login(alice.user)
    page = client.get("/calls/history/").text
    assert "Germany" in page
    assert "Food and wine" in page
    assert "2:05" in page
    assert answered.reference in page
    assert TOURIST not in page and "15112345678" not in page
    dashboard = client.get("/portal/").text
    assert "Food and wine" in dashboard
    assert TOURIST not in dashboard


def test_the_api_lists_my_calls_without_numbers(alice, answered, bob):
    assert answered.responder == alice  # Bob was created after the call: nobody else to ring
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=alice.user).key}")
    data = api.get("/api/v1/me/calls/").json()
    assert data["count"] == 1
    assert data["results"][0]["caller_country"] == "DE"
    assert data["results"][0]["duration"] == 125
    assert TOURIST not in str(data)
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=bob.user).key}")
    assert api.get("/api/v1/me/calls/").json()["count"] == 0
    assert APIClient().get("/api/v1/me/calls/").status_code == 401


def test_an_ambassador_reports_a_call_and_staff_block_the_caller(client, alice, answered):
    client.force_login(alice.user)
    url = f"/calls/history/{answered.public_id}/report/"
    assert "What happened?" in client.get(url).text
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    response = client.post(url, {"reason": "Insults from the first second."})
    assert response["Location"] == "/calls/history/"
    assert "already reported" in client.post(url, {"reason": "again"}).text
    report = CallReport.objects.get()
    assert report.status == ReportStatus.OPEN
    report_confirm(report=report)
    assert BlockedNumber.objects.filter(number_hash=number_hash(TOURIST)).exists()
    # Next time, the caller hears the polite refusal.
    tourist = phone(client, from_=TOURIST).dial()
    assert "wir können Ihren Anruf nicht annehmen" in tourist.said[-1]


def test_nobody_else_can_see_or_report_the_call(client, alice, bob, answered):
    other = bob if answered.responder == alice else alice
    client.force_login(other.user)
    assert client.get(f"/calls/history/{answered.public_id}/report/").status_code == 404
    assert answered.reference not in client.get("/calls/history/").text
