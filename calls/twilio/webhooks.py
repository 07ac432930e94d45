"""Every Twilio webhook goes through :func:`twilio_webhook`: signature checked, always TwiML.

The URL Twilio signed is rebuilt from PUBLIC_BASE_URL, so a TLS-terminating proxy in front of us
does not break validation. There is no setting that turns the check off. A view that raises
still answers: its fallback TwiML (a polite word to the caller or texter), never a 500.
"""

from __future__ import annotations

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

logger = logging.getLogger(__name__)

View = Callable[..., HttpResponse]
Fallback = Callable[[HttpRequest], HttpResponse]


def signing_token() -> str:
    """Twilio's auth token; without a Twilio account (sandbox, simulator) a key derived from
    SECRET_KEY, which the simulator signs with, so the same check runs everywhere."""
    if settings.TWILIO_AUTH_TOKEN:
        return str(settings.TWILIO_AUTH_TOKEN)
    return salted_hmac("calls.webhook-signing", "sandbox").hexdigest()


def public_url(request: HttpRequest) -> str:
    return str(settings.PUBLIC_BASE_URL) + request.get_full_path()


def sign(url: str, params: dict[str, str]) -> str:
    return str(RequestValidator(signing_token()).compute_signature(url, params))


def is_signed(request: HttpRequest) -> bool:
    signature = request.headers.get("X-Twilio-Signature", "")
    params = {key: request.POST.get(key, "") for key in request.POST}
    return bool(signature) and bool(
        RequestValidator(signing_token()).validate(public_url(request), params, signature)
    )


def twiml(response: VoiceResponse | MessagingResponse) -> HttpResponse:
    return HttpResponse(str(response), content_type="text/xml")


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
            if not is_signed(request):
                logger.warning("Refused an unsigned or forged webhook to %s", request.path)
                return HttpResponseForbidden("Invalid Twilio signature.")
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
        return wrapper

    return decorator
