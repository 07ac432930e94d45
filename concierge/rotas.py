"""Shared rotas: rules (rows) expanded into concrete shifts, and who is on duty now.

A rule says "Monday–Friday 18:00–22:00" in the destination's wall-clock time; a shift is one
occurrence of it as two UTC instants. Expansion walks the rule's days with ``dateutil.rrule`` on
local dates and places each start and end with ``zoneinfo``, so an evening shift starts at 18:00
local on both sides of a DST change (17:00 UTC in winter, 16:00 UTC in summer) and a night shift
across the change lasts one hour less or more, as it really does.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from dateutil import rrule
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, F, Prefetch, QuerySet
from django.utils import timezone

from .lib import telephony
from .lib.timezones import destination_tz
from .models import (
    Assignment,
    Membership,
    OfferStatus,
    OfficeNetwork,
    Region,
    Role,
    RotaChange,
    RotaRule,
    Shift,
    ShiftOffer,
    Unavailability,
)

logger = logging.getLogger(__name__)

WEEKDAYS = {day: getattr(rrule, day) for day in ("MO", "TU", "WE", "TH", "FR", "SA", "SU")}


class RotaError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def weekdays_of(rule: RotaRule) -> list[rrule.weekday]:
    try:
        return [WEEKDAYS[day.strip().upper()] for day in rule.weekdays.split(",") if day.strip()]
    except KeyError as error:
        raise RotaError(f"Unknown day {error.args[0]!r}: use MO, TU, WE, TH, FR, SA, SU.") from None


def local_instant(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC instant the wall clock shows ``at`` on ``day``. A time in the hour repeated in
    autumn is its first occurrence; one in the hour skipped in spring is read with the offset
    before the change, so it falls an hour later on the clock (02:30 becomes 03:30)."""
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


@dataclass(frozen=True)
class Occurrence:
    starts_at: datetime
    ends_at: datetime


def occurrences(rule: RotaRule, *, start: date, end: date) -> list[Occurrence]:
    """The rule's shifts starting on local days ``start`` to ``end`` inclusive."""
    tz = destination_tz()
    first = max(start, rule.starts_on)
    last = min(end, rule.ends_on) if rule.ends_on else end
    if first > last:
        return []
    days = rrule.rrule(
        rrule.WEEKLY,
        byweekday=weekdays_of(rule),
        dtstart=datetime.combine(first, time()),
        until=datetime.combine(last, time()),
    )
    found = []
    for day in days:
        starts_at = local_instant(day.date(), rule.start_time, tz)
        end_day = day.date() + timedelta(days=1 if rule.end_time <= rule.start_time else 0)
        found.append(Occurrence(starts_at, local_instant(end_day, rule.end_time, tz)))
    return found


@transaction.atomic
def rota_expand(*, network: OfficeNetwork, start: date, end: date) -> int:
    """Create the shifts of every rule of the network between two local days (inclusive);
    shifts already there are kept with their assignments. Returns how many were created."""
    created = 0
    for rule in network.rules.all():
        for occurrence in occurrences(rule, start=start, end=end):
            _shift, new = Shift.objects.get_or_create(
                rule=rule,
                starts_at=occurrence.starts_at,
                defaults={
                    "network": network,
                    "ends_at": occurrence.ends_at,
                    "advisors_needed": rule.advisors_needed,
                },
            )
            created += new
    return created


@transaction.atomic
def rota_rule_change(
    *, rule: RotaRule, now: datetime | None = None, horizon: date | None = None, **changes: object
) -> RotaRule:
    """Edit a rule: shifts that have started stay as they were; future shifts are rebuilt from
    the new rule, keeping the assignments of those whose times did not change."""
    now = now or timezone.now()
    for name, value in changes.items():
        setattr(rule, name, value)
    weekdays_of(rule)  # a bad day name stops here, before anything changes
    rule.save()
    future = Shift.objects.filter(rule=rule, starts_at__gt=now)
    last = future.order_by("-starts_at").values_list("starts_at", flat=True).first()
    horizon = horizon or (last.astimezone(destination_tz()).date() if last else now.date())
    today = now.astimezone(destination_tz()).date()
    wanted = {
        o.starts_at: o for o in occurrences(rule, start=today, end=horizon) if o.starts_at > now
    }
    for shift in future:
        occurrence = wanted.pop(shift.starts_at, None)
        if occurrence is None:
            shift.delete()
        else:
            shift.ends_at, shift.advisors_needed = occurrence.ends_at, rule.advisors_needed
            shift.save(update_fields=["ends_at", "advisors_needed"])
    Shift.objects.bulk_create(
        Shift(
            network=rule.network,
            rule=rule,
            starts_at=o.starts_at,
            ends_at=o.ends_at,
            advisors_needed=rule.advisors_needed,
        )
        for o in wanted.values()
    )
    return rule


