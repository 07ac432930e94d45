"""Reads for what anyone may see: the public lines, the live figures and the hours locals answer
(the home, the embeddable snippet, the posters). Aggregates only: no name, no number but the
lines' own. Every figure is cached, so a busy home costs the database a few queries a minute."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from ambassadors.models import MINUTES_PER_DAY, MINUTES_PER_WEEK, AvailabilitySlot, Weekday
from ambassadors.selectors import routable_ambassadors, slots_covering, week_minute
from concierge.lib.timezones import destination_tz
from concierge.models import PLANNING_ROLES, Membership, User
from concierge.rotas import advisors_on_duty, any_shift_running

from .copy import human_number
from .models import Call, PhoneLine

FIGURES_SECONDS = 60  # the figures are a minute old at most: one query a minute, not per visit
HOURS_SECONDS = 15 * 60  # the weekly hours change when volunteers edit their slots: rarely
STEP = 30  # the hours are told to the half-hour


@dataclass(frozen=True)
class LineShown:
    label: str
    number: str  # "+33 1 99 00 00 00"
    tel: str  # "+33199000000", for tel: and sms: links and the QR codes
    code: str  # "33199000000": the line in public URLs (the embed, the posters)


@dataclass(frozen=True)
class Figures:
    """This month's calls (destination time), answered and not rehearsed."""

    calls: int
    countries: int
    talk_minutes: int
    ready_now: int  # volunteers who could be rung this minute, and advisors on duty


@dataclass(frozen=True)
class DayHours:
    weekday: int
    spans: tuple[tuple[str, str], ...]  # ("08:00", "22:30"), in destination time

    @property
    def name(self) -> str:
        """In the reader's language (the hours are cached for every language at once)."""
        return str(Weekday(self.weekday).label)


def shown(line: PhoneLine) -> LineShown:
    e164 = line.number.as_e164
    return LineShown(
        label=line.label, number=human_number(e164), tel=e164, code=e164.removeprefix("+")
    )


def public_lines() -> list[LineShown]:
    return [shown(line) for line in PhoneLine.objects.filter(is_active=True).order_by("pk")]


def line_by_code(code: str) -> PhoneLine | None:
    """An active line from its public code (its number's digits); inactive lines are not found."""
    return PhoneLine.objects.filter(number=f"+{code}", is_active=True).first()


def month_start(now: datetime) -> datetime:
    local = now.astimezone(destination_tz())
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def live_figures(*, now: datetime | None = None) -> Figures:
    """Calls answered this month, the countries they came from, the minutes talked, and the
    volunteers ready this minute; rehearsals and unanswered calls are left out."""
    figures = cache.get("public:figures")
    if figures is None:
        now = now or timezone.now()
        real = Call.objects.filter(
            is_rehearsal=False, answered_at__isnull=False, received_at__gte=month_start(now)
        )
        totals = real.aggregate(
            calls=Count("pk"),
            countries=Count("caller_country", distinct=True, filter=~Q(caller_country="")),
            seconds=Sum("duration"),
        )
        figures = Figures(
            calls=totals["calls"] or 0,
            countries=totals["countries"] or 0,
            talk_minutes=(totals["seconds"] or 0) // 60,
            ready_now=ready_now(now),
        )
        cache.set("public:figures", figures, FIGURES_SECONDS)
    return figures


def ready_now(now: datetime) -> int:
    """Volunteers who could be rung this minute, and tourist offices' advisors on a rota shift."""
    slots = AvailabilitySlot.objects.filter(
        slots_covering(week_minute(now)), ambassador=OuterRef("pk")
    )
    volunteers = routable_ambassadors(at=now).filter(Exists(slots)).count()
    advisors = advisors_on_duty(at=now).count() if any_shift_running(now) else 0
    return volunteers + advisors


def answering_hours() -> list[DayHours]:
    """When volunteers are on call, day by day (destination time): the union of the weekly slots
    of everyone who can be rung, to the half-hour. Days nobody covers have no spans."""
    hours = cache.get("public:hours")
    if hours is None:
        slots = (
            AvailabilitySlot.objects.filter(ambassador__in=routable_ambassadors(at=timezone.now()))
            .values_list("start_minute", "end_minute")
            .distinct()
        )
        covered = [False] * (MINUTES_PER_WEEK // STEP)
        for start, end in slots:
            for minute in range(start - start % STEP, end, STEP):
                covered[(minute % MINUTES_PER_WEEK) // STEP] = True
        hours = [_day(weekday, covered) for weekday in Weekday.values]
        cache.set("public:hours", hours, HOURS_SECONDS)
    return hours


def _day(weekday: int, covered: list[bool]) -> DayHours:
    per_day = MINUTES_PER_DAY // STEP
    day = covered[weekday * per_day : (weekday + 1) * per_day]
    spans: list[tuple[str, str]] = []
    begin: int | None = None
    for index, on in enumerate([*day, False]):
        if on and begin is None:
            begin = index
        elif not on and begin is not None:
            spans.append((_clock(begin), _clock(index)))
            begin = None
    return DayHours(weekday=weekday, spans=tuple(spans))


def _clock(step: int) -> str:
    minutes = step * STEP
    if minutes == MINUTES_PER_DAY:
        return "24:00"
    return time(minutes // 60, minutes % 60).strftime("%H:%M")


def poster_lines(user: User) -> QuerySet[PhoneLine]:
    """The lines whose posters ``user`` may print: every active line for staff; for a network's
    coordinator or an office's manager, the lines their network covers — a line sharing one of
    its regions, or a national line (no regions), which every network advertises."""
    lines = PhoneLine.objects.filter(is_active=True).order_by("pk")
    if user.is_staff:
        return lines
    theirs = Membership.objects.filter(user=user, role__in=PLANNING_ROLES)
    covered = Q(regions__officenetwork__in=theirs.values("network")) | (
        Q(regions__isnull=True) & Q(Exists(theirs))
    )
    return lines.filter(pk__in=PhoneLine.objects.filter(covered).values("pk"))
