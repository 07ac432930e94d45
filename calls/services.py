"""What happens to a call: created, routed to someone, answered, ended. Atomic and idempotent."""

from __future__ import annotations

import logging
import random
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassadors.models import Ambassador
from ambassadors.points import points_award_call, points_reverse_call
from concierge.lib import telephony
from concierge.models import CallMotive, Membership, Region

from .countries import country_of
from .models import (
    FINAL_CALL_STATUSES,
    AttemptOutcome,
    BlockedNumber,
    Call,
    CallAttempt,
    CallbackRequest,
    CallbackStatus,
    CallReport,
    CallStatus,
    PhoneLine,
    Recording,
    ReportStatus,
)
from .selectors import STALE_RING, call_candidates, on_duty_responders

logger = logging.getLogger(__name__)

# "Least recently offered first, with a random pick among the first few": fair, and two calls
# arriving together rarely reach for the same person first.
QUEUE_HEAD = 3
MAX_CLAIM_ROUNDS = 100


def call_receive(
    *, sid: str, line: PhoneLine, caller: str, defaults: dict[str, object] | None = None
) -> tuple[Call, bool]:
    """The call for this CallSid, created on first sight; a retried webhook finds the same row."""
    values = {"line": line, "caller_number": caller, "caller_country": country_of(caller)}
    # Insert first: a new call is the rule and a retried webhook the exception, so the rule
    # costs one INSERT rather than a SELECT, a savepoint and the INSERT.
    try:
        with transaction.atomic():
            return Call.objects.create(sid=sid, **values, **(defaults or {})), True
    except IntegrityError:  # a retried webhook (CallSid is unique)
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
        call.status = status
        for name, value in fields.items():
            setattr(call, name, value)
    return bool(updated)


def call_choose(call: Call, **choices: object) -> None:
    for name, value in choices.items():
        setattr(call, name, value)
    call.save(update_fields=list(choices))


def _preferences(call: Call) -> list[tuple[str, CallMotive | None, Region | None]]:
    """The caller's wishes, then relaxed: first the motive, then the region, and as a last
    resort English (every ambassador speaks it) rather than nobody at all."""
    language = call.language or "en"
    steps = [
        (language, call.motive, call.region),
        (language, None, call.region),
        (language, None, None),
        ("en", None, None),
    ]
    return list(dict.fromkeys(steps))


def ambassador_claim(candidate: Ambassador, at: datetime) -> bool:
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


def call_ring_next(*, call: Call, attempts: int) -> CallAttempt | None:
    """Claim the next responder for the call and record the attempt; None when nobody is left
    (or the attempt or ring-time budget is spent). ``attempts`` is how many were made already:
    the webhooks calling this know it, so it is not counted again."""
    now = timezone.now()
    if attempts >= settings.CALL_MAX_ATTEMPTS:
        return None
    if attempts and (now - call.received_at).total_seconds() > settings.CALL_TOTAL_RING_CAP + 60:
        return None
    for advisor in on_duty_responders(call=call, at=now):
        attempt = _ring_advisor(call, advisor, order=attempts + 1, at=now)
        if attempt is not None:
            return attempt
    for language, motive, region in _preferences(call):
        # Losing a claim means another call just took that person: look again, the query
        # now leaves them out. Every lost claim is someone else's win, so this ends.
        for _round in range(MAX_CLAIM_ROUNDS):
            head = call_candidates(
                call=call, at=now, language=language, motive=motive, region=region, limit=QUEUE_HEAD
            )
            if not head:
                break
            random.shuffle(head)
            for candidate in head:
                attempt = _ring(call, candidate, order=attempts + 1, at=now)
                if attempt is not None:
                    return attempt
    return None


def _ring_advisor(
    call: Call, advisor: Membership, *, order: int, at: datetime
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
                    call=call, advisor=advisor, order=order, started_at=at
                )
        except IntegrityError:  # a duplicate webhook for this call got there first
            return call.attempts.filter(order=order).first()
        call_set_status(call, CallStatus.ROUTING)
        return attempt


def _ring(call: Call, candidate: Ambassador, *, order: int, at: datetime) -> CallAttempt | None:
    """Claim the candidate, record the attempt and mark the call as routing: one transaction,
    so a call is ROUTING exactly when it has an attempt (``connect`` relies on it)."""
    with transaction.atomic():
        if not ambassador_claim(candidate, at):
            return None
        try:
            attempt = CallAttempt.objects.create(
                call=call, ambassador=candidate, order=order, started_at=at
            )
        except IntegrityError:
            # A duplicate webhook for this call got there first: give the person back.
            transaction.set_rollback(True)
        else:
            call_set_status(call, CallStatus.ROUTING)
            return attempt
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
            advisor=attempt.advisor,
            answered_at=timezone.now(),
        )
    return True


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
        if ended and call.responder_id:
            points_award_call(
                ambassador_id=call.responder_id,
                call_ref=str(call.public_id),
                answered_at=call.answered_at or now,
                duration=duration or 0,
            )
    return ended


def attempt_finish_dial(attempt: CallAttempt, *, dial_status: str, duration: int | None) -> None:
    """The <Dial> ended. Accepted: the conversation is over. Otherwise the attempt failed."""
    if attempt.outcome == AttemptOutcome.ACCEPTED:
        call_complete(attempt.call, duration=duration)
        return
    outcome = DIAL_OUTCOMES.get(dial_status, AttemptOutcome.NO_ANSWER)
    resolved = attempt_resolve(attempt, outcome)
    if resolved and outcome == AttemptOutcome.NO_ANSWER and attempt.ambassador is not None:
        ambassador_pause_if_missing(attempt.ambassador)


