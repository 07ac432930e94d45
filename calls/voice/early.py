"""Ringing during the greeting (a line's ``rings_early``): the caller waits in a queue of their
own (``<Enqueue>``) while calls to the ring group's locals are placed through the telephony
backend; the local who presses 1 dials the queue (``<Dial><Queue>``) and is bridged.

Exactly one local is ever bridged: ``attempt_accept`` moves the call from ROUTING to
IN_PROGRESS once, and only then is ``<Dial><Queue>`` handed out. Every other leg is hung up
through the API (released, or canceled: never a miss). The queue is named after the call, so a
local can only ever be bridged to that caller, and an empty queue (the caller left) bridges
nobody. See docs/voice-line.md, "Ringing during the greeting".
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from concierge.lib import telephony

from ..models import AttemptOutcome, Call, CallAttempt, CallStatus
from ..responders import responder_of
from . import services

logger = logging.getLogger(__name__)


PLACING = "placing"  # an attempt's leg_sid while its call is being placed


def queue_name(call: Call) -> str:
    return call.public_id.hex


def call_rings_early(call: Call) -> bool:
    """This call rings its locals during the greeting: the short path of a line that says so.
    Rehearsals never do (they would place real calls)."""
    return call.line.rings_early and not call.line.full_menu and not call.is_rehearsal


def stagger(call: Call) -> int:
    """Seconds each phone of this call rings alone before the next is added (0: the whole
    group at once): ``CALL_RING_STAGGER`` for a group of several."""
    return settings.CALL_RING_STAGGER if call.line.ring_group_size > 1 else 0


def call_ring_early(
    call: Call, *, attempts: int, group: int, first_ring: datetime | None
) -> list[CallAttempt]:
    """Claim the next ring group (services.call_ring_next) and place a call to each of its
    phones: the attempts whose phone rings. A phone that cannot be called is a failed attempt
    (no miss); when none rings, the caller is not queued (the <Dial> path takes over). A
    staggered group is claimed one phone at a time (:func:`call_ring_more`), within the budget
    of the whole groups (``CALL_MAX_ATTEMPTS`` of them, each of the line's size)."""
    staggered = bool(stagger(call))
    rung = services.call_ring_next(
        call=call,
        attempts=attempts,
        group=group,
        first_ring=first_ring,
        size=1 if staggered else None,
        groups=settings.CALL_MAX_ATTEMPTS * call.line.ring_group_size if staggered else None,
    )
    backend = telephony.get_backend()
    placed = []
    for attempt in rung:
        # A retried or concurrent webhook may get the same group back from the claim: each
        # phone is called once, by whoever marks its attempt first.
        if not CallAttempt.objects.filter(pk=attempt.pk, leg_sid="").update(leg_sid=PLACING):
            placed.append(attempt)  # ringing already: the caller is queued again
            continue
        local = responder_of(attempt)
        args = [call.public_id, attempt.order]
        base = settings.PUBLIC_BASE_URL  # Twilio needs absolute URLs for a call it places
        try:
            attempt.leg_sid = backend.place_call(
                to=local.phone if local else "",
                from_=str(call.line.number),
                url=base + reverse("calls:voice-whisper", args=args) + "?queued=1",
                status_callback=base + reverse("calls:voice-leg-status", args=args) + "?queued=1",
                timeout=settings.CALL_RING_TIMEOUT,
            )
        except telephony.TelephonyError as exc:
            # Twilio's message may quote the number: only whether it may work later is logged.
            kind = "permanent" if exc.permanent else "temporary"
            logger.warning("Could not ring attempt %s of call %s: %s", attempt.order, call.pk, kind)
            services.attempt_resolve(attempt, AttemptOutcome.FAILED)
            continue
        CallAttempt.objects.filter(pk=attempt.pk).update(leg_sid=attempt.leg_sid)
        placed.append(attempt)
    return placed


def legs_end(attempts: list[CallAttempt]) -> None:
    """Hang up the phones of these attempts (already resolved in the database): a failure is
    logged, the leg then rings out on its own and its whisper lets the local go."""
    backend = telephony.get_backend()
    for attempt in attempts:
        if not attempt.leg_sid.startswith("CA"):  # never placed, or still being placed
            continue
        try:
            backend.end_call(sid=attempt.leg_sid)
        except telephony.TelephonyError as exc:
            logger.warning("Could not hang up leg %s: %s", attempt.order, exc)


def group_release(call: Call) -> None:
    """Someone took the call: the others still ringing are released (no miss) and hung up."""
    ringing = list(call.attempts.filter(outcome=AttemptOutcome.RINGING))
    released = [a for a in ringing if services.attempt_resolve(a, AttemptOutcome.RELEASED)]
    legs_end(released)


def call_leave_queue(call: Call) -> bool:
    """Twilio could not queue the caller (the <Enqueue>'s error results): back to IVR for the
    <Dial> path, the phones placed for them canceled (no miss). False when a local took the
    call first: the caller is bridged."""
    with transaction.atomic():
        left = Call.objects.filter(pk=call.pk, status=CallStatus.ROUTING).update(
            status=CallStatus.IVR
        )
        if not left:
            return False
        call.status = CallStatus.IVR
        ringing = _cancel_ringing(call, lock=True)
    legs_end(ringing)
    return True


def call_stop_waiting(call: Call) -> bool:
    """The caller has held longer than any ring budget allows (a phone's status callback must
    have been lost): nobody is left to ring, the phones still ringing are canceled."""
    with transaction.atomic():
        if not services.call_set_status(call, CallStatus.NO_RESPONDER):
            return False
        ringing = _cancel_ringing(call, lock=False)
    legs_end(ringing)
    return True


def _cancel_ringing(call: Call, *, lock: bool) -> list[CallAttempt]:
    """Within the caller's transaction: the call's phones still ringing are canceled (no miss);
    their attempts are returned for legs_end once it commits."""
    attempts = call.attempts.select_for_update() if lock else call.attempts.all()
    ringing = list(attempts.filter(outcome=AttemptOutcome.RINGING))
    CallAttempt.objects.filter(pk__in=[a.pk for a in ringing]).update(
        outcome=AttemptOutcome.CANCELED, ended_at=timezone.now()
    )
    return ringing


def call_ring_more(call: Call) -> None:
    """A staggered group, while the caller holds (each turn of their wait loop, and when a
    phone stops ringing): one more phone rings when fewer than the line's group size do, and
    each of those has rung ``stagger`` seconds without being picked up; when none rings and
    nobody is left to ring, the call is NO_RESPONDER (the wait loop then tells the caller)."""
    attempts = list(call.attempts.all())
    ringing = [a for a in attempts if a.outcome == AttemptOutcome.RINGING]
    if len(ringing) >= call.line.ring_group_size:
        return
    now = timezone.now()
    young = [a for a in ringing if (now - a.started_at).total_seconds() < stagger(call)]
    if young or any(a.picked_up_at for a in ringing):
        return
    first_ring = next((a.started_at for a in attempts if a.order == 1), None)
    group = max((a.group for a in attempts), default=0) + 1
    placed = call_ring_early(call, attempts=len(attempts), group=group, first_ring=first_ring)
    if not placed and not ringing:
        services.call_set_status(call, CallStatus.NO_RESPONDER)


def leg_over(attempt: CallAttempt, *, leg_status: str) -> None:
    """One placed call ended (its status callback): resolve it, and when it was the last of its
    group to ring while the caller still waits, ring the next group, or give up (the caller's
    wait loop then tells them, see queue.wait). A staggered group: :func:`call_ring_more`."""
    services.leg_finish(attempt, leg_status=leg_status)
    call = attempt.call
    if stagger(call):
        call.refresh_from_db(fields=["status", "answered_at"])
        if call.status == CallStatus.ROUTING and call.answered_at is None:
            call_ring_more(call)
        return
    attempts = list(call.attempts.all())
    last = max(a.group for a in attempts)
    if any(a.outcome == AttemptOutcome.RINGING for a in attempts if a.group == last):
        return
    if attempt.group != last:  # late news of an earlier group
        return
    call.refresh_from_db(fields=["status", "answered_at"])
    if call.status != CallStatus.ROUTING or call.answered_at is not None:
        return
    first_ring = next((a.started_at for a in attempts if a.order == 1), None)
    if not call_ring_early(call, attempts=len(attempts), group=last + 1, first_ring=first_ring):
        services.call_set_status(call, CallStatus.NO_RESPONDER)
