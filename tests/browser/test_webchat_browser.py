"""A tourist office's page, served from another origin, embeds the web chat: the visitor writes
in the panel, a local answers by a signed SMS webhook, and the reply appears in the panel."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client
from playwright.sync_api import expect

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
