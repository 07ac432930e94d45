"""A tourist office's page, served from another origin, embeds the web chat: the visitor writes
in the panel, a local answers by a signed SMS webhook, and the reply appears in the panel."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import expect

from calls.demo import WEB_CHAT, WEB_CHAT_LINE
from calls.models import Conversation, PhoneLine, WebChat

from ..calls.twilio import text
from ..factories import every_day, make_ambassador

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def office_site(live_server) -> Iterator[str]:
    """The tourist office's own page, on a port (an origin) of its own."""
    page = (
        "<!doctype html><html lang=en><head><title>Lyon Tourisme</title></head><body>"
        "<h1>Welcome to Lyon</h1>"
        f'<script src="{live_server.url}/chat/widget.js" data-line="lyon" async></script>'
        "</body></html>"
    ).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def test_a_visitor_chats_with_a_local_from_an_office_site(live_server, office_site, page, settings):
    settings.WEBCHAT_POW_BITS = 8
    settings.WEBCHAT_POLL_SECONDS = 0.5
    line = PhoneLine.objects.create(number="+33199000000", label="National line")
    WebChat.objects.create(key="lyon", name="Lyon Tourisme", line=line, allowed_origins=office_site)
    karim = make_ambassador("karim@example.com", name="Karim", slots=every_day())
    assert office_site.split(":")[-1] != live_server.url.split(":")[-1]

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(office_site)
    launcher = page.get_by_role("button", name="Chat with a local")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    launcher.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Lyon Tourisme")
    expect(dialog).to_be_visible()
    expect(launcher).to_have_attribute("aria-expanded", "true")
    box = dialog.bounding_box()
    assert box is not None and box["width"] <= 390
    message = dialog.get_by_label("Your message")
    expect(message).to_be_focused()
    message.fill("Hello! Where can I eat a good praline tart?")
    page.keyboard.press("Enter")

    log = dialog.get_by_role("log")
    expect(log).to_contain_text("You: Hello! Where can I eat a good praline tart?")
    expect(log).to_contain_text("Karim")  # who answers, from Destination Concierge
    conversation = Conversation.objects.get()
    assert conversation.responder == karim

    text(Client(), karim.phone_number.as_e164, "Chez Pralus, rue Saint-Jean!")
    expect(log).to_contain_text("Karim: Chez Pralus, rue Saint-Jean!")
    expect(log).not_to_contain_text(karim.phone_number.as_e164[1:])

    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(launcher).to_be_focused()


def keep(page, name: str) -> None:
    """``SCREENSHOTS_DIR=docs/screenshots`` saves the pictures docs/webchat.md shows."""
    if folder := os.environ.get("SCREENSHOTS_DIR"):
        page.screenshot(path=str(Path(folder) / name))


def focus_left_the_panel(page) -> bool:
    return page.evaluate(
        "() => { const active = document.querySelector('.concierge-chat-host')"
        ".shadowRoot.activeElement; return !active || !active.closest('.panel'); }"
    )


def test_the_panel_by_keyboard_and_as_a_screen_reader_hears_it_at_1280_and_390_px(
    live_server, office_site, page, settings
):
    settings.WEBCHAT_POW_BITS = 8
    settings.WEBCHAT_POLL_SECONDS = 0.5
    line = PhoneLine.objects.create(number="+33199000000", label="National line")
    WebChat.objects.create(key="lyon", name="Lyon Tourisme", line=line, allowed_origins=office_site)
    karim = make_ambassador("karim@example.com", name="Karim", slots=every_day())

    # A laptop: the panel sits above its button, beside the page, which stays in reach.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(office_site)
    launcher = page.get_by_role("button", name="Chat with a local")
    launcher.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Lyon Tourisme")
    expect(dialog).to_have_attribute("aria-modal", "false")
    expect(dialog).to_have_attribute("lang", "en")  # the visitor's language, not the page's
    page.keyboard.type("Hello! Is the Fourvière basilica open on Sunday?")
    page.keyboard.press("Enter")
    log = dialog.get_by_role("log", name="Messages")
    expect(log.get_by_role("listitem").first).to_have_text(
        "You: Hello! Is the Fourvière basilica open on Sunday?"
    )
    expect(log).to_contain_text("Karim")
    text(Client(), karim.phone_number.as_e164, "Yes, from 7 am to 7 pm. Take the funicular!")
    expect(log).to_contain_text("Karim: Yes, from 7 am to 7 pm. Take the funicular!")
    expect(dialog).to_match_aria_snapshot(
        """
        - dialog "Lyon Tourisme":
          - banner:
            - heading "Lyon Tourisme" [level=2]
            - button "Close the chat"
          - paragraph
          - log "Messages":
            - list:
              - listitem:
                - strong: "You:"
                - text: Hello! Is the Fourvière basilica open on Sunday?
              - listitem:
                - strong: "Destination Concierge:"
                - text: /^you are in touch with Karim/
              - listitem:
                - strong: "Karim:"
                - text: Yes, from 7 am to 7 pm. Take the funicular!
          - status
          - text: Your message
          - textbox "Your message"
          - button "Send"
          - text: /Your e-mail address/
          - textbox /Your e-mail address/
          - button "Save"
          - paragraph
        """
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    keep(page, "webchat-1280.png")
    dialog.get_by_role("button", name="Save").focus()
    page.keyboard.press("Tab")
    assert focus_left_the_panel(page)  # not modal: Tab goes on to the page

    # A phone: the panel covers the screen, so it is modal and Tab goes round inside it.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()  # the conversation is kept for the tab (sessionStorage)
    launcher.focus()
    page.keyboard.press("Enter")
    expect(dialog).to_have_attribute("aria-modal", "true")
    box = dialog.bounding_box()
    assert box is not None and box["width"] <= 390 and box["height"] <= 844
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    expect(log).to_contain_text("Karim: Yes, from 7 am to 7 pm. Take the funicular!")
    keep(page, "webchat-390.png")
    close = dialog.get_by_role("button", name="Close the chat")
    save = dialog.get_by_role("button", name="Save")
    save.focus()
    page.keyboard.press("Tab")
    expect(close).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(save).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(launcher).to_be_focused()


# What docs/webchat.md says to paste in the browser's console on a page of the demo.
CONSOLE_SNIPPET = (
    'const s = document.createElement("script"); s.src = "/chat/widget.js"; '
    's.dataset.line = "demo"; document.body.append(s);'
)


def test_the_demo_chat_opens_on_a_page_of_our_own_site_from_the_console(
    live_server, page, settings
):
    settings.WEBCHAT_POW_BITS = 8
    settings.PUBLIC_BASE_URL = live_server.url  # as `make run`'s default, http://127.0.0.1:8000
    line = PhoneLine.objects.create(number=WEB_CHAT_LINE, label="National line")
    WebChat.objects.create(line=line, **WEB_CHAT)
    make_ambassador("karim@example.com", name="Karim", slots=every_day())
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text))

    page.goto(f"{live_server.url}/")
    page.evaluate(f"() => {{ {CONSOLE_SNIPPET} }}")
    page.get_by_role("button", name="Chat with a local").click()
    dialog = page.get_by_role("dialog", name="Destination Concierge (demo)")
    dialog.get_by_label("Your message").fill("Hello! Where is the nearest pharmacy?")
    page.keyboard.press("Enter")
    expect(dialog.get_by_role("log")).to_contain_text("Karim")
    assert not problems  # nothing refused by our own Content-Security-Policy
