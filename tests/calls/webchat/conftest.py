"""A tourist office's web chat on the national line, and a visitor's browser talking to it."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field

import pytest
from django.test import Client

from calls.models import WebChat

SITE = "https://www.lyon-tourisme.example"
KEY = "lyon"


def solve(challenge: str, bits: int) -> str:
    """What the panel's script computes before the first message."""
    nonce = 0
    while True:
        digest = hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()
        if int.from_bytes(digest, "big") >> (256 - bits) == 0:
            return str(nonce)
        nonce += 1


@dataclass
class Visitor:
    """A browser on the office's site, with the token it got; its requests carry its Origin."""

    client: Client
    origin: str = SITE
    ip: str = "198.51.100.7"
    token: str = ""
    challenge: str = ""
    bits: int = 0
    etag: str = ""
    seen: list[dict] = field(default_factory=list)

    def post(self, path: str, body: dict | str, **headers):
        data = body if isinstance(body, str) else json.dumps(body)
        return self.client.post(
            f"/chat/api/{KEY}/{path}",
            data,
            content_type="text/plain",
            HTTP_ORIGIN=self.origin,
            REMOTE_ADDR=self.ip,
            **headers,
        )

    def start(self, language: str = "en"):
        response = self.post("session/", {"language": language})
        if response.status_code == 201:
            data = response.json()
            self.token, self.challenge, self.bits = data["token"], data["challenge"], data["bits"]
        return response

    def write(self, text: str, *, proof: bool = True, **extra):
        body = {"token": self.token, "text": text, "id": str(uuid.uuid4()), **extra}
        if proof and "nonce" not in body:
            body["nonce"] = solve(self.challenge, self.bits)
        return self.post("messages/", body)

    def poll(self):
        headers = {"Origin": self.origin}
        if self.etag:
            headers["If-None-Match"] = self.etag
        response = self.client.get(
            f"/chat/api/{KEY}/messages/", {"t": self.token}, headers=headers, REMOTE_ADDR=self.ip
        )
        if response.status_code == 200:
            self.etag = response["ETag"]
            self.seen = response.json()["messages"]
        return response

    def texts(self) -> list[str]:
        return [m["text"] for m in self.seen]


@pytest.fixture(autouse=True)
def _small_puzzle(settings):
    settings.WEBCHAT_POW_BITS = 6


@pytest.fixture
def web_chat(national_line) -> WebChat:
    return WebChat.objects.create(
        key=KEY, name="Lyon Tourisme", line=national_line, allowed_origins=SITE
    )


@pytest.fixture
def visitor(web_chat, django_capture_on_commit_callbacks) -> Visitor:
    return Visitor(client=Client())
