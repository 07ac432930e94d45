"""What the rotas show on each role's home: an advisor's next shifts and swap inbox, a network's
"tonight" (who is on duty now and next, the empty seats of tonight and of the week, hand-overs
waiting, latest changes). Reads only, each in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Prefetch

from ..lib.timezones import destination_tz, start_of_local_day
from ..models import (
    PLANNING_ROLES,
    Assignment,
    Membership,
    OfferStatus,
    OfficeNetwork,
    Shift,
    ShiftOffer,
    User,
)
from .changelog import ChangeLine
from .selectors import ShiftRow, latest_changes, offers_from_colleagues, offers_to_decide


@dataclass(frozen=True)
class SwapInbox:
    """Shifts colleagues offer that the advisor may take, and the advisor's own offers still
    waiting for a taker or for the coordinator."""

    to_take: list[ShiftOffer]
    waiting: list[ShiftOffer]


def next_shifts(
    advisors: Sequence[Membership], *, now: datetime, limit: int = 5
) -> list[Assignment]:
    """The advisors' shifts not over yet, soonest first (the one under way included)."""
    return list(
        Assignment.objects.filter(membership__in=advisors, shift__ends_at__gt=now)
        .select_related("shift", "membership__network")
        .order_by("shift__starts_at")[:limit]
    )


def swap_inbox(advisors: Sequence[Membership], *, now: datetime, limit: int = 10) -> SwapInbox:
    mine = ShiftOffer.objects.filter(
        offered_by__in=advisors,
        status__in=[OfferStatus.OPEN, OfferStatus.PENDING],
        assignment__shift__ends_at__gt=now,
    ).select_related("assignment__shift", "taken_by__user")
    return SwapInbox(
        to_take=list(offers_from_colleagues(advisors, now=now)[:limit]),
        waiting=list(mine.order_by("assignment__shift__starts_at")[:limit]),
    )


def planner_memberships(user: User) -> list[Membership]:
    """Where the user plans a rota (coordinator of a network, manager of an office), one per
    network, the strongest role first."""
    found: dict[int, Membership] = {}
    for member in (
        Membership.objects.filter(user=user, role__in=PLANNING_ROLES)
        .select_related("network", "office")
        .order_by("network__name", "network_id", "role")  # "coordinator" sorts before "manager"
    ):
        found.setdefault(member.network_id, member)
    return list(found.values())


@dataclass(frozen=True)
class Tonight:
    """A network's evening at a glance, for its coordinator and managers."""

    network: OfficeNetwork
    now_on: list[ShiftRow]  # shifts under way
    next_on: list[ShiftRow]  # the next shifts to start (all those starting at that moment)
    empty_tonight: list[ShiftRow]  # today's shifts not over, with a seat empty
    empty_week: list[ShiftRow]  # from tomorrow to Sunday, with a seat empty
    handovers: list[ShiftOffer]
    changes: list[ChangeLine]

    @property
    def seats_tonight(self) -> int:
        return sum(row.missing for row in self.empty_tonight)

    @property
    def seats_week(self) -> int:
        return sum(row.missing for row in self.empty_week)


def tonight(network: OfficeNetwork, *, now: datetime) -> Tonight:
    """Four queries: the shifts from now to the end of the week with their assignees (one and a
    prefetch), hand-overs waiting, the latest changes."""
    tz = destination_tz()
    today = now.astimezone(tz).date()
    tomorrow = start_of_local_day(today + timedelta(days=1))
    week_end = start_of_local_day(today + timedelta(days=7 - today.weekday()))
    # The week runs to Sunday night; on a Sunday, tonight is all that is left of it.
    shifts = (
        Shift.objects.filter(network=network, ends_at__gt=now, starts_at__lt=week_end)
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related(
                    "membership__user", "membership__office"
                ).order_by("membership__user__first_name", "pk"),
            )
        )
        .order_by("starts_at", "pk")
    )
    rows = [ShiftRow(s, tuple(a.membership for a in s.assignments.all())) for s in shifts]
    now_on = [row for row in rows if row.shift.starts_at <= now]
    later = [row for row in rows if row.shift.starts_at > now]
    next_on = [row for row in later if row.shift.starts_at == later[0].shift.starts_at]
    return Tonight(
        network=network,
        now_on=now_on,
        next_on=next_on,
        empty_tonight=[r for r in rows if r.missing and r.shift.starts_at < tomorrow],
        empty_week=[r for r in rows if r.missing and r.shift.starts_at >= tomorrow],
        handovers=list(offers_to_decide(network).order_by("assignment__shift__starts_at")[:10]),
        changes=list(latest_changes(network, limit=8)),
    )
