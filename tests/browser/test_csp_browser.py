"""Pages still work under the Content-Security-Policy, in a real browser (issue 11, hole 10):
htmx swaps, the Swagger UI and the admin, with no violation reported in the console."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect, sync_playwright

from concierge.lib.timezones import local_now

from ..factories import PASSWORD, every_day, make_ambassador, make_user

# Playwright's sync API runs an event loop in this thread; the ORM calls here are plain and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


@pytest.fixture
def browser_page():
    """A page, and the CSP violations and script errors it reported."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=ARGS
        )
        try:
            page = browser.new_page(locale="en-GB")
            problems: list[str] = []
            page.on(
                "console",
                lambda message: (
                    problems.append(message.text)
                    if "Content Security Policy" in message.text
                    else None
                ),
            )
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.on("dialog", lambda dialog: dialog.accept())  # hx-confirm
            yield page, problems
        finally:
            browser.close()


def log_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")


def test_htmx_edits_the_week_under_the_policy(live_server, browser_page):
    page, problems = browser_page
    make_ambassador("alice@example.com", name="Alice", slots=every_day())
    log_in(page, live_server.url, "alice@example.com")
    page.goto(f"{live_server.url}/portal/availability/")
    expect(page.locator("svg.day-bar rect.covered")).to_have_count(7)
    page.evaluate("window.notReloaded = true")  # gone if a request replaced the whole page
    # Remove today's slot (htmx, after hx-confirm's dialog), then put it back (an htmx form).
    today = page.locator("li.day.today")
    with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true"):
        today.locator("a:has-text('Remove')").click()
    expect(page.locator("svg.day-bar rect.covered")).to_have_count(6)
    page.select_option("select[name=weekday]", str(local_now().weekday()))
    page.fill("input[name=start]", "00:00")
    page.fill("input[name=end]", "00:00")
    with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true"):
        page.click("button:has-text('Add slot')")
    expect(page.locator("svg.day-bar rect.covered")).to_have_count(7)
    expect(page.locator("li.day.today svg rect.now")).to_have_count(1)
    assert page.evaluate("window.notReloaded") is True
    assert problems == []


def test_the_api_docs_render_under_their_policy(live_server, browser_page):
    page, problems = browser_page
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Destination Concierge API")
    page.locator(".opblock-summary", has_text="/api/v1/me/").first.click()
    expect(page.locator(".opblock-body").first).to_be_visible()
    assert problems == []


def test_the_admin_works_under_the_policy(live_server, browser_page):
    page, problems = browser_page
    make_user("root@example.com", is_staff=True, is_superuser=True)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "root@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_be_visible()
    page.goto(f"{live_server.url}/admin/concierge/user/add/")
    expect(page.locator("input[name=email]")).to_be_visible()
    assert problems == []


def test_a_tour_of_the_pages_reports_no_violation(live_server, browser_page):
    from ..rotas.people import Team

    page, problems = browser_page
    base = live_server.url
    for path in ("/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"):
        page.goto(f"{base}{path}")
    make_user("ops@example.com", is_staff=True)
    log_in(page, base, "ops@example.com")
    for path in ("/portal/", "/calls/simulator/", "/calls/simulator/sms/", "/calls/outbox/"):
        page.goto(f"{base}{path}")
        expect(page.locator("main h1").first).to_be_visible()
    page.click("button:has-text('Log out')")
    team = Team()
    log_in(page, base, team.coordinator.user.email)
    page.goto(f"{base}/rotas/")
    expect(page.locator("main h1").first).to_be_visible()
    assert problems == []
