"""Fuzz every Twilio webhook with signed, hostile parameters: each answer is valid TwiML (XML whose
root is <Response>) with 200, or a refusal (403, 405); never a 500 and never a crash hidden
behind the fallback answer.

The URLs come from the URLconf, so a new webhook is fuzzed without anyone adding it here. Their
ids are random or those of a real call in progress (dialled through the incoming webhook, so the
menu, connect, whisper and dial steps meet real rows), and the parameters mix the real call's
values with edge cases: NUL bytes, huge and negative numbers, Unicode digits, overlong SIDs,
garbage numbers, missing fields. Each example runs in a savepoint rolled back afterwards, so
every example meets the same call in the same state and a failure replays exactly.

Deterministic (derandomized) and bounded; rerun it wider with ``FUZZ_EXAMPLES=2000``.
"""

from __future__ import annotations

import logging
import os
import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import given, settings
from hypothesis import strategies as st

from calls.models import Call, Message, PhoneLine
from calls.twilio.webhooks import sign
from calls.voice.menu import MENU_STEPS

from ..calls.test_webhook_security import webhook_paths
from ..calls.twilio import phone, text, whatsapp
from ..factories import every_day, make_ambassador
from .figures import FIGURES
from .fuzzing import fuzz_settings

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
LINE = "+33199000000"
EARLY_LINE = "+33199000001"
TOURIST = "+4915112345678"

# Every field Twilio posts to a voice or messaging webhook, and a few it never sends.
KEYS = [
    "CallSid",
    "AccountSid",
    "From",
    "To",
    "Caller",
    "Called",
    "CallStatus",
    "CallDuration",
    "Digits",
    "SpeechResult",
    "Confidence",
    "DialCallStatus",
    "DialCallDuration",
    "DialCallSid",
    "MessageSid",
    "SmsSid",
    "MessageStatus",
    "ErrorCode",
    "Body",
    "NumSegments",
    "NumMedia",
    "RecordingSid",
    "RecordingUrl",
    "RecordingStatus",
    "RecordingDuration",
    "FromCountry",
    "Direction",
    "ParentCallSid",
    # The <Enqueue>'s action and wait URL (ringing during the greeting)
    "QueueResult",
    "QueueSid",
    "QueueTime",
    "QueuePosition",
    "AvgQueueTime",
    "CurrentQueueSize",
    # WhatsApp on the Messaging webhook
    "SmsMessageSid",
    "ProfileName",
    "WaId",
    "MessageType",
    "MediaUrl0",
    "MediaContentType0",
    "Latitude",
    "Longitude",
]
EDGE_VALUES = [
    "",
    " ",
    "\x00",
    "CA\x00" + "0" * 32,
    "+49151\x0012345678",
    "CA" + "f" * 32,
    "CA" + "f" * 200,
    "A" * 10_000,
    "-1",
    "-99999999999999999999",
    "99999999999999999999999999999999",
    "9" * 400,
    "1e308",
    "NaN",
    "Infinity",
    "0x1F",
    "1_000",
    " 42 ",
    "١٢٣",  # Arabic-Indic digits
    "１２３",  # full-width digits
    "²",
    "߀",  # NKo digit zero
    "+١٥١٢٣٤٥٦٧٨٩",
    "+33 1 99 00 00 00",
    "0033199000000",
    "4915112345678",
    "+4915112345678" * 10,
    "+0",
    "+",
    "anonymous",
    "Restricted",
    "+266696687",
    "client:alice",
    "sip:alice@example.com",
    "<Response><Dial>+4915112345678</Dial></Response>",
    "]]><Hangup/>",
    "&#0;&amp;",
    "%00",
    "\r\nX-Injected: 1",
    "\u202e\u200b🙂",
    "null",
    "completed",
    "no-answer",
    "in-progress",
    "COMPLETED",
    "busy",
    "failed",
    "delivered",
    "undelivered",
    "0",
    "1",
    "9",
    "*",
    "#",
    "1#",
    "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1",
    "https://evil.example/recording",
    "javascript:alert(1)",
    "bridged",
    "bridging-in-process",
    "queue-full",
    "redirected",
    "leave",
    "hangup",
    "error",
    "system-error",
    "whatsapp:",
    "whatsapp:+4915112345678",
    "whatsapp:+33199000000",
    "whatsapp:+33199000001",
    "whatsapp:junk",
    "whatsapp:+١٥١٢٣٤٥٦٧٨٩",
    "WHATSAPP:+4915112345678",
    "whatsapp:whatsapp:+4915112345678",
    "messenger:+4915112345678",
    "image/jpeg",
]


