"""Days that are not like the others: the destination country's public holidays (the
``holidays`` library, ``DESTINATION_COUNTRY``), which a rule may skip or add shifts on, and
closure days an office (or the whole network) declares."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..lib.timezones import destination_tz
from ..models import Closure, Membership, OfficeNetwork, Role, Shift, TouristOffice
from .changelog import rota_log
from .expansion import RotaError


def can_close(by: Membership | None, office: TouristOffice | None) -> bool:
    """A coordinator closes any office of the network, or all of it; a manager, their own."""
    if by is None or (office is not None and office.network_id != by.network_id):
        return False
    if by.role == Role.COORDINATOR:
        return True
    return by.role == Role.MANAGER and office is not None and office.pk == by.office_id


@transaction.atomic
def closure_declare(
    *,
    by: Membership,
    office: TouristOffice | None,
    day: date,
    reason: str = "",
    now: datetime | None = None,
) -> Closure:
    """Close an office (its advisors are not proposed that day) or, without an office, the whole
    network: the day's coming shifts are removed, with their assignments."""
    now = now or timezone.now()
    if not can_close(by, office):
        raise RotaError(_("You cannot close this office."))
    if day < now.astimezone(destination_tz()).date():
        raise RotaError(_("This day is past: choose today or a later day."))
    closure, created = Closure.objects.get_or_create(
        network_id=by.network_id, office=office, day=day, defaults={"reason": reason}
    )
    if not created:
        raise RotaError(_("This closure is already declared."))
    if office is None:
        start = datetime.combine(day, time(), tzinfo=destination_tz())
        Shift.objects.filter(
            network_id=by.network_id,
            starts_at__gte=max(start, now),
            starts_at__lt=start + timedelta(days=1),
        ).delete()
    place = office.name if office else OfficeNetwork.objects.get(pk=by.network_id).name
    rota_log(by=by, action="closure", place=place, day=day)
    return closure


@transaction.atomic
def closure_withdraw(*, by: Membership, closure: Closure) -> None:
    """Open again; a network's shifts of that day come back with the next expansion."""
    if closure.network_id != by.network_id or not can_close(by, closure.office):
        raise RotaError(_("You cannot close this office."))
    place = closure.office.name if closure.office else closure.network.name
    closure.delete()
    rota_log(by=by, action="reopening", place=place, day=closure.day)
