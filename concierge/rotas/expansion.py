"""Shared rotas: rules (rows) expanded into concrete shifts.

A rule says "Monday–Friday 18:00–22:00" in the destination's wall-clock time; a shift is one
occurrence of it as two UTC instants. Expansion walks the rule's days with ``dateutil.rrule`` on
local dates and places each start and end with ``zoneinfo``, so an evening shift starts at 18:00
local on both sides of a DST change (17:00 UTC in winter, 16:00 UTC in summer) and a night shift
across the change lasts one hour less or more, as it really does.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
from dateutil import rrule
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from ..lib.timezones import destination_tz
from ..models import Closure, OfficeNetwork, OnHolidays, RotaRule, Shift

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


def public_holidays(start: date, end: date) -> dict[date, str]:
    """The public holidays between two days (inclusive), named in the active language when the
    library knows it (French and English for France)."""
    country = holidays.country_holidays(settings.DESTINATION_COUNTRY)
    language = translation.get_language() or settings.LANGUAGE_CODE
    known = country.supported_languages
    chosen = next((code for code in known if code.split("_")[0] == language), None)
    found = holidays.country_holidays(
        settings.DESTINATION_COUNTRY,
        years=range(start.year, end.year + 1),
        language=chosen or country.default_language,
    )
    return {day: str(name) for day, name in sorted(found.items()) if start <= day <= end}


def network_closed_days(network: OfficeNetwork | int, *, start: date, end: date) -> set[date]:
    """Days the whole network is closed (no office named)."""
    return set(
        Closure.objects.filter(
            network=network, office__isnull=True, day__gte=start, day__lte=end
        ).values_list("day", flat=True)
    )


def local_instant(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC instant the wall clock shows ``at`` on ``day``. A time in the hour repeated in
    autumn is its first occurrence; one in the hour skipped in spring is read with the offset
    before the change, so it falls an hour later on the clock (02:30 becomes 03:30)."""
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


@dataclass(frozen=True)
class Occurrence:
    starts_at: datetime
    ends_at: datetime


def occurrences(
    rule: RotaRule, *, start: date, end: date, closed: Collection[date] = ()
) -> list[Occurrence]:
    """The rule's shifts starting on local days ``start`` to ``end`` inclusive: none on the
    ``closed`` days, none on public holidays if the rule skips them, and one on every public
    holiday if the rule adds them."""
    tz = destination_tz()
    first = max(start, rule.starts_on)
    last = min(end, rule.ends_on) if rule.ends_on else end
    if first > last:
        return []
    days = {
        day.date()
        for day in rrule.rrule(
            rrule.WEEKLY,
            byweekday=weekdays_of(rule),
            dtstart=datetime.combine(first, time()),
            until=datetime.combine(last, time()),
        )
    }
    if rule.on_holidays != OnHolidays.USUAL:
        public = set(public_holidays(first, last))
        days = days - public if rule.on_holidays == OnHolidays.SKIP else days | public
    found = []
    for day in sorted(days - set(closed)):
        starts_at = local_instant(day, rule.start_time, tz)
        end_day = day + timedelta(days=1 if rule.end_time <= rule.start_time else 0)
        found.append(Occurrence(starts_at, local_instant(end_day, rule.end_time, tz)))
    return found


@transaction.atomic
def rota_expand(*, network: OfficeNetwork, start: date, end: date) -> int:
    """Create the shifts of every rule of the network between two local days (inclusive);
    shifts already there are kept with their assignments. Returns how many were created."""
    created = 0
    closed = network_closed_days(network, start=start, end=end)
    for rule in network.rules.all():
        for occurrence in occurrences(rule, start=start, end=end, closed=closed):
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
    closed = network_closed_days(rule.network_id, start=today, end=horizon)
    wanted = {
        o.starts_at: o
        for o in occurrences(rule, start=today, end=horizon, closed=closed)
        if o.starts_at > now
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
