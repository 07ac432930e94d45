"""Demo ambassadors for ``manage.py seed_demo``: varied people, and a line that is never empty.

Ambassador NN (01, 02, …) logs in as ``ambassadorNN@example.com`` and owns the verified mobile
+33 6 12 34 00 NN. Running the seed again brings every demo account back to this exact state:
profile, languages, regions, motives, weekly slots, switches, and the password
(``concierge-demo``, so the logins the command prints always work). Only ``last_offered_at``
(the queue position) and accounts other than the demo ones are left alone.

Coverage: ambassadors 01-05 take calls round the clock, about anything, from anywhere, and 06-23
work three daily shifts (early, late, night; six each), so at every minute of the week at least
11 demo ambassadors can take a call in English, and no motive or region is ever without one. The
others have the patchy, realistic
availability of volunteers (evenings, weekends, nights out), and two of them are switched off or
paused so the portal has every status to show.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Protocol

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from concierge.lib.timezones import local_today, start_of_local_day
from concierge.management.commands.seed_demo import demo_password_hash, demo_user
from concierge.models import CallMotive, Community, Region

from .cached import OFFERED_COMMUNITIES
from .models import (
    Ambassador,
    AmbassadorLanguage,
    AvailabilitySlot,
    CommunityMembership,
    EntryKind,
    MembershipStatus,
    PointsEntry,
    Reward,
    week_minutes,
)

AMBASSADOR_COUNT = 40
STAFF_EMAIL = "staff@example.com"

Slot = tuple[int, time, time]
WEEK = range(7)
MIDNIGHT = time(0, 0)

FIRST_NAMES = [
    "Camille", "Hugo", "Léa", "Karim", "Manon", "Thomas", "Aïcha", "Julien", "Mei", "Lucas",
    "Inès", "Antoine", "Sofia", "Mathis", "Chloé", "Yann", "Nadia", "Pierre", "Emma", "Malik",
    "Louise", "Théo", "Jade", "Nicolas", "Anaïs", "Rémi", "Zoé", "Bastien", "Lina", "Maxime",
    "Clara", "Olivier", "Sarah", "Kenji", "Margaux", "Paul", "Elena", "Quentin", "Amandine",
    "Youssef",
]  # fmt: skip
# Besides English (everyone) and French (most), in roughly the order visitors speak them.
OTHER_LANGUAGES = ["de", "es", "it", "pt", "nl", "zh", "ja", "ko", "ru", "ar", "pl", "sv"]


def _every_day(start: time, end: time) -> tuple[Slot, ...]:
    return tuple((day, start, end) for day in WEEK)


def _days(days: range | tuple[int, ...], start: time, end: time) -> tuple[Slot, ...]:
    return tuple((day, start, end) for day in days)


ROUND_THE_CLOCK = _every_day(MIDNIGHT, MIDNIGHT)
SHIFTS = (
    _every_day(time(6), time(14)),
    _every_day(time(14), time(22)),
    _every_day(time(22), time(6)),  # crosses midnight
)
# Volunteers' usual availability, handed out in turn to everyone outside the coverage group.
PATTERNS: tuple[tuple[Slot, ...], ...] = (
    _days(range(5), time(18), time(22)),  # weekday evenings
    _days((5, 6), time(9), time(21)),  # weekends
    _days(range(5), time(12), time(14)) + _days(range(5), time(19), time(23)),  # lunch, evening
    _days((4, 5), time(20), time(2)),  # Friday and Saturday nights, past midnight
    ((6, time(23), time(1)), *_days(range(4), time(7), time(9))),  # Sunday into Monday
    _days(range(6), time(8), time(12)),  # mornings
    ((2, MIDNIGHT, MIDNIGHT), (5, time(14), time(18))),  # all Wednesday, Saturday afternoon
    _days((1, 3), time(13), time(18)),  # Tuesday and Thursday afternoons
    _every_day(time(5), time(8)),  # early birds
    _days((3, 4, 5, 6), time(23), time(3)),  # night owls
)
ROUND_THE_CLOCK_COUNT = 5
SHIFT_DEPTH = 6
SWITCHED_OFF = AMBASSADOR_COUNT - 1
PAUSED = AMBASSADOR_COUNT


class Writer(Protocol):
    def write(self, msg: str) -> object: ...


@dataclass(frozen=True)
class DemoAmbassador:
    number: int
    name: str
    date_of_birth: date
    languages: tuple[str, ...]
    region_codes: tuple[str, ...]  # empty: anywhere in France
    motive_codes: tuple[str, ...]  # empty: anything
    slots: tuple[Slot, ...]

    @property
    def email(self) -> str:
        return f"ambassador{self.number:02d}@example.com"

    @property
    def phone_number(self) -> str:
        return f"+336123400{self.number:02d}"


def demo_slots(number: int) -> tuple[Slot, ...]:
    if number <= ROUND_THE_CLOCK_COUNT:
        return ROUND_THE_CLOCK
    shift = number - ROUND_THE_CLOCK_COUNT - 1
    if shift < len(SHIFTS) * SHIFT_DEPTH:
        return SHIFTS[shift % len(SHIFTS)]
    return PATTERNS[shift % len(PATTERNS)]


def demo_ambassador(number: int, *, regions: list[str], motives: list[str]) -> DemoAmbassador:
    """Ambassador ``number``'s profile; the same on every run (seeded by the number)."""
    rng = random.Random(f"demo-ambassador-{number}")  # noqa: S311 - variety, not secrecy
    languages = {"en", rng.choice(OTHER_LANGUAGES)}
    if number % 9:  # most ambassadors are French speakers; a few are English-speaking expats
        languages.add("fr")
    if number % 3 == 0:
        languages.add(rng.choice(OTHER_LANGUAGES))
    # The round-the-clock ambassadors take anything from anywhere, so no call is ever stranded.
    anything = number <= ROUND_THE_CLOCK_COUNT
    return DemoAmbassador(
        number=number,
        name=FIRST_NAMES[(number - 1) % len(FIRST_NAMES)],
        date_of_birth=date(rng.randint(1955, 2004), rng.randint(1, 12), rng.randint(1, 28)),
        languages=tuple(sorted(languages)),
        region_codes=()
        if anything or number % 4 == 0
        else tuple(rng.sample(regions, rng.randint(1, 3))),
        motive_codes=()
        if anything or number % 3 == 0
        else tuple(rng.sample(motives, rng.randint(1, 3))),
        slots=demo_slots(number),
    )


