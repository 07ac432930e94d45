"""An ambassador's rights over their data: export it, delete the account."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..models import Ambassador
from ..signals import ambassador_deleting


def ambassador_export(*, ambassador: Ambassador) -> dict[str, object]:
    """Everything we hold about the ambassador, as plain JSON-ready data."""
    user = ambassador.user

    def stamp(value: datetime | date | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email if user else None,
            "date_joined": stamp(user.date_joined) if user else None,
            "last_login": stamp(user.last_login) if user else None,
        },
        "profile": {
            "display_name": ambassador.display_name,
            "date_of_birth": stamp(ambassador.date_of_birth),
            "languages": sorted(ambassador.languages.values_list("language", flat=True)),
            "phone_number": ambassador.phone_number.as_e164 if ambassador.phone_number else None,
            "phone_verified_at": stamp(ambassador.phone_verified_at),
            "any_region": ambassador.any_region,
            "regions": list(ambassador.regions.values_list("name", flat=True)),
            "any_motive": ambassador.any_motive,
            "motives": list(ambassador.motives.values_list("name", flat=True)),
            "onboarded_at": stamp(ambassador.onboarded_at),
            "created_at": stamp(ambassador.created_at),
        },
        "availability": {
            "taking_calls": ambassador.accepting_calls,
            "paused_until": stamp(ambassador.paused_until),
            "time_zone": settings.DESTINATION_TIME_ZONE,
            "weekly_slots": [
                {
                    "weekday": slot.get_weekday_display(),
                    "start": slot.start.strftime("%H:%M"),
                    "end": slot.end.strftime("%H:%M"),
                }
                for slot in ambassador.availability_slots.all()
            ],
        },
        "phone_verifications": [
            {
                "phone_number": v.phone_number.as_e164,
                "sent_at": stamp(v.created_at),
                "confirmed_at": stamp(v.confirmed_at),
            }
            for v in ambassador.phone_verifications.all()
        ],
        "points": [
            {"date": stamp(e.created_at), "amount": e.amount, "reason": e.reason}
            for e in ambassador.points_entries.all()
        ],
        "reward_requests": [
            {
                "reward": r.reward.name,
                "points": r.price,
                "status": r.status,
                "requested_at": stamp(r.created_at),
            }
            for r in ambassador.redemptions.select_related("reward")
        ],
    }


@transaction.atomic
def ambassador_delete_account(*, ambassador: Ambassador) -> None:
    """Remove everything that identifies the person; keep an anonymous row for statistics
    (languages, regions and motives, and later the calls it answered). The apps above, which
    stored the person's numbers in texts and calls, erase them on ``ambassador_deleting``."""
    user = ambassador.user
    ambassador_deleting.send(
        sender=Ambassador, ambassador_id=ambassador.pk, numbers=_numbers_of(ambassador)
    )
    ambassador.availability_slots.all().delete()
    ambassador.phone_verifications.all().delete()
    ambassador.display_name = ""
    ambassador.date_of_birth = None
    ambassador.phone_number = None
    ambassador.phone_verified_at = None
    ambassador.accepting_calls = False
    ambassador.is_active = False
    ambassador.user = None
    ambassador.anonymised_at = timezone.now()
    ambassador.save()
    if user is not None:
        user.delete()


def _numbers_of(ambassador: Ambassador) -> list[str]:
    """The mobile numbers the person proved theirs: the current one and any confirmed before
    (texts sent before a change of number still carry the old one)."""
    confirmed = ambassador.phone_verifications.filter(confirmed_at__isnull=False)
    numbers = {verification.phone_number.as_e164 for verification in confirmed}
    if ambassador.phone_number:
        numbers.add(ambassador.phone_number.as_e164)
    return sorted(numbers)
