"""A manager plans a week of the shared rota in a real browser."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time

import pytest
import time_machine
from playwright.sync_api import expect

from concierge import rotas
from concierge.models import Assignment, Membership, OfficeNetwork, Role, RotaRule, TouristOffice

from ..factories import make_user

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_plans_a_week(live_server, page):
    network = OfficeNetwork.objects.create(name="Loire evenings")
    tours = TouristOffice.objects.create(name="Tours", network=network)
    Membership.objects.create(
        user=make_user("boss@example.com", first_name="Bea"),
        network=network,
        office=tours,
        role=Role.MANAGER,
    )
    for n, name in enumerate(("Anna", "Bruno", "Chloé")):
        Membership.objects.create(
            user=make_user(f"a{n}@example.com", first_name=name),
            network=network,
            office=tours,
            role=Role.ADVISOR,
        )
    RotaRule.objects.create(
        network=network,
        name="Evenings",
        weekdays="MO,TU,WE,TH,FR,SA,SU",
        start_time=time(18),
        end_time=time(22),
        starts_on=date(2030, 1, 1),
    )
    rotas.rota_expand(network=network, start=date(2030, 6, 3), end=date(2030, 6, 9))
    with time_machine.travel(datetime(2030, 6, 2, 12, tzinfo=UTC), tick=True):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=login]", "boss@example.com")
        page.fill("input[name=password]", "correct horse battery staple")
        page.click("main form button[type=submit]")
        page.goto(f"{live_server.url}/rotas/{network.pk}/2030/6/")
        expect(page.get_by_text("7 seats to fill this month.")).to_be_visible()

        monday = page.locator(".shift").first
        monday.locator("select[name=advisor]").select_option(label="Anna (Tours)")
        monday.get_by_role("button", name="Assign").click()  # htmx: the box updates in place
        expect(page.locator(".shift").first).to_contain_text("Anna")
        expect(page.get_by_text("6 seats to fill this month.")).to_be_visible()

        page.get_by_role("link", name="Fill the gaps fairly").click()
        expect(page.get_by_role("checkbox")).to_have_count(6)
        page.get_by_role("button", name="Confirm these assignments").click()
        expect(page.get_by_text("6 assignments saved.")).to_be_visible()
        expect(page.get_by_text("0 seats to fill this month.")).to_be_visible()
        expect(page.get_by_text("Latest changes")).to_be_visible()
        expect(page.get_by_text("Anna assigned to Monday 3 June, 18:00")).to_be_visible()
    hours = {
        member.user.first_name: Assignment.objects.filter(membership=member).count()
        for member in Membership.objects.filter(role=Role.ADVISOR)
    }
    assert sorted(hours.values()) == [2, 2, 3]  # the week shared fairly
