"""What a call or a conversation counts for, as aggregate expressions over a queryset of them.

One rule, one place: the task that counts one ended call and the command that rebuilds a month
run the same expressions (over one row, or over all of them)."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any

from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate, TruncHour

from ambassadors.models import CommunityMembership, MembershipStatus
from concierge.lib.timezones import destination_tz

from ..models import (
    EVERY_LINE,
    WAIT_EDGES,
    CallAttempt,
    CallbackRequest,
    CallStatus,
    Channel,
    Conversation,
    ConversationStatus,
    Dimension,
)
from ..models import Call as CallModel

# A call is counted once it is over: completed, abandoned, refused, or nobody could answer and
# the caller has hung up (they may still ask to be texted back until then).
CALL_ENDED = Q(status__in=[CallStatus.COMPLETED, CallStatus.ABANDONED, CallStatus.REFUSED]) | Q(
    status=CallStatus.NO_RESPONDER, ended_at__isnull=False
)
CONVERSATION_ENDED = Q(status=ConversationStatus.CLOSED)


def _duration(expression: Any) -> ExpressionWrapper:
    return ExpressionWrapper(expression, output_field=DurationField())


def _histogram(waited: str, since: str | None) -> dict[str, Count]:
    """Count per bucket of WAIT_EDGES: ``waited`` is a moment (measured from ``since``) or,
    when ``since`` is None, a duration."""

    def below(seconds: int) -> Q:
        limit = F(since) + timedelta(seconds=seconds) if since else timedelta(seconds=seconds)
        return Q(**{f"{waited}__lt": limit})

    buckets = {}
    for index, edge in enumerate(WAIT_EDGES):
        inside = Q(**{f"{waited}__isnull": False}) & ~below(edge)
        if index + 1 < len(WAIT_EDGES):
            inside &= below(WAIT_EDGES[index + 1])
        buckets[f"w{index}"] = Count("pk", filter=inside)
    return buckets


def call_measures(*, histogram: bool) -> dict[str, Any]:
    waited = Q(answered_at__isnull=False)
    rang = Q(first_ring__isnull=False)
    measures: dict[str, Any] = {
        "received": Count("pk"),
        "answered": Count("pk", filter=waited),
        "missed": Count("pk", filter=Q(status=CallStatus.NO_RESPONDER)),
        "abandoned": Count("pk", filter=Q(status=CallStatus.ABANDONED)),
        "refused": Count("pk", filter=Q(status=CallStatus.REFUSED)),
        "callbacks": Count("pk", filter=Q(callback=True)),
        "faq_instant": Value(0),
        "by_advisor": Count("pk", filter=Q(advisor__isnull=False)),
        "by_volunteer": Count("pk", filter=Q(responder__isnull=False)),
        "by_member": Count("pk", filter=waited & Q(by_member=True)),
        "wait_total": Sum(_duration(F("answered_at") - F("received_at")), filter=waited),
        "wait_count": Count("pk", filter=waited),
        "menu_total": Sum(_duration(F("first_ring") - F("received_at")), filter=rang),
        "menu_count": Count("pk", filter=rang),
    }
    if histogram:
        measures |= _histogram("answered_at", "received_at")
    return measures


def conversation_measures(*, histogram: bool) -> dict[str, Any]:
    replied = Q(first_response_time__isnull=False)
    measures: dict[str, Any] = {
        "received": Count("pk"),
        "answered": Count("pk", filter=Q(first_reply_at__isnull=False)),
        "missed": Count("pk", filter=Q(first_reply_at__isnull=True)),
        "abandoned": Value(0),
        "refused": Value(0),
        "callbacks": Value(0),
        "faq_instant": Count("pk", filter=Q(faq_sent_at__isnull=False)),
        "by_advisor": Count("pk", filter=Q(advisor__isnull=False)),
        "by_volunteer": Count("pk", filter=Q(responder__isnull=False)),
        "by_member": Count("pk", filter=Q(first_reply_at__isnull=False, by_member=True)),
        "wait_total": Sum("first_response_time", filter=replied),
        "wait_count": Count("pk", filter=replied),
        "menu_total": Value(None, output_field=DurationField()),
        "menu_count": Value(0),
    }
    if histogram:
        measures |= _histogram("first_response_time", None)
    return measures


def _where(every_line: bool, region: Any) -> dict[str, Any]:
    if every_line:
        return {"line_key": Value(EVERY_LINE), "region_key": Value(0)}
    return {"line_key": F("line_id"), "region_key": region}


def _by_member() -> Exists:
    """The local holding the call or the conversation is an approved member of the community
    it asked for (membership as it stands when counted)."""
    return Exists(
        CommunityMembership.objects.filter(
            ambassador_id=OuterRef("responder_id"),
            community_id=OuterRef("community_id"),
            status=MembershipStatus.APPROVED,
        )
    )


def calls_counted(calls: QuerySet[CallModel], *, every_line: bool) -> QuerySet[CallModel]:
    """The calls, with what the figures need beside their own columns: the first ring (the end
    of the menus), whether the caller asked to be texted back, and the row's line and region
    (``every_line``: the rows of every line together)."""
    first = CallAttempt.objects.filter(call=OuterRef("pk")).order_by("order")
    return calls.annotate(
        first_ring=Subquery(first.values("started_at")[:1]),
        callback=Exists(CallbackRequest.objects.filter(call=OuterRef("pk"))),
        by_member=_by_member(),
        figure_channel=Value(Channel.CALL),
        **_where(every_line, Coalesce("region_id", 0)),
    )


def conversations_counted(
    conversations: QuerySet[Conversation], *, every_line: bool
) -> QuerySet[Conversation]:
    # Texts choose no region: a network sees them through the line they came on.
    return conversations.annotate(
        by_member=_by_member(), figure_channel=Value(Channel.TEXT), **_where(every_line, Value(0))
    )


def hour_rows(calls: QuerySet[Any], *, channel: Channel) -> list[dict[str, Any]]:
    """FigureHour's values for these calls (already ``calls_counted``) or conversations."""
    moment = "received_at" if channel == Channel.CALL else "opened_at"
    measures = (call_measures if channel == Channel.CALL else conversation_measures)(histogram=True)
    grouped = calls.annotate(hour=TruncHour(moment, tzinfo=UTC)).values(
        "hour", "line_key", "region_key", "figure_channel"
    )
    return _rows_of(grouped.annotate(**measures).order_by())


