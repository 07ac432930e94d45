"""The public pages in a real browser: the home, the snippet and the posters fit a phone (390 px)
and a desktop (1280 px) without sideways scrolling or a policy violation; a tourist office's
website frames the snippet (and cannot frame any other page); a phone's camera reads the poster's
QR codes back to the number.

``SCREENSHOTS_DIR=docs/screenshots`` saves the pictures the docs show (home-390.png,
home-1280.png, poster-a4.png, embed.png, impact.png)."""

from __future__ import annotations

import io
import os
import re
import threading
from datetime import time, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Page, expect

from calls.models import Call, CallStatus, PhoneLine
from concierge.models import Membership, OfficeNetwork, Role, TouristOffice

from ..factories import PASSWORD, every_day, make_ambassador, make_user
from ..qr import decoded

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (390, 1280)


@pytest.fixture
def lines():
    national = PhoneLine.objects.create(number="+33199000000", label="National line")
    premium = PhoneLine.objects.create(number="+33199000001", label="Premium line")
    alice = make_ambassador("alice@example.com", name="Alice", slots=every_day(time(8), time(22)))
    make_ambassador("bob@example.com", name="Bob", slots=((5, time(10), time(23, 30)),))
    now = timezone.now()
    for n, (country, seconds) in enumerate(
        [("DE", 161), ("JP", 240), ("US", 95), ("DE", 300), ("BR", 130), ("IT", 75)]
    ):
        Call.objects.create(
            sid=f"CA{n:032d}",
            line=national,
            caller_country=country,
            status=CallStatus.COMPLETED,
            received_at=now - timedelta(minutes=n),
            answered_at=now - timedelta(minutes=n) + timedelta(seconds=4),
            duration=seconds,
            responder=alice,
        )
    return national, premium


def watched(page: Page) -> list[str]:
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def fits(page: Page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} at {width} px scrolls sideways by {overflow} px"


def keep(page: Page, name: str, **options: object) -> None:
    folder = os.environ.get("SCREENSHOTS_DIR")
    if folder:
        page.screenshot(path=str(Path(folder) / name), **options)  # type: ignore[arg-type]


def paper(pdf: bytes) -> list[tuple[int, int]]:
    """The size of each page of a PDF, in whole points."""
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    return [(round(float(width)), round(float(height))) for width, height in boxes]


def log_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")


def test_the_public_pages_fit_a_phone_and_a_desktop(live_server, page, lines):
    problems = watched(page)
    for path in ("/", "/de/", "/ja/", "/embed/", "/embed/line/33199000000/"):
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(live_server.url + path)
            fits(page, width)
            if path == "/":
                expect(page.locator("a.button[href='tel:+33199000000']")).to_be_visible()
                keep(page, f"home-{width}.png", full_page=True)
    assert not problems


@pytest.fixture
def office_website():
    """A tourist office's website: another origin, on loopback like the test server (Chromium
    lets no public page reach a loopback address). Serves one page, given as ``html``."""
    pages: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get("html", b"")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield pages, f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


def test_a_tourist_offices_website_shows_the_snippet(live_server, page, lines, office_website):
    pages, office = office_website
    script = f"{live_server.url}/static/js/embed.js"
    pages["html"] = (
        "<!DOCTYPE html><html><body><h1>Office de tourisme</h1>"
        f'<script src="{script}" data-concierge-line="33199000000" data-lang="de" async></script>'
        f'<iframe id="home" src="{live_server.url}/"></iframe></body></html>'
    ).encode()
    page.goto(office)
    snippet = page.frame_locator("iframe[src*='/embed/line/']")
    expect(snippet.locator(".embed-number a")).to_have_text("+33 1 99 00 00 00")
    expect(snippet.locator("html")).to_have_attribute("lang", "de")
    # Any other page of ours refuses to be framed: its frame stays empty.
    home = page.frame(url=f"{live_server.url}/")
    assert home is None or home.locator("h1").count() == 0
    frame = page.locator("iframe[src*='/embed/line/']")
    box = frame.bounding_box()
    assert box is not None
    inner = snippet.locator("body").bounding_box()
    assert inner is not None and inner["height"] <= box["height"], "the snippet is cut off"
    if os.environ.get("SCREENSHOTS_DIR"):
        frame.screenshot(path=str(Path(os.environ["SCREENSHOTS_DIR"]) / "embed.png"))


def test_the_posters_fit_and_their_codes_read_back(live_server, page, lines):
    network = OfficeNetwork.objects.create(name="Alps evenings")
    office = TouristOffice.objects.create(name="Annecy", network=network)
    manager = make_user("manager@example.com")
    Membership.objects.create(user=manager, network=network, office=office, role=Role.MANAGER)
    problems = watched(page)
    log_in(page, live_server.url, "manager@example.com")
    page.goto(f"{live_server.url}/posters/")
    for width in WIDTHS:
        fits(page, width)
    for size in ("a4", "a5"):
        for language in ("fr", "en", "de", "es"):
            page.goto(f"{live_server.url}/posters/33199000000/{size}/{language}/")
            for width in WIDTHS:
                fits(page, width)
    page.set_viewport_size({"width": 1280, "height": 1300})
    page.goto(f"{live_server.url}/posters/33199000000/a4/en/")
    codes = page.locator(".sheet-codes svg")
    read = [decoded(Image.open(io.BytesIO(codes.nth(n).screenshot()))) for n in range(2)]
    assert read == [["tel:+33199000000"], ["sms:+33199000000"]]
    keep(page, "poster-a4.png", full_page=True)
    # Print → Save as PDF: one page of the poster's own paper (A4: 595 × 842 pt; A5: 420 × 595)
    assert paper(page.pdf(prefer_css_page_size=True)) == [(595, 842)]
    page.goto(f"{live_server.url}/posters/33199000000/a5/es/")
    assert paper(page.pdf(prefer_css_page_size=True)) == [(420, 595)]
    assert not problems


def test_the_dashboard_shows_the_impact_at_both_widths(live_server, page, lines):
    problems = watched(page)
    log_in(page, live_server.url, "alice@example.com")
    page.goto(f"{live_server.url}/portal/")
    expect(page.locator("#dashboard-impact")).to_have_text("My impact")
    for width in WIDTHS:
        fits(page, width)
    page.set_viewport_size({"width": 1280, "height": 900})
    card = page.locator("section[aria-labelledby=dashboard-impact]")
    expect(card).to_contain_text("+33 1 99 00 00 00")
    expect(card).to_contain_text("Germany")
    if os.environ.get("SCREENSHOTS_DIR"):
        card.screenshot(path=str(Path(os.environ["SCREENSHOTS_DIR"]) / "impact.png"))
    assert not problems
