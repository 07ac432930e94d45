"""Staff and tourist-office people are not volunteers until they ask to be (issue 11, hole 11).

Opening the portal, the call history, the texts or the API used to give anyone a volunteer
profile. Now an account that signed up as a volunteer still gets one on first use, and a staff or
tourist-office account gets a page that says volunteering is separate, with a button to become
one."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from ambassadors.models import Ambassador
from concierge.models import Membership, OfficeNetwork, Role, TouristOffice

from ..factories import make_user

pytestmark = pytest.mark.django_db

PORTAL_PAGES = ["/portal/", "/portal/availability/", "/portal/points/"]
API_ENDPOINTS = [
    "/api/v1/me/",
    "/api/v1/me/availability/",
    "/api/v1/me/points/",
    "/api/v1/me/redemptions/",
]
# What locals answered: an advisor answers tourists on duty, so these are theirs too (issue 13).
LOCAL_PAGES = ["/calls/history/", "/calls/conversations/"]
LOCAL_API = ["/api/v1/me/calls/", "/api/v1/me/conversations/"]


def member(email: str, role: str):
    network, _created = OfficeNetwork.objects.get_or_create(name="Île-de-France")
    office, _created = TouristOffice.objects.get_or_create(name="Paris", network=network)
    user = make_user(email)
    Membership.objects.create(
        user=user, network=network, office=None if role == Role.COORDINATOR else office, role=role
    )
    return user


@pytest.fixture(
    params=["staff", Role.MANAGER, Role.COORDINATOR, Role.ADVISOR],
    ids=["staff", "manager", "coordinator", "advisor"],
)
def professional(request, db):
    if request.param == "staff":
        return make_user("ops@example.com", is_staff=True)
    return member(f"{request.param}@example.com", request.param)


def api_as(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return api


@pytest.mark.parametrize("url", PORTAL_PAGES)
def test_opening_a_portal_page_makes_nobody_a_volunteer(client, professional, url):
    client.force_login(professional)
    response = client.get(url)
    assert response.status_code == 403
    page = response.content.decode()
    assert "Volunteering is separate" in page
    assert 'action="/portal/volunteer/"' in page
    assert "Become a volunteer" in page
    assert not Ambassador.objects.filter(user=professional).exists()


@pytest.mark.parametrize("url", LOCAL_PAGES)
def test_calls_and_texts_are_for_those_who_answer_tourists(client, professional, url):
    client.force_login(professional)
    is_advisor = professional.memberships.filter(role=Role.ADVISOR).exists()
    assert client.get(url).status_code == (200 if is_advisor else 403)
    assert not Ambassador.objects.filter(user=professional).exists()


@pytest.mark.parametrize("url", LOCAL_API)
def test_the_api_of_calls_and_texts_too(professional, url):
    response = api_as(professional).get(url)
    is_advisor = professional.memberships.filter(role=Role.ADVISOR).exists()
    assert response.status_code == (200 if is_advisor else 403)
    assert not Ambassador.objects.filter(user=professional).exists()


def test_the_page_speaks_french(client, professional):
    client.force_login(professional)
    page = client.get("/portal/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Le bénévolat, c'est à part" in page
    assert "personne ne le devient en ouvrant une page" in page
    assert "qui n'est pas un compte de bénévole" in page
    assert "Devenir bénévole" in page


def test_it_points_staff_and_offices_to_their_own_pages(client):
    ops = make_user("ops@example.com", is_staff=True)
    client.force_login(ops)
    assert 'href="/calls/simulator/"' in client.get("/portal/").content.decode()
    advisor = member("advisor@example.com", Role.ADVISOR)
    client.force_login(advisor)
    assert 'href="/rotas/"' in client.get("/portal/").content.decode()


@pytest.mark.parametrize("url", API_ENDPOINTS)
def test_the_api_answers_403_and_says_why(professional, url):
    response = api_as(professional).get(url)
    assert response.status_code == 403
    assert "not a volunteer" in response.json()["detail"]
    assert not Ambassador.objects.filter(user=professional).exists()


def test_the_api_says_it_in_french(professional):
    response = api_as(professional).get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="fr")
    assert "pas bénévole" in response.json()["detail"]


def test_the_button_makes_them_a_volunteer(client, professional):
    client.force_login(professional)
    assert client.get("/portal/volunteer/").status_code == 200
    response = client.post("/portal/volunteer/")
    assert response.status_code == 302
    assert Ambassador.objects.filter(user=professional).count() == 1
    # From then on they are a volunteer like any other, starting with onboarding.
    assert client.get("/portal/")["Location"] == "/portal/onboarding/profile/"
    assert api_as(professional).get("/api/v1/me/").status_code == 200


def test_pressing_the_button_twice_makes_one_profile(client, professional):
    client.force_login(professional)
    client.post("/portal/volunteer/")
    client.post("/portal/volunteer/")
    assert Ambassador.objects.filter(user=professional).count() == 1


def test_a_volunteer_is_sent_on_from_the_page(client, alice):
    client.force_login(alice.user)
    assert client.get("/portal/volunteer/")["Location"] == "/portal/"


def test_the_page_needs_a_login(client):
    response = client.post("/portal/volunteer/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_volunteer_signed_up_as_such_is_served_as_before(client, newcomer):
    client.force_login(newcomer)
    assert client.get("/portal/")["Location"] == "/portal/onboarding/profile/"
    assert Ambassador.objects.filter(user=newcomer).count() == 1


def test_a_new_volunteer_can_start_from_the_api(newcomer):
    assert api_as(newcomer).get("/api/v1/me/").status_code == 200
    assert Ambassador.objects.filter(user=newcomer).count() == 1


def test_staff_who_already_volunteer_keep_their_profile(client, alice):
    alice.user.is_staff = True
    alice.user.save(update_fields=["is_staff"])
    client.force_login(alice.user)
    assert client.get("/portal/").status_code == 200
    assert api_as(alice.user).get("/api/v1/me/").status_code == 200
