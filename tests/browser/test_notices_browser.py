"""The coordinator approves a hand-over from its notice in a real browser; the notice pages fit a
phone's screen (390 px) and a desktop's (1280 px)."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time

import pytest
import time_machine
from playwright.sync_api import Page, expect

from concierge import rotas
from concierge.models import (
    Assignment,
    Membership,
    OfferStatus,
    OfficeNetwork,
    Role,
    RotaRule,
    Shift,
    ShiftOffer,
    TouristOffice,
)
from concierge.rotas import swaps

from ..factories import make_user

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = ["/rotas/notices/", "/rotas/notices/preferences/"]


def log_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", "correct horse battery staple")
    page.click("main form button[type=submit]")


def overflow(page: Page) -> int:
    """How many pixels the page is wider than the window (0: it fits)."""
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def member(network, office, email, name, role) -> Membership:
    return Membership.objects.create(
        user=make_user(email, first_name=name), network=network, office=office, role=role
    )


def test_the_coordinator_approves_from_the_notice_on_a_phone(live_server, page):
    network = OfficeNetwork.objects.create(name="Loire evenings")
    tours = TouristOffice.objects.create(name="Tours", network=network)
    member(network, None, "coord@example.com", "Colette", Role.COORDINATOR)
    anna = member(network, tours, "anna@example.com", "Anna-Maria de la Fontaine", Role.ADVISOR)
    bruno = member(network, tours, "bruno@example.com", "Bruno", Role.ADVISOR)
    RotaRule.objects.create(
        network=network,
        name="Evenings",
        weekdays="MO,TU,WE,TH,FR,SA,SU",
        start_time=time(18),
        end_time=time(22),
        starts_on=date(2030, 1, 1),
    )
    rotas.rota_expand(network=network, start=date(2030, 6, 3), end=date(2030, 6, 9))
    shift = Shift.objects.order_by("starts_at").first()
    assert shift is not None
    with time_machine.travel(datetime(2030, 6, 2, 12, tzinfo=UTC), tick=True):
        offer = swaps.shift_offer(
            assignment=Assignment.objects.create(shift=shift, membership=anna), by=anna
        )
        swaps.shift_take(offer=offer, by=bruno)

        page.set_viewport_size({"width": 390, "height": 844})
        log_in(page, live_server.url, "coord@example.com")
        page.goto(f"{live_server.url}/rotas/notices/")
        notice = page.locator(".notice.unread").first
        expect(notice).to_contain_text("Anna-Maria de la Fontaine hands the shift of Monday 3 June")
        for path in PAGES:
            page.goto(f"{live_server.url}{path}")
            assert overflow(page) == 0, path
        page.set_viewport_size({"width": 1280, "height": 800})
        for path in PAGES:
            page.goto(f"{live_server.url}{path}")
            assert overflow(page) == 0, path

        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{live_server.url}/rotas/notices/")
        page.locator(".notice").first.get_by_role("button", name="Approve").click()
        expect(page.get_by_text("Decided.")).to_be_visible()
        assert ShiftOffer.objects.get(pk=offer.pk).status == OfferStatus.DONE

        page.context.clear_cookies()
        log_in(page, live_server.url, "anna@example.com")
        page.goto(f"{live_server.url}/rotas/me/")
        expect(page.locator(".notices-box")).to_contain_text("Hand-over approved")
        box = page.locator(".notices-box")
        assert box.evaluate("el => el.scrollWidth <= el.clientWidth")
