"""Planning a month: putting advisors on shifts and taking them off, each change in the
network's audit log. What the planner reads (the month at a glance, the fair proposal) is in
``selectors``."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Assignment, Membership, Shift
from . import notices
from .changelog import rota_log
from .expansion import RotaError
from .selectors import can_assign, member_name


@transaction.atomic
def rota_assign(
    *, shift: Shift, advisor: Membership, by: Membership, now: datetime | None = None
) -> Assignment:
    if not can_assign(by, advisor) or shift.network_id != by.network_id:
        raise RotaError(_("You cannot assign this advisor."))
    shift = Shift.objects.select_for_update().get(pk=shift.pk)  # one seat, one person
    if shift.starts_at <= (now or timezone.now()):
        raise RotaError(_("This shift has already started."))
    if shift.assignments.count() >= shift.advisors_needed:
        raise RotaError(_("This shift is already fully staffed."))
    assignment, created = Assignment.objects.get_or_create(shift=shift, membership=advisor)
    if not created:
        raise RotaError(_("This advisor is already on this shift."))
    rota_log(by=by, action="assign", advisor=member_name(advisor), starts_at=shift.starts_at)
    notices.notify_assigned(assignment, by=by)
    return assignment


@transaction.atomic
def rota_unassign(*, assignment: Assignment, by: Membership, now: datetime | None = None) -> None:
    shift, advisor = assignment.shift, assignment.membership
    if not can_assign(by, advisor):
        raise RotaError(_("You cannot change this advisor's shifts."))
    if shift.starts_at <= (now or timezone.now()):
        raise RotaError(_("This shift has already started."))
    assignment_id = assignment.pk
    assignment.delete()
    rota_log(by=by, action="unassign", advisor=member_name(advisor), starts_at=shift.starts_at)
    notices.notify_removed(assignment_id=assignment_id, shift=shift, advisor=advisor, by=by)
