"""Nobody could answer: the caller may ask to be texted as soon as a local is free."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from .. import copy
from ..models import Call, CallbackRequest, CallbackStatus
from ..twilio.webhooks import rehearsals_allowed
from .notices import notify
from .selectors import call_candidates

logger = logging.getLogger(__name__)


CALLBACK_WAIT = timedelta(minutes=30)


def callback_request(*, call: Call) -> CallbackRequest:
    """The caller pressed 1 after the goodbye: one request per call, however often they press."""
    request, created = CallbackRequest.objects.get_or_create(call=call)
    if created:
        transaction.on_commit(lambda: _enqueue_callbacks())
    return request


def _enqueue_callbacks() -> None:
    from .tasks import serve_callback_requests

    try:
        serve_callback_requests.delay()
    except Exception:  # noqa: BLE001 - broker down: the periodic sweep will serve it
        logger.warning("Could not enqueue the callback sweep; beat will run it")


def callbacks_serve(*, now: datetime | None = None) -> int:
    """Text every waiting caller for whom a local is free now; give up kindly after a while.

    Each request is texted at most once: the conditional update on its status decides."""
    now = now or timezone.now()
    served = 0
    pending = CallbackRequest.objects.filter(status=CallbackStatus.PENDING).select_related(
        "call__line"
    )
    for request in pending:
        call = request.call
        if now - request.created_at > CALLBACK_WAIT:
            if _settle(request, CallbackStatus.EXPIRED, now):
                _text_caller(call, "expired")
            continue
        free = call_candidates(
            call=call, at=now, language=call.language or "en", motive=None, region=None, limit=1
        )
        if free and _settle(request, CallbackStatus.SERVED, now):
            _text_caller(call, "served")
            served += 1
    return served


def _settle(request: CallbackRequest, status: CallbackStatus, now: datetime) -> bool:
    return bool(
        CallbackRequest.objects.filter(pk=request.pk, status=CallbackStatus.PENDING).update(
            status=status, served_at=now
        )
    )


def _text_caller(call: Call, outcome: str) -> None:
    if call.is_rehearsal and not rehearsals_allowed():
        return  # a rehearsal's caller is nobody real: never text them through real phones
    line = call.line.number.as_e164
    if outcome == "served":
        body = copy.caller_callback_served(call.language or "en", line=line)
    else:
        body = copy.caller_callback_expired(call.language or "en", line=line)
    number = call.caller_number
    transaction.on_commit(lambda: notify(number, body))
