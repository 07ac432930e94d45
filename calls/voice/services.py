"""What happens to a call: created, routed to someone, answered, ended. Atomic and idempotent."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Model
from django.utils import timezone

from ambassadors.models import Ambassador
from ambassadors.points import points_award_call
from ambassadors.services import ambassadors_claim
from concierge.lib import telephony
from concierge.lib.pseudonyms import number_hash
from concierge.models import Membership

from ..cached import is_blocked
from ..countries import country_of
from ..figures.tasks import enqueue_call
from ..models import (
    FINAL_CALL_STATUSES,
    LIVE_CALL_STATUSES,
    AttemptOutcome,
    Call,
    CallAttempt,
    CallStatus,
    PhoneLine,
)
from ..ratings.ask import rating_ask_after_call
from ..routing import Wish, claim_several, relaxed
from . import statements
from .group import ring_group_claim
from .notices import ambassador_pause_if_missing
from .selectors import STALE_RING, call_candidates, dress, on_duty_responders

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from .selectors import LineFlags

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Received:
    """A call as ``incoming`` found it: ``created`` on first sight (a retried webhook finds
    the same row), and ``earlier``: the caller's calls within the hour before it, counted by
    the INSERT itself (None: count them when needed)."""

    call: Call
    created: bool
    earlier: int | None = None


def call_receive(
    *, sid: str, line: PhoneLine, caller: str, defaults: dict[str, object] | None = None
) -> Received:
    """The call for this CallSid, created on first sight, in one statement with the count the
    rate limit needs (calls.voice.statements)."""
    call = Call(
        sid=sid,
        line=line,
        caller_number=caller,
        caller_hash=number_hash(caller),
        caller_country=country_of(caller),
        community_id=line.community_id,  # the menu may choose another
        **(defaults or {}),
    )
    earlier = statements.call_insert(call, counted=_rate_limit(call))
    if earlier is None:  # a retried webhook (CallSid is unique)
        return Received(Call.objects.get(sid=sid), created=False)
    return Received(call, created=True, earlier=earlier)


def _rate_limit(call: Call) -> int:
    """How many earlier calls within the hour refuse this one."""
    if call.caller_hash:
        return int(settings.CALL_RATE_LIMIT_PER_HOUR)
    return int(settings.CALL_WITHHELD_PER_HOUR)


def call_refusal(call: Call, *, earlier: int | None = None) -> str | None:
    """Why this caller must not reach anyone ("blocked", "rate_limited", "withheld_refused",
    "withheld_busy"), or None. A withheld (or unusable) number is no key to limit or block on:
    such callers are refused only where the line says so, or in a flood of them. Limits and
    blocks look at the number's keyed hash, which outlives the number itself. ``earlier``: the
    caller's calls within the hour before this one, when already counted (call_receive)."""
    if not call.caller_hash and not call.line.accepts_withheld:
        return "withheld_refused"
    if call.caller_hash and is_blocked(call.caller_hash):
        return "blocked"
    if earlier is None:  # rehearsals and real calls never count against each other
        earlier = statements.earlier_calls(call, counted=_rate_limit(call))
    if earlier >= _rate_limit(call):
        return "withheld_busy" if not call.caller_hash else "rate_limited"
    return None


def call_set_status(call: Call, status: CallStatus, **fields: object) -> bool:
    """Move the call forward; a final status is never left (late or repeated callbacks)."""
    updated = (
        Call.objects.filter(pk=call.pk)
        .exclude(status__in=FINAL_CALL_STATUSES)
        .update(status=status, **fields)
    )
    if updated:
        call.status = status
        for name, value in fields.items():
            setattr(call, name, value)
        if status in FINAL_CALL_STATUSES and not call.is_rehearsal:
            _count_after_commit(call)
    return bool(updated)


def _count_after_commit(call: Call) -> None:
    call_id = call.pk
    transaction.on_commit(lambda: enqueue_call(call_id))


def call_choose_in_menu(
    public_id: UUID, **choices: Model | None
) -> WithAnnotations[Call, LineFlags] | None:
    """Keep the caller's choice on a call still in the menu, in the one statement that reads
    the call (calls.voice.statements); None when that cannot be done: read it first."""
    call = statements.call_choose_in_menu(public_id, choices)
    return None if call is None else dress(call)


def call_choose(call: Call, **choices: object) -> None:
    for name, value in choices.items():
        setattr(call, name, value)
    call.save(update_fields=list(choices))


