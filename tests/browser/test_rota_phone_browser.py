"""Every rota page on a phone (390 px) and on a laptop (1280 px), on the demo data, as a manager
and as an advisor: no page is wider than the screen. Set ROTA_SCREENSHOTS to a folder to keep
the screenshots (docs/screenshots/ holds a few)."""

from __future__ import annotations

import os
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect, sync_playwright

from concierge import demo
from concierge.models import Assignment, Invitation, Membership, OfficeNetwork, Role, Shift
from concierge.rotas import selectors

from .conftest import CHROMIUM_ARGS

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = (390, 1280)


def log_in(browser: Browser, base: str, email: str, width: int, *, javascript: bool = True):
    context = browser.new_context(
        viewport={"width": width, "height": 844}, locale="en-GB", java_script_enabled=javascript
    )
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", "concierge-demo")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    return context, page


def width_of(page: Page, name: str, width: int) -> int:
    folder = os.environ.get("ROTA_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/rota-{name}-{width}.png", full_page=True)
    scroll = int(page.evaluate("document.documentElement.scrollWidth"))
    print(f"{name} at {width} px: {scroll} px wide")  # shown with -s
    return scroll


def a_breach_to_confirm(network: OfficeNetwork) -> tuple[Shift, Membership]:
    """A coming shift with an empty seat, and a Paris advisor whom a long day makes it breach."""
    paris = Membership.objects.filter(
        network=network, role=Role.ADVISOR, office__name="Paris"
    ).first()
    assert paris is not None
    soon = timezone.now() + timedelta(days=2)
    for shift in Shift.objects.filter(network=network, starts_at__gt=soon).order_by("starts_at"):
        if shift.assignments.count() < shift.advisors_needed and not shift.assignments.filter(
            membership=paris
        ):
            long_day = Shift.objects.create(
                network=network,
                starts_at=shift.starts_at - timedelta(hours=9),
                ends_at=shift.starts_at - timedelta(hours=1),
            )
            Assignment.objects.create(shift=long_day, membership=paris)
            assert selectors.breaches_if_assigned(shift=shift, advisor=paris)
            return shift, paris
    raise AssertionError("the demo has no coming gap")


def test_no_rota_page_is_wider_than_the_screen(live_server):
    demo.seed(stdout=StringIO())
    network = OfficeNetwork.objects.get()
    month = timezone.localdate().replace(day=1)
    following = (month + timedelta(days=32)).replace(day=1)
    base = live_server.url
    manager_pages = {
        "month": f"/rotas/{network.pk}/{month.year}/{month.month}/",
        "next-month": f"/rotas/{network.pk}/{following.year}/{following.month}/",
        "fill": f"/rotas/{network.pk}/{following.year}/{following.month}/fill/",
        "invite": f"/rotas/{network.pk}/invite/",
    }
    manager = Membership.objects.get(user__email="manager@example.com")
    assert manager.office is not None
    invitation = Invitation.objects.create(
        network=network, office=manager.office, email="new@example.com", invited_by=manager.user
    )
    advisor_pages = {
        "advisor-month": f"/rotas/{network.pk}/{month.year}/{month.month}/",
        "mine": "/rotas/me/",
        "invitation": f"/rotas/invitations/{invitation.token}/",
    }
    shift, paris = a_breach_to_confirm(network)
    local_month = timezone.localtime(shift.starts_at).month
    shift_page = "month" if local_month == month.month else "next-month"
    too_wide = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        try:
            for width in WIDTHS:
                for email, pages in (
                    ("manager@example.com", manager_pages),
                    ("advisor@example.com", advisor_pages),
                ):
                    context, page = log_in(browser, base, email, width)
                    for name, path in pages.items():
                        response = page.goto(base + path)
                        assert response is not None and response.status == 200, (name, width)
                        too_wide[name, width] = width_of(page, name, width)
                    context.close()
                # Without JavaScript, assigning over a limit asks first, on a page of its own.
                context, page = log_in(
                    browser, base, "manager@example.com", width, javascript=False
                )
                page.goto(base + manager_pages[shift_page])
                cell = page.locator(f"#shift-{shift.public_id}")
                cell.locator("select[name=advisor]").select_option(str(paris.pk))
                cell.get_by_role("button", name="Assign").click()
                page.wait_for_load_state()
                assert page.get_by_role("heading", name="Check the working time").is_visible()
                too_wide["confirm", width] = width_of(page, "confirm", width)
                context.close()
            # With JavaScript, the same check shows in the shift's box before anything is saved.
            context, page = log_in(browser, base, "manager@example.com", 390)
            page.goto(base + manager_pages[shift_page])
            cell = page.locator(f"#shift-{shift.public_id}")
            cell.locator("select[name=advisor]").select_option(str(paris.pk))
            cell.get_by_role("button", name="Assign", exact=True).click()
            expect(cell.get_by_role("button", name="Assign anyway")).to_be_visible()
            expect(cell.get_by_role("alert")).to_contain_text("(over 10 h)")
            assert not Assignment.objects.filter(shift=shift, membership=paris).exists()
            cell.get_by_role("button", name="Assign anyway").click()
            expect(cell.get_by_role("button", name="Assign anyway")).to_have_count(0)
            expect(cell).to_contain_text(paris.user.first_name)
            assert Assignment.objects.filter(shift=shift, membership=paris).exists()
            context.close()
        finally:
            browser.close()
    wider = {key: scroll for key, scroll in too_wide.items() if scroll > key[1]}
    assert wider == {}, wider
    assert len(too_wide) == 2 * (len(manager_pages) + len(advisor_pages) + 1)
