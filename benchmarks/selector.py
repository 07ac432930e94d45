"""Timing the availability selector the way routing uses it, and reading its query plan."""

from __future__ import annotations

import math
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from ambassadors.models import Ambassador, AvailabilitySlot, QueueSeat
from ambassadors.selectors import ambassadors_available_at
from concierge.models import CallMotive, Region

PARIS = ZoneInfo("Europe/Paris")
# The population is generated as of NOW; the instants fall in the week that follows (no DST).
NOW = datetime(2026, 6, 8, tzinfo=PARIS)
FIRST_CANDIDATES = 5  # routing takes a handful of candidates and rings them in turn


@dataclass(frozen=True)
class Case:
    label: str
    at: datetime
    language: str
    motive: str | None = None
    region: str | None = None

    @cached_property
    def choices(self) -> tuple[CallMotive | None, Region | None]:
        # Looked up once: routing has the caller's choices in hand before it asks the selector.
        motive = CallMotive.objects.get(code=self.motive) if self.motive else None
        region = Region.objects.get(code=self.region) if self.region else None
        return motive, region

    def queryset(self) -> QuerySet[Ambassador]:
        motive, region = self.choices
        return ambassadors_available_at(
            at=self.at, language=self.language, motive=motive, region=region
        )


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return NOW.replace(day=NOW.day + day, hour=hour, minute=minute)


CASES = [
    Case("Tue 20:00, en", _at(1, 20), "en"),
    Case("Tue 20:00, de, food, Île-de-France", _at(1, 20), "de", "food-and-wine", "ile-de-france"),
    Case("Sat 15:00, es, culture, PACA", _at(5, 15), "es", "culture", "provence-alpes-cote-d-azur"),
    Case("Sun 10:00, it, just chat, Occitanie", _at(6, 10), "it", "just-chat", "occitanie"),
    Case("Mon 00:30, en (Sunday-night wrap)", _at(0, 0, 30), "en"),
    Case("Wed 04:00, en (night)", _at(2, 4), "en"),
    Case("Wed 04:00, ja, plan a trip, Corse", _at(2, 4), "ja", "plan-a-trip", "corse"),
    Case("Thu 12:30, ko, unusual places, Bretagne", _at(3, 12, 30), "ko", "unusual-places",
         "bretagne"),
]  # fmt: skip
# The plans printed in full: the busiest case and the emptiest one.
EXPLAINED = [CASES[0], CASES[6]]


@dataclass(frozen=True)
class Timing:
    median_ms: float
    p95_ms: float


@dataclass(frozen=True)
class Result:
    case: Case
    found: int
    first: Timing
    count: Timing


def _timing(run: Callable[[], object], runs: int) -> Timing:
    run()  # warm-up: the first run pays for parsing, planning caches and cold pages
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        run()
        samples.append((time.perf_counter() - began) * 1000)
    samples.sort()
    p95 = samples[math.ceil(0.95 * len(samples)) - 1]  # nearest rank
    return Timing(statistics.median(samples), p95)


def measure(case: Case, *, runs: int) -> Result:
    return Result(
        case=case,
        found=case.queryset().count(),
        first=_timing(lambda: list(case.queryset()[:FIRST_CANDIDATES]), runs),
        count=_timing(lambda: case.queryset().count(), runs),
    )


def plan(case: Case) -> str:
    return case.queryset()[:FIRST_CANDIDATES].explain(analyze=True, buffers=True)


INDEX_NODE = re.compile(r"(?:Index(?: Only)? Scan(?: Backward)? using|Bitmap Index Scan on) (\w+)")


def indexes_used(text: str) -> set[str]:
    return set(INDEX_NODE.findall(text))


def selector_indexes() -> set[str]:
    """The indexes the models declare for the selector (foreign keys and uniques aside)."""
    return {
        index.name
        for model in (Ambassador, AvailabilitySlot, QueueSeat)
        for index in model._meta.indexes
    }
