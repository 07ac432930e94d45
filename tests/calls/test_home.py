"""/ is the public home: the service, each line's number for humans with a tel: link, and live
figures that leave rehearsals and unanswered calls out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from calls.models import Call, CallStatus

pytestmark = pytest.mark.django_db


def answered(line, *, sid: str, country: str, seconds: int, rehearsal: bool = False) -> Call:
    now = timezone.now()
    return Call.objects.create(
        sid=sid,
        line=line,
        caller_country=country,
        status=CallStatus.COMPLETED,
        answered_at=now - timedelta(seconds=seconds),
        duration=seconds,
        is_rehearsal=rehearsal,
    )


def test_a_visitor_sees_the_number_and_the_figures(client, national_line):
    answered(national_line, sid="CA1", country="DE", seconds=161)
    answered(national_line, sid="CA2", country="JP", seconds=120)
    answered(national_line, sid="CA3", country="DE", seconds=60)
    answered(national_line, sid="CA4", country="US", seconds=4 * 3600, rehearsal=True)
    Call.objects.create(sid="CA5", line=national_line, caller_country="BR")  # never answered
    page = client.get("/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'href="tel:+33199000000"' in text
    assert "+33 1 99 00 00 00" in text
    assert "<strong>3</strong> calls answered" in text
    assert "<strong>2</strong> countries" in text
    assert "<strong>5</strong> minutes of conversation" in text  # 341 s, rehearsal left out


def test_the_home_speaks_french(client, national_line):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Appelez ou écrivez à un habitant" in page


def test_signed_in_people_go_on_to_their_pages(client, alice):
    client.force_login(alice.user)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/portal/"
