"""Every demo login lands on its role's home in a real browser, and no home is wider than a
phone's screen (390 px) nor a laptop's (1280 px) (issue 13, item 1)."""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "concierge-demo"
HOMES = {
    "ambassador01@example.com": "/portal/",
    "advisor@example.com": "/office/evening/",
    "manager@example.com": "/office/tonight/",
    "coordinator@example.com": "/office/tonight/",
    "staff@example.com": "/staff/",
}
WIDTHS = (390, 1280)


def overflow(page) -> int:
    """How many pixels the page is wider than the window (0: no horizontal scrolling)."""
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def test_each_demo_login_lands_on_its_home_without_overflow(live_server, page):
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    for email, home in HOMES.items():
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=login]", email)
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_url(f"{live_server.url}{home}")
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 844})
            assert overflow(page) == 0, (email, width)
        page.goto(f"{live_server.url}/")
        assert page.url == f"{live_server.url}{home}"  # signed in, / is their home
        page.context.clear_cookies()
