"""Planning a month: who may assign whom, assigning, the month at a glance (gaps, hours
against fair shares, working-time warnings) and a fair proposal to fill the gaps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import pairwise

from django.db import transaction
from django.db.models import Count, Prefetch
from django.utils import timezone

from ..lib.timezones import destination_tz
from ..models import (
    Assignment,
    Membership,
    OfficeNetwork,
    Role,
    RotaChange,
    Shift,
    Unavailability,
)
from .expansion import RotaError


def membership_in(user: object, network: OfficeNetwork) -> Membership | None:
    """The user's strongest role in the network (coordinator, then manager, then advisor)."""
    rank = {Role.COORDINATOR: 0, Role.MANAGER: 1, Role.ADVISOR: 2}
    roles = Membership.objects.filter(user=user, network=network).select_related("office")
    return min(roles, key=lambda m: rank[Role(m.role)], default=None)


def can_assign(by: Membership | None, advisor: Membership) -> bool:
    """A coordinator assigns anyone in the network; an office manager, their own advisors."""
    if by is None or by.network_id != advisor.network_id or advisor.role != Role.ADVISOR:
        return False
    return by.role == Role.COORDINATOR or (
        by.role == Role.MANAGER and by.office_id == advisor.office_id
    )


def assignable_by(member: Membership) -> list[Membership]:
    """The advisors ``member`` may put on shifts, for the planner's choices."""
    advisors = Membership.objects.filter(network=member.network_id, role=Role.ADVISOR)
    return [m for m in advisors.select_related("user", "office") if can_assign(member, m)]


def shift_with_assignees(shift: Shift) -> Shift:
    """One shift as the month page shows it: its assignees and how many seats are empty."""
    shift.assignees = [
        a.membership
        for a in shift.assignments.select_related("membership__user", "membership__office")
    ]
    shift.missing = max(0, shift.advisors_needed - len(shift.assignees))
    return shift


def month_gaps(*, network: OfficeNetwork, first: date) -> int:
    """Empty seats of the month, for the count the planner shows after each change."""
    tz = destination_tz()
    start = datetime.combine(first, time(), tzinfo=tz)
    end = datetime.combine((first + timedelta(days=32)).replace(day=1), time(), tzinfo=tz)
    shifts = Shift.objects.filter(network=network, starts_at__gte=start, starts_at__lt=end)
    staffed = shifts.annotate(staffed=Count("assignments")).values_list(
        "advisors_needed", "staffed"
    )
    return sum(max(0, needed - count) for needed, count in staffed)


@transaction.atomic
def rota_assign(
    *, shift: Shift, advisor: Membership, by: Membership, now: datetime | None = None
) -> Assignment:
    if not can_assign(by, advisor) or shift.network_id != by.network_id:
        raise RotaError("You cannot assign this advisor.")
    shift = Shift.objects.select_for_update().get(pk=shift.pk)  # one seat, one person
    if shift.starts_at <= (now or timezone.now()):
        raise RotaError("This shift has already started.")
    if shift.assignments.count() >= shift.advisors_needed:
        raise RotaError("This shift is already fully staffed.")
    assignment, created = Assignment.objects.get_or_create(shift=shift, membership=advisor)
    if not created:
        raise RotaError("This advisor is already on this shift.")
    _log(by, "assign", f"{_name(advisor)} assigned to {_when(shift)}")
    return assignment


@transaction.atomic
def rota_unassign(*, assignment: Assignment, by: Membership, now: datetime | None = None) -> None:
    shift, advisor = assignment.shift, assignment.membership
    if not can_assign(by, advisor):
        raise RotaError("You cannot change this advisor's shifts.")
    if shift.starts_at <= (now or timezone.now()):
        raise RotaError("This shift has already started.")
    assignment.delete()
    _log(by, "unassign", f"{_name(advisor)} taken off {_when(shift)}")


def _name(member: Membership) -> str:
    return member.user.get_full_name() or member.user.email.split("@")[0]


def _when(shift: Shift) -> str:
    local = shift.starts_at.astimezone(destination_tz())
    return f"{local:%a %d %b %H:%M}"


def _log(by: Membership, action: str, description: str) -> None:
    RotaChange.objects.create(
        network_id=by.network_id, actor=by.user, action=action, description=description
    )


@dataclass
class Day:
    date: date
    in_month: bool
    shifts: list[Shift]


@dataclass
class Load:
    """Hours an advisor or an office works in the month, against a fair share."""

    name: str
    hours: float
    fair: float | None = None
    warnings: list[str] | None = None


@dataclass
class Month:
    network: OfficeNetwork
    first: date
    weeks: list[list[Day]]
    advisors: list[Load]
    offices: list[Load]
    gaps: int


LIMIT_DAY = timedelta(hours=10)
LIMIT_WEEK = timedelta(hours=48)
MIN_REST = timedelta(hours=11)


