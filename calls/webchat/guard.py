"""The web chat's abuse guard, without a CAPTCHA: a signed token per visitor (no cookie, so it
works on any site), rate limits per address and per token in the shared cache, a honeypot field
and a small proof of work on the first message."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest

from concierge.lib.sharedcache import tolerant

SALT = "calls.webchat.visitor"


@dataclass(frozen=True)
class Pass:
    """What a visitor's token says: who they are, on which chat, and their puzzle."""

    visitor: str  # WebVisitor.public_id
    address: str  # their conversations' "number"
    chat: str  # WebChat.key
    challenge: str
    language: str


def token_for(visitor_pass: Pass) -> str:
    return signing.dumps(
        {
            "v": visitor_pass.visitor,
            "a": visitor_pass.address,
            "c": visitor_pass.chat,
            "p": visitor_pass.challenge,
            "l": visitor_pass.language,
        },
        salt=SALT,
    )


def pass_of(token: str, *, chat: str) -> Pass | None:
    """The token's pass when it is ours, not expired and for this chat; None otherwise."""
    if not token or len(token) > 400 or not token.isascii():  # ours are URL-safe base64
        return None
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.WEBCHAT_TOKEN_HOURS * 3600)
        found = Pass(
            visitor=str(data["v"]),
            address=str(data["a"]),
            chat=str(data["c"]),
            challenge=str(data["p"]),
            language=str(data["l"]),
        )
    except (signing.BadSignature, KeyError, TypeError):
        return None
    return found if found.chat == chat else None


def new_challenge() -> str:
    return secrets.token_hex(8)


def proof_holds(challenge: str, nonce: str, *, bits: int | None = None) -> bool:
    """Whether SHA-256("challenge:nonce") starts with ``bits`` zero bits (the panel searches
    for such a nonce before its first message: a moment for a person, a cost for a flood)."""
    bits = settings.WEBCHAT_POW_BITS if bits is None else bits
    if not nonce or len(nonce) > 32 or not nonce.isdigit():
        return False
    digest = hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()
    return int.from_bytes(digest, "big") >> (256 - bits) == 0 if bits else True


def client_address(request: HttpRequest) -> str:
    """The client's IP address, believing X-Forwarded-For only as far as NUM_PROXIES says."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.NUM_PROXIES and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(settings.NUM_PROXIES, len(hops))]
    return str(request.META.get("REMOTE_ADDR", ""))


def allowed(kind: str, who: str) -> bool:
    """Count one request of ``kind`` by ``who`` (an address or a visitor) in the current window;
    False once WEBCHAT_LIMITS[kind] is reached."""
    limit, seconds = settings.WEBCHAT_LIMITS[kind]
    key = f"webchat:limit:{kind}:{hashlib.sha256(who.encode()).hexdigest()[:24]}"

    def count() -> int:
        if cache.add(key, 1, seconds):
            return 1
        try:
            return int(cache.incr(key))
        except ValueError:  # expired between the two calls
            cache.set(key, 1, seconds)
            return 1

    # With the cache down there is no count to keep: the limits are lifted rather than refusing
    # every visitor; the proof of work and the honeypot hold.
    return tolerant(count, down=0, degrades="web-chat limits are lifted") <= limit
