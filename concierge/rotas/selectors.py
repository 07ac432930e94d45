"""Reads of the shared rotas: who is on duty, who may assign whom, the month at a glance (gaps,
hours against fair shares, working-time warnings) and what the pages list. Nothing here
writes; the services (``planning``, ``swaps``, ``advisors``…) do."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from ..lib.prepared import Param
from ..lib.sharedcache import DOWN, tolerant
from ..lib.timezones import destination_tz
from ..models import (
    Assignment,
    Closure,
    Membership,
    OfferStatus,
    OfficeNetwork,
    Region,
    Role,
    Shift,
    ShiftOffer,
    Unavailability,
    User,
)
from .changelog import ChangeLine, change_lines
from .expansion import public_holidays
from .worktime import Breach, breaches_added, hours_of, working_time_warnings

# --- On duty: read on every call and text to the line --------------------------------------

SHIFT_CHECK_SECONDS = 30


def any_shift_running(at: datetime) -> bool:
    """Whether any rota shift overlaps this half-minute, asked the database at most once per
    half-minute and process: most of the day no shift runs, and calls should not pay for
    looking. A shift assigned mid-way is seen within 30 seconds."""
    window = int(at.timestamp()) // SHIFT_CHECK_SECONDS
    key = f"rotas:shift-running:{window}"
    running = tolerant(
        lambda: cache.get(key), down=DOWN, degrades="the on-duty check asks the database"
    )
    if running is DOWN:
        return _shift_running(window)
    if running is None:
        running = _shift_running(window)
        tolerant(
            lambda: cache.set(key, running, SHIFT_CHECK_SECONDS * 2),
            down=None,
            degrades="the on-duty check not kept",
        )
    return bool(running)


def _shift_running(window: int) -> bool:
    start = datetime.fromtimestamp(window * SHIFT_CHECK_SECONDS, tz=UTC)
    return Shift.objects.filter(
        starts_at__lt=start + timedelta(seconds=SHIFT_CHECK_SECONDS),
        ends_at__gt=start,
        assignments__isnull=False,
    ).exists()


def advisors_on_duty(*, at: datetime, region: Region | None = None) -> QuerySet[Membership]:
    """Advisors on a shift at ``at``, with a verified mobile, for the networks covering
    ``region`` (every network when the call has no region). One query."""
    advisors = Membership.objects.filter(
        *on_duty_conditions(at=at, region_id=region.pk if region else None)
    )
    return advisors.select_related("user", "office").order_by("pk")


def on_duty_conditions(*, at: datetime | Param, region_id: int | Param | None) -> list[Q]:
    """The filters of :func:`advisors_on_duty`, given values or :class:`Param` placeholders
    (the voice line prepares the query once: calls.selectors)."""
    on_shift = Assignment.objects.filter(shift__starts_at__lte=at, shift__ends_at__gt=at).values(
        "membership"
    )
    conditions = [
        Q(pk__in=on_shift),
        Q(role=Role.ADVISOR, phone_verified_at__isnull=False, phone_number__isnull=False),
    ]
    if region_id is not None:
        conditions.append(Q(network__regions=region_id))
    return conditions


# --- Who may do what -----------------------------------------------------------------------


def membership_in(user: User, network: OfficeNetwork) -> Membership | None:
    """The user's strongest role in the network (coordinator, then manager, then advisor)."""
    rank = {Role.COORDINATOR: 0, Role.MANAGER: 1, Role.ADVISOR: 2}
    roles = Membership.objects.filter(user=user, network=network).select_related("office")
    return min(roles, key=lambda m: rank[Role(m.role)], default=None)


def first_membership(user: User) -> Membership | None:
    """The network whose planner ``/rotas/`` opens, when the user belongs to several."""
    return Membership.objects.filter(user=user).order_by("network_id", "role").first()


def network_member(network: OfficeNetwork, pk: int) -> Membership | None:
    return Membership.objects.filter(network=network, pk=pk).first()


def advisor_in(user: User, *, network_id: int) -> Membership | None:
    """The user's place as an advisor in the network, if they are one."""
    return Membership.objects.filter(user=user, network_id=network_id, role=Role.ADVISOR).first()


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


