"""Reads for the voice line: who may be rung for a call right now."""

from __future__ import annotations

import functools
import random
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypedDict, cast
from uuid import UUID

from django.db.models import (
    DateTimeField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    UUIDField,
)

from ambassadors.models import Ambassador
from ambassadors.selectors import (
    availability_values,
    in_queue_order,
    prepared_availability,
)
from ambassadors.services import queue_walk
from concierge.cached import motives, regions
from concierge.lib.prepared import Param, PreparedQuery
from concierge.models import CallMotive, Community, Membership, Region
from concierge.rotas import any_shift_running, on_duty_conditions

from ..cached import line_by_id
from ..models import AttemptOutcome, Call, CallAttempt, CallStatus
from ..responders import Responder, held_by_any

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

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


def call_by_public_id(public_id: UUID) -> Call | None:
    """The call a webhook's URL names; asked by every webhook after ``incoming``, so its SQL is
    compiled once."""
    return next(iter(_call_query().fetch(public_id=public_id)), None)


class LineFlags(TypedDict):
    line_is_national: bool


def find_call(public_id: UUID) -> WithAnnotations[Call, LineFlags] | None:
    """The call with its line, motive and region, and whether the line is national (the menu
    then asks for a region): one query, the rest from this process's copy of the lines, motives
    and regions. Every webhook after ``incoming`` starts here."""
    call = call_by_public_id(public_id)
    return None if call is None else dress(call)


def dress(call: Call) -> WithAnnotations[Call, LineFlags]:
    """The call with its line, motive and region from this process's copies (find_call)."""
    line = line_by_id(call.line_id)
    if line is not None:
        call.line = line.line
        national = line.is_national
    else:  # a line created a moment ago in another process
        national = not call.line.regions.exists()
    if call.motive_id is not None and (motive := motives().by_id.get(call.motive_id)):
        call.motive = motive
    if call.region_id is not None and (region := regions().by_id.get(call.region_id)):
        call.region = region
    if call.community_id is not None and call.community_id == call.line.community_id:
        call.community = call.line.community
    call.line_is_national = national  # type: ignore[attr-defined]
    return cast("WithAnnotations[Call, LineFlags]", call)


@functools.cache
def _call_query() -> PreparedQuery:
    return PreparedQuery(Call.objects.filter(public_id=Param("public_id", UUIDField()))[:1])


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
    community: Community | None = None,
) -> list[Ambassador]:
    """The first ``limit`` available, matching ambassadors in queue order who are not busy and
    were not tried for this call yet (``pk``, ``display_name``, ``phone_number`` and
    ``last_offered_at`` loaded). A seat a claim left stale on the way is refreshed first
    (``queue_walk``)."""
    query = _candidates_query(
        by_motive=motive is not None,
        by_region=region is not None,
        by_community=community is not None,
        limit=limit,
    )
    values = {
        **availability_values(
            at=at, language=language, motive=motive, region=region, community=community
        ),
        "ringing_since": at - STALE_RING,
        "talking_since": at - STALE_CALL,
        "call": call.pk,
    }
    return queue_walk(lambda: list(query.fetch(**values)))


@functools.cache
def _candidates_query(
    *, by_motive: bool, by_region: bool, by_community: bool = False, limit: int
) -> PreparedQuery:
    """The candidates query, written once with the ORM and compiled once per shape: it runs on
    every call, and compiling it each time cost more than running it (docs/PERFORMANCE.md)."""
    conditions = prepared_availability(
        by_motive=by_motive, by_region=by_region, by_community=by_community
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


def calls_answered_by(responders: list[Responder]) -> QuerySet[Call]:
    """A local's call history (as a volunteer and as an advisor on duty): what they may see of
    each call (never a number), without the simulator's rehearsals."""
    return (
        Call.objects.filter(held_by_any(responders), is_rehearsal=False)
        .select_related("motive", "line")
        .only(
            "public_id",
            "received_at",
            "duration",
            "caller_country",
            "language",
            "motive__code",
            "motive__name",
            "line__label",
            "responder_id",
            "advisor_id",
        )
        .order_by("-received_at")
    )
