"""Each role's home (issue 13, item 1): where each person lands after log-in and from /, what
each home shows, the role switch, and a fixed number of queries per home."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.utils import timezone

from ambassadors.models import Ambassador, Redemption, Reward
from calls.models import (
    Call,
    CallReport,
    CallStatus,
    Conversation,
    ConversationStatus,
    PhoneLine,
)
from concierge.models import (
    Assignment,
    Membership,
    OfferStatus,
    Role,
    RotaChange,
    Shift,
    ShiftOffer,
)

from ..factories import PASSWORD, make_ambassador, make_user
from ..rotas.people import Team

MONDAY_EVENING = datetime(2026, 6, 1, 17, tzinfo=UTC)  # 19:00 in Paris, a shift runs 18–22
TOURIST = "+4915112345678"

pytestmark = pytest.mark.django_db


@pytest.fixture
def evening():
    """The Alps network on a Monday evening: Advisor-A on tonight's shift (one seat of two is
    empty), a text and a call of hers, a colleague's offer to take, her own offer waiting, a
    hand-over for the coordinator, a change in the log."""
    with time_machine.travel(MONDAY_EVENING, tick=False):
        team = Team()
        line = PhoneLine.objects.create(number="+33199000000", label="National")
        shifts = list(Shift.objects.filter(network=team.network).order_by("starts_at"))
        Assignment.objects.create(shift=shifts[0], membership=team.advisor_a)
        mine = Assignment.objects.create(shift=shifts[2], membership=team.advisor_a)
        ShiftOffer.objects.create(assignment=mine, offered_by=team.advisor_a)
        theirs = Assignment.objects.create(shift=shifts[3], membership=team.advisor_b)
        ShiftOffer.objects.create(assignment=theirs, offered_by=team.advisor_b)
        handed = Assignment.objects.create(shift=shifts[4], membership=team.advisor_b)
        ShiftOffer.objects.create(
            assignment=handed,
            offered_by=team.advisor_b,
            taken_by=team.advisor_a,
            status=OfferStatus.PENDING,
        )
        RotaChange.objects.create(
            network=team.network, actor=team.manager_a.user, action="assign", description="Shift"
        )
        Conversation.objects.create(
            line=line,
            tourist_number=TOURIST,
            tourist_country="DE",
            advisor=team.advisor_a,
            status=ConversationStatus.OPEN,
            code="K7",
            assigned_at=timezone.now(),
        )
        Conversation.objects.create(line=line, tourist_number="+4915100000000")  # waiting
        Call.objects.create(
            sid="CA" + "c" * 32,
            line=line,
            caller_number=TOURIST,
            status=CallStatus.COMPLETED,
            advisor=team.advisor_a,
            duration=90,
            answered_at=timezone.now(),
        )
        yield team


def log_in(client, user):
    user.set_password(PASSWORD)
    user.save()
    return client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})


def test_each_role_lands_on_its_own_home(client, evening, alice):
    staff = make_user("ops@example.com", is_staff=True)
    homes = {
        alice.user: "/portal/",
        evening.advisor_a.user: "/office/evening/",
        evening.manager_a.user: "/office/tonight/",
        evening.coordinator.user: "/office/tonight/",
        staff: "/staff/",
    }
    with time_machine.travel(MONDAY_EVENING, tick=False):
        for user, home in homes.items():
            assert log_in(client, user)["Location"] == home, user.email
            assert client.get("/")["Location"] == home  # / is the public home for visitors
            assert client.get("/home/")["Location"] == home
            assert client.get(home).status_code == 200
            client.post("/accounts/logout/")
    assert client.get("/").status_code == 200


def test_nobody_becomes_a_volunteer_by_visiting_a_page(client, evening):
    with time_machine.travel(MONDAY_EVENING, tick=False):
        for member in (evening.advisor_a, evening.manager_a, evening.coordinator):
            client.force_login(member.user)
            for url in ("/home/", "/portal/", "/calls/history/", "/calls/conversations/"):
                client.get(url, follow=True)
    assert not Ambassador.objects.exists()


def test_the_advisors_evening(client, evening):
    client.force_login(evening.advisor_a.user)
    with time_machine.travel(MONDAY_EVENING, tick=False):
        page = client.get("/office/evening/").text
    assert "Good evening, Advisor-A" in page
    assert "Monday 1 June, 18:00–22:00" in page  # her shift under way
    assert "#K7</code>" in page and "DE" in page  # her open text
    assert TOURIST not in page and "15112345678" not in page
    assert "/calls/conversations/" in page
    assert "/rotas/offers/" in page and "Take it" in page  # Advisor-B's offer
    assert "Offered" in page  # her own offer, waiting
    assert 'id="home-notices"' not in page  # the notices' place waits for the lead


def test_tonight_for_the_network(client, evening):
    client.force_login(evening.coordinator.user)
    with time_machine.travel(MONDAY_EVENING, tick=False):
        page = client.get("/office/tonight/").text
    assert "Tonight in Alps evenings" in page
    assert "18:00–22:00 · Advisor-A (Annecy)" in page  # on duty now
    assert "Tuesday 2 June, 18:00–22:00" in page  # next
    assert "1 seat empty" in page  # tonight
    assert "Approve" in page  # the coordinator decides hand-overs here
    assert "Shift" in page  # the change log
    client.force_login(evening.manager_a.user)
    with time_machine.travel(MONDAY_EVENING, tick=False):
        page = client.get("/office/tonight/").text
    assert "Advisor-B to Advisor-A" in page and "Approve" not in page  # managers only see it


def test_tonight_counts_what_the_network_handled_today(client, evening):
    client.force_login(evening.manager_b.user)
    with time_machine.travel(MONDAY_EVENING, tick=False):
        page = client.get("/office/tonight/").text
    assert "<dt>Calls answered</dt><dd>1</dd>" in page
    assert "<dt>Text conversations</dt><dd>1</dd>" in page


def test_a_planner_of_another_network_cannot_choose_this_one(client, evening):
    client.force_login(evening.outsider.user)
    assert client.get(f"/office/tonight/?network={evening.network.pk}").status_code == 404
    assert client.get("/office/tonight/").status_code == 200  # their own


def test_the_staff_operations_home(client, evening):
    staff = make_user("ops@example.com", is_staff=True)
    volunteer = make_ambassador("vic@example.com", name="Vic")
    call = Call.objects.get()
    CallReport.objects.create(call=call, ambassador=volunteer, reason="Rude")
    reward = Reward.objects.create(name="A weekend in Annecy", price=10, stock=3)
    Redemption.objects.create(ambassador=volunteer, reward=reward, price=10)
    client.force_login(staff)
    with time_machine.travel(MONDAY_EVENING, tick=False):
        page = client.get("/staff/").text
    assert "National" in page and "+33 1 99 00 00 00" in page  # the line's public number
    assert "1 of 1 call answered today" in page
    assert "<dt>Advisors on duty</dt><dd>1</dd>" in page
    assert call.reference in page  # the report to review
    assert "/portal/rewards/review/" in page
    for tool in ("/calls/simulator/", "/calls/simulator/sms/", "/calls/outbox/", "/admin/"):
        assert f'href="{tool}"' in page
    assert "+33612340501" not in page and "06 12 34 05 01" not in page  # nobody's own number


def test_a_person_with_several_roles_switches(client, evening):
    """Advisor-A also plans Annecy's rota: the header offers the other home and remembers."""
    Membership.objects.create(
        user=evening.advisor_a.user,
        network=evening.network,
        office=evening.a,
        role=Role.MANAGER,
    )
    client.force_login(evening.advisor_a.user)
    with time_machine.travel(MONDAY_EVENING, tick=False):
        assert client.get("/home/")["Location"] == "/office/tonight/"  # planning comes first
        page = client.get("/office/tonight/").text
        assert 'action="/home/role/"' in page and 'value="advisor"' in page
        assert client.post("/home/role/", {"role": "advisor"})["Location"] == "/office/evening/"
        assert client.get("/home/")["Location"] == "/office/evening/"
        assert client.get("/")["Location"] == "/office/evening/"
        refused = client.post("/home/role/", {"role": "staff"}, follow=True)
    assert "You do not have this role." in refused.text
    assert not Ambassador.objects.exists()


