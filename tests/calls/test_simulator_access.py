"""Who may rehearse, on which line, and never beside real phones (issue 11, hole 1)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from calls.models import Call, Message, PhoneLine
from concierge.models import Membership, OfficeNetwork, Role, TouristOffice

from ..factories import make_user
from .test_rehearsal import GERMAN, alps, line, manager, twilio_backend  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_line(db):
    """A line no network may rehearse on."""
    return PhoneLine.objects.create(number="+33199000002", label="Riviera")


def member(email: str, network: OfficeNetwork, role: Role):
    user = make_user(email)
    office = None
    if role != Role.COORDINATOR:
        office = TouristOffice.objects.create(name=email, network=network)
    Membership.objects.create(user=user, network=network, office=office, role=role)
    return user


def dial(client, line_pk: int):
    return client.post("/calls/simulator/", {"action": "dial", "line": line_pk, "caller": GERMAN})


def test_managers_rehearse_only_on_the_lines_open_to_their_network(
    client,
    manager,  # noqa: F811
    line,  # noqa: F811
    other_line,
):
    client.force_login(manager)
    for url in ("/calls/simulator/", "/calls/simulator/sms/"):
        page = client.get(url).text
        assert "National" in page and "Riviera" not in page
    assert dial(client, other_line.pk).status_code == 200  # the form says no
    assert not Call.objects.exists()
    assert dial(client, line.pk).status_code == 302
    assert Call.objects.get().line == line
    response = client.post(
        "/calls/simulator/sms/", {"action": "phones", "line": other_line.pk, "tourist": GERMAN}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text


def test_coordinators_rehearse_on_their_networks_lines_advisors_never(
    client,
    alps,  # noqa: F811
    line,  # noqa: F811
):
    client.force_login(member("coordinator@example.com", alps, Role.COORDINATOR))
    assert dial(client, line.pk).status_code == 302
    client.force_login(member("advisor@example.com", alps, Role.ADVISOR))
    response = client.get("/calls/simulator/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_another_networks_manager_is_told_no_line_is_open_to_them(
    client,
    line,  # noqa: F811
):
    stranger = member(
        "riviera@example.com", OfficeNetwork.objects.create(name="Riviera"), Role.MANAGER
    )
    client.force_login(stranger)
    for url in ("/calls/simulator/", "/calls/simulator/sms/"):
        page = client.get(url).text
        assert "No line is open to your network's rehearsals" in page
    dial(client, line.pk)
    response = client.post("/calls/simulator/sms/", {"action": "tourist", "body": "Hello"})
    assert response.status_code == 302
    assert not Call.objects.exists() and not Message.objects.exists()


def test_staff_rehearse_on_every_line(client, staff, line, other_line):  # noqa: F811
    client.force_login(staff)
    page = client.get("/calls/simulator/").text
    assert "National" in page and "Riviera" in page
    assert dial(client, other_line.pk).status_code == 302
    assert Call.objects.get().is_rehearsal


def test_a_line_closed_to_rehearsals_ends_the_one_under_way(
    client,
    manager,  # noqa: F811
    line,  # noqa: F811
    alps,  # noqa: F811
):
    client.force_login(manager)
    dial(client, line.pk)
    line.rehearsal_networks.remove(alps)
    response = client.post("/calls/simulator/", {"action": "1"}, follow=True)
    assert "This line is no longer open to your rehearsals." in response.text
    assert Call.objects.get().language == "de"  # the key never reached the line
    assert "The tourist's phone" not in response.text


def test_with_the_twilio_backend_the_simulators_are_off(
    client,
    staff,
    line,  # noqa: F811
    twilio_backend,  # noqa: F811
):
    client.force_login(staff)
    for url in ("/calls/simulator/", "/calls/simulator/sms/"):
        page = client.get(url)
        assert page.status_code == 200
        assert "The simulators are off" in page.text
        assert "<form" not in page.text.split("<main", 1)[1]
    assert dial(client, line.pk).status_code == 403
    response = client.post("/calls/simulator/sms/", {"action": "tourist", "body": "STOP"})
    assert response.status_code == 403
    assert not Call.objects.exists() and not Message.objects.exists()


def test_the_demo_network_rehearses_on_the_demo_lines(client):
    call_command("seed_demo", stdout=StringIO())
    demo_manager = Membership.objects.filter(role=Role.MANAGER).first()
    assert demo_manager is not None
    client.force_login(demo_manager.user)
    page = client.get("/calls/simulator/").text
    assert "France — national line" in page and "France — premium line" in page
    assert "No line is open" not in page
