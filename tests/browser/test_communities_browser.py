"""The communities' pages at a phone's width and a laptop's: the public list and page, and the
ambassador's own page where they join (Debian's Chromium)."""

from __future__ import annotations

import os

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from ambassadors.models import CommunityMembership

from ..factories import PASSWORD, every_day, make_ambassador

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, (page.url, width)


def test_an_ambassador_joins_a_community_on_a_phone_and_the_public_page_counts_her(
    live_server, page
):
    alice = make_ambassador("alice@example.com", name="Alice", slots=every_day())
    base = live_server.url
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        for path in ("/communities/", "/communities/families/"):
            page.goto(base + path)
            fits(page, width)
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", "alice@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.goto(f"{base}/portal/communities/")
    fits(page, 390)
    families = page.locator(
        "section", has=page.get_by_role("heading", name="Families with children")
    )
    families.get_by_role("button", name="Join").click()
    expect(page.get_by_text("You joined Families with children.")).to_be_visible()
    fits(page, 390)
    assert CommunityMembership.objects.filter(ambassador=alice, status="approved").exists()
    cache.clear()  # the public figures are up to five minutes old
    page.goto(f"{base}/communities/families/")
    expect(page.locator("main")).to_contain_text("1 local")
    assert "Alice" not in page.locator("main").inner_text()
