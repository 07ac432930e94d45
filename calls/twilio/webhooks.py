"""Every Twilio webhook goes through :func:`twilio_webhook`: signature checked, always TwiML.

The URL Twilio signed is rebuilt from PUBLIC_BASE_URL, so a TLS-terminating proxy in front of us
does not break validation. There is no setting that turns the check off. A view that raises
still answers: its fallback TwiML (a polite word to the caller or texter), never a 500.

The simulators sign as Twilio does but with a rehearsal key of their own, in a header of their
own: a rehearsal never passes for Twilio's traffic (views ask :func:`is_rehearsal` and mark what
it creates), and with a telephony backend that reaches real phones no rehearsal is accepted.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import traceback
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.utils.crypto import salted_hmac
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import VoiceResponse

from concierge.lib import logcontext
from concierge.lib.telephony import get_backend
from concierge.middleware import lean_request

from .params import read_form
from .render import render

logger = logging.getLogger(__name__)

View = Callable[..., HttpResponse]
Fallback = Callable[[HttpRequest], HttpResponse]


def signing_token() -> str:
    """Twilio's auth token; without a Twilio account (sandbox, tests) a key derived from
    SECRET_KEY, so the same check runs everywhere. The simulators never sign with it."""
    if settings.TWILIO_AUTH_TOKEN:
        return str(settings.TWILIO_AUTH_TOKEN)
    return salted_hmac("calls.webhook-signing", "sandbox").hexdigest()


def public_url(request: HttpRequest) -> str:
    return str(settings.PUBLIC_BASE_URL) + request.get_full_path()


def sign(url: str, params: dict[str, str]) -> str:
    return str(RequestValidator(signing_token()).compute_signature(url, params))


def is_signed(request: HttpRequest) -> bool:
    return _valid(request, header="X-Twilio-Signature", key=signing_token())


REHEARSAL_HEADER = "X-Concierge-Rehearsal"


def rehearsal_key() -> str:
    """What the simulators sign with: derived from SECRET_KEY, never Twilio's token."""
    return salted_hmac("calls.rehearsal-signing", "rehearsal").hexdigest()


def sign_rehearsal(url: str, params: dict[str, str]) -> str:
    return str(RequestValidator(rehearsal_key()).compute_signature(url, params))


def rehearsals_allowed() -> bool:
    """Rehearsals run only where no text can reach a real phone."""
    return not get_backend().reaches_real_phones


def is_rehearsal(request: HttpRequest) -> bool:
    """Sent by our simulators (their signature is valid) and rehearsals are allowed here."""
    if REHEARSAL_HEADER not in request.headers:  # Twilio's own traffic: nothing to derive
        return False
    return _valid(request, header=REHEARSAL_HEADER, key=rehearsal_key()) and rehearsals_allowed()


def _valid(request: HttpRequest, *, header: str, key: str) -> bool:
    """Twilio's signature: an HMAC-SHA1 of the URL followed by each parameter's name and value,
    in the order of the names. Checked first on the URL as we serve it (what Twilio signs), one
    HMAC; only a request that fails that is given to twilio's own validator, which tries the URL
    with and without its port (two HMACs, and its parsing: ~0.3 ms that every request paid)."""
    signature = request.headers.get(header, "")
    if not signature:
        return False
    params = {name: request.POST.get(name, "") for name in request.POST}
    url = public_url(request)
    signed = url + "".join(name + params[name] for name in sorted(params))
    expected = base64.b64encode(hmac.new(key.encode(), signed.encode(), hashlib.sha1).digest())
    if hmac.compare_digest(expected, signature.encode("utf-8", "replace")):
        return True
    return bool(RequestValidator(key).validate(url, params, signature))


def twiml(response: VoiceResponse | MessagingResponse) -> HttpResponse:
    return HttpResponse(render(response), content_type="text/xml")


def empty_answer(request: HttpRequest) -> HttpResponse:
    """The fallback of callbacks whose answer Twilio ignores (statuses, recordings)."""
    return twiml(MessagingResponse())


def twilio_id(request: HttpRequest) -> str:
    """What names the request in our logs: Twilio's ids, never a phone number."""
    for key in ("CallSid", "MessageSid", "RecordingSid"):
        if value := request.POST.get(key, "").strip():
            return f"{key}={value[:64]}"
    return "no Twilio id"


def twilio_webhook(*, fallback: Fallback = empty_answer) -> Callable[[View], View]:
    """Check the signature, run the view, and answer ``fallback`` if it raises."""

    def decorator(view: View) -> View:
        @csrf_exempt
        @require_POST
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            read_form(request)
            if not (is_signed(request) or is_rehearsal(request)):
                logger.warning("Refused an unsigned or forged webhook to %s", request.path)
                return HttpResponseForbidden("Invalid Twilio signature.")
            logcontext.bind(**logcontext.twilio_sids(request.POST))
            try:
                return view(request, *args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - Twilio must always get TwiML
                # The exception's message may quote data (a number in a database error): log its
                # type and where it happened, not its text.
                logger.error(
                    "Webhook %s failed (%s): %s\n%s",
                    request.path,
                    twilio_id(request),
                    type(exc).__name__,
                    "".join(traceback.format_tb(exc.__traceback__)),
                )
                return fallback(request)

        wrapper.twilio_webhook = True  # type: ignore[attr-defined]  # found by the 403 test
        return lean_request(wrapper)  # no session, user, CSRF or messages (LeanWebhooks)

    return decorator