@dataclass(frozen=True)
class Live:
    """Real calls, a real conversation and their ids, as the fuzz targets them."""

    calls: list[dict[str, str]]  # each call's id in our URLs and what Twilio posts about it
    values: list[str]
    message_ids: list[str]

    @property
    def call_ids(self) -> list[str]:
        return [call["id"] for call in self.calls]


@pytest.fixture
def live(client, national_line, django_capture_on_commit_callbacks) -> Live:
    """Calls in every state a webhook can meet, and a text conversation, all made through the
    webhooks: one in the menu, one ringing a local, one connected, one nobody could take."""
    locals_ = [
        make_ambassador(f"fuzz{n}@example.com", name=f"Fuzz{n}", slots=every_day())
        for n in range(8)
    ]
    in_menu = phone(client, from_="+447911123456").dial()
    connected = phone(client, from_="+819012345678").dial().press("1").press("0").press("0")
    connected.answer("1")
    ringing = phone(client, from_=TOURIST).dial().press("1").press("0").press("0")
    nobody = phone(client, from_="+12025550123").dial().press("1").press("0").press("0")
    nobody.no_answer()
    # A line that rings its locals during the greeting: a caller holding in their queue, one
    # bridged from it, one choosing a topic in it while the phones ring.
    PhoneLine.objects.create(number=EARLY_LINE, label="Early", ring_group_size=2)
    holding = phone(client, to=EARLY_LINE, from_="+34612345678").dial()
    bridged = phone(client, to=EARLY_LINE, from_="+5511912345678").dial()
    bridged.answer("1")
    choosing = phone(client, to=EARLY_LINE, from_="+61412345678").dial().press("1")
    with django_capture_on_commit_callbacks(execute=True):
        text(client, "+393331234567", "Ciao! Where can I eat near the Louvre?")
        whatsapp(client, "+48601234567", "Dzień dobry! Is the museum open today?")
        whatsapp(client, "+48601234567", "", media=2)
    phones = (in_menu, connected, ringing, nobody, holding, bridged, choosing)
    assert holding.queued and bridged.state == "connected"
    assert choosing.queued and choosing.state == "menu"
    calls = [
        {
            "id": str(Call.objects.get(sid=p.sid).public_id),
            "CallSid": p.sid,
            "From": p.from_,
            "To": p.to,
        }
        for p in phones
    ]
    values = [p.sid for p in phones] + [p.from_ for p in phones]
    values += [LINE, EARLY_LINE, *(str(local.phone_number) for local in locals_)]
    values += [f"whatsapp:{number}" for number in ("+48601234567", LINE, EARLY_LINE)]
    values += [m.sid for m in Message.objects.exclude(sid="")]
    return Live(
        calls=calls,
        values=values,
        message_ids=[str(m.public_id) for m in Message.objects.all()],
    )


def webhook_routes() -> list[str]:
    """The route of every Twilio webhook in the URLconf, placeholders and all."""
    found = []

    def walk(patterns, prefix=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern) and getattr(entry.callback, "twilio_webhook", False):
                found.append("/" + prefix + str(entry.pattern))

    walk(get_resolver().url_patterns)
    return found


ROUTES = webhook_routes()
PLACEHOLDER = re.compile(r"<(\w+):(\w+)>")


def test_every_webhook_is_fuzzed():
    assert len(ROUTES) == len(webhook_paths()) >= 11
    assert {kind for route in ROUTES for kind, _ in PLACEHOLDER.findall(route)} <= {
        "uuid",
        "slug",
        "int",
    }, "a webhook has a new kind of URL parameter: teach url_for() to fill it"


def url_for(route: str, live: Live):
    """A strategy of concrete URLs for one route, with a query string now and then."""

    def fill(kind: str):
        if kind == "uuid":
            return st.sampled_from(live.call_ids) | st.uuids().map(str)
        if kind == "slug":
            return st.sampled_from(MENU_STEPS) | st.from_regex(
                r"[-a-zA-Z0-9_]{1,60}", fullmatch=True
            )
        return st.sampled_from([0, 1, 2]) | st.integers(min_value=0, max_value=10**40)

    kinds = PLACEHOLDER.findall(route)
    query_values = st.sampled_from(live.message_ids) | value_strategy(live)
    query = st.dictionaries(st.sampled_from(["page", "try", "m"]), query_values, max_size=3)

    @st.composite
    def build(draw) -> str:
        path = route
        for kind, name in kinds:
            path = path.replace(f"<{kind}:{name}>", str(draw(fill(kind))), 1)
        params = draw(query)
        return path + ("?" + urlencode(params) if params else "")

    return build()


