"""The destination's clock: availability and rotas are its wall-clock times."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone


def destination_tz() -> ZoneInfo:
    return ZoneInfo(settings.DESTINATION_TIME_ZONE)


def local_now() -> datetime:
    return timezone.now().astimezone(destination_tz())


def local_today() -> date:
    return local_now().date()


def start_of_local_day(day: date) -> datetime:
    """The instant a local calendar day begins (midnight exists every day in Europe/Paris)."""
    return datetime.combine(day, time(0, 0), tzinfo=destination_tz())


def local_datetime(day: date, at: time) -> datetime:
    """An aware instant for a wall-clock time; times skipped by DST move forward by the gap."""
    naive = datetime.combine(day, at)
    aware = naive.replace(tzinfo=destination_tz())
    # Round-trip through UTC: a wall time inside the spring-forward gap comes back shifted.
    return aware.astimezone(ZoneInfo("UTC")).astimezone(destination_tz())
