"""Reads for the voice line: who may be rung for a call right now."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet

from ambassadors.models import Ambassador
from ambassadors.selectors import ambassadors_available_at
from concierge.models import CallMotive, Region

from .models import AttemptOutcome, Call, CallAttempt, CallStatus, PhoneLine

# A ring that never got its Dial callback stops counting as "busy" after this long, and so does
# a connected call whose end we never heard about: nobody is locked out by a lost webhook.
STALE_RING = timedelta(minutes=2)
STALE_CALL = timedelta(hours=4)


def on_duty_responders(*, line: PhoneLine, region: Region | None, at: datetime) -> list:
    """Rota advisors on shift for the network covering this line or region: tried first.

    Shared rotas arrive with the tourist offices (issue 6); until then nobody is on duty.
    """
    return []


def engaged(at: datetime) -> Exists:
    """The ambassador is ringing for, or talking on, another call."""
    return Exists(
        CallAttempt.objects.filter(ambassador=OuterRef("pk")).filter(
            Q(outcome=AttemptOutcome.RINGING, started_at__gte=at - STALE_RING)
            | Q(
                outcome=AttemptOutcome.ACCEPTED,
                call__status=CallStatus.IN_PROGRESS,
                started_at__gte=at - STALE_CALL,
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
) -> QuerySet[Ambassador]:
    """Available, matching ambassadors in queue order, not busy, not yet tried for this call."""
    tried = Exists(CallAttempt.objects.filter(call=call, ambassador=OuterRef("pk")))
    return (
        ambassadors_available_at(at=at, language=language, motive=motive, region=region)
        .exclude(engaged(at))
        .exclude(tried)
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
