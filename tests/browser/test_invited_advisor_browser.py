"""An invited advisor's first evening, in a real browser at a phone's width: the invitation's
sign-up, the confirmation link from the e-mail, their home; they take a colleague's shift there,
the coordinator approves it from "Tonight", and the advisor answers a tourist's text on the web
(issue 13, items 1, 2 and 6)."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time

import pytest
import time_machine
from django.core import mail
from playwright.sync_api import expect

from calls.models import Conversation, ConversationStatus, MessageAuthor, PhoneLine
from calls.telephony import locmem
from concierge import rotas
from concierge.models import (
    Assignment,
    Invitation,
    Membership,
    OfferStatus,
    OfficeNetwork,
    Role,
    RotaRule,
    Shift,
    ShiftOffer,
    TouristOffice,
)

from ..factories import PASSWORD, make_user
from ..text import found

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUNDAY = datetime(2030, 6, 2, 12, tzinfo=UTC)
TOURIST = "+4915112345678"


def no_overflow(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") == 0, page.url


def log_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")


def test_an_invited_advisor_signs_up_swaps_and_answers(live_server, page):
    with time_machine.travel(SUNDAY, tick=True):
        network = OfficeNetwork.objects.create(name="Loire evenings")
        tours = TouristOffice.objects.create(name="Tours", network=network)
        coordinator = Membership.objects.create(
            user=make_user("claire@example.com", first_name="Claire"),
            network=network,
            role=Role.COORDINATOR,
        )
        bruno = Membership.objects.create(
            user=make_user("bruno@example.com", first_name="Bruno"),
            network=network,
            office=tours,
            role=Role.ADVISOR,
        )
        RotaRule.objects.create(
            network=network,
            name="Evenings",
            weekdays="MO,TU,WE,TH,FR",
            start_time=time(18),
            end_time=time(22),
            starts_on=date(2030, 1, 1),
        )
        rotas.rota_expand(network=network, start=date(2030, 6, 3), end=date(2030, 6, 7))
        tuesday = Shift.objects.order_by("starts_at")[1]
        offer = ShiftOffer.objects.create(
            assignment=Assignment.objects.create(shift=tuesday, membership=bruno), offered_by=bruno
        )
        invitation = Invitation.objects.create(
            network=network, office=tours, email="zoe@example.com", invited_by=coordinator.user
        )
        line = PhoneLine.objects.create(number="+33199000000", label="National")
        base = live_server.url
        page.set_viewport_size({"width": 390, "height": 844})
        # The invitation, then a sign-up page that speaks to her and knows her address.
        page.goto(f"{base}/rotas/invitations/{invitation.token}/")
        page.get_by_role("link", name="Create my account").click()
        expect(page.get_by_role("heading", name="Join Tours")).to_be_visible()
        expect(page.get_by_text("as: Advisor")).to_be_visible()
        expect(page.locator("input[name=email]")).to_have_value("zoe@example.com")
        no_overflow(page)
        page.fill("input[name=password1]", PASSWORD)
        page.fill("input[name=password2]", PASSWORD)
        page.get_by_role("button", name="Create my account").click()
        expect(page.get_by_text("you will join Tours at once")).to_be_visible()
        page.goto(base + found(r"/accounts/confirm-email/\S+/", mail.outbox[-1].body))
        page.locator("main form button[type=submit]").click()

        # Home: her evening, with a welcome; Bruno's offer is in her swap inbox.
        expect(page).to_have_url(f"{base}/office/evening/")
        expect(page.get_by_text("Welcome to Tours!")).to_be_visible()
        no_overflow(page)
        page.get_by_role("button", name="Take it").click()
        assert ShiftOffer.objects.get(pk=offer.pk).status == OfferStatus.PENDING

        # Claire approves the hand-over from the notice on tonight's home.
        page.context.clear_cookies()
        log_in(page, base, "claire@example.com")
        expect(page).to_have_url(f"{base}/office/tonight/")
        no_overflow(page)
        notices = page.locator("ul.notices")
        expect(notices.locator(".notice.unread")).to_have_count(1)
        notices.get_by_role("button", name="Approve").click()
        assert ShiftOffer.objects.get(pk=offer.pk).status == OfferStatus.DONE
        zoe = Membership.objects.get(user__email="zoe@example.com")
        assert Assignment.objects.filter(shift=tuesday, membership=zoe).exists()

        # On duty, a tourist's text is handed to Zoé: she answers it on the web.
        Conversation.objects.create(
            line=line,
            tourist_number=TOURIST,
            tourist_country="DE",
            advisor=zoe,
            status=ConversationStatus.OPEN,
            code="K7",
        )
        page.context.clear_cookies()
        log_in(page, base, "zoe@example.com")
        expect(page).to_have_url(f"{base}/office/evening/")
        page.get_by_role("link", name="#K7").click()
        no_overflow(page)
        page.fill("textarea[name=text]", "Bonsoir! The castle opens at 9.")
        page.get_by_role("button", name="Send").click()
        expect(page.get_by_text("Sent.")).to_be_visible()
    reply = Conversation.objects.get().messages.get(to_number=TOURIST)
    assert (reply.author, reply.written_by_advisor) == (MessageAuthor.LOCAL, zoe)
    assert any(m.to == TOURIST and "castle opens at 9" in m.body for m in locmem.outbox)
