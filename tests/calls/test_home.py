"""/ is the public home: the service, each line's number for humans with a tel: link and a QR
code, when locals answer, and this month's figures that leave rehearsals and unanswered calls
out. It shows no personal data: no volunteer's name, no number but the lines'."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone

from ambassadors.models import Ambassador
from calls.models import Call, CallStatus, PhoneLine
from calls.qr import number_svg
from concierge.models import Assignment, Shift

from ..factories import every_day, make_ambassador
from ..qr import read_code, svgs
from ..rotas.people import Team

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 10, 12, tzinfo=UTC)  # a Wednesday, 14:00 in Paris


def answered(line, *, sid: str, country: str, seconds: int, rehearsal: bool = False, **extra):
    at = extra.pop("at", timezone.now())
    return Call.objects.create(
        sid=sid,
        line=line,
        caller_country=country,
        caller_number="+4915112345678",
        status=CallStatus.COMPLETED,
        received_at=at,
        answered_at=at + timedelta(seconds=5),
        duration=seconds,
        is_rehearsal=rehearsal,
        **extra,
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
    assert 'href="sms:+33199000000"' in text
    assert "+33 1 99 00 00 00" in text
    assert "<strong>3</strong> calls answered" in text
    assert "<strong>2</strong> countries" in text
    assert "<strong>5</strong> minutes of conversation" in text  # 341 s, rehearsal left out


def test_the_figures_are_this_months_in_paris(client, national_line):
    with time_machine.travel(NOW, tick=False):
        answered(national_line, sid="CA1", country="DE", seconds=600)
        # 31 May, 23:30 in Paris: last month
        answered(national_line, sid="CA2", country="JP", seconds=600, at=may_31(21, 30))
        # 1 June, 00:30 in Paris, though still 31 May in UTC: this month
        answered(national_line, sid="CA3", country="IT", seconds=60, at=may_31(22, 30))
        text = client.get("/").content.decode()
    assert "<strong>2</strong> calls answered" in text
    assert "<strong>2</strong> countries" in text
    assert "<strong>11</strong> minutes of conversation" in text


def may_31(hour: int, minute: int) -> datetime:
    return datetime(2026, 5, 31, hour, minute, tzinfo=UTC)


def test_locals_ready_now_counts_who_could_be_rung(client, national_line, alice, bob):
    make_ambassador("night@example.com", name="Nox", slots=every_day(time(22), time(23)))
    Ambassador.objects.filter(pk=bob.pk).update(accepting_calls=False)
    with time_machine.travel(NOW, tick=False):
        text = client.get("/").content.decode()
    assert "<strong>1</strong> local ready now" in text


def test_the_hours_are_when_someone_is_on_call(client, national_line):
    make_ambassador("morning@example.com", name="Aube", slots=((0, time(8), time(12)),))
    make_ambassador("evening@example.com", name="Soir", slots=((0, time(11, 30), time(20)),))
    make_ambassador("late@example.com", name="Nuit", slots=((5, time(22), time(2)),))
    text = client.get("/").content.decode()
    monday = re.search(r"<dt>Monday</dt>\s*<dd>(.*?)</dd>", text, re.DOTALL)
    saturday = re.search(r"<dt>Saturday</dt>\s*<dd>(.*?)</dd>", text, re.DOTALL)
    sunday = re.search(r"<dt>Sunday</dt>\s*<dd>(.*?)</dd>", text, re.DOTALL)
    tuesday = re.search(r"<dt>Tuesday</dt>\s*<dd>(.*?)</dd>", text, re.DOTALL)
    assert monday and saturday and sunday and tuesday
    assert "08:00–20:00" in monday.group(1)
    assert "22:00–24:00" in saturday.group(1)
    assert "00:00–02:00" in sunday.group(1)
    assert "no volunteer on call yet" in tuesday.group(1)


def test_the_page_shows_no_personal_data(client, national_line, premium_line, alice, bob):
    answered(national_line, sid="CA1", country="DE", seconds=161, responder=alice)
    page = client.get("/").content.decode()
    for ambassador in (alice, bob):
        assert ambassador.display_name not in page
        assert ambassador.user.email not in page
        number = ambassador.phone_number
        for written in (number.as_e164, number.as_national, number.as_international):
            assert written not in page
    assert "4915112345678" not in page and "151 12345678" not in page
    visible = re.sub(r"<svg\b.*?</svg>", "", page, flags=re.DOTALL)
    numbers = {re.sub(r"[^\d+]", "", found) for found in re.findall(r"\+?\d[\d .]{7,}\d", visible)}
    assert numbers == {"+33199000000", "+33199000001"}


def test_each_line_has_a_qr_code_that_calls_it(client, national_line, premium_line):
    page = client.get("/").content.decode()
    drawn = svgs(page)
    assert drawn == [number_svg("+33199000000"), number_svg("+33199000001")]
    assert read_code("+33199000000", scheme="tel") == "tel:+33199000000"


def test_an_inactive_line_is_not_shown(client, national_line):
    PhoneLine.objects.create(number="+33199000009", label="Old", is_active=False)
    page = client.get("/").content.decode()
    assert "+33 1 99 00 00 09" not in page


def test_the_home_speaks_french(client, national_line):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Appelez ou écrivez à un habitant" in page
    assert "Quand les habitants répondent" in page


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/de/", "Rufen Sie einen Einheimischen an"),
        ("/es/", "Llame o escriba a alguien de aquí"),
        ("/it/", "Chiama o scrivi a una persona del posto"),
        ("/pt/", "Ligue ou envie uma mensagem a um local"),
        ("/nl/", "Bel of sms een local"),
        ("/zh-hans/", "几秒钟内"),
        ("/ja/", "数秒で"),
        ("/fr/", "Appelez ou écrivez à un habitant"),
        ("/en/", "Call or text a local, in seconds"),
    ],
)
def test_the_home_speaks_the_tourists_languages(client, national_line, path, words):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    text = response.content.decode()
    assert words in text
    assert f'<html lang="{path.strip("/")}">' in text
    assert "+33 1 99 00 00 00" in text


def test_the_language_chooser_works_without_javascript(client, national_line):
    page = client.get("/").content.decode()
    for code, name in (
        ("de", "Deutsch"),
        ("ja", "日本語"),
        ("zh-hans", "简体中文"),
        ("fr", "Français"),
    ):
        assert f'<a href="/{code}/" lang="{code}" hreflang="{code}"' in page
        assert name in page
    assert client.get("/xx/").status_code == 404


def test_tourist_offices_find_the_snippet_and_volunteers_the_sign_up(client, national_line):
    page = client.get("/").content.decode()
    assert 'href="/embed/"' in page
    assert 'href="/accounts/signup/"' in page


def test_signed_in_people_go_on_to_their_pages(client, alice):
    client.force_login(alice.user)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/portal/"


@pytest.mark.parametrize(
    ("accept", "words"),
    [
        ("de-AT,de;q=0.9,en;q=0.5", "Rufen Sie einen Einheimischen an"),
        ("zh-CN,zh;q=0.9", "几秒钟内"),
        ("ko,ja;q=0.8,en;q=0.5", "数秒で"),
        ("en;q=0.4,it;q=0.9", "Chiama o scrivi"),
        ("ko,ru", "Call or text a local, in seconds"),
        ("garbage;q=x, ;;", "Call or text a local, in seconds"),
    ],
)
def test_a_tourist_meets_the_home_in_their_browsers_language(client, national_line, accept, words):
    assert words in client.get("/", HTTP_ACCEPT_LANGUAGE=accept).content.decode()


def test_a_language_chosen_on_the_site_wins_over_the_browsers(client, national_line):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Call or text a local, in seconds" in page


def test_advisors_on_a_rota_shift_are_locals_ready_too(client, national_line):
    with time_machine.travel(datetime(2026, 6, 1, 17, tzinfo=UTC), tick=False):  # 19:00 Paris
        team = Team()
        evening = Shift.objects.filter(network=team.network).order_by("starts_at").first()
        assert evening is not None
        Assignment.objects.create(shift=evening, membership=team.advisor_a)
        text = client.get("/").content.decode()
    assert "<strong>1</strong> local ready now" in text
