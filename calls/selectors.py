"""Reads for the voice line: who may be rung for a call right now."""

from __future__ import annotations

import functools
import random
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    When,
)

from ambassadors.models import Ambassador
from ambassadors.selectors import (
    ambassadors_available_at,
    availability_conditions,
    in_queue_order,
    week_minute,
)
from concierge.lib.prepared import Param, PreparedQuery
from concierge.models import CallMotive, Membership, Region, Shift
from concierge.rotas.expansion import on_duty_conditions

from .models import (
    AttemptOutcome,
    Call,
    CallAttempt,
    CallStatus,
    Conversation,
    ConversationStatus,
    Message,
    MessageAuthor,
    MessageDirection,
)

# A ring that never got its Dial callback stops counting as "busy" after this long, and so does
# a connected call whose end we never heard about: nobody is locked out by a lost webhook.
STALE_RING = timedelta(minutes=2)
STALE_CALL = timedelta(hours=4)


def on_duty_responders(*, call: Call, at: datetime) -> list[Membership]:
    """Tourist offices' advisors on a rota shift for the network covering the call's region
    (any network when the caller has no region), not yet tried for this call and not ringing
    or talking elsewhere: they are tried before the volunteers. In random order, so a team on
    duty shares the calls. Asked on every call: a query compiled once (like the candidates),
    and skipped while no shift is running at all."""
    if not any_shift_running(at):
        return []
    query = _on_duty_query(by_region=call.region_id is not None)
    advisors = list(
        query.fetch(
            at=at,
            region=call.region_id,
            call=call.pk,
            ringing_since=at - STALE_RING,
            talking_since=at - STALE_CALL,
        )
    )
    random.shuffle(advisors)
    return advisors


SHIFT_CHECK_SECONDS = 30


def any_shift_running(at: datetime) -> bool:
    """Whether any rota shift overlaps this half-minute, asked the database at most once per
    half-minute and process: most of the day no shift runs, and calls should not pay for
    looking. A shift assigned mid-way is seen within 30 seconds."""
    window = int(at.timestamp()) // SHIFT_CHECK_SECONDS
    key = f"rotas:shift-running:{window}"
    running = cache.get(key)
    if running is None:
        start = datetime.fromtimestamp(window * SHIFT_CHECK_SECONDS, tz=at.tzinfo)
        running = Shift.objects.filter(
            starts_at__lt=start + timedelta(seconds=SHIFT_CHECK_SECONDS),
            ends_at__gt=start,
            assignments__isnull=False,
        ).exists()
        cache.set(key, running, SHIFT_CHECK_SECONDS * 2)
    return running


@functools.cache
def _on_duty_query(*, by_region: bool) -> PreparedQuery:
    conditions = on_duty_conditions(
        at=Param("at", DateTimeField()),
        region_id=Param("region", IntegerField()) if by_region else None,
    )
    tried = CallAttempt.objects.filter(
        call_id=Param("call", IntegerField()), advisor=OuterRef("pk")
    )
    busy = CallAttempt.objects.filter(advisor=OuterRef("pk")).filter(
        Q(outcome=AttemptOutcome.RINGING, started_at__gte=Param("ringing_since", DateTimeField()))
        | Q(
            outcome=AttemptOutcome.ACCEPTED,
            call__status=CallStatus.IN_PROGRESS,
            started_at__gte=Param("talking_since", DateTimeField()),
        )
    )
    advisors = Membership.objects.filter(*conditions, ~Exists(tried), ~Exists(busy))
    return PreparedQuery(
        advisors.only("pk", "phone_number", "network_id", "office_id", "user_id").order_by("pk")
    )


def engaged(at: datetime) -> Exists:
    """The ambassador is ringing for, or talking on, another call."""
    return _engaged(ringing_since=at - STALE_RING, talking_since=at - STALE_CALL)


def _engaged(*, ringing_since: datetime | Param, talking_since: datetime | Param) -> Exists:
    return Exists(
        CallAttempt.objects.filter(ambassador=OuterRef("pk")).filter(
            Q(outcome=AttemptOutcome.RINGING, started_at__gte=ringing_since)
            | Q(
                outcome=AttemptOutcome.ACCEPTED,
                call__status=CallStatus.IN_PROGRESS,
                started_at__gte=talking_since,
            )
        )
    )


