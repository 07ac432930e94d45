"""Staff rehearse a call in the simulator, in a real browser."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from calls.models import PhoneLine

from ..factories import every_day, make_ambassador, make_user

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_whole_call_in_the_simulator(live_server, page):
    PhoneLine.objects.create(number="+33199000000", label="National line", full_menu=True)
    make_ambassador("heidi@example.com", name="Heidi", languages=("en", "de"), slots=every_day())
    make_user("boss@example.com", is_staff=True, is_superuser=True)

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", "boss@example.com")
    page.fill("input[name=password]", "correct horse battery staple")
    page.click("main form button[type=submit]")
    page.goto(f"{live_server.url}/calls/simulator/")
    page.fill("input[name=caller]", "+4915112345678")
    page.click("button:has-text('Dial')")
    expect(page.get_by_text("Für Deutsch, drücken Sie 3.")).to_be_visible()
    for key in ("3", "1", "0"):
        page.click(f".keypad button[value='{key}']")
    expect(page.get_by_text("Ringing: Heidi")).to_be_visible()
    page.click("button:has-text('Answer and press 1')")
    expect(page.get_by_text("Talking with Heidi")).to_be_visible()
    page.click("button[value=hang_up]")
    expect(page.get_by_text("The call has ended.")).to_be_visible()
    if target := os.environ.get("SIMULATOR_SCREENSHOT_PATH"):
        page.screenshot(path=target, full_page=True)


@pytest.mark.parametrize("width", [390, 1280])
def test_the_tester_speaks_for_the_caller_without_overflow(live_server, page, width):
    PhoneLine.objects.create(number="+33199000000", label="National line", full_menu=True)
    make_ambassador("heidi@example.com", name="Heidi", languages=("en", "de"), slots=every_day())
    make_user("boss@example.com", is_staff=True, is_superuser=True)
    page.set_viewport_size({"width": width, "height": 900})

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", "boss@example.com")
    page.fill("input[name=password]", "correct horse battery staple")
    page.click("main form button[type=submit]")
    page.goto(f"{live_server.url}/calls/simulator/")
    page.fill("input[name=caller]", "+4915112345678")
    page.click("button:has-text('Dial')")
    page.click(".keypad button[value='3']")  # Deutsch
    page.fill("input[name=words]", "Weinprobe")
    page.fill("input[name=confidence]", "0.95")
    page.click("button:has-text('Say it')")
    expect(page.get_by_text("(said “Weinprobe”, confidence 0.95)")).to_be_visible()
    page.fill("input[name=words]", "Bordeaux")
    page.fill("input[name=confidence]", "0.4")
    page.click("button:has-text('Say it')")
    expect(page.get_by_text("Haben Sie Bordeaux gesagt?", exact=False)).to_be_visible()
    page.click(".keypad button[value='1']")
    expect(page.get_by_text("Ringing: Heidi")).to_be_visible()
    page.click("button:has-text('Answer and press 1')")
    expect(page.get_by_text("Time to a human:", exact=False)).to_be_visible()
    expect(page.get_by_text("Recent rehearsals")).to_be_visible()
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