def seed(*, stdout: Writer) -> list[tuple[str, str]]:
    """Create or refresh the staff superuser and the demo ambassadors; return their logins."""
    password_hash = demo_password_hash()
    demo_user(STAFF_EMAIL, password_hash=password_hash, is_staff=True, is_superuser=True)
    regions = {region.code: region for region in Region.objects.filter(is_active=True)}
    motives = {motive.code: motive for motive in CallMotive.objects.filter(is_active=True)}
    profiles = [
        demo_ambassador(number, regions=sorted(regions), motives=sorted(motives))
        for number in range(1, AMBASSADOR_COUNT + 1)
    ]
    ambassadors = []
    for profile in profiles:
        ambassador = _save_ambassador(profile, password_hash=password_hash)
        ambassador.regions.set([regions[code] for code in profile.region_codes])
        ambassador.motives.set([motives[code] for code in profile.motive_codes])
        ambassadors.append(ambassador)
    _replace_languages_and_slots(ambassadors, profiles)
    stdout.write(f"{len(ambassadors)} demo ambassadors, numbers +33 6 12 34 00 01 onwards.\n")
    joined = _seed_communities(ambassadors)
    stdout.write(f"Communities: {joined} demo memberships.\n")
    _seed_points(ambassadors)
    stdout.write(
        f"Rewards catalogue: {len(REWARDS)} rewards; a few points for the first ambassadors.\n"
    )
    logins = [(STAFF_EMAIL, _("staff, superuser"))]
    logins += [(profile.email, _("ambassador")) for profile in profiles]
    return logins


def _seed_communities(ambassadors: list[Ambassador]) -> int:
    """Every third ambassador in a community or two, approved (a demo has no queue to moderate)."""
    communities = list(Community.objects.filter(is_active=True).order_by("position"))
    if not communities:
        return 0
    CommunityMembership.objects.filter(ambassador__in=ambassadors).delete()
    memberships = [
        CommunityMembership(
            ambassador=ambassador,
            community=communities[(number + offset) % len(communities)],
            status=MembershipStatus.APPROVED,
            decided_at=timezone.now(),
        )
        for number, ambassador in enumerate(ambassadors)
        if number % 3 == 0
        for offset in range(1 + number % 2)
    ]
    CommunityMembership.objects.bulk_create(memberships)
    OFFERED_COMMUNITIES.changed()  # a bulk write sends no signal
    return len(memberships)


