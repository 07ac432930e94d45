"""Public holidays (a rule skips them or adds shifts on them) and closure days (an office's
advisors are not proposed; a closed network has no shift), on the planner and in expansion."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
import time_machine
from django.utils import translation

from concierge import rotas
from concierge.models import Closure, OnHolidays, RotaChange, RotaRule, Shift, Unavailability
from concierge.rotas import closures

from .people import NOW

pytestmark = pytest.mark.django_db
# 2026: Easter Monday 6 April, Bastille Day Tuesday 14 July, Christmas Friday 25 December.
HOLIDAYS = [date(2026, 4, 6), date(2026, 7, 14), date(2026, 12, 25)]


def local_days(network) -> set[date]:
    tz = rotas.destination_tz()
    return {s.starts_at.astimezone(tz).date() for s in Shift.objects.filter(network=network)}


def rule(team, *, days: str, on_holidays: str) -> RotaRule:
    return RotaRule.objects.create(
        network=team.network,
        name=f"{days} {on_holidays}",
        weekdays=days,
        start_time=time(10),
        end_time=time(16),
        starts_on=date(2026, 1, 1),
        on_holidays=on_holidays,
    )


def test_the_french_public_holidays_are_known_in_french_and_in_english():
    with translation.override("fr"):
        french = rotas.public_holidays(date(2026, 1, 1), date(2026, 12, 31))
    with translation.override("en"):
        english = rotas.public_holidays(date(2026, 7, 14), date(2026, 7, 14))
    assert french[date(2026, 7, 14)] == "Fête nationale"
    assert french[date(2026, 12, 25)] == "Noël"
    assert french[date(2026, 4, 6)] == "Lundi de Pâques"
    assert english == {date(2026, 7, 14): "National Day"}


def test_a_rule_skips_public_holidays(team):
    team.network.rules.all().delete()
    Shift.objects.all().delete()
    rule(team, days="MO,TU,WE,TH,FR", on_holidays=OnHolidays.SKIP)
    rotas.rota_expand(network=team.network, start=date(2026, 4, 1), end=date(2026, 12, 31))
    days = local_days(team.network)
    assert not days & set(HOLIDAYS)
    assert {date(2026, 4, 7), date(2026, 7, 13), date(2026, 12, 24)} <= days


def test_a_rule_adds_shifts_on_public_holidays(team):
    team.network.rules.all().delete()
    Shift.objects.all().delete()
    rule(team, days="SA,SU", on_holidays=OnHolidays.ADD)
    rotas.rota_expand(network=team.network, start=date(2026, 4, 1), end=date(2026, 12, 31))
    days = local_days(team.network)
    assert set(HOLIDAYS) <= days  # Monday, Tuesday, Friday: holidays, so weekend hours
    assert date(2026, 7, 13) not in days  # an ordinary Monday


def test_an_ordinary_rule_works_on_holidays_as_on_any_day(team):
    rotas.rota_expand(network=team.network, start=date(2026, 7, 1), end=date(2026, 7, 31))
    assert date(2026, 7, 14) in local_days(team.network)


def test_a_coordinator_closes_the_network_for_a_day(client, team):
    client.force_login(team.coordinator.user)
    with time_machine.travel(NOW, tick=False):
        answer = client.post(
            f"/rotas/{team.network.pk}/closures/",
            {"day": "2026-06-10", "office": "", "reason": "Staff training"},
            follow=True,
        )
        assert "Closure saved." in answer.text
        assert date(2026, 6, 10) not in local_days(team.network)
        rotas.rota_expand(network=team.network, start=date(2026, 6, 1), end=date(2026, 6, 30))
        assert date(2026, 6, 10) not in local_days(team.network)  # expansion respects it
        page = client.get(f"/rotas/{team.network.pk}/2026/6/").text
    assert "Alps evenings closed" in page and "Staff training" in page
    change = RotaChange.objects.get(action="closure")
    with translation.override("fr"):
        assert rotas.selectors.latest_changes(team.network)[0].description == (
            "Alps evenings\u00a0: fermeture le mercredi 10 juin 2026"
        )
    assert change.data == {"place": "Alps evenings", "day": "2026-06-10"}


def test_an_office_closure_keeps_its_advisors_off_that_day(client, team):
    with time_machine.travel(NOW, tick=False):
        closures.closure_declare(by=team.manager_a, office=team.a, day=date(2026, 6, 3))
        proposals = rotas.rota_propose(network=team.network, first=NOW.date(), by=team.coordinator)
        plan = rotas.month_plan(network=team.network, first=NOW.date(), by=team.coordinator)
    june_3 = [p.advisor for p in proposals if p.shift.starts_at.day == 3]
    assert june_3 == [team.advisor_b]
    row = next(r for r in plan.rows if r.shift.starts_at.day == 3)
    assert row.choices == (team.advisor_b,)
    assert date(2026, 6, 3) in local_days(team.network)  # the network still works that day


def test_a_manager_closes_only_their_own_office(client, team):
    client.force_login(team.manager_b.user)
    with time_machine.travel(NOW, tick=False):
        refused = client.post(
            f"/rotas/{team.network.pk}/closures/",
            {"day": "2026-06-10", "office": str(team.a.pk)},
            follow=True,
        )
        past = closures_error(team)
    assert not Closure.objects.exists()
    assert "Select a valid choice" in refused.text
    assert past == "This day is past: choose today or a later day."


def closures_error(team) -> str:
    try:
        closures.closure_declare(by=team.coordinator, office=None, day=date(2026, 5, 31))
    except rotas.RotaError as error:
        return error.message
    return ""


def test_the_planner_shows_holidays_in_the_readers_language(client, team):
    rotas.rota_expand(network=team.network, start=date(2026, 7, 1), end=date(2026, 7, 31))
    with time_machine.travel(datetime(2026, 7, 1, 9, tzinfo=UTC), tick=False):
        client.force_login(team.manager_a.user)
        english = client.get(f"/rotas/{team.network.pk}/2026/7/").text
        client.cookies["django_language"] = "fr"
        french = client.get(f"/rotas/{team.network.pk}/2026/7/").text
    assert "National Day" in english
    assert "Fête nationale" in french


def test_an_office_closure_counts_as_a_day_away_for_its_advisors_only(team):
    Closure.objects.create(network=team.network, office=team.b, day=date(2026, 6, 4))
    Unavailability.objects.create(membership=team.advisor_a, day=date(2026, 6, 5))
    away = rotas.selectors.away_days(
        [team.advisor_a, team.advisor_b], start=date(2026, 6, 1), end=date(2026, 6, 30)
    )
    assert away == {(team.advisor_b.pk, date(2026, 6, 4)), (team.advisor_a.pk, date(2026, 6, 5))}
