"""Reads about ambassadors, above all: who can take a call right now?"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import (
    BooleanField,
    CharField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.expressions import Combinable
from django.db.models.lookups import Exact
from django.utils import timezone

from concierge.lib.prepared import Param
from concierge.lib.timezones import destination_tz, local_datetime
from concierge.models import CallMotive, Community, Region

from .models import (
    MINUTES_PER_DAY,
    MINUTES_PER_WEEK,
    ROUTABLE,
    Ambassador,
    AvailabilitySlot,
    CommunityMembership,
    MembershipStatus,
    seat_position,
)

# What we text, e-mail or whisper to a volunteer is in French when they speak it (where we have
# the words), else in English.
LOCAL_LANGUAGES = ("fr", "en")


def local_language(ambassador: Ambassador) -> str:
    """The language of what we send a volunteer (reads ``languages.all()``: prefetch it when
    asking for many)."""
    speaks = {row.language for row in ambassador.languages.all()}
    return next((code for code in LOCAL_LANGUAGES if code in speaks), "en")


def week_minute(at: datetime) -> int:
    """Minutes since Monday 00:00 on the destination's wall clock at the instant ``at``."""
    local = at.astimezone(destination_tz())
    return local.weekday() * MINUTES_PER_DAY + local.hour * 60 + local.minute


def routable_ambassadors(*, at: datetime) -> QuerySet[Ambassador]:
    """Ambassadors who could be called at ``at`` whatever the call is about."""
    return Ambassador.objects.filter(*_routable(at))


def _routable(at: datetime | Param) -> list[Q]:
    return [ROUTABLE, Q(paused_until__isnull=True) | Q(paused_until__lte=at)]


def slots_covering(minute: int | Param) -> Q:
    def covering(m: int | Combinable) -> Q:
        # A slot lasts 24 h at most, so only those begun within the last day can cover m; the
        # lower bound turns this into a one-day range scan of the slot index.
        return Q(start_minute__gt=m - MINUTES_PER_DAY, start_minute__lte=m, end_minute__gt=m)

    # A slot that runs past Sunday midnight is stored beyond the week's end: look a week later too.
    return covering(minute) | covering(minute + MINUTES_PER_WEEK)


def _outer_flag_is_false(flag: str) -> Q:
    """Repeat ``NOT ambassador.<flag>`` inside the sub-query. It changes no result (the OR
    outside already covers the flag), but it keeps PostgreSQL from turning the EXISTS into a
    hashed sub-plan that hashes every link of that motive or region on each call: with it, each
    ambassador the queue walk visits costs one probe of the link table's unique index
    (19 ms → 1.5 ms at 100,000 ambassadors, docs/PERFORMANCE.md)."""
    return Q(Exact(OuterRef(flag), Value(False)))


def availability_conditions(
    *,
    at: datetime | Param,
    minute: int | Param,
    hour: int | Param,
    language: str | Param,
    motive_id: int | Param | None,
    region_id: int | Param | None,
    community_id: int | Param | None = None,
) -> list[Q | Exists]:
    """The filters of :func:`ambassadors_available_at`, given values or (for a query prepared
    once and run on every call, calls.selectors) :class:`Param` placeholders. ``minute`` is
    ``week_minute(at)``, ``hour`` is ``minute // 60``: the query joins this hour's queue seats in
    the language (:class:`~ambassadors.models.QueueSeat`), which :func:`in_queue_order` walks."""
    conditions: list[Q | Exists] = [
        # In one Q, so the seat's hour, language and position are those of one joined row. A
        # seat in the language exists exactly when the ambassador speaks it (the triggers).
        Q(
            queue_seats__hour=hour,
            queue_seats__language=language,
            queue_seats__position__isnull=False,
        ),
        *_routable(at),
        Exists(AvailabilitySlot.objects.filter(slots_covering(minute), ambassador=OuterRef("pk"))),
    ]
    if motive_id is not None:
        motives = Ambassador.motives.through.objects.filter(
            _outer_flag_is_false("any_motive"),
            Q(ambassador_id=OuterRef("pk"), callmotive_id=motive_id),
        )
        conditions.append(Q(any_motive=True) | Q(Exists(motives)))
    if region_id is not None:
        regions = Ambassador.regions.through.objects.filter(
            _outer_flag_is_false("any_region"), Q(ambassador_id=OuterRef("pk"), region_id=region_id)
        )
        conditions.append(Q(any_region=True) | Q(Exists(regions)))
    if community_id is not None:
        members = CommunityMembership.objects.filter(
            Q(ambassador_id=OuterRef("pk"), community_id=community_id),
            status=MembershipStatus.APPROVED,
        )
        conditions.append(Exists(members))
    return conditions


def in_queue_order(queryset: QuerySet[Ambassador]) -> QuerySet[Ambassador]:
    """Whoever was offered a call longest ago first, never offered first of all (a pause counts
    as an offer at its end). ``queryset`` is filtered by :func:`availability_conditions`: the
    order is that of the hour's queue seats, which an index gives without sorting.

    A seat a claim left behind (:class:`~ambassadors.models.StaleSeats`) still holds an older
    position than its owner's: each row says whether its seat is such (``seat_is_stale``), and
    :func:`ambassadors.services.queue_walk` refreshes it before anyone is rung from it."""
    stale = ~Q(queue_seats__position=seat_position())
    return queryset.annotate(
        seat_is_stale=ExpressionWrapper(stale, output_field=BooleanField())
    ).order_by("queue_seats__position", "pk")