def _save_ambassador(profile: DemoAmbassador, *, password_hash: str) -> Ambassador:
    taken = (
        Ambassador.objects.filter(phone_number=profile.phone_number)
        .exclude(user__email=profile.email)
        .exists()
    )
    if taken:
        raise CommandError(
            _("The demo number %(number)s already belongs to a non-demo account (not %(email)s).")
            % {"number": profile.phone_number, "email": profile.email}
        )
    user = demo_user(profile.email, password_hash=password_hash, first_name=profile.name)
    now = timezone.now()
    ambassador, _created = Ambassador.objects.update_or_create(
        user=user,
        defaults={
            "display_name": profile.name,
            "date_of_birth": profile.date_of_birth,
            "phone_number": profile.phone_number,
            "phone_verified_at": now,
            "any_region": not profile.region_codes,
            "any_motive": not profile.motive_codes,
            "accepting_calls": profile.number != SWITCHED_OFF,
            "paused_until": start_of_local_day(local_today() + timedelta(days=14))
            if profile.number == PAUSED
            else None,
            "is_active": True,
            "onboarded_at": now,
            "anonymised_at": None,
        },
    )
    return ambassador


def _replace_languages_and_slots(
    ambassadors: list[Ambassador], profiles: list[DemoAmbassador]
) -> None:
    AmbassadorLanguage.objects.filter(ambassador__in=ambassadors).delete()
    AvailabilitySlot.objects.filter(ambassador__in=ambassadors).delete()
    AmbassadorLanguage.objects.bulk_create(
        AmbassadorLanguage(ambassador=ambassador, language=code)
        for ambassador, profile in zip(ambassadors, profiles, strict=True)
        for code in profile.languages
    )
    AvailabilitySlot.objects.bulk_create(
        _slot(ambassador, slot)
        for ambassador, profile in zip(ambassadors, profiles, strict=True)
        for slot in profile.slots
    )


def _slot(ambassador: Ambassador, slot: Slot) -> AvailabilitySlot:
    # bulk_create skips save(), which is where the minutes of the week are usually computed.
    weekday, start, end = slot
    start_minute, end_minute = week_minutes(weekday, start, end)
    return AvailabilitySlot(
        ambassador=ambassador,
        weekday=weekday,
        start=start,
        end=end,
        start_minute=start_minute,
        end_minute=end_minute,
    )


# (name, description, price, stock): what points buy in the demo.
REWARDS = [
    ("A museum pass for two", "Two days of Paris museums, with the Paris Museum Pass.", 150, 20),
    ("A train ticket anywhere in France", "One return journey in second class.", 400, 10),
    ("A weekend in Annecy", "Two nights for two by the lake, from the tourist office.", 900, 3),
    ("A plane ticket to Corsica", "One return flight from Paris, Lyon or Marseille.", 1500, 2),
]  # fmt: skip


def _seed_points(ambassadors: list[Ambassador]) -> None:
    """The catalogue, and a short history of points for the first three ambassadors so the
    dashboard shows what a balance looks like (keys make it idempotent)."""
    for name, description, price, stock in REWARDS:
        Reward.objects.update_or_create(
            name=name, defaults={"description": description, "price": price, "stock": stock}
        )
    history = [
        (17, "Call of 7 min, Tue 3 Nov, 15:10"),
        (32, "Call of 12 min, Sat 7 Nov, 20:05 (evening + weekend bonus)"),
        (5, "Text conversation answered in 3 min"),
        (50, "Monthly bonus: 21 calls in October 2026"),
    ]
    for ambassador in ambassadors[:3]:
        for n, (amount, reason) in enumerate(history):
            PointsEntry.objects.get_or_create(
                key=f"demo:{ambassador.public_id}:{n}",
                defaults={
                    "ambassador": ambassador,
                    "amount": amount,
                    "kind": [EntryKind.CALL, EntryKind.CALL, EntryKind.SMS, EntryKind.MONTHLY][n],
                    "reason": reason,
                },
            )
