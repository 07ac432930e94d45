"""What leaves the planner as files: an advisor's private calendar feed (iCalendar, produced
only for export, never parsed back) and a month's rota as CSV."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from ..lib.languages import OFFICE_LANGUAGE
from ..models import Membership, OfficeNetwork
from .selectors import assignments_of, month_plan


def calendar_feed(member: Membership) -> bytes:
    """The advisor's shifts from a month ago onwards, for their calendar app, in the offices'
    language (a calendar app asks for the feed without saying the reader's)."""
    with translation.override(OFFICE_LANGUAGE):
        return _calendar(member)


def _calendar(member: Membership) -> bytes:
    network = member.network.name
    calendar = Calendar()
    calendar.add("prodid", "-//Destination Concierge//Rota//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("%(network)s – my shifts") % {"network": network})
    since = timezone.now() - timedelta(days=31)
    for assignment in assignments_of([member], ending_after=since):
        shift = assignment.shift
        event = Event()
        event.add("uid", f"{shift.public_id}@{settings.PUBLIC_BASE_URL.split('://', 1)[1]}")
        event.add("summary", _("On duty: %(network)s") % {"network": network})
        event.add("dtstart", shift.starts_at)
        event.add("dtend", shift.ends_at)
        event.add("dtstamp", assignment.created_at)
        event.add(
            "description",
            _("Calls and texts to the line come to your mobile first while you are on duty."),
        )
        calendar.add_component(event)
    return calendar.to_ical()


def month_csv(*, network: OfficeNetwork, first: date) -> str:
    """Every shift of the month with its assignees, then hours per advisor and per office."""
    plan = month_plan(network=network, first=first)
    tz = timezone.get_current_timezone()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["date", "start", "end", "needed", "assigned", "advisors"])
    for week in plan.weeks:
        for day in week:
            if not day.in_month:
                continue
            for row in day.shifts:
                writer.writerow(
                    [
                        day.date.isoformat(),
                        row.shift.starts_at.astimezone(tz).strftime("%H:%M"),
                        row.shift.ends_at.astimezone(tz).strftime("%H:%M"),
                        row.shift.advisors_needed,
                        len(row.assignees),
                        "; ".join(_advisor(m) for m in row.assignees),
                    ]
                )
    writer.writerow([])
    writer.writerow(["advisor", "hours"])
    for load in plan.advisors:
        writer.writerow([load.name, load.hours])
    writer.writerow([])
    writer.writerow(["office", "hours", "fair share"])
    for load in plan.offices:
        writer.writerow([load.name, load.hours, load.fair])
    return out.getvalue()


def _advisor(member: Membership) -> str:
    office = member.office.name if member.office else ""
    return f"{member.user.get_full_name() or member.user.email} ({office})"
