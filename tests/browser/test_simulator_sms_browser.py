"""Staff rehearse a text conversation in the SMS simulator, in a real browser."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from calls.models import PhoneLine

from ..factories import every_day, make_ambassador, make_user

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_whole_text_conversation_in_the_simulator(live_server, page):
    PhoneLine.objects.create(number="+33199000000", label="National line")
    heidi = make_ambassador(
        "heidi@example.com", name="Heidi", languages=("en", "de"), slots=every_day()
    )
    make_user("boss@example.com", is_staff=True, is_superuser=True)

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", "boss@example.com")
    page.fill("input[name=password]", "correct horse battery staple")
    page.click("main form button[type=submit]")
    page.goto(f"{live_server.url}/calls/simulator/sms/")
    page.fill("input[name=tourist]", "+4915112345678")
    page.click("button:has-text('Use these phones')")

    tourist = page.locator("section[aria-labelledby=tourist-phone]")
    tourist.locator("textarea[name=body]").fill("Hallo! Where can I taste good wine in Lyon?")
    tourist.locator("button:has-text('Send as the tourist')").click()

    local = page.locator("section[aria-labelledby=local-phone]")
    expect(local.get_by_role("heading")).to_have_text("Heidi's phone")
    expect(local.locator(".sms-received")).to_contain_text(
        "Germany, Wine lovers] Hallo! Where can I taste good wine in Lyon?"
    )
    expect(tourist.locator(".sms-received")).to_contain_text(
        "Heidi, ehrenamtlich und von hier, ist für Sie da"
    )
    expect(page.locator("#conversation-status")).to_contain_text("Open, with Heidi")

    local.locator("textarea[name=body]").fill("Try the wine bars of the Vieux Lyon!")
    local.locator("button:has-text('Send as Heidi')").click()
    expect(tourist.locator(".sms-received").last).to_contain_text(
        "Try the wine bars of the Vieux Lyon!"
    )
    # The local's phone never shows the tourist's number, nor the page the local's.
    expect(local).not_to_contain_text("15112345678")
    expect(page.locator("main")).not_to_contain_text(heidi.phone_number.as_e164[1:])
    if target := os.environ.get("SMS_SIMULATOR_SCREENSHOT_PATH"):
        page.screenshot(path=target, full_page=True)
