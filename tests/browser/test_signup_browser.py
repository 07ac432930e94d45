"""A volunteer signs up and completes onboarding in a real browser (Debian's Chromium)."""

from __future__ import annotations

import os

import pytest
from django.core import mail
from playwright.sync_api import expect

from calls.telephony import locmem
from concierge.lib.timezones import local_now
from tests.text import found

# Playwright's sync API runs an event loop in this thread; the ORM calls here are plain and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_sign_up_and_onboard_in_a_browser(live_server, page):
    base = live_server.url
    page.goto(f"{base}/accounts/signup/")
    page.fill("input[name=email]", "lou@example.com")
    page.fill("input[name=password1]", "a long and unusual passphrase")
    page.fill("input[name=password2]", "a long and unusual passphrase")
    page.click("main form button[type=submit]")
    expect(page.get_by_text("Check your inbox").first).to_be_visible()

    path = found(r"/accounts/confirm-email/\S+/", mail.outbox[-1].body)
    page.goto(f"{base}{path}")
    page.click("main form button[type=submit]")

    # Step 1
    expect(page.get_by_text("Step 1 of 4")).to_be_visible()
    page.fill("input[name=display_name]", "Lou")
    page.fill("input[name=date_of_birth]", "1992-07-14")
    page.check("input[name=languages][value=it]")
    page.click("text=Save and continue")

    # Step 2: a landline first, then the mobile, then the code from the text message
    page.fill("input[name=phone_number]", "01 23 45 67 89")
    page.click("text=Send me a code")
    expect(page.get_by_text("This is a landline")).to_be_visible()
    page.fill("input[name=phone_number]", "06 55 44 33 22")
    page.click("text=Send me a code")
    expect(page.get_by_text("We sent a 6-digit code to")).to_be_visible()
    code = found(r"\b(\d{6})\b", locmem.outbox[-1].body, 1)
    page.fill("input[name=code]", code)
    page.click("button:has-text('Verify')")

    # Step 3
    expect(page.get_by_text("Step 3 of 4")).to_be_visible()
    page.check("input[name=any_region]")
    page.check("input[name=any_motive]")
    page.click("text=Save and continue")

    # Step 4 (the availability page): a 24-hour slot today, then finish
    expect(page.get_by_text("Step 4 of 4")).to_be_visible()
    page.select_option("select[name=weekday]", str(local_now().weekday()))
    page.fill("input[name=start]", "00:00")
    page.fill("input[name=end]", "00:00")
    # The page may add the slot with htmx or with a plain POST: wait for the server's answer.
    with page.expect_response(lambda r: r.request.method == "POST" and "/availability/" in r.url):
        page.click("button:has-text('Add slot')")
    page.click(":is(a, button):has-text('Finish')")

    expect(page.get_by_text("You are taking calls now.")).to_be_visible()
    expect(page.get_by_text("Hello Lou")).to_be_visible()
    if target := os.environ.get("SCREENSHOT_PATH"):  # how docs/ screenshots are made
        page.screenshot(path=target, full_page=True)