def call_ring_next(
    *,
    call: Call,
    attempts: int,
    group: int,
    first_ring: datetime | None,
    budget_from: int = 1,
    size: int | None = None,
    groups: int | None = None,
) -> list[CallAttempt]:
    """Claim the next ring group for the call and record its attempts: an advisor on duty alone
    (they go first, as one person), else up to the line's ``ring_group_size`` locals, who ring
    together. Empty when nobody is left, or the budget is spent: ``CALL_MAX_ATTEMPTS`` groups,
    and no new group once ``CALL_TOTAL_RING_CAP`` seconds have passed since the first ring.
    ``attempts`` is how many people were rung already, ``group`` the number of this group: the
    webhooks calling this know both, and ``first_ring`` (when the first group started ringing),
    so nothing is counted or read again. ``budget_from``: the first group that counts against
    ``CALL_MAX_ATTEMPTS`` (a caller who left the greeting's queue to choose starts afresh).
    ``size`` and ``groups``: a staggered group (calls.voice.early) claims one phone at a time,
    within a budget of that many such groups."""
    now = timezone.now()
    if group - budget_from + 1 > (groups or settings.CALL_MAX_ATTEMPTS):
        return []
    if first_ring is not None and (now - first_ring).total_seconds() > settings.CALL_TOTAL_RING_CAP:
        return []
    try:
        for advisor in on_duty_responders(call=call, at=now):
            attempt = _ring_advisor(call, advisor, order=attempts + 1, group=group, at=now)
            if attempt is not None:
                return [attempt]
        return _ring_group(call, order=attempts + 1, group=group, at=now, size=size)
    except CallOver:  # the caller hung up meanwhile: nobody is rung, nobody is held
        return []


def _ring_group(
    call: Call, *, order: int, group: int, at: datetime, size: int | None = None
) -> list[CallAttempt]:
    """Claim up to the line's group size of ambassadors and record their attempts with the
    call's ROUTING status: all of those claimed ring, or (the caller gone) none. The claims skip
    people another transaction is claiming right now (no waiting, so no deadlock between two
    groups). On PostgreSQL each batch of claims is one statement with the attempts and the
    status (calls.voice.group); elsewhere, one transaction of the same steps."""
    wish = Wish(call.language or "en", call.motive, call.region, call.community)

    def head(wish: Wish, limit: int) -> list[Ambassador]:
        return call_candidates(
            call=call,
            at=at,
            language=wish.language,
            motive=wish.motive,
            region=wish.region,
            community=wish.community,
            limit=limit,
        )

    count = max(1, size or call.line.ring_group_size)
    try:
        if connection.vendor == "postgresql":
            return _ring_at_once(call, relaxed(wish), head, count, order=order, group=group, at=at)
        with transaction.atomic():
            taken = claim_several(
                relaxed(wish),
                count=count,
                head=head,
                take_several=lambda people: ambassadors_claim(ambassadors=people, at=at),
            )
            if not taken:
                return []
            attempts = CallAttempt.objects.bulk_create(
                CallAttempt(
                    call=call, ambassador=person, order=order + k, group=group, started_at=at
                )
                for k, person in enumerate(taken)
            )
            _mark_routing(call)
            return attempts
    except IntegrityError:  # a duplicate webhook for this call rang this group first
        return list(
            call.attempts.filter(group=group, outcome=AttemptOutcome.RINGING).select_related(
                "ambassador", "advisor"
            )
        )


def _ring_at_once(
    call: Call,
    wishes: list[Wish],
    head: Callable[[Wish, int], list[Ambassador]],
    count: int,
    *,
    order: int,
    group: int,
    at: datetime,
) -> list[CallAttempt]:
    rung: list[CallAttempt] = []

    def take_several(people: list[Ambassador]) -> list[Ambassador]:
        got = ring_group_claim(call, people, order=order + len(rung), group=group, at=at)
        if got is None:
            raise CallOver
        rung.extend(got)
        return [attempt.ambassador for attempt in got if attempt.ambassador is not None]

    claim_several(wishes, count=count, head=head, take_several=take_several)
    return rung


class CallOver(Exception):
    """The call ended while we were about to ring someone."""


def _mark_routing(call: Call) -> None:
    """In the ringing transaction: the call is still waiting for someone (not hung up, not
    answered), and is now ROUTING; otherwise :class:`CallOver` undoes the transaction."""
    if not Call.objects.filter(pk=call.pk, status__in=LIVE_CALL_STATUSES).update(
        status=CallStatus.ROUTING
    ):
        raise CallOver
    call.status = CallStatus.ROUTING