def test_the_homes_speak_french(client, evening):
    client.force_login(evening.advisor_a.user)
    with time_machine.travel(MONDAY_EVENING, tick=False):
        page = client.get("/office/evening/", HTTP_ACCEPT_LANGUAGE="fr").text
        assert "Bonsoir, Advisor-A" in page
        assert "undi 1 juin, 18:00–22:00" in page  # (l|L)undi: item 8 settles the case
        client.force_login(evening.coordinator.user)
        page = client.get("/office/tonight/", HTTP_ACCEPT_LANGUAGE="fr").text
        assert "Ce soir dans Alps evenings" in page
        client.force_login(make_user("ops@example.com", is_staff=True))
        assert "Exploitation" in client.get("/staff/", HTTP_ACCEPT_LANGUAGE="fr").text


@pytest.mark.parametrize(
    ("who", "url", "queries"),
    [
        ("advisor_a", "/office/evening/", 10),
        ("coordinator", "/office/tonight/", 11),
        ("staff", "/staff/", 11),
    ],
)
def test_each_home_takes_a_fixed_number_of_queries(
    client, evening, django_assert_max_num_queries, who, url, queries
):
    """Measured with more of everything than a real evening has: counts, not per-row reads."""
    line = PhoneLine.objects.get()
    for n in range(20):
        Conversation.objects.create(
            line=line,
            tourist_number=f"+491620000{n:04d}",
            advisor=evening.advisor_a,
            status=ConversationStatus.OPEN,
            code="ABCDEFGHJKLMNPQRSTUV"[n] + str(n % 10),
            assigned_at=timezone.now(),
        )
        Call.objects.create(
            sid=f"CA{n:032d}", line=line, caller_number=TOURIST, advisor=evening.advisor_a
        )
    for shift in Shift.objects.filter(assignments__isnull=True)[:6]:
        Assignment.objects.create(shift=shift, membership=evening.advisor_b)
    user = make_user("ops@example.com", is_staff=True) if who == "staff" else None
    client.force_login(user or getattr(evening, who).user)
    with time_machine.travel(MONDAY_EVENING, tick=False):
        client.get(url)  # the session is written once
        with django_assert_max_num_queries(queries):
            assert client.get(url).status_code == 200
