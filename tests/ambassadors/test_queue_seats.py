"""The queue seats: the candidates walk the seats of the current hour in the caller's language,
kept by the database's triggers whoever writes the rows. These tests hold the structure to its
invariants: whoever is available is found, in queue order, however the queue has aged."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from ambassadors import services
from ambassadors.models import (
    MINUTES_PER_WEEK,
    NEVER_OFFERED,
    Ambassador,
    AmbassadorLanguage,
    AvailabilitySlot,
    QueueSeat,
)
from ambassadors.selectors import ambassadors_available_at, week_minute
from ambassadors.services import ambassador_claim
from concierge.models import CallMotive, Region

from ..factories import every_day, make_ambassador

PARIS = ZoneInfo("Europe/Paris")
TUESDAY = datetime(2026, 1, 13, tzinfo=PARIS)  # an ordinary week
LANGUAGES = ("de", "es", "ja")
REGIONS = ("bretagne", "corse", "ile-de-france")
MOTIVES = ("food-and-wine", "culture")


def names(
    at: datetime,
    language: str = "en",
    motive: CallMotive | None = None,
    region: Region | None = None,
) -> list[str]:
    found = ambassadors_available_at(at=at, language=language, motive=motive, region=region)
    return [a.display_name for a in found]


def expected_names(
    at: datetime,
    language: str = "en",
    motive: CallMotive | None = None,
    region: Region | None = None,
) -> list[str]:
    """Who is available, in queue order, worked out in Python from the rows themselves: the
    definition the seats must agree with."""
    minute = week_minute(at)
    found = []
    for a in Ambassador.objects.prefetch_related(
        "languages", "availability_slots", "motives", "regions"
    ):
        routable = (
            a.is_active
            and a.accepting_calls
            and a.onboarded_at is not None
            and a.phone_verified_at is not None
        )
        free = any(
            s.start_minute <= m < s.end_minute
            for s in a.availability_slots.all()
            for m in (minute, minute + MINUTES_PER_WEEK)
        )
        if not (routable and free and (a.paused_until is None or a.paused_until <= at)):
            continue
        if language not in {row.language for row in a.languages.all()}:
            continue
        if motive and not (a.any_motive or motive in a.motives.all()):
            continue
        if region and not (a.any_region or region in a.regions.all()):
            continue
        position = max(a.last_offered_at or NEVER_OFFERED, a.paused_until or NEVER_OFFERED)
        found.append((position, a.pk, a.display_name))
    return [name for _position, _pk, name in sorted(found)]


def expected_seats() -> set[tuple[int, int, str]]:
    """Every (ambassador, hour of the week, language) the slots and languages call for."""
    seats = set()
    for slot in AvailabilitySlot.objects.all():
        spoken = AmbassadorLanguage.objects.filter(ambassador_id=slot.ambassador_id)
        for hour in range(slot.start_minute // 60, (slot.end_minute - 1) // 60 + 1):
            for row in spoken:
                seats.add((slot.ambassador_id, hour % 168, row.language))
    return seats


def seats() -> set[tuple[int, int, str]]:
    return set(QueueSeat.objects.values_list("ambassador_id", "hour", "language"))


@pytest.mark.django_db
def test_a_local_whose_slot_starts_now_is_found():
    make_ambassador("eve@example.com", name="Eve", slots=((1, time(20, 30), time(22)),))
    assert names(TUESDAY.replace(hour=20, minute=29)) == []
    assert names(TUESDAY.replace(hour=20, minute=30)) == ["Eve"]
    assert names(TUESDAY.replace(hour=21, minute=59)) == ["Eve"]
    assert names(TUESDAY.replace(hour=22)) == []


@pytest.mark.django_db
def test_a_slot_added_or_moved_takes_effect_at_once():
    eve = make_ambassador("eve@example.com", name="Eve")
    at = TUESDAY.replace(hour=9, minute=15)
    assert names(at) == []
    slot = services.slot_create(ambassador=eve, weekday=1, start=time(9), end=time(10))
    assert names(at) == ["Eve"]
    services.slot_update(slot=slot, weekday=1, start=time(18), end=time(19))
    assert names(at) == []
    assert names(at.replace(hour=18)) == ["Eve"]
    services.slot_delete(slot=slot)
    assert names(at.replace(hour=18)) == []
    assert not QueueSeat.objects.filter(ambassador=eve).exists()


@pytest.mark.django_db
def test_one_whose_pause_ends_is_found_and_waits_behind_those_offered_before_it_ended():
    at = TUESDAY.replace(hour=20)
    pause_end = at - timedelta(hours=1)
    make_ambassador(
        "early@example.com",
        name="Early",
        slots=every_day(),
        last_offered_at=at - timedelta(hours=3),
    )
    make_ambassador(
        "paused@example.com",
        name="Paused",
        slots=every_day(),
        paused_until=pause_end,
        last_offered_at=at - timedelta(days=9),
    )
    make_ambassador(
        "late@example.com",
        name="Late",
        slots=every_day(),
        last_offered_at=at - timedelta(minutes=30),
    )
    assert names(pause_end - timedelta(minutes=1)) == ["Early", "Late"]
    # From the pause's end they are found, behind whoever was offered a call before it ended
    # and ahead of whoever was offered one since.
    assert names(pause_end) == ["Early", "Paused", "Late"]


@pytest.mark.django_db
def test_switching_calls_off_or_being_suspended_leaves_the_walk_and_coming_back_rejoins_it():
    eve = make_ambassador("eve@example.com", name="Eve", slots=every_day())
    at = TUESDAY.replace(hour=11)
    services.ambassador_set_accepting(ambassador=eve, accepting=False)
    assert names(at) == []
    assert not QueueSeat.objects.filter(ambassador=eve, position__isnull=False).exists()
    services.ambassador_set_accepting(ambassador=eve, accepting=True)
    Ambassador.objects.filter(pk=eve.pk).update(is_active=False)  # a write that no service makes
    assert names(at) == []
    Ambassador.objects.filter(pk=eve.pk).update(is_active=True)
    assert names(at) == ["Eve"]


@pytest.mark.django_db
def test_a_language_learnt_or_dropped_moves_the_seats():
    eve = make_ambassador("eve@example.com", name="Eve", slots=every_day())
    at = TUESDAY.replace(hour=11)
    assert names(at, "de") == []
    AmbassadorLanguage.objects.create(ambassador=eve, language="de")
    assert names(at, "de") == ["Eve"]
    AmbassadorLanguage.objects.filter(ambassador=eve, language="de").delete()
    assert names(at, "de") == []
    assert seats() == expected_seats()


@pytest.fixture
def crowd(db):
    """Thirty ambassadors: varied hours (some across midnight and the week's end), languages,
    topics, regions, pauses and switches."""
    rng = random.Random(5)
    for n in range(30):
        start = rng.choice((0, 7, 12, 18, 22))
        slots = [
            (day, time(start), time((start + rng.choice((2, 4, 12))) % 24))
            for day in rng.sample(range(7), 3)
        ]
        state = rng.random()
        make_ambassador(
            f"crowd{n:02d}@example.com",
            name=f"Crowd {n:02d}",
            languages=("en", *rng.sample(LANGUAGES, rng.randint(0, 2))),
            regions=tuple(rng.sample(REGIONS, rng.randint(0, 2))),
            motives=tuple(rng.sample(MOTIVES, rng.randint(0, 1))),
            slots=tuple(slots),
            accepting_calls=state > 0.1,
            paused_until=TUESDAY + timedelta(days=rng.randint(-2, 3)) if state > 0.85 else None,
            last_offered_at=None if n % 5 == 0 else TUESDAY - timedelta(hours=rng.randint(1, 300)),
        )


def _instants() -> list[datetime]:
    return [TUESDAY + timedelta(hours=h, minutes=7) for h in range(0, 168, 9)]


def _compare_everything() -> int:
    motives = [None, *CallMotive.objects.filter(code__in=MOTIVES)]
    regions = [None, *Region.objects.filter(code__in=REGIONS[:2])]
    found = 0
    for at in _instants():
        for language in ("en", "de", "ja"):
            for motive in motives:
                for region in regions:
                    want = expected_names(at, language, motive, region)
                    assert names(at, language, motive=motive, region=region) == want, (
                        at,
                        language,
                        motive,
                        region,
                    )
                    found += bool(want)
    return found


def test_ageing_changes_nobody_found_nor_the_order(crowd):
    """A month of rings moves people to the back of the queue; at every instant, for every
    wish, the walk still finds exactly who is available, in queue order."""
    assert seats() == expected_seats()
    assert _compare_everything() > 20  # the comparison is not of empty lists

    rng = random.Random(8)
    clock = TUESDAY - timedelta(days=30)
    people = list(Ambassador.objects.all())
    for _ring in range(200):
        clock += timedelta(minutes=rng.randint(1, 200))
        person = Ambassador.objects.get(pk=rng.choice(people).pk)
        assert ambassador_claim(ambassador=person, at=clock)
    assert seats() == expected_seats()
    assert _compare_everything() > 20


def test_a_ring_sends_the_local_to_the_back_of_every_hour_they_hold(crowd):
    at = TUESDAY.replace(hour=19, minute=7)
    first = ambassadors_available_at(at=at, language="en").first()
    assert first is not None
    assert ambassador_claim(ambassador=first, at=at)
    assert names(at)[-1] == first.display_name
    # The seats of this hour and the next move with the claim; the others within beat's minute
    # (on PostgreSQL: docs/PERFORMANCE.md, "Cheap claims"; SQLite moves them all at once).
    now_and_next = QueueSeat.objects.filter(ambassador=first, hour__in=(19 + 24, 20 + 24))
    assert set(now_and_next.values_list("position", flat=True)) == {at}
    services.queue_seats_refresh()
    positions = set(QueueSeat.objects.filter(ambassador=first).values_list("position", flat=True))
    assert positions == {at}