def _ring_advisor(
    call: Call, advisor: Membership, *, order: int, group: int, at: datetime
) -> CallAttempt | None:
    """Ring an advisor on duty. Their row is locked while we check that no other call rings
    them (another call holding the lock skips them), so two calls never ring one advisor."""
    with transaction.atomic():
        locked = Membership.objects.select_for_update(skip_locked=True).filter(pk=advisor.pk)
        if not locked.exists():  # another call is ringing them right now
            return None
        busy = CallAttempt.objects.filter(
            advisor=advisor, outcome=AttemptOutcome.RINGING, started_at__gte=at - STALE_RING
        )
        if busy.exists():
            return None
        try:
            with transaction.atomic():
                attempt = CallAttempt.objects.create(
                    call=call, advisor=advisor, order=order, group=group, started_at=at
                )
        except IntegrityError:  # a duplicate webhook for this call got there first
            return call.attempts.filter(order=order).first()
        _mark_routing(call)
        return attempt


def attempt_resolve(attempt: CallAttempt, outcome: AttemptOutcome) -> bool:
    """Close a ringing attempt; only the first word counts (duplicates change nothing). The
    attempt then holds what the database holds: what this wrote, or what was written first
    (read back only then, so that its call and local, already loaded, are kept)."""
    now = timezone.now()
    updated = CallAttempt.objects.filter(pk=attempt.pk, outcome=AttemptOutcome.RINGING).update(
        outcome=outcome, ended_at=now
    )
    if updated:
        attempt.outcome, attempt.ended_at = outcome, now
    else:
        attempt.refresh_from_db(fields=["outcome", "ended_at"])
    return bool(updated)


def attempt_accept(attempt: CallAttempt) -> bool:
    """The local pressed 1: they take the call, unless someone of their ring group took it
    first (or the caller left). Exactly one attempt of a call is ever accepted: the call moves
    from ROUTING to IN_PROGRESS once, a conditional update on the call's row that concurrent
    presses queue on (the call's row first, then the attempt's, as every writer locks them).
    A repeated press by the one who took it is still True; the others are released (no miss)."""
    now = timezone.now()
    call = attempt.call
    with transaction.atomic():
        taken = Call.objects.filter(pk=attempt.call_id, status=CallStatus.ROUTING).update(
            status=CallStatus.IN_PROGRESS,
            responder=attempt.ambassador,
            advisor=attempt.advisor,
            answered_at=now,
        )
        if not taken:
            attempt.refresh_from_db(fields=["outcome", "ended_at"])
        elif not attempt_resolve(attempt, AttemptOutcome.ACCEPTED):  # refreshes the attempt
            transaction.set_rollback(True)  # this phone stopped ringing meanwhile
            taken = 0
    if taken:  # what the update wrote: no need to read the call back
        call.status = CallStatus.IN_PROGRESS
        call.responder = attempt.ambassador
        call.advisor = attempt.advisor
        call.answered_at = now
        return True
    call.refresh_from_db(fields=["status", "responder", "advisor", "answered_at"])
    if attempt.outcome == AttemptOutcome.ACCEPTED:
        return True
    attempt_let_go(attempt)
    return False


def attempt_let_go(attempt: CallAttempt) -> bool:
    """A local still ringing whom the call no longer needs: released when someone else took
    it, canceled when the caller left; neither counts as a missed call. ``attempt.call`` was
    just read back (attempt_accept)."""
    taken = attempt.call.answered_at is not None
    return attempt_resolve(attempt, AttemptOutcome.RELEASED if taken else AttemptOutcome.CANCELED)


DIAL_OUTCOMES = {
    "busy": AttemptOutcome.BUSY,
    "failed": AttemptOutcome.FAILED,
    "canceled": AttemptOutcome.CANCELED,
}


def call_complete(call: Call, *, duration: int | None) -> bool:
    """The conversation is over (whichever of Twilio's callbacks says so first): the call is
    completed and the responder's points award recorded, in one transaction."""
    now = timezone.now()
    with transaction.atomic():
        ended = call_set_status(call, CallStatus.COMPLETED, ended_at=now, duration=duration or 0)
        if ended and call.responder_id and not call.is_rehearsal:
            points_award_call(
                ambassador_id=call.responder_id,
                call_ref=str(call.public_id),
                answered_at=call.answered_at or now,
                duration=duration or 0,
            )
        if ended:
            rating_ask_after_call(call)
    return ended


