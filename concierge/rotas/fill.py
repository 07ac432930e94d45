"""Who may take a seat: the advisors a manager may put on a shift (the planner's list) and
"fill the gaps fairly", a proposal for every empty seat of the month. Nothing here writes: the
manager reviews and confirms."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from ..lib.timezones import destination_tz
from ..models import Membership, OfficeNetwork, Role, Shift
from .selectors import away_days, can_assign, month_bounds, month_plan
from .worktime import breaches_added, hours_of


@dataclass(frozen=True)
class Proposal:
    shift: Shift
    advisor: Membership
    hours: float = 0  # the advisor's hours in the month, this proposal included
    fair: float = 0  # their fair share of the month's hours


def rota_propose(
    *, network: OfficeNetwork, first: date, by: Membership, now: datetime | None = None
) -> list[Proposal]:
    """Someone for each empty seat of the month's coming shifts, if anyone may take it: among
    the advisors ``by`` may assign who are not away that day nor on the shift, the furthest
    below their fair share first (the month's hours shared in proportion to the days each can
    work; the proposals already made count). A seat is never proposed to someone it would
    push over a working-time limit; a breach they already have elsewhere does not rule them
    out."""
    now = now or timezone.now()
    tz = destination_tz()
    rows = month_plan(network=network, first=first).rows
    members = list(
        Membership.objects.filter(network=network, role=Role.ADVISOR).select_related(
            "user", "office"
        )
    )
    start, end = month_bounds(first)
    month_days = (end.date() - start.date()).days
    away = away_days(members, start=start.date(), end=end.date())
    free_days = {m.pk: month_days - sum(1 for pk, _d in away if pk == m.pk) for m in members}
    needed = sum(
        ((r.shift.ends_at - r.shift.starts_at) * r.shift.advisors_needed for r in rows),
        timedelta(),
    )
    total_days = sum(free_days.values()) or 1
    fair = {pk: needed * days / total_days for pk, days in free_days.items()}
    load: dict[int, list[Shift]] = {m.pk: [] for m in members}
    for row in rows:
        for member in row.assignees:
            load.setdefault(member.pk, []).append(row.shift)

    def worked(member: Membership) -> timedelta:
        return sum((s.ends_at - s.starts_at for s in load[member.pk]), timedelta())

    assignable = [m for m in members if can_assign(by, m)]
    proposals = []
    for row in rows:
        shift, missing = row.shift, row.missing
        if shift.starts_at <= now or not missing:
            continue
        day = shift.starts_at.astimezone(tz).date()
        on_it = {m.pk for m in row.assignees}
        candidates = sorted(
            (m for m in assignable if m.pk not in on_it and (m.pk, day) not in away),
            key=lambda m: (worked(m) - fair[m.pk], m.pk),
        )
        for member in candidates:
            if missing == 0:
                break
            if breaches_added(load[member.pk], shift):
                continue
            load[member.pk].append(shift)
            proposals.append(
                Proposal(shift, member, hours_of(worked(member)), hours_of(fair[member.pk]))
            )
            missing -= 1
    return proposals


def proposals_named(
    *, network: OfficeNetwork, keys: Sequence[tuple[uuid.UUID, int]]
) -> list[Proposal]:
    """The proposals a manager confirmed, as (shift public id, advisor id) pairs, in their
    order; pairs naming a shift or a member outside the network are left out."""
    shifts = Shift.objects.filter(network=network, public_id__in={s for s, _a in keys})
    members = Membership.objects.filter(network=network, pk__in={a for _s, a in keys})
    shift_by_id = {s.public_id: s for s in shifts}
    member_by_id = {m.pk: m for m in members}
    return [
        Proposal(shift_by_id[s], member_by_id[a])
        for s, a in keys
        if s in shift_by_id and a in member_by_id
    ]
