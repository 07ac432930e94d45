"""Swap and cover: an advisor offers a shift, a colleague takes it, the coordinator approves when
the network requires it."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Assignment,
    Membership,
    OfferStatus,
    Role,
    ShiftOffer,
)
from . import notices
from .changelog import rota_log
from .expansion import RotaError
from .selectors import member_name


@transaction.atomic
def shift_offer(
    *, assignment: Assignment, by: Membership, now: datetime | None = None
) -> ShiftOffer:
    if assignment.membership_id != by.pk:
        raise RotaError(_("You can only offer your own shifts."))
    if assignment.shift.starts_at <= (now or timezone.now()):
        raise RotaError(_("This shift has already started."))
    if ShiftOffer.objects.filter(
        assignment=assignment, status__in=[OfferStatus.OPEN, OfferStatus.PENDING]
    ).exists():
        raise RotaError(_("This shift is already offered."))
    offer = ShiftOffer.objects.create(assignment=assignment, offered_by=by)
    rota_log(by=by, action="offer", advisor=member_name(by), starts_at=assignment.shift.starts_at)
    notices.notify_offered(offer)
    return offer


@transaction.atomic
def shift_take(*, offer: ShiftOffer, by: Membership, now: datetime | None = None) -> ShiftOffer:
    """A colleague takes an offered shift: it changes hands now, or once the coordinator
    approves if the network requires it."""
    offer = (
        ShiftOffer.objects.select_for_update().select_related("assignment__shift").get(pk=offer.pk)
    )
    shift = offer.assignment.shift
    if offer.status != OfferStatus.OPEN:
        raise RotaError(_("Someone has already taken this shift."))
    if (
        by.role != Role.ADVISOR
        or by.network_id != offer.offered_by.network_id
        or by.pk == offer.offered_by_id
    ):
        raise RotaError(_("Only a colleague of the network can take this shift."))
    if shift.starts_at <= (now or timezone.now()):
        raise RotaError(_("This shift has already started."))
    if shift.assignments.filter(membership=by).exists():
        raise RotaError(_("You are already on this shift."))
    offer.taken_by = by
    if shift.network.swaps_need_approval:
        offer.status = OfferStatus.PENDING
        offer.save(update_fields=["taken_by", "status"])
        rota_log(by=by, action="take", advisor=member_name(by), starts_at=shift.starts_at)
    else:
        _hand_over(offer, to=by, by=by)
    notices.notify_taken(offer)
    return offer


@transaction.atomic
def shift_offer_decide(*, offer: ShiftOffer, by: Membership, approve: bool) -> ShiftOffer:
    offer = ShiftOffer.objects.select_for_update().get(pk=offer.pk)
    if by.role != Role.COORDINATOR or by.network_id != offer.offered_by.network_id:
        raise RotaError(_("Only the network's coordinator decides."))
    if offer.status != OfferStatus.PENDING or offer.taken_by is None:
        raise RotaError(_("This offer is not waiting for a decision."))
    if approve:
        _hand_over(offer, to=offer.taken_by, by=by)
    else:
        offer.status, offer.decided_at = OfferStatus.REFUSED, timezone.now()
        offer.save(update_fields=["status", "decided_at"])
        rota_log(by=by, action="refuse", starts_at=offer.assignment.shift.starts_at)
    notices.notify_decided(offer, by=by)
    return offer


def _hand_over(offer: ShiftOffer, *, to: Membership, by: Membership) -> None:
    assignment = offer.assignment
    assignment.membership = offer.taken_by = to
    assignment.reminded_at = None
    assignment.save(update_fields=["membership", "reminded_at"])
    offer.status, offer.decided_at = OfferStatus.DONE, timezone.now()
    offer.save(update_fields=["taken_by", "status", "decided_at"])
    rota_log(
        by=by,
        action="hand-over",
        starts_at=assignment.shift.starts_at,
        **{"from": member_name(offer.offered_by), "to": member_name(to)},
    )