def group_finish_dial(
    attempts: list[CallAttempt], *, dial_status: str, duration: int | None
) -> CallAttempt | None:
    """The <Dial> of a ring group ended; the accepted attempt, if any. Accepted: the
    conversation is over, and whoever of the group still rings is released. Otherwise each
    attempt still ringing failed with the Dial's status, except that with several phones a
    status that names no phone (busy, failed) is no missed call for the others."""
    accepted = next((a for a in attempts if a.outcome == AttemptOutcome.ACCEPTED), None)
    if accepted is not None:
        call_complete(accepted.call, duration=duration)
    for attempt in attempts:
        if attempt.outcome != AttemptOutcome.RINGING:
            continue
        if accepted is not None:
            attempt_resolve(attempt, AttemptOutcome.RELEASED)
        elif len(attempts) == 1 or dial_status == "no-answer":
            attempt_fail(attempt, DIAL_OUTCOMES.get(dial_status, AttemptOutcome.NO_ANSWER))
        else:
            attempt_resolve(attempt, AttemptOutcome.CANCELED)
    return accepted


LEG_OUTCOMES = {
    "busy": AttemptOutcome.BUSY,
    "failed": AttemptOutcome.FAILED,
    "no-answer": AttemptOutcome.NO_ANSWER,
    # Picked up, and the whisper hung up without a key: voicemail, or the local hung up.
    "completed": AttemptOutcome.NO_ANSWER,
}


def leg_finish(attempt: CallAttempt, *, leg_status: str) -> None:
    """One phone of a group stopped ringing (its own status callback). A canceled leg was hung
    up by Twilio: released if someone took the call, else left to the Dial's end (the caller
    may still be waiting for the next group). Late or repeated news changes nothing: only a
    ringing attempt is resolved."""
    if attempt.outcome != AttemptOutcome.RINGING:
        return
    if leg_status == "canceled":
        if attempt.call.answered_at is not None:  # read with the attempt (find_attempt)
            attempt_resolve(attempt, AttemptOutcome.RELEASED)
        return
    if leg_status in LEG_OUTCOMES:
        attempt_fail(attempt, LEG_OUTCOMES[leg_status])


def attempt_fail(attempt: CallAttempt, outcome: AttemptOutcome) -> None:
    """The local did not take the call; a no-answer may be the miss that switches them off."""
    resolved = attempt_resolve(attempt, outcome)
    missed = resolved and outcome == AttemptOutcome.NO_ANSWER
    if missed and attempt.ambassador is not None and not attempt.call.is_rehearsal:
        ambassador_pause_if_missing(attempt.ambassador)


def call_hung_up(call: Call, *, duration: int | None) -> None:
    """Twilio says the caller's leg is over (status callback)."""
    now = timezone.now()
    if call.status == CallStatus.IN_PROGRESS:
        call_complete(call, duration=duration)
    elif call.status in LIVE_CALL_STATUSES:
        call_set_status(call, CallStatus.ABANDONED, ended_at=now)
    elif call.status == CallStatus.NO_RESPONDER:
        ended = Call.objects.filter(pk=call.pk, ended_at__isnull=True).update(ended_at=now)
        if ended and not call.is_rehearsal:  # over now: whether they asked to be texted is known
            _count_after_commit(call)
    _hang_up_legs(call, at=now)


def call_hung_up_by_sid(sid: str, *, duration: int | None) -> None:
    """The status callback's :func:`call_hung_up`, from the CallSid: a call still in the menu
    or ringing (the usual case) is found and abandoned in one statement, its ringing phones
    cancelled in a second; any other goes through call_hung_up."""
    now = timezone.now()
    call, abandoned = statements.call_find_and_abandon(sid, at=now)
    if call is None:
        return
    if not abandoned:
        if call.status in LIVE_CALL_STATUSES:  # answered meanwhile: read it
            call.refresh_from_db()
        call_hung_up(call, duration=duration)
        return
    call.status, call.ended_at = CallStatus.ABANDONED, now
    if not call.is_rehearsal:
        _count_after_commit(call)
    _hang_up_legs(call, at=now)


def _hang_up_legs(call: Call, *, at: datetime) -> None:
    """The phones still ringing for the call stop; those we placed ourselves (rung during the
    greeting: calls.voice.early) are hung up."""
    for sid in statements.attempts_cancel_ringing(call.pk, at=at):
        try:
            telephony.get_backend().end_call(sid=sid)
        except telephony.TelephonyError as exc:
            logger.warning("Could not hang up a leg of call %s: %s", call.pk, exc)
