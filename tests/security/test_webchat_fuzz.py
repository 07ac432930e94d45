"""Fuzz the web chat's API as a hostile page or script would: any endpoint, method, content type
and Origin, bodies mixing real tokens (the visitor's own, another visitor's, another chat's, an
expired one) with garbage (nesting, NUL bytes, lone surrogates, huge strings, wrong types).

Every answer is a documented status; a refusal says why in JSON (405 aside, Django's own); a
site the chat does not allow never gets a CORS header on a refusal; and no answer ever carries
another visitor's words. Each example runs in a savepoint rolled back afterwards, with the rate
limits' counters cleared, so every example meets the same two visitors. Deterministic; rerun it
wider with ``FUZZ_EXAMPLES=2000``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
import time_machine
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from calls.models import WebChat

from ..calls.webchat.conftest import SITE, Visitor, solve
from .figures import FIGURES
from .fuzzing import fuzz_settings

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
SECRET = "Ines-secret-question-about-Fourviere"
STATUSES = {200, 201, 202, 204, 304, 400, 401, 403, 404, 405, 429}
ORIGINS = [SITE, SITE + "/", SITE.upper(), "https://evil.example", "null", "", "http://[::1"]
FIELDS = ["token", "text", "id", "nonce", "email", "language", "website"]
GARBAGE = [
    "",
    " ",
    "\x00",
    "\ud800",
    "a\udfffb",
    "x" * 5000,
    "١٢٣",
    "9" * 40,
    "-1",
    "a@b.c",
    "ines@exa\x00mple.com",
    "ines@example.com\r\nBcc: all@example.com",
    "Ines <ines@example.com>",
    "STOP",
    "NEW",
    "whatsapp:+4915112345678",
    "+4915112345678",
    "<script>alert(1)</script>",
    "\u202e\u200b🙂",
]


@dataclass(frozen=True)
class Tokens:
    own: str  # the fuzzing visitor's
    other: str  # another visitor of the same chat, who wrote SECRET
    foreign: str  # a visitor of another chat
    expired: str
    nonce: str  # the answer to the own visitor's puzzle


@pytest.fixture
def tokens(national_line, settings, django_capture_on_commit_callbacks) -> Tokens:
    settings.WEBCHAT_POW_BITS = 6
    for key, name in (("lyon", "Lyon"), ("paris", "Paris")):
        WebChat.objects.create(key=key, name=name, line=national_line, allowed_origins=SITE)
    with time_machine.travel("2026-01-01 10:00", tick=False):
        old = Visitor(client=Client())
        old.start()
    ines = Visitor(client=Client(), ip="203.0.113.9")
    ines.start()
    with django_capture_on_commit_callbacks(execute=True):
        assert ines.write(SECRET).status_code == 201
    me = Visitor(client=Client())
    me.start()
    stranger = Client().post(
        "/chat/api/paris/session/", "{}", content_type="text/plain", HTTP_ORIGIN=SITE
    )
    return Tokens(
        own=me.token,
        other=ines.token,
        foreign=stranger.json()["token"],
        expired=old.token,
        nonce=solve(me.challenge, me.bits),
    )


def values(tokens: Tokens):
    leaf = (
        st.sampled_from([tokens.own, tokens.other, tokens.foreign, tokens.expired, tokens.nonce])
        | st.sampled_from([tokens.own[:-1] + "A", tokens.own + ":" + tokens.own])
        | st.sampled_from(GARBAGE)
        | st.text(max_size=30)
        | st.integers(min_value=-(10**20), max_value=10**20)
        | st.floats(allow_nan=True)
        | st.booleans()
        | st.none()
    )
    return st.recursive(leaf, lambda inner: st.lists(inner, max_size=3), max_leaves=5)


def bodies(tokens: Tokens):
    objects = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), values(tokens))
    # Nearly what the panel sends: the visitor's own token and puzzle's answer, odd words.
    nearly = st.fixed_dictionaries(
        {"token": st.just(tokens.own), "nonce": st.just(tokens.nonce)},
        optional={
            "text": st.sampled_from(GARBAGE) | st.text(max_size=40),
            "id": st.sampled_from(["m1", "m1", "-", "a" * 65, "é"]) | st.text(max_size=8),
            "email": st.sampled_from(GARBAGE) | st.emails().map(str),
            "language": st.sampled_from(GARBAGE) | st.text(max_size=8),
            "website": st.sampled_from(["", "http://spam.example", "0"]),
        },
    )
    encoded = (objects | nearly | nearly).map(lambda data: json.dumps(data, ensure_ascii=True))
    raw = st.sampled_from(
        [
            "",
            "null",
            "[]",
            '"text"',
            "{",
            "[" * 50_000 + "]" * 50_000,
            '{"token": {"$ne": null}}',
            "token=abc&text=hi",
            '{"text": "\\ud800"}',
        ]
    )
    return encoded | raw | st.binary(max_size=60).map(lambda b: b.decode("latin-1"))


@dataclass(frozen=True)
class Attempt:
    key: str
    path: str
    method: str
    origin: str
    content_type: str
    body: str
    query: dict[str, str]


def attempts(tokens: Tokens):
    sendable = [value for value in GARBAGE if "\ud800" not in value and "\udfff" not in value]
    query_values = st.sampled_from([tokens.own, tokens.other, tokens.foreign, *sendable])
    return st.builds(
        Attempt,
        key=st.sampled_from(["lyon", "lyon", "lyon", "paris", "nowhere"]),
        path=st.sampled_from(["messages/", "messages/", "email/", "session/", ""]),
        method=st.sampled_from(["POST"] * 6 + ["GET"] * 3 + ["OPTIONS", "PUT"]),
        origin=st.sampled_from([SITE] * 6 + ORIGINS),
        content_type=st.sampled_from(
            ["text/plain", "application/json", "application/x-www-form-urlencoded", "text/xml"]
        ),
        body=bodies(tokens),
        query=st.dictionaries(st.sampled_from(["t", "lang"]), query_values, max_size=2),
    )


def send(client: Client, attempt: Attempt):
    url = f"/chat/api/{attempt.key}/{attempt.path}"
    headers = {"Origin": attempt.origin} if attempt.origin else {}
    if attempt.method == "GET":
        return client.get(url, attempt.query, headers=headers)
    body = attempt.body.encode("utf-8", "surrogatepass")
    if attempt.query:
        url += "?" + urlencode(attempt.query)
    return client.generic(
        attempt.method, url, body, content_type=attempt.content_type, headers=headers
    )


def test_the_web_chat_api_survives_a_hostile_browser(tokens):
    client = Client()

    @fuzz_settings(EXAMPLES)
    @given(attempt=attempts(tokens))
    def fuzz(attempt: Attempt) -> None:
        cache.clear()
        with transaction.atomic():
            response = send(client, attempt)
            transaction.set_rollback(True)
        FIGURES["web chat fuzz: requests"] += 1
        status = response.status_code
        assert status in STATUSES, (status, attempt)
        FIGURES[f"web chat fuzz: {status}"] += 1
        content = response.content.decode()
        if SECRET in content:  # only Ines's own poll may show her words
            assert attempt.method == "GET" and attempt.query.get("t") == tokens.other, attempt
        if status >= 400 and status != 405:
            assert "error" in response.json(), (status, content)
        foreign = attempt.origin.rstrip("/").lower() not in ("", SITE)
        if foreign and status == 403:
            assert "Access-Control-Allow-Origin" not in response, attempt

    fuzz()


@pytest.mark.parametrize("path", ["session/", "messages/", "email/"])
def test_what_a_panel_might_post_is_stored_or_refused_clearly(tokens, path):
    """From the allowed site, bodies close to the panel's: each is taken (2xx) or refused with
    a reason (4xx in JSON), never a 500."""
    client = Client()

    @fuzz_settings(EXAMPLES)
    @given(body=bodies(tokens))
    def fuzz(body: str) -> None:
        cache.clear()
        attempt = Attempt("lyon", path, "POST", SITE, "text/plain", body, {})
        with transaction.atomic():
            response = send(client, attempt)
            transaction.set_rollback(True)
        FIGURES["web chat fuzz: requests"] += 1
        FIGURES[f"web chat fuzz: {response.status_code}"] += 1
        assert response.status_code in STATUSES - {405}, (response.status_code, body)
        if response.status_code >= 400:
            assert "error" in response.json()
        assert SECRET not in response.content.decode()

    fuzz()