def ambassadors_available_at(
    *,
    at: datetime,
    language: str,
    motive: CallMotive | None = None,
    region: Region | None = None,
    community: Community | None = None,
) -> QuerySet[Ambassador]:
    """Who can take a call at instant ``at``, in ``language``, about ``motive``, on ``region``.

    One SQL query (EXISTS sub-queries on indexed columns), in queue order: each one's own
    position (:func:`~ambassadors.models.seat_position`), not their seat's, which may lag behind
    a claim until beat or a walk refreshes it. ``None`` for motive or region means "no
    preference"; relaxing a preference is the router's decision, not this function's.
    """
    minute = week_minute(at)
    conditions = availability_conditions(
        at=at,
        minute=minute,
        hour=minute // 60,
        language=language,
        motive_id=motive.pk if motive else None,
        region_id=region.pk if region else None,
        community_id=community.pk if community else None,
    )
    return Ambassador.objects.filter(*conditions).order_by(seat_position(), "pk")


def prepared_availability(
    *, by_motive: bool, by_region: bool, by_community: bool
) -> list[Q | Exists]:
    """:func:`availability_conditions` on placeholders, for a query compiled once and run on
    every call or text (``PreparedQuery``), which :func:`availability_values` fills: ``at``,
    ``minute``, ``hour``, ``language`` and, where asked for, ``motive``, ``region``,
    ``community``."""
    return availability_conditions(
        at=Param("at", DateTimeField()),
        minute=Param("minute", IntegerField()),
        hour=Param("hour", IntegerField()),
        language=Param("language", CharField()),
        motive_id=Param("motive", IntegerField()) if by_motive else None,
        region_id=Param("region", IntegerField()) if by_region else None,
        community_id=Param("community", IntegerField()) if by_community else None,
    )


def availability_values(
    *,
    at: datetime,
    language: str,
    motive: CallMotive | None,
    region: Region | None = None,
    community: Community | None = None,
) -> dict[str, object]:
    """The values of :func:`prepared_availability`'s placeholders."""
    minute = week_minute(at)
    return {
        "at": at,
        "minute": minute,
        "hour": minute // 60,
        "language": language,
        "motive": motive.pk if motive else None,
        "region": region.pk if region else None,
        "community": community.pk if community else None,
    }


class OnboardingStep(enum.StrEnum):
    PROFILE = "profile"
    PHONE = "phone"
    PREFERENCES = "preferences"
    AVAILABILITY = "availability"


def onboarding_steps_done(ambassador: Ambassador) -> dict[OnboardingStep, bool]:
    return {
        OnboardingStep.PROFILE: bool(
            ambassador.display_name
            and ambassador.date_of_birth
            and ambassador.languages.filter(language="en").exists()
        ),
        OnboardingStep.PHONE: ambassador.phone_verified,
        OnboardingStep.PREFERENCES: (ambassador.any_region or ambassador.regions.exists())
        and (ambassador.any_motive or ambassador.motives.exists()),
        OnboardingStep.AVAILABILITY: ambassador.availability_slots.exists(),
    }


def onboarding_next_step(ambassador: Ambassador) -> OnboardingStep | None:
    if ambassador.onboarded_at is not None:
        return None
    for step, done in onboarding_steps_done(ambassador).items():
        if not done:
            return step
    return None


def next_available_from(ambassador: Ambassador, *, now: datetime) -> datetime | None:
    """When the ambassador's weekly slots next begin (``now`` itself when inside one)."""
    slots = list(ambassador.availability_slots.all())
    if not slots:
        return None
    minute = week_minute(now)
    for slot in slots:
        if slot.start_minute <= minute < slot.end_minute or (
            slot.start_minute <= minute + MINUTES_PER_WEEK < slot.end_minute
        ):
            return now
    local_today = now.astimezone(destination_tz()).date()
    starts = []
    for slot in slots:
        for offset in range(8):
            day = local_today + timedelta(days=offset)
            if day.weekday() == slot.weekday:
                begins = local_datetime(day, slot.start)
                if begins > now:
                    starts.append(begins)
                    break
    return min(starts) if starts else None


class Status(enum.StrEnum):
    ONBOARDING = "onboarding"
    SUSPENDED = "suspended"
    OFF = "off"
    PAUSED = "paused"
    AVAILABLE = "available"
    LATER = "later"
    NO_SLOTS = "no_slots"


@dataclass(frozen=True)
class AmbassadorStatus:
    status: Status
    next_available: datetime | None = None

    @property
    def available_now(self) -> bool:
        return self.status is Status.AVAILABLE


def ambassador_status(ambassador: Ambassador, *, now: datetime | None = None) -> AmbassadorStatus:
    now = now or timezone.now()
    if not ambassador.is_active:
        return AmbassadorStatus(Status.SUSPENDED)
    if ambassador.onboarded_at is None or not ambassador.phone_verified:
        return AmbassadorStatus(Status.ONBOARDING)
    if not ambassador.accepting_calls:
        return AmbassadorStatus(Status.OFF)
    if ambassador.paused_until and ambassador.paused_until > now:
        after = next_available_from(ambassador, now=ambassador.paused_until)
        return AmbassadorStatus(Status.PAUSED, after)
    upcoming = next_available_from(ambassador, now=now)
    if upcoming is None:
        return AmbassadorStatus(Status.NO_SLOTS)
    if upcoming == now:
        return AmbassadorStatus(Status.AVAILABLE, now)
    return AmbassadorStatus(Status.LATER, upcoming)
