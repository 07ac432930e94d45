"""The destination's clock: availability and rotas are its wall-clock times."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
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
    """The first instant the destination's clocks show ``at`` on ``day`` or later.

    A wall time skipped by the spring-forward jump (02:30 on the last Sunday of March) becomes
    the instant of the jump (03:00), which is when a slot starting at 02:30 really begins; a
    repeated autumn time is its first occurrence.
    """
    naive = datetime.combine(day, at)
    tz = destination_tz()
    utc = ZoneInfo("UTC")
    instant = naive.replace(tzinfo=tz).astimezone(utc)
    if instant.astimezone(tz).replace(tzinfo=None) == naive:
        return instant.astimezone(tz)
    # Inside the gap: walk back to the jump, the earliest instant whose wall time is past ``at``.
    step = timedelta(minutes=1)
    while (instant - step).astimezone(tz).replace(tzinfo=None) >= naive:
        instant -= step
    return instant.astimezone(tz)