def advisors_on_duty(*, at: datetime, region: Region | None = None) -> QuerySet[Membership]:
    """Advisors on a shift at ``at``, with a verified mobile, for the networks covering
    ``region`` (every network when the call has no region). One query."""
    on_shift = Assignment.objects.filter(shift__starts_at__lte=at, shift__ends_at__gt=at).values(
        "membership"
    )
    advisors = Membership.objects.filter(
        pk__in=on_shift,
        role=Role.ADVISOR,
        phone_verified_at__isnull=False,
        phone_number__isnull=False,
    )
    if region is not None:
        advisors = advisors.filter(network__regions=region)
    return advisors.select_related("user", "office").order_by("pk")


# --- Planning: who may change what, assigning, and the month at a glance ----------------------


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


# --- Reminders and the coordinators' daily notice ----------------------------------------------


def rota_send_reminders(*, now: datetime | None = None) -> int:
    """Remind each advisor by text and e-mail ``ROTA_REMINDER_HOURS`` before a shift, once:
    the conditional update on ``reminded_at`` decides, however often beat runs."""
    now = now or timezone.now()
    due = Assignment.objects.filter(
        reminded_at__isnull=True,
        shift__starts_at__gt=now,
        shift__starts_at__lte=now + timedelta(hours=settings.ROTA_REMINDER_HOURS),
    ).select_related("shift__network", "membership__user")
    sent = 0
    for assignment in due:
        if not Assignment.objects.filter(pk=assignment.pk, reminded_at__isnull=True).update(
            reminded_at=now
        ):
            continue  # another run took it
        member, shift = assignment.membership, assignment.shift
        local = shift.starts_at.astimezone(destination_tz())
        text = (
            f"Destination Concierge: you are on duty for {shift.network.name} on "
            f"{local:%a %d %b}, {local:%H:%M}–{shift.ends_at.astimezone(destination_tz()):%H:%M}."
            " Calls and texts will come to this phone."
        )
        _remind(member, text)
        sent += 1
    return sent


def _remind(member: Membership, text: str) -> None:
    number = str(member.phone_number) if member.phone_number and member.phone_verified_at else ""
    email = member.user.email

    def send() -> None:
        if number:
            try:
                telephony.send_sms(to=number, body=text)
            except telephony.TelephonyError:
                logger.warning("Could not text a shift reminder to member %s", member.pk)
        send_mail("Your shift on the line", text, None, [email], fail_silently=True)

    transaction.on_commit(send)


def rota_notify_uncovered(*, today: date | None = None, days: int = 14) -> int:
    """Once a day, e-mail each network's coordinators the shifts of the next ``days`` days that
    still have empty seats. Returns how many networks were told."""
    today = today or timezone.localdate()
    tz = destination_tz()
    start = datetime.combine(today, time(), tzinfo=tz)
    told = 0
    for network in OfficeNetwork.objects.all():
        plan_shifts = (
            Shift.objects.filter(
                network=network, starts_at__gte=start, starts_at__lt=start + timedelta(days=days)
            )
            .annotate(staffed=Count("assignments"))
            .filter(staffed__lt=F("advisors_needed"))
            .order_by("starts_at")
        )
        gaps = list(plan_shifts)
        if not gaps:
            continue
        claimed = (
            OfficeNetwork.objects.filter(pk=network.pk)
            .exclude(uncovered_notice_on=today)
            .update(uncovered_notice_on=today)
        )
        if not claimed:
            continue
        coordinators = list(
            Membership.objects.filter(network=network, role=Role.COORDINATOR).values_list(
                "user__email", flat=True
            )
        )
        lines = [
            f"- {s.starts_at.astimezone(tz):%a %d %b %H:%M}: "
            f"{s.advisors_needed - s.staffed} of {s.advisors_needed} seats empty"
            for s in gaps
        ]
        body = (
            f"{len(gaps)} shifts of {network.name} in the next {days} days still need advisors:\n\n"
            + "\n".join(lines)
            + f"\n\nPlan them: {settings.PUBLIC_BASE_URL}/rotas/"
        )
        send_mail(f"{network.name}: uncovered shifts", body, None, coordinators)
        told += 1
    return told


