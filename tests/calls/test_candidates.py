"""The candidates query the voice line prepares once: the same people, in the same order, as the
availability selector, minus whoever is busy or was already tried for this call."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from ambassadors.selectors import ambassadors_available_at
from calls.models import AttemptOutcome, Call, CallAttempt
from calls.voice.selectors import call_candidates, engaged
from concierge.models import CallMotive, Region

from ..factories import make_ambassador

PARIS = ZoneInfo("Europe/Paris")
TUESDAY_EVENING = datetime(2026, 1, 13, 20, 0, tzinfo=PARIS)
REGIONS = ("bretagne", "corse", "ile-de-france", "occitanie")
MOTIVES = ("food-and-wine", "culture", "just-chat")
LANGUAGES = ("de", "es", "it", "ja")


@pytest.fixture
def crowd(db):
    """Forty ambassadors with varied languages, regions, topics, hours and queue positions."""
    rng = random.Random(3)
    for n in range(40):
        start = time(rng.choice((0, 8, 12, 18, 19)))
        end = time(rng.choice((0, 14, 21, 23)))
        make_ambassador(
            f"crowd{n:02d}@example.com",
            name=f"Crowd {n:02d}",
            languages=("en", *rng.sample(LANGUAGES, rng.randint(0, 2))),
            regions=tuple(rng.sample(REGIONS, rng.randint(0, 2))),
            motives=tuple(rng.sample(MOTIVES, rng.randint(0, 2))),
            slots=((1, start, end), (rng.randint(0, 6), time(9), time(17))),
            last_offered_at=TUESDAY_EVENING - timedelta(hours=rng.randint(1, 500))
            if n % 4
            else None,
        )


@pytest.fixture
def call(national_line):
    return Call.objects.create(sid="CA" + "1" * 32, line=national_line, language="en")


def test_it_finds_whom_the_selector_finds_in_queue_order(crowd, call):
    wishes = [
        (language, motive, region)
        for language in ("en", "de", "ja")
        for motive in (None, *CallMotive.objects.filter(code__in=MOTIVES[:2]))
        for region in (None, *Region.objects.filter(code__in=REGIONS[1:3]))
    ]
    found_someone = 0
    for at in (TUESDAY_EVENING, TUESDAY_EVENING.replace(hour=10), TUESDAY_EVENING.replace(hour=3)):
        for language, motive, region in wishes:
            expected = ambassadors_available_at(
                at=at, language=language, motive=motive, region=region
            )
            found = call_candidates(
                call=call, at=at, language=language, motive=motive, region=region, limit=50
            )
            assert [a.pk for a in found] == [a.pk for a in expected[:50]], (at, language)
            found_someone += bool(found)
    assert found_someone > len(wishes)  # the comparison is not between empty lists


def test_it_leaves_out_the_busy_and_the_already_tried(crowd, call, national_line):
    at = TUESDAY_EVENING
    first, second, third, *rest = call_candidates(
        call=call, at=at, language="en", motive=None, region=None, limit=50
    )
    CallAttempt.objects.create(call=call, ambassador=first, order=1, started_at=at)
    other = Call.objects.create(sid="CA" + "2" * 32, line=national_line, status="in_progress")
    CallAttempt.objects.create(
        call=other, ambassador=second, order=1, started_at=at, outcome=AttemptOutcome.ACCEPTED
    )
    found = call_candidates(call=call, at=at, language="en", motive=None, region=None, limit=50)
    assert [a.pk for a in found] == [a.pk for a in (third, *rest)]
    # The ORM spelling of "busy" agrees: the first is ringing, the second talking.
    busy = ambassadors_available_at(at=at, language="en").filter(engaged(at))
    assert {a.pk for a in busy} == {first.pk, second.pk}


def test_it_returns_at_most_the_limit_with_what_ringing_needs(crowd, call):
    found = call_candidates(
        call=call, at=TUESDAY_EVENING, language="en", motive=None, region=None, limit=3
    )
    assert len(found) == 3
    assert all(a.phone_number and a.display_name.startswith("Crowd") for a in found)