def month_plan(*, network: OfficeNetwork, first: date) -> Month:
    """Everything the month page shows, in a fixed number of queries whatever the size of the
    network: the shifts with their assignees, hours per advisor and per office against their
    fair share (in proportion to each office's advisors), and French working-time warnings
    (over 10 h in a day, under 11 h of rest between shifts, over 48 h in a week)."""
    tz = destination_tz()
    following = (first + timedelta(days=32)).replace(day=1)
    start = datetime.combine(first, time(), tzinfo=tz)
    end = datetime.combine(following, time(), tzinfo=tz)
    shifts = list(
        Shift.objects.filter(network=network, starts_at__gte=start, starts_at__lt=end)
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related(
                    "membership__user", "membership__office"
                ),
            )
        )
        .order_by("starts_at")
    )
    members = list(
        Membership.objects.filter(network=network, role=Role.ADVISOR)
        .select_related("user", "office")
        .order_by("office__name", "user__email")
    )
    by_day: dict[date, list[Shift]] = {}
    worked: dict[int, list[Shift]] = {m.pk: [] for m in members}
    gaps = 0
    for shift in shifts:
        shift.assignees = [a.membership for a in shift.assignments.all()]
        shift.missing = max(0, shift.advisors_needed - len(shift.assignees))
        gaps += shift.missing
        by_day.setdefault(shift.starts_at.astimezone(tz).date(), []).append(shift)
        for member in shift.assignees:
            worked.setdefault(member.pk, []).append(shift)
    grid_start = first - timedelta(days=first.weekday())
    weeks = []
    day = grid_start
    while day < following:
        weeks.append(
            [
                Day(d, d.month == first.month, by_day.get(d, []))
                for d in (day + timedelta(days=n) for n in range(7))
            ]
        )
        day += timedelta(days=7)
    needed = sum(((s.ends_at - s.starts_at) * s.advisors_needed for s in shifts), timedelta())
    advisors = [
        Load(
            f"{_name(m)} ({m.office.name})",
            _hours(sum((s.ends_at - s.starts_at for s in worked[m.pk]), timedelta())),
            warnings=working_time_warnings(worked[m.pk]),
        )
        for m in members
    ]
    offices = []
    for office in network.offices.all():
        staff = [m for m in members if m.office_id == office.pk]
        hours = sum((s.ends_at - s.starts_at for m in staff for s in worked[m.pk]), timedelta())
        fair = needed * len(staff) / len(members) if members else timedelta()
        offices.append(Load(office.name, _hours(hours), fair=_hours(fair)))
    return Month(network, first, weeks, advisors, offices, gaps)


def working_time_warnings(shifts: list[Shift]) -> list[str]:
    tz = destination_tz()
    ordered = sorted(shifts, key=lambda s: s.starts_at)
    warnings = []
    per_day: dict[date, timedelta] = {}
    per_week: dict[tuple[int, int], timedelta] = {}
    for shift in ordered:
        local = shift.starts_at.astimezone(tz)
        length = shift.ends_at - shift.starts_at
        per_day[local.date()] = per_day.get(local.date(), timedelta()) + length
        week = local.isocalendar()[:2]
        per_week[week] = per_week.get(week, timedelta()) + length
    for day, total in sorted(per_day.items()):
        if total > LIMIT_DAY:
            warnings.append(f"{_hours(total):g} h on {day:%d %b} (over 10 h)")
    for (_year, week), total in sorted(per_week.items()):
        if total > LIMIT_WEEK:
            warnings.append(f"{_hours(total):g} h in week {week} (over 48 h)")
    for before, after in pairwise(ordered):
        rest = after.starts_at - before.ends_at
        if timedelta() <= rest < MIN_REST:
            local = after.starts_at.astimezone(tz)
            warnings.append(f"{_hours(rest):g} h of rest before {local:%d %b %H:%M} (under 11 h)")
    return warnings


def _hours(duration: timedelta) -> float:
    return round(duration.total_seconds() / 3600, 1)


@dataclass(frozen=True)
class Proposal:
    shift: Shift
    advisor: Membership


def rota_propose(
    *, network: OfficeNetwork, first: date, by: Membership, now: datetime | None = None
) -> list[Proposal]:
    """Who could fill each empty seat of the month's coming shifts: among the advisors ``by``
    may assign, the least loaded first (hours this month, counting the proposals already made),
    never someone away that day, already on the shift, or whom it would give a working-time
    warning. Nothing is saved: the manager reviews and confirms."""
    now = now or timezone.now()
    tz = destination_tz()
    plan = month_plan(network=network, first=first)
    advisors = [
        m
        for m in Membership.objects.filter(network=network, role=Role.ADVISOR).select_related(
            "user", "office"
        )
        if can_assign(by, m)
    ]
    away = set(
        Unavailability.objects.filter(membership__in=advisors).values_list("membership", "day")
    )
    load: dict[int, list[Shift]] = {m.pk: [] for m in advisors}
    shifts = [s for week in plan.weeks for day in week for s in day.shifts]
    for shift in shifts:
        for member in shift.assignees:
            if member.pk in load:
                load[member.pk].append(shift)
    proposals = []
    for shift in shifts:
        if shift.starts_at <= now or not shift.missing:
            continue
        day = shift.starts_at.astimezone(tz).date()
        on_it = {m.pk for m in shift.assignees}
        candidates = sorted(
            (m for m in advisors if m.pk not in on_it and (m.pk, day) not in away),
            key=lambda m: (sum((s.ends_at - s.starts_at for s in load[m.pk]), timedelta()), m.pk),
        )
        for member in candidates:
            if shift.missing == 0:
                break
            if working_time_warnings(load[member.pk] + [shift]) or _overlaps(
                load[member.pk], shift
            ):
                continue
            proposals.append(Proposal(shift, member))
            load[member.pk].append(shift)
            shift.missing -= 1
    return proposals


def _overlaps(shifts: list[Shift], new: Shift) -> bool:
    return any(s.starts_at < new.ends_at and new.starts_at < s.ends_at for s in shifts)
