"""The anonymity scanner: tourists and locals never learn each other's numbers.

An evening is driven through the signed webhooks (calls answered by an advisor on duty and by a
volunteer, a call nobody could take and its call-back, text conversations relayed both ways, a
local answering from their phone and from the API, a WhatsApp tourist who types their own
number and sends a photo), then everything a person can read is
scanned: every page and API answer each local role can open, every text sent (to tourists and to
locals), every e-mail, what the line says to the tourist and whispers to the local, and every log
record (at DEBUG, all loggers). A number is looked for in all its spellings: +4915112345678,
4915112345678, +49 151 12345678, 0151 12345678 and its national digits with any spacing.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

import phonenumbers
import pytest
import time_machine
from django.core import mail
from django.test import Client
from rest_framework.authtoken.models import Token

from calls.figures.tables import BUILDERS
from calls.models import Call, Conversation, ConversationChannel, PhoneLine, WebChat, number_of
from calls.sms import sweep as sms_sweep
from calls.telephony import fake_calls, locmem
from calls.voice import callbacks
from concierge import rotas
from concierge.models import Assignment, Community, Membership, Role
from concierge.rotas import tasks as rota_tasks

from ..calls.twilio import phone, text, whatsapp
from ..calls.webchat.conftest import solve
from ..factories import every_day, make_ambassador, make_user
from ..rotas.test_on_duty_calls import FRIDAY_EVENING, on_duty_network, paris_call
from .figures import FIGURES

pytestmark = pytest.mark.django_db

LINE = "+33199000000"
LINE_WHATSAPP = f"whatsapp:{LINE}"
TOURISTS = [
    "+4915112345678",
    "+819012345678",
    "+12025550143",
    "+447400123456",
    "+5511987654321",
    "+34699887766",  # on WhatsApp
    "+302101234567",  # calls a line that rings its locals during the greeting
]
EARLY_LINE = "+33199000001"
# Where texts to tourists go: their numbers by SMS, their addresses on WhatsApp.
TOURIST_ADDRESSES = TOURISTS + [f"whatsapp:{number}" for number in TOURISTS]
SEPARATORS = re.compile(r"[\s.\-()/\u00a0]")


def spellings(number: str) -> list[str]:
    """The ways a page or a text could show a number."""
    parsed = phonenumbers.parse(number)
    formats = [
        phonenumbers.format_number(parsed, style)
        for style in (
            phonenumbers.PhoneNumberFormat.E164,
            phonenumbers.PhoneNumberFormat.INTERNATIONAL,
            phonenumbers.PhoneNumberFormat.NATIONAL,
        )
    ]
    return [*formats, number.lstrip("+")]


def leaks(text: str, numbers: list[str]) -> list[str]:
    """The numbers ``text`` shows, however spelled (digits only, spaced, dotted, dashed)."""
    squeezed = SEPARATORS.sub("", text)
    found = []
    for number in numbers:
        national = str(phonenumbers.parse(number).national_number)
        if any(s in text for s in spellings(number)) or national in squeezed:
            found.append(number)
    return found


@dataclass
class Evening:
    locals_: list[str] = field(default_factory=list)  # the locals' phone numbers
    heard: list[str] = field(default_factory=list)  # what the line said to tourists
    whispered: list[str] = field(default_factory=list)  # what locals heard before accepting
    panels: list[str] = field(default_factory=list)  # what a web-chat visitor's panel showed


@pytest.fixture
def evening(client, national_line, django_capture_on_commit_callbacks, settings) -> Evening:
    """One evening on the line, through the webhooks; returns what was said and whispered."""
    (advisor,) = on_duty_network()
    network = advisor.network
    for name, role in (("manager", Role.MANAGER), ("coordinator", Role.COORDINATOR)):
        Membership.objects.create(
            user=make_user(f"{name}@example.com"),
            network=network,
            office=advisor.office if role == Role.MANAGER else None,
            role=role,
        )
    alice = make_ambassador("alice@example.com", name="Alice", slots=every_day())
    bob = make_ambassador("bob@example.com", name="Bob", slots=every_day())
    shift = Assignment.objects.get(membership=advisor).shift
    rotas.rota_expand(network=network, start=shift.starts_at.date(), end=date(2026, 6, 19))
    with (
        time_machine.travel(shift.starts_at - timedelta(hours=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        rota_tasks.send_shift_reminders()  # the advisor's reminder, by e-mail and text
        rota_tasks.notify_uncovered_shifts()  # the coordinator's e-mail: shifts short of advisors
    night = Evening(
        locals_=[str(advisor.phone_number), str(alice.phone_number), str(bob.phone_number)]
    )
    with (
        time_machine.travel(FRIDAY_EVENING, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        german = paris_call(client)  # the advisor on duty answers, in Paris
        german.answer("1")
        night.whispered += german.whispered
        german.hang_up(after=95)
        night.heard += german.said

    with django_capture_on_commit_callbacks(execute=True):
        # After the shift: a volunteer answers.
        japanese = phone(client, from_=TOURISTS[1]).dial().press("1").press("0").press("0")
        japanese.answer("1")
        night.whispered += japanese.whispered
        japanese.hang_up(after=161)
        night.heard += japanese.said
        assert Call.objects.get(sid=japanese.sid).responder in (alice, bob)

        # Late at night: the advisor is off duty, the volunteers miss the call, the caller asks
        # to be called back, and is texted when a local is free.
        american = phone(client, from_=TOURISTS[2]).dial().press("1").press("0").press("0")
        while american.state == "ringing":
            american.no_answer()
        american.press("1")
        night.heard += american.said
        callbacks.callbacks_serve()

        # A line that rings its locals during the greeting: their phones are called (by the
        # API, not a <Dial>) while the caller holds; one takes the call from their whisper.
        PhoneLine.objects.create(number=EARLY_LINE, label="Early", ring_group_size=2)
        greek = phone(client, to=EARLY_LINE, from_=TOURISTS[6]).dial()
        assert greek.queued and greek.legs
        greek.answer("1")
        night.whispered += greek.whispered
        greek.hang_up(after=70)
        night.heard += greek.said

    with django_capture_on_commit_callbacks(execute=True):  # off shift: to a volunteer
        text(client, TOURISTS[4], "Oi! Where can I hear jazz tonight?")
    with django_capture_on_commit_callbacks(execute=True):  # on WhatsApp, to a volunteer
        whatsapp(client, TOURISTS[5], "", media=1)  # a photo: "words only, please"
        whatsapp(client, TOURISTS[5], "Hola! Tapas near the Louvre? Write me on +34 699 88 77 66")
    with time_machine.travel(FRIDAY_EVENING, tick=False):
        with django_capture_on_commit_callbacks(execute=True):  # on shift: to the advisor
            text(client, TOURISTS[3], "Hello! Is the Louvre open on Tuesdays?")
        for conversation in Conversation.objects.select_related("responder", "advisor"):
            with django_capture_on_commit_callbacks(execute=True):
                if conversation.advisor is not None:  # answers from their phone
                    text(client, str(advisor.phone_number), "It is closed on Tuesdays, sorry!")
                elif conversation.responder is not None:  # answers from the app
                    api = Client()
                    assert conversation.responder.user is not None
                    token, _new = Token.objects.get_or_create(user=conversation.responder.user)
                    api.post(
                        f"/api/v1/me/conversations/{conversation.public_id}/messages/",
                        {"text": "Try the Caveau de la Huchette, call them at 01 43 26 65 05."},
                        HTTP_AUTHORIZATION=f"Token {token.key}",
                    )
            with django_capture_on_commit_callbacks(execute=True):
                if conversation.channel == ConversationChannel.WHATSAPP:
                    whatsapp(client, number_of(conversation.tourist_number), "Thank you so much!")
                else:
                    text(client, conversation.tourist_number, "Thank you so much!")
        with django_capture_on_commit_callbacks(execute=True):
            sms_sweep.conversations_sweep()
    # A visitor of a tourist office's web chat types a number; a local answers from their phone.
    settings.WEBCHAT_POW_BITS = 4
    night.panels = web_chat_visit(national_line, django_capture_on_commit_callbacks)
    # A text to a number that is not a line: logged (a warning), whatever the broker does.
    text(client, TOURISTS[0], "Hello?", to="+33199000099")
    assert Call.objects.count() == 4 and Conversation.objects.count() == 4
    return night


def web_chat_visit(line, capture) -> list[str]:
    """A web-chat visitor writes (with a tourist's number in the text), the local who takes it
    answers from their phone (with a number too); what the visitor's panel showed."""
    WebChat.objects.create(key="lyon", name="Lyon", line=line)
    web = Client()

    def post(path: str, body: dict) -> dict:
        url = f"/chat/api/lyon/{path}"
        return web.post(url, json.dumps(body), content_type="text/plain").json()

    with capture(execute=True):
        started = post("session/", {"language": "es"})
        post(
            "messages/",
            {
                "token": started["token"],
                "text": "Hola! Text me on +44 7400 123456 please",
                "id": "visit-1",
                "nonce": solve(started["challenge"], started["bits"]),
            },
        )
    conversation = Conversation.objects.get(tourist_number__startswith="web:")
    local = conversation.responder.phone_number if conversation.responder else None
    assert local is not None
    with capture(execute=True):
        text(Client(), str(local), f"#{conversation.code} Sure! Or call me at {local}")
    panel = web.get("/chat/api/lyon/messages/", {"t": started["token"]})
    return [panel.content.decode()]


def local_pages(client: Client, user) -> dict[str, str]:
    """Every page and API answer a local can open about their calls, texts, rotas and data."""
    client.force_login(user)
    urls = [
        "/portal/",
        "/portal/points/",
        "/portal/privacy/",
        "/portal/privacy/export/",
        "/calls/history/",
        "/calls/conversations/",
        "/rotas/",
        "/rotas/me/",
        "/api/v1/me/",
        "/api/v1/me/calls/",
        "/api/v1/me/conversations/",
        "/api/v1/me/points/",
        "/api/v1/communities/",
        "/portal/communities/",
        "/communities/",
        *(f"/communities/{code}/" for code in Community.objects.values_list("code", flat=True)),
        "/calls/figures/",  # a network's coordinator and managers: every table, and its CSV
        *(f"/calls/figures/{build.__name__}.csv" for build in BUILDERS),
    ]
    for call in Call.objects.filter(responder__user=user):
        urls.append(f"/calls/history/{call.public_id}/report/")
    for conversation in Conversation.objects.filter(responder__user=user):
        urls.append(f"/calls/conversations/{conversation.public_id}/")
        urls.append(f"/api/v1/me/conversations/{conversation.public_id}/")
    for membership in Membership.objects.filter(user=user):
        month = f"/rotas/{membership.network_id}/2026/6/"
        urls += [month, month + "export.csv", month + "fill/"]
        urls.append(f"/rotas/calendar/{membership.calendar_token}.ics")
    pages = {}
    for url in urls:
        response = client.get(url, follow=True)
        if response.status_code == 200:
            pages[url] = response.content.decode()
    client.logout()
    return pages


def test_no_number_crosses_between_tourists_and_locals(client, evening):
    local_users = [m.user for m in Membership.objects.all()]
    for answered in (
        Call.objects.exclude(responder=None),
        Conversation.objects.exclude(responder=None),
    ):
        local_users += [a.responder.user for a in answered if a.responder and a.responder.user]
    scanned: dict[str, str] = {}
    for user in dict.fromkeys(local_users):
        for url, body in local_pages(client, user).items():
            scanned[f"{user.email} {url}"] = body
    assert len(scanned) > 20
    # Both kinds of local were scanned: the volunteers' call and text pages, the offices' rotas.
    assert any("/calls/conversations/" in where and "@" in where for where in scanned)
    assert any(where.endswith("/api/v1/me/calls/") for where in scanned)
    assert any("/rotas/me/" in where for where in scanned)
    assert any(where.endswith("/calls/figures/communities.csv") for where in scanned)
    assert any("/communities/" in where for where in scanned)

    web_addresses = list(
        Conversation.objects.filter(channel=ConversationChannel.WEB).values_list(
            "tourist_number", flat=True
        )
    )
    assert web_addresses
    problems = [
        f"page {where}: {found}"
        for where, body in scanned.items()
        if (found := leaks(body, TOURISTS) + [a for a in web_addresses if a in body])
    ]
    to_tourists = [sms for sms in locmem.outbox if sms.to in TOURIST_ADDRESSES]
    assert any(sms.to.startswith("whatsapp:") for sms in to_tourists)
    to_locals = [sms for sms in locmem.outbox if sms.to in evening.locals_]
    assert to_tourists and to_locals and len(to_tourists) + len(to_locals) == len(locmem.outbox)
    assert mail.outbox
    for sms in to_tourists:
        lines = [LINE_WHATSAPP] if sms.to.startswith("whatsapp:") else [LINE, EARLY_LINE]
        if sms.from_ not in lines or (found := leaks(sms.body, evening.locals_)):
            problems.append(f"text to a tourist from {sms.from_}: {sms.body!r}")
    for sms in to_locals:
        if sms.from_ != LINE or (found := leaks(sms.body, TOURISTS)) or "web:" in sms.body:
            problems.append(f"text to a local from {sms.from_}: {sms.body!r}")
    for email in mail.outbox:
        if found := leaks(f"{email.subject}\n{email.body}", TOURISTS):
            problems.append(f"e-mail {email.subject!r} to {email.to}: {found}")
    for said in evening.heard:
        if found := leaks(said, evening.locals_):
            problems.append(f"the line told a tourist {said!r}")
    for panel in evening.panels:
        if found := leaks(panel, evening.locals_):
            problems.append(f"a web-chat panel showed {found}")
    assert fake_calls.placed  # the early line rang its locals by the API
    for placed in fake_calls.placed:
        if placed.from_ not in (LINE, EARLY_LINE) or placed.to not in evening.locals_:
            problems.append(f"a local's phone was called from {placed.from_}")
    for whisper in evening.whispered:
        if found := leaks(whisper, TOURISTS):
            problems.append(f"the whisper told a local {whisper!r}")
    assert not problems, "\n".join(problems)

    FIGURES["anonymity: pages and API answers scanned"] += len(scanned)
    FIGURES["anonymity: texts scanned"] += len(locmem.outbox)
    FIGURES["anonymity: e-mails scanned"] += len(mail.outbox)
    FIGURES["anonymity: prompts and whispers scanned"] += len(evening.heard) + len(
        evening.whispered
    )


@pytest.fixture
def debug_logs(caplog):
    """Every log record of every logger, from DEBUG up, from before the evening starts."""
    caplog.set_level(logging.DEBUG)
    return caplog


def test_no_phone_number_is_logged(debug_logs, evening):
    numbers = TOURISTS + evening.locals_
    records = debug_logs.get_records("setup") + debug_logs.get_records("call")
    assert records  # the evening logged something: the check looked at real output
    logged = [f"{r.name}: {r.getMessage()}" for r in records]
    problems = [line for line in logged if leaks(line, numbers)]
    assert not problems, "\n".join(problems)
    FIGURES["anonymity: log records scanned"] += len(records)