def ambassador_pause_if_missing(ambassador: Ambassador) -> bool:
    """Several missed calls in a row switch an ambassador's calls off, and we tell them by SMS.

    Misses before an earlier automatic switch-off are forgiven; the SMS goes once (the
    conditional update decides)."""
    count = settings.CALL_MISSED_BEFORE_PAUSE
    recent = CallAttempt.objects.filter(ambassador=ambassador).exclude(
        outcome=AttemptOutcome.RINGING
    )
    if ambassador.auto_paused_at:
        recent = recent.filter(started_at__gt=ambassador.auto_paused_at)
    outcomes = list(recent.order_by("-started_at").values_list("outcome", flat=True)[:count])
    if len(outcomes) < count or any(o != AttemptOutcome.NO_ANSWER for o in outcomes):
        return False
    now = timezone.now()
    switched = Ambassador.objects.filter(pk=ambassador.pk, accepting_calls=True).update(
        accepting_calls=False, auto_paused_at=now
    )
    if not switched or not ambassador.phone_number:
        return False
    body = (
        f"Destination Concierge: you missed {count} calls in a row, so we switched your calls "
        f"off. Switch them back on when you are ready: {settings.PUBLIC_BASE_URL}/portal/"
    )
    number = ambassador.phone_number.as_e164
    transaction.on_commit(lambda: _notify(number, body))
    return True


def _notify(number: str, body: str) -> None:
    try:
        telephony.send_sms(to=number, body=body)
    except telephony.TelephonyError:
        logger.warning("Could not tell ambassador %s that calls are switched off", number[-2:])


def call_hung_up(call: Call, *, duration: int | None) -> None:
    """Twilio says the caller's leg is over (status callback)."""
    now = timezone.now()
    if call.status == CallStatus.IN_PROGRESS:
        call_complete(call, duration=duration)
    elif call.status in (CallStatus.IVR, CallStatus.ROUTING):
        call_set_status(call, CallStatus.ABANDONED, ended_at=now)
    elif call.status == CallStatus.NO_RESPONDER:
        Call.objects.filter(pk=call.pk, ended_at__isnull=True).update(ended_at=now)
    CallAttempt.objects.filter(call=call, outcome=AttemptOutcome.RINGING).update(
        outcome=AttemptOutcome.CANCELED, ended_at=now
    )


class ReportError(Exception):
    pass


def call_report(*, call: Call, ambassador: Ambassador, reason: str) -> CallReport:
    """Only the ambassador who answered the call may report it, once."""
    reason = reason.strip()
    if call.responder_id != ambassador.pk:
        raise ReportError(_("You can only report calls you answered."))
    if not reason:
        raise ReportError(_("Say in a few words what happened."))
    report, created = CallReport.objects.get_or_create(
        call=call, ambassador=ambassador, defaults={"reason": reason}
    )
    if not created:
        raise ReportError(_("You have already reported this call; the team is looking at it."))
    return report


@transaction.atomic
def report_confirm(*, report: CallReport) -> None:
    """Staff agree: the caller's number goes on the block list."""
    number = report.call.caller_number
    if number:
        BlockedNumber.objects.get_or_create(
            number=number, defaults={"reason": f"Report on call {report.call.reference}"}
        )
    report.status = ReportStatus.CONFIRMED
    report.save(update_fields=["status"])
    points_reverse_call(call_ref=str(report.call.public_id))  # abuse earns nothing


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
    line = call.line.number.as_e164
    if outcome == "served":
        body = f"Destination Concierge: a local is free now! Call us back on {line}."
    else:
        body = (
            "Destination Concierge: sorry, our locals are still busy. Please try calling "
            f"{line} again a little later."
        )
    number = call.caller_number
    transaction.on_commit(lambda: _notify(number, body))


REPLAY_SALT = "calls.replay"


def replay_token(recording: Recording) -> str:
    return signing.TimestampSigner(salt=REPLAY_SALT).sign(str(recording.pk))


def recording_from_token(token: str) -> Recording | None:
    """The recording a replay link points to, if the link is genuine, fresh and still useful."""
    max_age = timedelta(days=settings.RECORDING_LINK_DAYS)
    try:
        pk = signing.TimestampSigner(salt=REPLAY_SALT).unsign(token, max_age=max_age)
    except signing.BadSignature:  # forged, or expired (SignatureExpired is a subclass)
        return None
    return Recording.objects.filter(pk=pk, deleted_at__isnull=True).first()


def recording_store(*, call: Call, sid: str, url: str, duration: int | None) -> Recording | None:
    """Keep the reference of a finished recording and text the caller a private replay link;
    a repeated callback stores and texts nothing more."""
    recording, created = Recording.objects.get_or_create(
        sid=sid, defaults={"call": call, "url": url, "duration": duration}
    )
    if not created or not call.caller_number:
        return None
    link = settings.PUBLIC_BASE_URL + reverse("calls:replay", args=[replay_token(recording)])
    body = (
        f"Destination Concierge: thank you for calling! Listen to your conversation again "
        f"for {settings.RECORDING_LINK_DAYS} days: {link}"
    )
    number = call.caller_number
    transaction.on_commit(lambda: _notify(number, body))
    return recording


def recordings_delete_old(*, now: datetime | None = None) -> int:
    """Retention: recordings older than the setting are deleted at Twilio and marked here."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.RECORDING_RETENTION_DAYS)
    deleted = 0
    for recording in Recording.objects.filter(created_at__lt=cutoff, deleted_at__isnull=True):
        try:
            telephony.get_backend().delete_recording(sid=recording.sid)
        except telephony.TelephonyError as exc:
            logger.warning("Recording %s not deleted yet: %s", recording.sid, exc)
            continue
        Recording.objects.filter(pk=recording.pk).update(deleted_at=now, url="")
        deleted += 1
    return deleted
