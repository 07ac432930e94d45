"""What happens to a call: created, routed to someone, answered, ended. Atomic and idempotent."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from ambassadors.models import Ambassador
from concierge.models import CallMotive, Region

from .countries import country_of
from .models import (
    FINAL_CALL_STATUSES,
    AttemptOutcome,
    BlockedNumber,
    Call,
    CallAttempt,
    CallStatus,
    PhoneLine,
)
from .selectors import call_candidates

# "Least recently offered first, with a random pick among the first few": fair, and two calls
# arriving together rarely reach for the same person first.
QUEUE_HEAD = 3
MAX_CLAIM_ROUNDS = 100


def call_receive(*, sid: str, line: PhoneLine, caller: str) -> tuple[Call, bool]:
    """The call for this CallSid, created on first sight; a retried webhook finds the same row."""
    try:
        with transaction.atomic():
            return Call.objects.get_or_create(
                sid=sid,
                defaults={
                    "line": line,
                    "caller_number": caller,
                    "caller_country": country_of(caller),
                },
            )
    except IntegrityError:  # the same webhook, twice at once
        return Call.objects.get(sid=sid), False


def call_refusal(call: Call) -> str | None:
    """ "blocked" or "rate_limited" when this caller must not reach anyone, else None."""
    if not call.caller_number:
        return None
    if BlockedNumber.objects.filter(number=call.caller_number).exists():
        return "blocked"
    since = call.received_at - timedelta(hours=1)
    earlier = Call.objects.filter(
        caller_number=call.caller_number, received_at__gte=since, received_at__lt=call.received_at
    ).count()
    if earlier >= settings.CALL_RATE_LIMIT_PER_HOUR:
        return "rate_limited"
    return None


def call_set_status(call: Call, status: CallStatus, **fields: object) -> bool:
    """Move the call forward; a final status is never left (late or repeated callbacks)."""
    updated = (
        Call.objects.filter(pk=call.pk)
        .exclude(status__in=FINAL_CALL_STATUSES)
        .update(status=status, **fields)
    )
    if updated:
        call.refresh_from_db()
    return bool(updated)


def call_choose(call: Call, **choices: object) -> None:
    for name, value in choices.items():
        setattr(call, name, value)
    call.save(update_fields=list(choices))


def _preferences(call: Call) -> list[tuple[CallMotive | None, Region | None]]:
    """The caller's wishes, then relaxed: first the motive, then the region."""
    steps = [(call.motive, call.region), (None, call.region), (None, None)]
    return list(dict.fromkeys(steps))


def _claim(candidate: Ambassador, at: datetime) -> bool:
    """Compare-and-set on the queue position: exactly one call can move it, so only one call
    rings this person even when many web processes route at once (PostgreSQL re-checks the
    condition on the row's newest version after waiting for its lock)."""
    if candidate.last_offered_at is None:
        stale = Ambassador.objects.filter(pk=candidate.pk, last_offered_at__isnull=True)
    else:
        stale = Ambassador.objects.filter(
            pk=candidate.pk, last_offered_at=candidate.last_offered_at
        )
    return stale.update(last_offered_at=at) == 1


def call_ring_next(*, call: Call) -> CallAttempt | None:
    """Claim the next responder for the call and record the attempt; None when nobody is left
    (or the attempt or ring-time budget is spent)."""
    now = timezone.now()
    attempts = call.attempts.aggregate(count=Max("order"))["count"] or 0
    if attempts >= settings.CALL_MAX_ATTEMPTS:
        return None
    if attempts and (now - call.received_at).total_seconds() > settings.CALL_TOTAL_RING_CAP + 60:
        return None
    for motive, region in _preferences(call):
        candidates = call_candidates(call=call, at=now, motive=motive, region=region).only(
            "pk", "last_offered_at"
        )
        # Losing a claim means another call just took that person: look again, the query
        # now leaves them out. Every lost claim is someone else's win, so this ends.
        for _round in range(MAX_CLAIM_ROUNDS):
            head = list(candidates[:QUEUE_HEAD])
            if not head:
                break
            random.shuffle(head)
            for candidate in head:
                attempt = _ring(call, candidate, order=attempts + 1, at=now)
                if attempt is not None:
                    call_set_status(call, CallStatus.ROUTING)
                    return attempt
    return None


def _ring(call: Call, candidate: Ambassador, *, order: int, at: datetime) -> CallAttempt | None:
    with transaction.atomic():
        if not _claim(candidate, at):
            return None
        try:
            return CallAttempt.objects.create(
                call=call, ambassador=candidate, order=order, started_at=at
            )
        except IntegrityError:
            # A duplicate webhook for this call got there first: give the person back.
            transaction.set_rollback(True)
    return call.attempts.filter(order=order).first()


def attempt_resolve(attempt: CallAttempt, outcome: AttemptOutcome) -> bool:
    """Close a ringing attempt; only the first word counts (duplicates change nothing)."""
    updated = CallAttempt.objects.filter(pk=attempt.pk, outcome=AttemptOutcome.RINGING).update(
        outcome=outcome, ended_at=timezone.now()
    )
    attempt.refresh_from_db()
    return bool(updated)


def attempt_accept(attempt: CallAttempt) -> bool:
    """The ambassador pressed 1: they take the call (once)."""
    with transaction.atomic():
        if not attempt_resolve(attempt, AttemptOutcome.ACCEPTED):
            return attempt.outcome == AttemptOutcome.ACCEPTED
        call_set_status(
            attempt.call,
            CallStatus.IN_PROGRESS,
            responder=attempt.ambassador,
            answered_at=timezone.now(),
        )
    return True


DIAL_OUTCOMES = {
    "busy": AttemptOutcome.BUSY,
    "failed": AttemptOutcome.FAILED,
    "canceled": AttemptOutcome.CANCELED,
}


def attempt_finish_dial(attempt: CallAttempt, *, dial_status: str, duration: int | None) -> None:
    """The <Dial> ended. Accepted: the conversation is over. Otherwise the attempt failed."""
    if attempt.outcome == AttemptOutcome.ACCEPTED:
        call_set_status(
            attempt.call, CallStatus.COMPLETED, ended_at=timezone.now(), duration=duration or 0
        )
        return
    attempt_resolve(attempt, DIAL_OUTCOMES.get(dial_status, AttemptOutcome.NO_ANSWER))


def call_hung_up(call: Call, *, duration: int | None) -> None:
    """Twilio says the caller's leg is over (status callback)."""
    now = timezone.now()
    if call.status == CallStatus.IN_PROGRESS:
        call_set_status(call, CallStatus.COMPLETED, ended_at=now, duration=duration)
    elif call.status in (CallStatus.IVR, CallStatus.ROUTING):
        call_set_status(call, CallStatus.ABANDONED, ended_at=now)
    elif call.status == CallStatus.NO_RESPONDER:
        Call.objects.filter(pk=call.pk, ended_at__isnull=True).update(ended_at=now)
    CallAttempt.objects.filter(call=call, outcome=AttemptOutcome.RINGING).update(
        outcome=AttemptOutcome.CANCELED, ended_at=now
    )
