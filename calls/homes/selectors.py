"""What each role's home reads, beyond the rotas: the texts and calls an advisor holds, what a
network's advisors handled today, and the line's state for staff. Fixed numbers of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min, Q

from ambassadors.models import Redemption, RedemptionStatus
from ambassadors.selectors import ambassadors_available_at
from concierge.lib.timezones import destination_tz, start_of_local_day
from concierge.models import Membership, OfficeNetwork
from concierge.rotas import SwapInbox, Tonight, advisors_on_duty, next_shifts, swap_inbox, tonight

from ..models import (
    Call,
    CallReport,
    Conversation,
    ConversationStatus,
    PhoneLine,
    ReportStatus,
)


@dataclass(frozen=True)
class Evening:
    """An advisor's evening: their next shifts, open texts, latest calls and swaps."""

    shifts: list
    conversations: list[Conversation]
    calls: list[Call]
    swaps: SwapInbox
    phone_missing: bool


def evening(advisors: list[Membership], *, now: datetime) -> Evening:
    """Six queries, whatever the number of networks the advisor serves."""
    return Evening(
        shifts=next_shifts(advisors, now=now),
        conversations=list(
            Conversation.objects.filter(
                advisor__in=advisors, status=ConversationStatus.OPEN, is_rehearsal=False
            )
            .select_related("motive")
            .order_by("-last_activity_at")[:10]
        ),
        calls=list(
            Call.objects.filter(advisor__in=advisors, is_rehearsal=False)
            .select_related("motive")
            .order_by("-received_at")[:5]
        ),
        swaps=swap_inbox(advisors, now=now),
        phone_missing=not any(a.phone_verified_at and a.phone_number for a in advisors),
    )


@dataclass(frozen=True)
class Handled:
    """What a network's advisors did today: answered calls and text conversations taken."""

    calls: int
    conversations: int


@dataclass(frozen=True)
class NetworkTonight:
    rota: Tonight
    handled: Handled


def network_tonight(network: OfficeNetwork, *, now: datetime) -> NetworkTonight:
    """The rota's tonight (four queries) and today's work of the network's advisors (two)."""
    since = start_of_local_day(now.astimezone(destination_tz()).date())
    calls = Call.objects.filter(
        advisor__network=network, answered_at__gte=since, is_rehearsal=False
    ).count()
    conversations = Conversation.objects.filter(
        advisor__network=network, assigned_at__gte=since, is_rehearsal=False
    ).count()
    return NetworkTonight(
        rota=tonight(network, now=now), handled=Handled(calls=calls, conversations=conversations)
    )


@dataclass(frozen=True)
class LineToday:
    line: PhoneLine
    calls: int
    answered: int


@dataclass(frozen=True)
class Operations:
    """The line as staff watch it: numbers, who can be reached now (counts, never numbers),
    texts waiting for a local, what waits for a decision."""

    lines: list[LineToday]
    volunteers_reachable: int
    advisors_on_duty: int
    waiting: int
    oldest_waiting: datetime | None
    reports: list[CallReport]
    open_reports: int
    reward_requests: int


def operations(*, now: datetime) -> Operations:
    """Seven queries."""
    since = start_of_local_day(now.astimezone(destination_tz()).date())
    today = Q(calls__received_at__gte=since, calls__is_rehearsal=False)
    lines = PhoneLine.objects.annotate(
        today=Count("calls", filter=today),
        answered=Count("calls", filter=today & Q(calls__answered_at__isnull=False)),
    ).order_by("-is_active", "label", "pk")
    waiting = Conversation.objects.filter(
        status=ConversationStatus.WAITING, is_rehearsal=False
    ).aggregate(count=Count("pk"), oldest=Min("opened_at"))
    reports = CallReport.objects.filter(status=ReportStatus.OPEN)
    return Operations(
        lines=[LineToday(line, line.today, line.answered) for line in lines],
        # Every volunteer speaks English: the count of those who could take a call now.
        volunteers_reachable=ambassadors_available_at(at=now, language="en").count(),
        advisors_on_duty=advisors_on_duty(at=now).count(),
        waiting=waiting["count"],
        oldest_waiting=waiting["oldest"],
        reports=list(reports.select_related("call").order_by("-created_at")[:5]),
        open_reports=reports.count(),
        reward_requests=Redemption.objects.filter(status=RedemptionStatus.REQUESTED).count(),
    )
