"""French working-time limits on a rota: over 10 h of work in a day, under 11 h of rest between
two shifts, over 48 h in a week. A breach is data (``Breach``), put into words only when shown,
in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise

from django.utils import translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from ..lib.timezones import destination_tz
from ..models import Shift

LIMIT_DAY = timedelta(hours=10)
LIMIT_WEEK = timedelta(hours=48)
MIN_REST = timedelta(hours=11)


def hours_of(duration: timedelta) -> float:
    return round(duration.total_seconds() / 3600, 1)


def hours_text(hours: float) -> str:
    """10 → "10", 10.5 → "10.5" (English) or "10,5" (French)."""
    return number_format(hours, decimal_pos=0 if float(hours).is_integer() else 1)


def day_text(day: date | datetime, pattern: str = "l j F") -> str:
    """A day as a sentence says it: "Sunday 6 December", « dimanche 6 décembre » (French
    writes day and month names in lower case; Django's French names are capitalised)."""
    text = date_format(day, pattern)
    return text.lower() if translation.get_language() == "fr" else text


def time_text(at: datetime) -> str:
    return date_format(at.astimezone(destination_tz()), "H:i")


@dataclass(frozen=True)
class Breach:
    """One breach of a limit: ``kind`` is "day" (``day``), "week" (ISO ``year`` and ``week``),
    "rest" (before the shift starting ``at``) or "overlap" (two shifts at once, the new one
    starting ``at``); ``hours`` worked, or rested."""

    kind: str
    hours: float
    day: date | None = None
    year: int | None = None
    week: int | None = None
    at: datetime | None = None

    def __str__(self) -> str:
        hours = hours_text(self.hours)
        if self.kind == "day" and self.day:
            return _("%(hours)s h on %(day)s (over 10 h)") % {
                "hours": hours,
                "day": day_text(self.day, "j F"),
            }
        if self.kind == "week":
            return _("%(hours)s h in week %(week)s (over 48 h)") % {
                "hours": hours,
                "week": self.week,
            }
        assert self.at is not None
        local = self.at.astimezone(destination_tz())
        if self.kind == "overlap":
            return _("already on another shift at that time")
        return _("%(hours)s h of rest before %(day)s, %(time)s (under 11 h)") % {
            "hours": hours,
            "day": day_text(local, "l j F"),
            "time": time_text(local),
        }


def working_time_warnings(shifts: Sequence[Shift]) -> list[Breach]:
    """The breaches of the limits in one person's shifts."""
    tz = destination_tz()
    ordered = sorted(shifts, key=lambda s: s.starts_at)
    per_day: dict[date, timedelta] = {}
    per_week: dict[tuple[int, int], timedelta] = {}
    for shift in ordered:
        local = shift.starts_at.astimezone(tz)
        length = shift.ends_at - shift.starts_at
        per_day[local.date()] = per_day.get(local.date(), timedelta()) + length
        year, week, _weekday = local.isocalendar()
        per_week[year, week] = per_week.get((year, week), timedelta()) + length
    breaches = [
        Breach("day", hours_of(total), day=day)
        for day, total in sorted(per_day.items())
        if total > LIMIT_DAY
    ]
    breaches += [
        Breach("week", hours_of(total), year=year, week=week)
        for (year, week), total in sorted(per_week.items())
        if total > LIMIT_WEEK
    ]
    for before, after in pairwise(ordered):
        rest = after.starts_at - before.ends_at
        if timedelta() <= rest < MIN_REST:
            breaches.append(Breach("rest", hours_of(rest), at=after.starts_at))
    return breaches


def overlaps(shifts: Iterable[Shift], new: Shift) -> bool:
    return any(s.starts_at < new.ends_at and new.starts_at < s.ends_at for s in shifts)


def breaches_added(shifts: Sequence[Shift], new: Shift) -> list[Breach]:
    """What taking ``new`` on top of ``shifts`` would breach that was not breached already: a
    breach elsewhere in the month is no reason to refuse, a longer day or week is. Working two
    shifts at once ("overlap") is one too."""
    before = set(working_time_warnings(shifts))
    added = [b for b in working_time_warnings([*shifts, new]) if b not in before]
    if overlaps(shifts, new):
        added.append(Breach("overlap", 0, at=new.starts_at))
    return added