def call_candidates(
    *,
    call: Call,
    at: datetime,
    language: str,
    motive: CallMotive | None,
    region: Region | None,
    limit: int,
) -> list[Ambassador]:
    """The first ``limit`` available, matching ambassadors in queue order who are not busy and
    were not tried for this call yet (``pk``, ``display_name``, ``phone_number`` and
    ``last_offered_at`` loaded)."""
    query = _candidates_query(
        by_motive=motive is not None, by_region=region is not None, limit=limit
    )
    return list(
        query.fetch(
            at=at,
            minute=week_minute(at),
            language=language,
            motive=motive.pk if motive else None,
            region=region.pk if region else None,
            ringing_since=at - STALE_RING,
            talking_since=at - STALE_CALL,
            call=call.pk,
        )
    )


@functools.cache
def _candidates_query(*, by_motive: bool, by_region: bool, limit: int) -> PreparedQuery:
    """The candidates query, written once with the ORM and compiled once per shape: it runs on
    every call, and compiling it each time cost more than running it (docs/PERFORMANCE.md)."""
    conditions = availability_conditions(
        at=Param("at", DateTimeField()),
        minute=Param("minute", IntegerField()),
        language=Param("language", CharField()),
        motive_id=Param("motive", IntegerField()) if by_motive else None,
        region_id=Param("region", IntegerField()) if by_region else None,
    )
    busy = _engaged(
        ringing_since=Param("ringing_since", DateTimeField()),
        talking_since=Param("talking_since", DateTimeField()),
    )
    tried = Exists(
        CallAttempt.objects.filter(call_id=Param("call", IntegerField()), ambassador=OuterRef("pk"))
    )
    queryset = in_queue_order(Ambassador.objects.filter(*conditions, ~busy, ~tried))
    return PreparedQuery(
        queryset.only("pk", "display_name", "phone_number", "last_offered_at")[:limit]
    )


def calls_answered_by(ambassador: Ambassador) -> QuerySet[Call]:
    """An ambassador's call history: what they may see of each call (never a number)."""
    return (
        Call.objects.filter(responder=ambassador)
        .select_related("motive", "line")
        .only(
            "public_id",
            "received_at",
            "duration",
            "caller_country",
            "language",
            "motive__name",
            "line__label",
            "responder_id",
        )
        .order_by("-received_at")
    )


def sms_candidates(
    *, conversation: Conversation, at: datetime, language: str, motive: CallMotive | None
) -> QuerySet[Ambassador]:
    """Locals who may take this text conversation now, in queue order: available and matching,
    not offered it before, and not already holding as many conversations as we allow."""
    tried = Conversation.tried.through.objects.filter(
        conversation_id=conversation.pk, ambassador_id=OuterRef("pk")
    )
    full = (
        Conversation.objects.filter(status=ConversationStatus.OPEN)
        .values("responder")
        .annotate(open=Count("pk"))
        .filter(open__gte=settings.SMS_MAX_OPEN_PER_LOCAL)
        .values("responder")
    )
    return (
        ambassadors_available_at(at=at, language=language, motive=motive)
        .exclude(Exists(tried))
        .exclude(pk__in=full)
    )


def conversations_of(ambassador: Ambassador) -> QuerySet[Conversation]:
    """A local's text conversations: open ones first, then by last activity."""
    return (
        Conversation.objects.filter(responder=ambassador)
        .select_related("motive")
        .order_by(
            Case(When(status=ConversationStatus.OPEN, then=0), default=1),
            "-last_activity_at",
            "-pk",
        )
    )


def conversation_thread(conversation: Conversation) -> QuerySet[Message]:
    """What a local sees of a conversation: the tourist's texts and everything the tourist was
    sent (replies, confirmations, FAQ answers); not the relayed copies sent to locals."""
    return conversation.messages.filter(
        Q(author=MessageAuthor.TOURIST, direction=MessageDirection.INBOUND)
        | Q(direction=MessageDirection.OUTBOUND, to_number=conversation.tourist_number)
    ).order_by("created_at", "pk")