def user_name(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.email.split("@")[0]


def member_name(member: Membership) -> str:
    return user_name(member.user)


def member_label(member: Membership) -> str:
    """The name and office, as the month page's hours per advisor shows them."""
    return f"{member_name(member)} ({member.office.name if member.office else ''})"


# --- The month at a glance ------------------------------------------------------------------


@dataclass(frozen=True)
class ShiftRow:
    """A shift as the planner shows it: who is on it, how many seats are still empty, whether
    it has started (then nothing changes it) and whom the reader may put on it."""

    shift: Shift
    assignees: tuple[Membership, ...]
    past: bool = False
    choices: tuple[Membership, ...] = ()

    @property
    def missing(self) -> int:
        return max(0, self.shift.advisors_needed - len(self.assignees))


@dataclass(frozen=True)
class Day:
    date: date
    in_month: bool
    shifts: tuple[ShiftRow, ...]
    holiday: str = ""  # the public holiday's name
    closures: tuple[Closure, ...] = ()  # offices closed that day (no office: the network)
    today: bool = False


@dataclass(frozen=True)
class Load:
    """Hours an advisor or an office works in the month, against a fair share."""

    name: str
    hours: float
    fair: float | None = None
    warnings: tuple[Breach, ...] = ()


@dataclass(frozen=True)
class Month:
    network: OfficeNetwork
    first: date
    weeks: list[list[Day]]
    advisors: list[Load]
    offices: list[Load]
    gaps: int

    @property
    def closures(self) -> list[Closure]:
        """The month's closure days, in order."""
        return [c for week in self.weeks for day in week if day.in_month for c in day.closures]

    @property
    def rows(self) -> list[ShiftRow]:
        """The month's shifts in order (the days of the weeks around it have none)."""
        return [row for week in self.weeks for day in week for row in day.shifts]


def shift_row(shift: Shift, *, by: Membership | None = None) -> ShiftRow:
    """One shift as the month page shows it to ``by``, after a change to it."""
    now = timezone.now()
    assignments = shift.assignments.select_related("membership__user", "membership__office")
    row = ShiftRow(shift, tuple(a.membership for a in assignments), past=shift.starts_at <= now)
    choices = assign_choices([row], by=by, now=now) if by else {}
    return replace(row, choices=tuple(choices.get(shift.pk, ())))


def month_bounds(first: date) -> tuple[datetime, datetime]:
    """The month starting on ``first``, as two instants in the destination's time zone."""
    tz = destination_tz()
    following = (first + timedelta(days=32)).replace(day=1)
    start = datetime.combine(first, time(), tzinfo=tz)
    return start, datetime.combine(following, time(), tzinfo=tz)


def breaches_if_assigned(*, shift: Shift, advisor: Membership) -> list[Breach]:
    """The working-time limits putting ``advisor`` on ``shift`` would newly break (their shifts
    of the days around it are enough to tell)."""
    window = timedelta(days=8)
    around = Shift.objects.filter(
        assignments__membership=advisor,
        starts_at__gte=shift.starts_at - window,
        starts_at__lt=shift.starts_at + window,
    ).exclude(pk=shift.pk)
    return breaches_added(list(around), shift)


def month_gaps(*, network: OfficeNetwork, first: date) -> int:
    """Empty seats of the month, for the count the planner shows after each change."""
    start, end = month_bounds(first)
    shifts = Shift.objects.filter(network=network, starts_at__gte=start, starts_at__lt=end)
    staffed = shifts.annotate(staffed=Count("assignments")).values_list(
        "advisors_needed", "staffed"
    )
    return sum(max(0, needed - count) for needed, count in staffed)


def away_days(advisors: Sequence[Membership], *, start: date, end: date) -> set[tuple[int, date]]:
    """(advisor id, day) for every day between two days that the advisors said they cannot
    work or that their office is closed."""
    away = set(
        Unavailability.objects.filter(
            membership__in=advisors, day__gte=start, day__lte=end
        ).values_list("membership", "day")
    )
    closed = Closure.objects.filter(
        office__in={m.office_id for m in advisors}, day__gte=start, day__lte=end
    ).values_list("office", "day")
    for office_id, day in closed:
        away |= {(m.pk, day) for m in advisors if m.office_id == office_id}
    return away


def assign_choices(
    rows: Sequence[ShiftRow], *, by: Membership, now: datetime | None = None
) -> dict[int, list[Membership]]:
    """For each coming shift with an empty seat, the advisors ``by`` may put on it: not those
    already on it, not those away that day. (Working-time limits are shown when assigning.)"""
    now = now or timezone.now()
    tz = destination_tz()
    coming = [r for r in rows if r.shift.starts_at > now and r.missing]
    if not coming or by.role == Role.ADVISOR:
        return {}
    advisors = [
        m
        for m in Membership.objects.filter(network=by.network_id, role=Role.ADVISOR)
        .select_related("user", "office")
        .order_by("office__name", "user__first_name", "user__email")
        if can_assign(by, m)
    ]
    days = [r.shift.starts_at.astimezone(tz).date() for r in coming]
    away = away_days(advisors, start=min(days), end=max(days))
    choices = {}
    for row, day in zip(coming, days, strict=True):
        on_it = {m.pk for m in row.assignees}
        choices[row.shift.pk] = [
            m for m in advisors if m.pk not in on_it and (m.pk, day) not in away
        ]
    return choices


def month_plan(
    *,
    network: OfficeNetwork,
    first: date,
    by: Membership | None = None,
    now: datetime | None = None,
) -> Month:
    """Everything the month page shows, in a fixed number of queries whatever the size of the
    network: the shifts with their assignees (and, for ``by``, whom they may put on each coming
    one), public holidays and closures, hours per advisor and per office against their fair
    share (in proportion to each office's advisors), and French working-time warnings (over
    10 h in a day, under 11 h of rest between shifts, over 48 h in a week)."""
    tz = destination_tz()
    now = now or timezone.now()
    start, end = month_bounds(first)
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
    by_day: dict[date, list[ShiftRow]] = {}
    worked: dict[int, list[Shift]] = {m.pk: [] for m in members}
    gaps = 0
    rows = [ShiftRow(s, tuple(a.membership for a in s.assignments.all())) for s in shifts]
    choices = assign_choices(rows, by=by, now=now) if by else {}
    for row in rows:
        shift = row.shift
        row = replace(row, past=shift.starts_at <= now, choices=tuple(choices.get(shift.pk, ())))
        gaps += row.missing
        by_day.setdefault(shift.starts_at.astimezone(tz).date(), []).append(row)
        for member in row.assignees:
            worked.setdefault(member.pk, []).append(shift)
    day = first - timedelta(days=first.weekday())
    last = end.date() + timedelta(days=6 - end.date().weekday())
    public = public_holidays(day, last)
    closed: dict[date, list[Closure]] = {}
    for closure in Closure.objects.filter(
        network=network, day__gte=day, day__lte=last
    ).select_related("office"):
        closed.setdefault(closure.day, []).append(closure)
    today = now.astimezone(tz).date()
    weeks = []
    while day < end.date():
        week = (day + timedelta(days=n) for n in range(7))
        weeks.append(
            [
                Day(
                    d,
                    d.month == first.month,
                    tuple(by_day.get(d, ())),
                    holiday=public.get(d, ""),
                    closures=tuple(closed.get(d, ())),
                    today=d == today,
                )
                for d in week
            ]
        )
        day += timedelta(days=7)
    needed = sum(((s.ends_at - s.starts_at) * s.advisors_needed for s in shifts), timedelta())
    advisors = [
        Load(
            member_label(m),
            hours_of(sum((s.ends_at - s.starts_at for s in worked[m.pk]), timedelta())),
            warnings=tuple(working_time_warnings(worked[m.pk])),
        )
        for m in members
    ]
    offices = []
    for office in network.offices.all():
        staff = [m for m in members if m.office_id == office.pk]
        hours = sum((s.ends_at - s.starts_at for m in staff for s in worked[m.pk]), timedelta())
        fair = needed * len(staff) / len(members) if members else timedelta()
        offices.append(Load(office.name, hours_of(hours), fair=hours_of(fair)))
    return Month(network, first, weeks, advisors, offices, gaps)


# --- What the pages list --------------------------------------------------------------------


def offers_to_decide(network: OfficeNetwork) -> QuerySet[ShiftOffer]:
    """Hand-overs taken by a colleague and waiting for the coordinator."""
    return ShiftOffer.objects.filter(
        status=OfferStatus.PENDING, offered_by__network=network
    ).select_related("assignment__shift", "offered_by__user", "taken_by__user")


def latest_changes(network: OfficeNetwork, *, limit: int = 10) -> list[ChangeLine]:
    """The network's latest changes, in the reader's language."""
    return change_lines(network.changes.select_related("actor")[:limit])


def advisor_memberships(user: User) -> list[Membership]:
    """Where the user is an advisor (the "my shifts" page covers every network at once)."""
    # In a stable order: the first one holds the person's phone verification.
    return list(
        Membership.objects.filter(user=user, role=Role.ADVISOR)
        .select_related("network")
        .order_by("pk")
    )


def assignments_of(
    advisors: Sequence[Membership], *, ending_after: datetime
) -> QuerySet[Assignment]:
    """The advisors' shifts not over by ``ending_after``, soonest first."""
    return (
        Assignment.objects.filter(membership__in=advisors, shift__ends_at__gte=ending_after)
        .select_related("shift", "membership__network")
        .order_by("shift__starts_at")
    )


def offers_from_colleagues(
    advisors: Sequence[Membership], *, now: datetime
) -> QuerySet[ShiftOffer]:
    """Coming shifts colleagues of the advisors' networks offer, still open to take."""
    return (
        ShiftOffer.objects.filter(
            status=OfferStatus.OPEN,
            offered_by__network__in=[m.network_id for m in advisors],
            assignment__shift__starts_at__gt=now,
        )
        .exclude(offered_by__in=advisors)
        .select_related("assignment__shift", "offered_by__user", "offered_by__office")
    )


def offered_assignment_ids(advisors: Sequence[Membership]) -> set[int]:
    """The advisors' assignments they have offered and not yet handed over."""
    return set(
        ShiftOffer.objects.filter(
            offered_by__in=advisors, status__in=[OfferStatus.OPEN, OfferStatus.PENDING]
        ).values_list("assignment", flat=True)
    )


def days_away(advisors: Sequence[Membership], *, since: date) -> list[date]:
    """The days from ``since`` on that the advisors said they cannot work, each once."""
    days = Unavailability.objects.filter(membership__in=advisors, day__gte=since)
    return sorted(set(days.values_list("day", flat=True)))
