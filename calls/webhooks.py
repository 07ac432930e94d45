"""Every Twilio webhook goes through :func:`twilio_webhook`: signature checked, always TwiML.

The URL Twilio signed is rebuilt from PUBLIC_BASE_URL, so a TLS-terminating proxy in front of us
does not break validation. There is no setting that turns the check off.
"""

from __future__ import annotations

import logging
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


def signing_token() -> str:
    """Twilio's auth token; without a Twilio account (sandbox, simulator) a key derived from
    SECRET_KEY, which the simulator signs with, so the same check runs everywhere."""
    if settings.TWILIO_AUTH_TOKEN:
        return settings.TWILIO_AUTH_TOKEN
    return salted_hmac("calls.webhook-signing", "sandbox").hexdigest()


def public_url(request: HttpRequest) -> str:
    return settings.PUBLIC_BASE_URL + request.get_full_path()


def sign(url: str, params: dict[str, str]) -> str:
    return RequestValidator(signing_token()).compute_signature(url, params)


def is_signed(request: HttpRequest) -> bool:
    signature = request.headers.get("X-Twilio-Signature", "")
    params = {key: request.POST.get(key, "") for key in request.POST}
    return bool(signature) and RequestValidator(signing_token()).validate(
        public_url(request), params, signature
    )


def twiml(response: VoiceResponse | MessagingResponse) -> HttpResponse:
    return HttpResponse(str(response), content_type="text/xml")


def twilio_webhook(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @csrf_exempt
    @require_POST
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_signed(request):
            logger.warning("Refused an unsigned or forged webhook to %s", request.path)
            return HttpResponseForbidden("Invalid Twilio signature.")
        return view(request, *args, **kwargs)

    wrapper.twilio_webhook = True  # type: ignore[attr-defined]  # found by the 403 test
    return wrapper
