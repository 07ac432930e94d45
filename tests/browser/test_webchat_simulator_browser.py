"""A tester rehearses a web-chat visitor in the SMS simulator, in a real browser: they choose the
"Web chat" channel, write as the visitor, answer from the local's phone, and read the local's
reply on the visitor's panel (Debian's Chromium)."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from calls.models import Conversation, ConversationChannel, PhoneLine, WebChat

from ..factories import PASSWORD, every_day, make_ambassador, make_user

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_tester_rehearses_a_web_chat_visitor_and_sees_the_locals_reply(live_server, page):
    line = PhoneLine.objects.create(number="+33199000000", label="National line")
    WebChat.objects.create(key="lyon", name="Lyon Tourisme", line=line)
    carla = make_ambassador(
        "carla@example.com", name="Carla", languages=("en", "de"), slots=every_day()
    )
    make_user("staff@example.com", is_staff=True, is_superuser=True)
    base = live_server.url

    page.goto(f"{base}/accounts/login/?next=/calls/simulator/sms/")
    page.fill("input[name=login]", "staff@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    expect(page.get_by_role("heading", name="SMS simulator")).to_be_visible()

    page.get_by_label("Tourist's number").fill("+4915112345678")
    page.get_by_label("Web chat").check()
    page.get_by_role("button", name="Use these phones").click()

    visitor = page.locator("section", has=page.get_by_role("heading", name="web chat panel"))
    expect(visitor).to_contain_text("Lyon Tourisme")
    visitor.get_by_label("Text").fill("Hallo! Where can I hear jazz tonight?")
    visitor.get_by_role("button", name="Send as the visitor").click()

    panel = page.locator("#web-panel")
    expect(panel).to_contain_text("Hallo! Where can I hear jazz tonight?")
    expect(panel).to_contain_text("Carla, ehrenamtlich und von hier")  # who answers, in German
    expect(page.locator("#conversation-status")).to_contain_text("with Carla")

    local = page.locator("section", has=page.get_by_role("heading", name="Carla's phone"))
    expect(local).to_contain_text("web chat] Hallo! Where can I hear jazz tonight?")
    local.get_by_label("Text").fill("Try the Caveau de la Huchette!")
    local.get_by_role("button", name="Send as Carla").click()

    expect(panel.locator("li").last).to_contain_text("Try the Caveau de la Huchette!")
    expect(panel.locator("li").last).to_contain_text("Carla")
    conversation = Conversation.objects.get()
    assert conversation.channel == ConversationChannel.WEB and conversation.is_rehearsal
    assert conversation.responder == carla
