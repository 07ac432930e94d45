"""Notices of the rotas: who is told what, once. A notice is a row (the database refuses a second
one of the same event to the same person); it goes out by e-mail and text, as its reader chose,
after the transaction that made it commits (``delivery``). Swaps and planning call the
``notify_*`` functions; beat runs the reminders before each shift, today's empty seats and the
coordinators' daily summary of uncovered shifts."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone

from ..lib.timezones import destination_tz, start_of_local_day
from ..models import (
    PLANNING_ROLES,
    Assignment,
    Membership,
    Notice,
    NoticeKind,
    OfferStatus,
    OfficeNetwork,
    Role,
    Shift,
    ShiftOffer,
    User,
)
from . import copy, delivery, inbox

logger = logging.getLogger(__name__)


def notice_create(
    *,
    users: Iterable[int],
    kind: NoticeKind,
    key: str,
    network_id: int,
    shift: Shift | None = None,
    offer: ShiftOffer | None = None,
    actor: User | None = None,
) -> list[Notice]:
    """One notice of the event ``key`` to each user (never to the one who acted), sent as each
    chose once the current transaction commits. A user already told is skipped: the unique key
    decides, however often this runs."""
    made = []
    recipients = [u for u in dict.fromkeys(users) if actor is None or u != actor.pk]
    choices_of, phones = inbox.choices_for(recipients), inbox.verified_phones(recipients)
    for user_id in recipients:
        choices = choices_of[user_id]
        by_text = kind in choices.text and bool(phones.get(user_id))
        try:
            with transaction.atomic():  # a savepoint: a duplicate leaves the rest intact
                notice = Notice.objects.create(
                    user_id=user_id,
                    kind=kind,
                    key=key,
                    network_id=network_id,
                    shift=shift,
                    offer=offer,
                    actor=actor,
                    by_email=kind in choices.email,
                    by_text=by_text,
                )
        except IntegrityError:
            continue  # told already
        made.append(notice)
        if notice.by_email or notice.by_text:
            send = partial(delivery.enqueue, notice.pk, email=notice.by_email, text=by_text)
            transaction.on_commit(send, robust=True)
    return made


def _users(members: Iterable[Membership]) -> list[int]:
    return [m.user_id for m in members]


def _deciders(offer: ShiftOffer) -> list[int]:
    """Who hears of a hand-over waiting: the network's coordinators, who decide, and the
    managers of the two advisors' offices."""
    offices = [offer.offered_by.office_id, offer.taken_by.office_id if offer.taken_by else None]
    coordinators = Membership.objects.filter(
        network_id=offer.offered_by.network_id, role=Role.COORDINATOR
    )
    managers = Membership.objects.filter(
        network_id=offer.offered_by.network_id, role=Role.MANAGER, office_id__in=offices
    )
    return _users(coordinators) + _users(managers)


def notify_offered(offer: ShiftOffer) -> list[Notice]:
    """To the advisors of the offerer's office who could take the shift (not on it already,
    not away that day)."""
    shift = offer.assignment.shift
    by = offer.offered_by
    day = shift.starts_at.astimezone(destination_tz()).date()
    colleagues = (
        Membership.objects.filter(
            network_id=by.network_id, office_id=by.office_id, role=Role.ADVISOR
        )
        .exclude(pk=by.pk)
        .exclude(assignments__shift=shift)
        .exclude(unavailable_days__day=day)
    )
    return notice_create(
        users=_users(colleagues),
        kind=NoticeKind.OFFERED,
        key=f"offered:{offer.pk}",
        network_id=by.network_id,
        shift=shift,
        offer=offer,
        actor=by.user,
    )


def notify_taken(offer: ShiftOffer) -> list[Notice]:
    """The offerer hears their shift is taken; when a coordinator must approve, the approvers
    hear a hand-over is waiting."""
    assert offer.taken_by is not None
    shift, actor = offer.assignment.shift, offer.taken_by.user
    network_id = offer.offered_by.network_id
    made = notice_create(
        users=[offer.offered_by.user_id],
        kind=NoticeKind.TAKEN,
        key=f"taken:{offer.pk}",
        network_id=network_id,
        shift=shift,
        offer=offer,
        actor=actor,
    )
    if offer.status == OfferStatus.PENDING:
        made += notice_create(
            users=_deciders(offer),
            kind=NoticeKind.HANDOVER_WAITING,
            key=f"handover:{offer.pk}",
            network_id=network_id,
            shift=shift,
            offer=offer,
            actor=actor,
        )
    return made


