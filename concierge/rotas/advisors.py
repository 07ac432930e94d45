"""An advisor's own settings: the days they cannot work and the secret address of their
calendar feed. Someone who advises in several networks sets them once for all of them, as the
"my shifts" page covers every network at once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction

from ..models import Membership, Unavailability, new_calendar_token


@transaction.atomic
def advisor_day_away(*, advisors: Sequence[Membership], day: date) -> None:
    """Nobody will propose them a shift that day ("fill the gaps" skips it)."""
    for member in advisors:
        Unavailability.objects.get_or_create(membership=member, day=day)


@transaction.atomic
def advisor_day_back(*, advisors: Sequence[Membership], day: date) -> None:
    Unavailability.objects.filter(membership__in=advisors, day=day).delete()


@transaction.atomic
def advisor_feed_renew(*, advisors: Sequence[Membership]) -> None:
    """A new secret address for each feed: the old one stops working at once."""
    for member in advisors:
        member.calendar_token = new_calendar_token()
        member.save(update_fields=["calendar_token"])
