"""Shared rotas: rules (rows) expanded into concrete shifts.

A rule says "Monday–Friday 18:00–22:00" in the destination's wall-clock time; a shift is one
occurrence of it as two UTC instants. Expansion walks the rule's days with ``dateutil.rrule`` on
local dates and places each start and end with ``zoneinfo``, so an evening shift starts at 18:00
local on both sides of a DST change (17:00 UTC in winter, 16:00 UTC in summer) and a night shift
across the change lasts one hour less or more, as it really does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil import rrule
from django.db import transaction
from django.utils import timezone

from ..lib.timezones import destination_tz
from ..models import OfficeNetwork, RotaRule, Shift

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
