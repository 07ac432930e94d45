"""Small builders for test data, with sensible defaults; tests say only what matters to them."""

from __future__ import annotations

from datetime import date, time
from itertools import count

from allauth.account.models import EmailAddress
from django.utils import timezone

from ambassadors.models import Ambassador, AmbassadorLanguage, AvailabilitySlot
from concierge.models import CallMotive, Region, User

PASSWORD = "correct horse battery staple"
_numbers = count(10)


def make_user(email: str, *, verified: bool = True, **extra: object) -> User:
    user = User.objects.create_user(email=email, password=PASSWORD, **extra)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


def next_mobile() -> str:
    return f"+3361234{next(_numbers):04d}"


def make_ambassador(
    email: str,
    *,
    name: str = "Camille",
    languages: tuple[str, ...] = ("en", "fr"),
    regions: tuple[str, ...] = (),
    motives: tuple[str, ...] = (),
    slots: tuple[tuple[int, time, time], ...] = (),
    phone: str | None = None,
    onboarded: bool = True,
    **extra: object,
) -> Ambassador:
    """An ambassador; ``onboarded`` ones have a verified phone and everything else set."""
    user = make_user(email)
    ambassador = Ambassador.objects.create(
        user=user,
        display_name=name,
        date_of_birth=date(1990, 5, 17),
        phone_number=(phone or next_mobile()) if onboarded else None,
        phone_verified_at=timezone.now() if onboarded else None,
        any_region=onboarded and not regions,
        any_motive=onboarded and not motives,
        onboarded_at=timezone.now() if onboarded else None,
        **extra,
    )
    AmbassadorLanguage.objects.bulk_create(
        AmbassadorLanguage(ambassador=ambassador, language=code) for code in languages
    )
    ambassador.regions.set(Region.objects.filter(code__in=regions))
    ambassador.motives.set(CallMotive.objects.filter(code__in=motives))
    for weekday, start, end in slots:
        AvailabilitySlot(ambassador=ambassador, weekday=weekday, start=start, end=end).save()
    return ambassador


def every_day(start: time = time(0, 0), end: time = time(0, 0)) -> tuple:
    return tuple((weekday, start, end) for weekday in range(7))
