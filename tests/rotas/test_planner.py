"""The month planner: who sees it, who assigns whom, gaps, hours, working-time warnings, the
audit log, and a fixed number of queries however large the network."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.utils import translation

from concierge import rotas
from concierge.models import (
    Assignment,
    Membership,
    OfficeNetwork,
    Role,
    RotaChange,
    RotaRule,
    Shift,
    TouristOffice,
)

from ..factories import make_user
from .people import NOW, assign

pytestmark = pytest.mark.django_db
JUNE = "/rotas/{}/2026/6/"


def test_members_see_the_month_outsiders_get_404(client, team):
    url = JUNE.format(team.network.pk)
    for member in (team.coordinator, team.manager_a, team.manager_b, team.advisor_a):
        client.force_login(member.user)
        page = client.get(url)
        assert page.status_code == 200, member
        assert "Alps evenings" in page.text
        assert "44 seats to fill this month." in page.text  # 22 evenings × 2
    client.force_login(team.outsider.user)
    assert client.get(url).status_code == 404
    client.force_login(make_user("ambassador@example.com"))
    assert client.get(url).status_code == 404
    assert client.get("/rotas/").status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


@pytest.mark.parametrize(
    ("who", "advisor", "allowed"),
    [
        ("coordinator", "advisor_a", True),
        ("coordinator", "advisor_b", True),
        ("manager_a", "advisor_a", True),
        ("manager_a", "advisor_b", False),
        ("manager_b", "advisor_a", False),
        ("advisor_a", "advisor_a", False),
    ],
)
def test_who_may_assign_whom(client, team, who, advisor, allowed):
    with time_machine.travel(NOW, tick=False):
        response = assign(client, team, getattr(team, who), getattr(team, advisor))
    assigned = Assignment.objects.filter(membership=getattr(team, advisor)).exists()
    assert assigned == allowed
    assert ("Assigned." in response.text) == allowed
    if not allowed:
        assert "You cannot assign this advisor." in response.text


def test_outsiders_cannot_touch_the_shifts(client, team):
    with time_machine.travel(NOW, tick=False):
        response = assign(client, team, team.outsider, team.advisor_a)
    assert response.status_code == 404
    assert not Assignment.objects.exists()


def test_a_manager_unassigns_only_their_own_advisors(client, team):
    with time_machine.travel(NOW, tick=False):
        assign(client, team, team.coordinator, team.advisor_a)
        assign(client, team, team.coordinator, team.advisor_b)
        client.force_login(team.manager_a.user)
        url = f"/rotas/shifts/{team.shift.public_id}/unassign/{{}}/"
        refused = client.post(url.format(team.advisor_b.pk), follow=True)
        assert "You cannot change this advisor&#x27;s shifts." in refused.text
        done = client.post(url.format(team.advisor_a.pk), follow=True)
        assert "Taken off the shift." in done.text
    assert list(Assignment.objects.values_list("membership", flat=True)) == [team.advisor_b.pk]


def test_a_full_shift_or_a_past_one_takes_nobody_more(client, team):
    with time_machine.travel(NOW, tick=False):
        assign(client, team, team.coordinator, team.advisor_a)
        assign(client, team, team.coordinator, team.advisor_b)
        third = team.member("advisor-c", Role.ADVISOR, team.a)
        full = assign(client, team, team.coordinator, third)
    assert "This shift is already fully staffed." in full.text
    with time_machine.travel(team.shift.starts_at + timedelta(minutes=5), tick=False):
        Assignment.objects.all().delete()
        late = assign(client, team, team.coordinator, team.advisor_a)
    assert "This shift has already started." in late.text


def test_no_phone_number_appears_and_the_audit_log_is_for_managers(client, team):
    with time_machine.travel(NOW, tick=False):
        assign(client, team, team.manager_a, team.advisor_a)
        url = JUNE.format(team.network.pk)
        client.force_login(team.manager_b.user)
        page = client.get(url).text
        assert "340501" not in page and "340502" not in page
        assert "Advisor-A assigned to Monday 1 June, 18:00" in page
        client.force_login(team.advisor_a.user)
        assert "Latest changes" not in client.get(url).text
    change = RotaChange.objects.get()
    assert (change.actor, change.action) == (team.manager_a.user, "assign")


def test_working_time_warnings_in_english_and_in_french():
    start = datetime(2026, 6, 6, 8, tzinfo=UTC)  # a Saturday, 10:00 in Paris
    long_day = Shift(starts_at=start, ends_at=start + timedelta(hours=12))
    short_rest = Shift(starts_at=start + timedelta(hours=20), ends_at=start + timedelta(hours=24))
    warnings = rotas.working_time_warnings([short_rest, long_day])
    with translation.override("en"):
        assert [str(w) for w in warnings] == [
            "12 h on 6 June (over 10 h)",
            "8 h of rest before Sunday 7 June, 06:00 (under 11 h)",
        ]
    with translation.override("fr"):
        assert [str(w) for w in warnings] == [
            "12 h le 6 juin (plus de 10 h)",
            "8 h de repos avant le dimanche 7 juin, 06:00 (moins de 11 h)",
        ]
    week = [
        Shift(
            starts_at=datetime(2026, 6, 1 + n, 6, tzinfo=UTC),
            ends_at=datetime(2026, 6, 1 + n, 16, tzinfo=UTC),
        )
        for n in range(5)
    ]
    with translation.override("fr"):
        assert "50 h en semaine 23 (plus de 48 h)" in map(str, rotas.working_time_warnings(week))


def test_the_month_page_takes_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    network = OfficeNetwork.objects.create(name="Big network")
    offices = [
        TouristOffice.objects.create(name=f"Office {n:02d}", network=network) for n in range(20)
    ]
    advisors = [
        Membership.objects.create(
            user=make_user(f"adv{n}@example.com"),
            network=network,
            office=offices[n % 20],
            role=Role.ADVISOR,
        )
        for n in range(80)
    ]
    coordinator = Membership.objects.create(
        user=make_user("big@example.com"), network=network, role=Role.COORDINATOR
    )
    for name, start, end in (("Afternoons", time(14), time(18)), ("Evenings", time(18), time(22))):
        RotaRule.objects.create(
            network=network,
            name=name,
            weekdays="MO,TU,WE,TH,FR,SA,SU",
            start_time=start,
            end_time=end,
            advisors_needed=2,
            starts_on=date(2026, 1, 1),
        )
    rotas.rota_expand(network=network, start=date(2026, 6, 1), end=date(2026, 6, 30))
    for n, shift in enumerate(Shift.objects.filter(network=network)):
        Assignment.objects.create(shift=shift, membership=advisors[n % 80])
        Assignment.objects.create(shift=shift, membership=advisors[(n + 40) % 80])
    assert Shift.objects.filter(network=network).count() == 60
    client.force_login(coordinator.user)
    with django_assert_max_num_queries(15):
        page = client.get(f"/rotas/{network.pk}/2026/6/")
    assert page.status_code == 200
    assert page.text.count('id="shift-') == 60


def test_a_manager_sees_the_remove_button_only_for_their_own_advisors(client, team):
    with time_machine.travel(NOW, tick=False):
        assign(client, team, team.coordinator, team.advisor_a)
        assign(client, team, team.coordinator, team.advisor_b)
        client.force_login(team.manager_a.user)
        page = client.get(JUNE.format(team.network.pk)).text
    assert f"/unassign/{team.advisor_a.pk}/" in page
    assert f"/unassign/{team.advisor_b.pk}/" not in page


def test_htmx_swaps_the_shift_in_place_with_the_new_count(client, team):
    with time_machine.travel(NOW, tick=False):
        client.force_login(team.manager_a.user)
        url = f"/rotas/shifts/{team.shift.public_id}/assign/"
        response = client.post(url, {"advisor": team.advisor_a.pk}, HTTP_HX_REQUEST="true")
        assert "<html" not in response.text
        assert f'id="shift-{team.shift.public_id}"' in response.text
        assert "Advisor-A" in response.text
        assert 'hx-swap-oob="true">43 seats to fill this month.' in response.text
        refused = client.post(url, {"advisor": team.advisor_b.pk}, HTTP_HX_REQUEST="true")
        assert "You cannot assign this advisor." in refused.text


def test_assigning_someone_who_is_not_a_member_asks_for_an_advisor(client, team):
    client.force_login(team.coordinator.user)
    url = f"/rotas/shifts/{team.shift.public_id}/assign/"
    for chosen in ("", "0", "not-a-number", "¹", "9" * 30, str(team.outsider.pk)):
        with time_machine.travel(NOW, tick=False):
            response = client.post(url, {"advisor": chosen}, follow=True)
        assert "Choose an advisor." in response.text, chosen
    assert not Assignment.objects.exists()


def test_the_month_comes_as_rows_of_shifts_with_their_assignees(team):
    Assignment.objects.create(shift=team.shift, membership=team.advisor_a)
    plan = rotas.month_plan(network=team.network, first=date(2026, 6, 1))
    first = plan.rows[0]
    assert isinstance(first, rotas.ShiftRow)
    assert (first.shift, first.assignees, first.missing) == (team.shift, (team.advisor_a,), 1)
    assert len(plan.rows) == 22 and plan.gaps == 43
    assert rotas.shift_row(team.shift) == first