def notify_decided(offer: ShiftOffer, *, by: Membership) -> list[Notice]:
    """Both advisors hear the coordinator's decision; the hand-over's waiting notices are
    settled (read) for everyone."""
    assert offer.taken_by is not None
    Notice.objects.filter(
        offer=offer, kind=NoticeKind.HANDOVER_WAITING, read_at__isnull=True
    ).update(read_at=timezone.now())
    approved = offer.status == OfferStatus.DONE
    kind = NoticeKind.APPROVED if approved else NoticeKind.REFUSED
    return notice_create(
        users=[offer.offered_by.user_id, offer.taken_by.user_id],
        kind=kind,
        key=f"{kind}:{offer.pk}",
        network_id=offer.offered_by.network_id,
        shift=offer.assignment.shift,
        offer=offer,
        actor=by.user,
    )


def notify_assigned(assignment: Assignment, *, by: Membership) -> list[Notice]:
    return notice_create(
        users=[assignment.membership.user_id],
        kind=NoticeKind.ASSIGNED,
        key=f"assigned:{assignment.pk}",
        network_id=assignment.shift.network_id,
        shift=assignment.shift,
        actor=by.user,
    )


def notify_removed(
    *, assignment_id: int, shift: Shift, advisor: Membership, by: Membership
) -> list[Notice]:
    """``assignment_id``: the assignment just deleted (its id names the event)."""
    return notice_create(
        users=[advisor.user_id],
        kind=NoticeKind.REMOVED,
        key=f"removed:{assignment_id}",
        network_id=shift.network_id,
        shift=shift,
        actor=by.user,
    )


def rota_send_reminders(*, now: datetime | None = None) -> int:
    """Tell each advisor ``ROTA_REMINDER_HOURS`` before a shift, once: the conditional update
    on ``reminded_at`` picks the assignments, the notice's key keeps it to one per holder."""
    now = now or timezone.now()
    due = Assignment.objects.filter(
        reminded_at__isnull=True,
        shift__starts_at__gt=now,
        shift__starts_at__lte=now + timedelta(hours=settings.ROTA_REMINDER_HOURS),
    ).select_related("shift", "membership")
    sent = 0
    for assignment in due:
        if not Assignment.objects.filter(pk=assignment.pk, reminded_at__isnull=True).update(
            reminded_at=now
        ):
            continue  # another run took it
        sent += len(
            notice_create(
                users=[assignment.membership.user_id],
                kind=NoticeKind.SHIFT_SOON,
                key=f"soon:{assignment.pk}:{assignment.membership_id}",
                network_id=assignment.shift.network_id,
                shift=assignment.shift,
            )
        )
    return sent


def rota_notify_empty_seats(*, now: datetime | None = None) -> int:
    """Coordinators and managers of the network hear of each shift of today, starting within
    ``ROTA_EMPTY_SEAT_HOURS``, that still has an empty seat: once per shift and day."""
    now = now or timezone.now()
    today = now.astimezone(destination_tz()).date()
    end = min(
        start_of_local_day(today + timedelta(days=1)),
        now + timedelta(hours=settings.ROTA_EMPTY_SEAT_HOURS),
    )
    gaps = (
        Shift.objects.filter(starts_at__gt=now, starts_at__lt=end)
        .annotate(staffed=Count("assignments"))
        .filter(staffed__lt=F("advisors_needed"))
    )
    told = 0
    for shift in gaps:
        planners = Membership.objects.filter(network_id=shift.network_id, role__in=PLANNING_ROLES)
        told += len(
            notice_create(
                users=_users(planners),
                kind=NoticeKind.EMPTY_SEAT,
                key=f"empty:{shift.pk}:{today:%Y-%m-%d}",
                network_id=shift.network_id,
                shift=shift,
            )
        )
    return told


def rota_notify_uncovered(*, today: date | None = None, days: int = 14) -> int:
    """Once a day, e-mail each network's coordinators the shifts of the next ``days`` days that
    still have empty seats. Returns how many networks were told."""
    today = today or timezone.localdate()
    start = start_of_local_day(today)
    told = 0
    for network in OfficeNetwork.objects.all():
        gaps = list(
            Shift.objects.filter(
                network=network, starts_at__gte=start, starts_at__lt=start + timedelta(days=days)
            )
            .annotate(staffed=Count("assignments"))
            .filter(staffed__lt=F("advisors_needed"))
            .order_by("starts_at")
        )
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
