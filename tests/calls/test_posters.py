"""Posters (A4) and flyers (A5) of a line, in French, English, German and Spanish: the number for
humans and QR codes that call it and text it, read back as a phone's camera would. Printed by
staff and by the coordinator and managers of a network that covers the line; nobody else."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from calls.models import PhoneLine
from calls.qr import number_svg
from concierge.models import Membership, OfficeNetwork, Region, Role, TouristOffice

from ..factories import make_user
from ..qr import read_code, svgs

pytestmark = pytest.mark.django_db

WORDS = {
    "fr": "Appelez ou écrivez à un habitant",
    "en": "Call or text a local, in seconds",
    "de": "Rufen Sie einen Einheimischen an",
    "es": "Llame o escriba a alguien de aquí",
}


@pytest.fixture
def corsica_line(db):
    line = PhoneLine.objects.create(number="+33495000000", label="Corsica")
    line.regions.set(Region.objects.filter(code="corse"))
    return line


def network_member(name: str, region: str, role: str = Role.MANAGER) -> Membership:
    network = OfficeNetwork.objects.create(name=f"{name} network")
    network.regions.set(Region.objects.filter(code=region))
    office = TouristOffice.objects.create(name=f"{name} office", network=network)
    return Membership.objects.create(
        user=make_user(f"{name}@example.com"),
        network=network,
        office=None if role == Role.COORDINATOR else office,
        role=role,
    )


@pytest.mark.parametrize("size", ["a4", "a5"])
@pytest.mark.parametrize("language", ["fr", "en", "de", "es"])
def test_the_poster_renders_in_each_language_and_size(client, staff, national_line, size, language):
    client.force_login(staff)
    response = client.get(f"/posters/33199000000/{size}/{language}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert f'<article class="sheet {size}">' in page
    assert WORDS[language] in page
    assert "+33 1 99 00 00 00" in page
    assert svgs(page) == [
        number_svg("+33199000000", scheme="tel"),
        number_svg("+33199000000", scheme="sms"),
    ]


def test_the_codes_read_back_to_the_number():
    assert read_code("+33199000000", scheme="tel") == "tel:+33199000000"
    assert read_code("+33199000000", scheme="sms") == "sms:+33199000000"


def test_the_print_stylesheet_sets_the_paper(client, staff, national_line):
    client.force_login(staff)
    page = client.get("/posters/33199000000/a5/fr/").content.decode()
    assert "css/poster" in page
    stylesheet = Path(str(finders.find("css/poster.css"))).read_text()
    assert "@page a4 { size: A4 portrait; margin: 0; }" in stylesheet
    assert "@page a5 { size: A5 portrait; margin: 0; }" in stylesheet


def test_a_network_prints_the_lines_it_covers(client, national_line, corsica_line):
    corsican = network_member("ajaccio", "corse")
    breton = network_member("rennes", "bretagne", Role.COORDINATOR)
    client.force_login(corsican.user)
    assert client.get("/posters/33495000000/a4/fr/").status_code == 200
    assert client.get("/posters/33199000000/a4/fr/").status_code == 200  # national: everyone's
    listing = client.get("/posters/").content.decode()
    assert "+33 4 95 00 00 00" in listing and "+33 1 99 00 00 00" in listing
    client.force_login(breton.user)
    assert client.get("/posters/33495000000/a4/fr/").status_code == 404
    assert client.get("/posters/33199000000/a4/fr/").status_code == 200
    assert "+33 4 95 00 00 00" not in client.get("/posters/").content.decode()


def test_advisors_and_volunteers_print_nothing(client, national_line, alice):
    advisor = network_member("advisor", "corse", Role.ADVISOR)
    for user in (advisor.user, alice.user):
        client.force_login(user)
        assert client.get("/posters/").status_code == 404
        assert client.get("/posters/33199000000/a4/fr/").status_code == 404


def test_a_closed_line_or_a_wrong_address_is_not_found(client, staff, national_line):
    PhoneLine.objects.create(number="+33199000009", label="Old", is_active=False)
    client.force_login(staff)
    assert client.get("/posters/33199000009/a4/fr/").status_code == 404
    assert client.get("/posters/33199000000/a3/fr/").status_code == 404
    assert client.get("/posters/33199000000/a4/it/").status_code == 404


def test_visitors_are_asked_to_log_in(client, national_line):
    response = client.get("/posters/33199000000/a4/fr/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