def value_strategy(live: Live):
    return (
        st.sampled_from(EDGE_VALUES)
        | st.sampled_from(live.values)
        | st.integers(min_value=-(10**30), max_value=10**30).map(str)
        | st.text(max_size=40)
    )


def params_strategy(live: Live):
    values = value_strategy(live)
    known = st.dictionaries(st.sampled_from(KEYS), values, max_size=10)
    odd = st.dictionaries(st.text(min_size=1, max_size=12), values, max_size=2)
    return st.tuples(known, odd).map(lambda pair: {**pair[1], **pair[0]})


def post_signed(client, method: str, url: str, params: dict[str, str]):
    """As Twilio posts: form-encoded, signed over the public URL and the parameters."""
    signature = sign(django_settings.PUBLIC_BASE_URL + url, params)
    if method != "POST":
        return client.generic(method, url, HTTP_X_TWILIO_SIGNATURE=signature)
    return client.post(
        url,
        urlencode(params),
        content_type="application/x-www-form-urlencoded",
        HTTP_X_TWILIO_SIGNATURE=signature,
    )


def outcome(response) -> str:
    """ "answered" (valid TwiML), "refused" (403, 405); anything else fails the test."""
    if response.status_code in (403, 405):
        return "refused"
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/xml"), response["Content-Type"]
    root = ET.fromstring(response.content)  # noqa: S314 - our own answer, parsed to check it
    assert root.tag == "Response"
    return "answered"


class CrashLog(logging.Handler):
    """Errors the webhook decorator logs when a view raised and the fallback answered."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.crashes: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.crashes.append(record.getMessage())


@pytest.fixture
def crashes():
    handler = CrashLog()
    logger = logging.getLogger("calls.twilio.webhooks")
    logger.addHandler(handler)
    yield handler.crashes
    logger.removeHandler(handler)


@pytest.mark.parametrize("route", ROUTES)
def test_signed_garbage_gets_twiml_or_a_refusal(client, live, crashes, route):
    @fuzz_settings(EXAMPLES)
    @given(
        method=st.sampled_from(["POST"] * 12 + ["GET", "PUT"]),
        url=url_for(route, live),
        params=params_strategy(live),
    )
    def fuzz(method: str, url: str, params: dict[str, str]) -> None:
        crashes.clear()
        with transaction.atomic():
            response = post_signed(client, method, url, params)
            transaction.set_rollback(True)  # the next example meets the same live call
        FIGURES["webhook fuzz: requests"] += 1
        FIGURES[f"webhook fuzz: {outcome(response)}"] += 1
        assert not crashes, crashes  # the fallback hid a crash: the view must not raise

    fuzz()


@pytest.mark.parametrize("route", [r for r in ROUTES if "<uuid:call_id>" in r])
def test_a_real_call_survives_garbage_at_every_step(client, live, crashes, route):
    """The steps of a call in progress, with that call's own CallSid and numbers, one or more of
    Twilio's fields replaced by garbage: the rows behind the URL are real."""

    @st.composite
    def real_request(draw) -> tuple[str, dict[str, str]]:
        call = draw(st.sampled_from(live.calls))
        url = route.replace("<uuid:call_id>", call["id"])
        url = url.replace("<slug:step>", draw(st.sampled_from(MENU_STEPS)))
        url = url.replace("<int:order>", str(draw(st.sampled_from([1, 2]))))
        params = {"CallSid": call["CallSid"], "From": call["From"], "To": call["To"]}
        params.update(draw(params_strategy(live)))
        return url, params

    @fuzz_settings(EXAMPLES)
    @given(request=real_request())
    def fuzz(request: tuple[str, dict[str, str]]) -> None:
        crashes.clear()
        url, params = request
        with transaction.atomic():
            response = post_signed(client, "POST", url, params)
            transaction.set_rollback(True)
        FIGURES["webhook fuzz: requests"] += 1
        FIGURES[f"webhook fuzz: {outcome(response)}"] += 1
        assert not crashes, crashes

    fuzz()


def test_a_forged_signature_is_refused_whatever_the_parameters(client, live):
    """The same garbage without a valid signature never reaches a view."""

    @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None)
    @given(url=st.sampled_from(ROUTES).flatmap(lambda r: url_for(r, live)))
    def forged(url: str) -> None:
        params = {"CallSid": "CA" + uuid.uuid4().hex, "From": TOURIST, "To": LINE}
        signature = sign("https://evil.example" + url, params)
        response = client.post(url, params, HTTP_X_TWILIO_SIGNATURE=signature)
        assert response.status_code == 403
        FIGURES["webhook fuzz: forged, refused"] += 1

    forged()