# --- Filling the gaps fairly ------------------------------------------------------------------


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


# --- Swaps and cover --------------------------------------------------------------------------


@transaction.atomic
def shift_offer(
    *, assignment: Assignment, by: Membership, now: datetime | None = None
) -> ShiftOffer:
    if assignment.membership_id != by.pk:
        raise RotaError("You can only offer your own shifts.")
    if assignment.shift.starts_at <= (now or timezone.now()):
        raise RotaError("This shift has already started.")
    if ShiftOffer.objects.filter(
        assignment=assignment, status__in=[OfferStatus.OPEN, OfferStatus.PENDING]
    ).exists():
        raise RotaError("This shift is already offered.")
    offer = ShiftOffer.objects.create(assignment=assignment, offered_by=by)
    _log(by, "offer", f"{_name(by)} offers {_when(assignment.shift)}")
    return offer


@transaction.atomic
def shift_take(*, offer: ShiftOffer, by: Membership, now: datetime | None = None) -> ShiftOffer:
    """A colleague takes an offered shift: it changes hands now, or once the coordinator
    approves if the network requires it."""
    offer = (
        ShiftOffer.objects.select_for_update().select_related("assignment__shift").get(pk=offer.pk)
    )
    shift = offer.assignment.shift
    if offer.status != OfferStatus.OPEN:
        raise RotaError("Someone has already taken this shift.")
    if (
        by.role != Role.ADVISOR
        or by.network_id != offer.offered_by.network_id
        or by.pk == offer.offered_by_id
    ):
        raise RotaError("Only a colleague of the network can take this shift.")
    if shift.starts_at <= (now or timezone.now()):
        raise RotaError("This shift has already started.")
    if shift.assignments.filter(membership=by).exists():
        raise RotaError("You are already on this shift.")
    offer.taken_by = by
    if shift.network.swaps_need_approval:
        offer.status = OfferStatus.PENDING
        offer.save(update_fields=["taken_by", "status"])
        _log(by, "take", f"{_name(by)} would take {_when(shift)} (waiting for approval)")
    else:
        _hand_over(offer, by)
    return offer


@transaction.atomic
def shift_offer_decide(*, offer: ShiftOffer, by: Membership, approve: bool) -> ShiftOffer:
    offer = ShiftOffer.objects.select_for_update().get(pk=offer.pk)
    if by.role != Role.COORDINATOR or by.network_id != offer.offered_by.network_id:
        raise RotaError("Only the network's coordinator decides.")
    if offer.status != OfferStatus.PENDING:
        raise RotaError("This offer is not waiting for a decision.")
    if approve:
        _hand_over(offer, by)
    else:
        offer.status, offer.decided_at = OfferStatus.REFUSED, timezone.now()
        offer.save(update_fields=["status", "decided_at"])
        _log(by, "refuse", f"Hand-over of {_when(offer.assignment.shift)} refused")
    return offer


def _hand_over(offer: ShiftOffer, by: Membership) -> None:
    assignment = offer.assignment
    assignment.membership = offer.taken_by
    assignment.reminded_at = None
    assignment.save(update_fields=["membership", "reminded_at"])
    offer.status, offer.decided_at = OfferStatus.DONE, timezone.now()
    offer.save(update_fields=["taken_by", "status", "decided_at"])
    handed = f"{_name(offer.offered_by)} to {_name(offer.taken_by)}"
    _log(by, "hand-over", f"{_when(assignment.shift)} handed from {handed}")
