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
from ..lib.mail import Mail
from ..lib.timezones import destination_tz
from ..models import (
    Assignment,
    Membership,
    OfficeNetwork,
    Role,
    Shift,
)
from . import copy

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
        mail = copy.shift_reminder(
            network=shift.network.name, starts_at=shift.starts_at, ends_at=shift.ends_at
        )
        _remind(member, mail)
        sent += 1
    return sent


def _remind(member: Membership, mail: Mail) -> None:
    number = str(member.phone_number) if member.phone_number and member.phone_verified_at else ""
    email = member.user.email

    def send() -> None:
        if number:
            try:
                telephony.send_sms(to=number, body=mail.body)
            except telephony.TelephonyError:
                logger.warning("Could not text a shift reminder to member %s", member.pk)
        send_mail(mail.subject, mail.body, None, [email], fail_silently=True)

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
        mail = copy.uncovered_shifts(
            network=network.name,
            gaps=[
                copy.Gap(
                    starts_at=s.starts_at,
                    empty=s.advisors_needed - s.staffed,
                    needed=s.advisors_needed,
                )
                for s in gaps
            ],
            days=days,
            link=f"{settings.PUBLIC_BASE_URL}/rotas/",
        )
        send_mail(mail.subject, mail.body, None, coordinators)
        told += 1
    return told
