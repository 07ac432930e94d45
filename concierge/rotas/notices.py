"""Reminders before each shift and the coordinators' daily notice of uncovered shifts: each sent
once, decided by a conditional update, however often beat runs."""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from ..lib import telephony
from ..lib.timezones import destination_tz
from ..models import (
    Assignment,
    Membership,
    OfficeNetwork,
    Role,
    Shift,
)

logger = logging.getLogger(__name__)


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