DIMENSION_FIELDS = {
    Channel.CALL: {
        Dimension.COUNTRY: "caller_country",
        Dimension.LANGUAGE: "language",
        Dimension.TOPIC: "motive__code",
        Dimension.COMMUNITY: "community__code",
    },
    Channel.TEXT: {
        Dimension.COUNTRY: "tourist_country",
        Dimension.LANGUAGE: "language",
        Dimension.TOPIC: "motive__code",
        Dimension.COMMUNITY: "community__code",
    },
}


def day_rows(calls: QuerySet[Any], *, channel: Channel, dimension: Dimension) -> list[dict]:
    """FigureDay's values for one dimension (a day is the destination's)."""
    moment = "received_at" if channel == Channel.CALL else "opened_at"
    measures = (call_measures if channel == Channel.CALL else conversation_measures)(
        histogram=dimension == Dimension.ALL
    )
    value = DIMENSION_FIELDS[channel].get(dimension)
    grouped = calls.annotate(
        day=TruncDate(moment, tzinfo=destination_tz()),
        dimension=Value(dimension.value),
        value=Coalesce(value, Value("")) if value else Value(""),
    ).values("day", "line_key", "region_key", "figure_channel", "dimension", "value")
    return _rows_of(grouped.annotate(**measures).order_by())


def _rows_of(grouped: QuerySet[Any]) -> list[dict[str, Any]]:
    # A conversation has a ``channel`` of its own (SMS or WhatsApp): the figures' channel (call
    # or text) is annotated under another name and takes its column's name here.
    rows = list(grouped)
    for row in rows:
        row["channel"] = row.pop("figure_channel")
    return rows
