"""When an ambassador can be called: weekly slots (onboarding step 4), the switch, pauses."""

from __future__ import annotations

from datetime import date, time, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from concierge.lib.timezones import local_today, start_of_local_day

from ..models import MINUTES_PER_WEEK, Ambassador, AvailabilitySlot, week_minutes
from .common import AmbassadorError, lock, refresh_onboarding

MAX_PAUSE_DAYS = 366


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    # Slots live on a weekly circle: compare with the other slot shifted a week either way.
    return any(
        a[0] < b[1] + shift and b[0] + shift < a[1]
        for shift in (-MINUTES_PER_WEEK, 0, MINUTES_PER_WEEK)
    )


def _check_slot(
    ambassador: Ambassador, weekday: int, start: time, end: time, *, exclude: int | None
) -> None:
    if not 0 <= weekday <= 6:
        raise AmbassadorError(_("Choose a day of the week."), field="weekday")
    if start.second or end.second or start.microsecond or end.microsecond:
        raise AmbassadorError(_("Times are in whole minutes."), field="start")
    bounds = week_minutes(weekday, start, end)
    others = ambassador.availability_slots.all()
    if exclude is not None:
        others = others.exclude(pk=exclude)
    for other in others:
        if _overlaps(bounds, (other.start_minute, other.end_minute)):
            raise AmbassadorError(
                _("This slot overlaps your slot %(slot)s. Change one of them or merge them.")
                % {"slot": other},
                field="start",
                code="overlap",
            )


@transaction.atomic
def slot_create(
    *, ambassador: Ambassador, weekday: int, start: time, end: time
) -> AvailabilitySlot:
    lock(ambassador)
    _check_slot(ambassador, weekday, start, end, exclude=None)
    slot = AvailabilitySlot(ambassador=ambassador, weekday=weekday, start=start, end=end)
    slot.save()
    refresh_onboarding(ambassador)
    return slot


@transaction.atomic
def slot_update(
    *, slot: AvailabilitySlot, weekday: int, start: time, end: time
) -> AvailabilitySlot:
    lock(slot.ambassador)
    _check_slot(slot.ambassador, weekday, start, end, exclude=slot.pk)
    slot.weekday, slot.start, slot.end = weekday, start, end
    slot.save()
    return slot


@transaction.atomic
def slot_delete(*, slot: AvailabilitySlot) -> None:
    slot.delete()


def ambassador_set_accepting(*, ambassador: Ambassador, accepting: bool) -> Ambassador:
    ambassador.accepting_calls = accepting
    ambassador.save(update_fields=["accepting_calls"])
    return ambassador


def ambassador_pause(*, ambassador: Ambassador, until: date) -> Ambassador:
    """No calls until the start of ``until`` (destination time); then calls resume by themselves."""
    today = local_today()
    if until <= today:
        raise AmbassadorError(_("Choose a date after today."), field="until", code="past")
    if until > today + timedelta(days=MAX_PAUSE_DAYS):
        raise AmbassadorError(_("A pause can last a year at most."), field="until", code="too_long")
    ambassador.paused_until = start_of_local_day(until)
    ambassador.save(update_fields=["paused_until"])
    return ambassador


def ambassador_unpause(*, ambassador: Ambassador) -> Ambassador:
    ambassador.paused_until = None
    ambassador.save(update_fields=["paused_until"])
    return ambassador
