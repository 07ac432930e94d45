"""The pages of issue 14's items 5 and 7 at a phone's width and a laptop's, in English and
French: nothing wider than the screen (Debian's Chromium)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from django.utils import timezone

from ambassadors.models import EntryKind, PointsEntry
from calls.models import Call, CallStatus, Conversation, PhoneLine, Rating

from ..factories import PASSWORD, make_ambassador, make_user

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (390, 1280)
SHOTS = os.environ.get("SCREENSHOTS", "")  # a folder: keep a picture of each page there


def log_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def check_widths(page, url: str, name: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(url)
        wide = page.evaluate(
            "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
            " > window.innerWidth).map(e => e.tagName + '.' + e.className + ':' +"
            " e.textContent.slice(0, 40))"
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (url, width, wide)
        if SHOTS:
            page.screenshot(path=str(Path(SHOTS) / f"{name}-{width}.png"), full_page=True)


def test_the_pages_fit_a_phone_and_a_laptop(live_server, page):
    line = PhoneLine.objects.create(number="+33199000000", label="National line of France")
    camille = make_ambassador("camille@example.com", name="Camille")
    staff = make_user("staff@example.com", is_staff=True, is_superuser=True)
    call = Call.objects.create(
        sid="CA" + "1" * 32,
        line=line,
        caller_country="DE",
        status=CallStatus.COMPLETED,
        responder=camille,
        duration=321,
    )
    Conversation.objects.create(line=line, tourist_number="+447400123456", code="K7")
    Rating.objects.create(
        call=call,
        line=line,
        ambassador=camille,
        tourist_hash="h",
        score=5,
        comment="Merveilleux! " + "Camille knew every bakery in the old town " * 6,
        answered_at=timezone.now(),
    )
    PointsEntry.objects.create(
        ambassador=camille,
        amount=40,
        kind=EntryKind.ADJUSTMENT,
        reason="Calls lost in Tuesday's outage, counted again by hand after checking the logs",
        key=f"adjustment:{uuid.uuid4()}",
        created_by=staff,
    )
    base = live_server.url
    log_in(page, base, "staff@example.com")
    for language in ("en", "fr"):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
        check_widths(page, f"{base}/calls/staff/search/?q=K7", f"search-{language}")
        check_widths(page, f"{base}/calls/staff/search/?q={call.reference}", f"found-{language}")
        check_widths(page, f"{base}/calls/staff/export/", f"export-{language}")
        check_widths(page, f"{base}/portal/points/adjust/", f"adjust-{language}")
    page.context.clear_cookies()
    log_in(page, base, "camille@example.com")
    for language in ("en", "fr"):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
        check_widths(page, f"{base}/portal/", f"dashboard-{language}")
        check_widths(page, f"{base}/portal/points/", f"points-{language}")
