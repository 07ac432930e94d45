"""A realistic population of ambassadors, written with COPY so 100,000 of them load in seconds.

Everything comes from one seeded ``random.Random``: two runs build the same data. The proportions
are guesses informed by The Swedish Number and The French Number (mostly evenings and weekends,
English for everyone, French for most, a long tail of other languages, Paris and the south first).
"""

from __future__ import annotations

import importlib
import io
import random
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime, time, timedelta

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Field, Model

from ambassadors.models import (
    Ambassador,
    AmbassadorLanguage,
    AvailabilitySlot,
    QueueSeat,
    week_minutes,
)
from concierge.models import CallMotive, Region

# The SQL that writes the queue seats is frozen in its migration; use that one, not a copy.
_SEATS = importlib.import_module("ambassadors.migrations.0007_queue_seats")

Row = Sequence[object]
Slot = tuple[int, time, time]

# Share of ambassadors speaking each language besides English (everyone) and French (most).
OTHER_LANGUAGES = {
    "es": 0.12, "de": 0.10, "it": 0.07, "pt": 0.04, "nl": 0.03, "ru": 0.03, "ar": 0.03,
    "zh": 0.02, "pl": 0.02, "ja": 0.015, "sv": 0.01, "ko": 0.008, "tr": 0.01, "el": 0.005,
}  # fmt: skip
FRENCH_SPEAKERS = 0.88
# Regions ambassadors know, weighted: where people live and where tourists go.
REGION_WEIGHTS = {
    "ile-de-france": 25, "provence-alpes-cote-d-azur": 14, "auvergne-rhone-alpes": 12,
    "occitanie": 10, "nouvelle-aquitaine": 8, "bretagne": 6, "grand-est": 5,
    "hauts-de-france": 5, "pays-de-la-loire": 4, "normandie": 4, "bourgogne-franche-comte": 2,
    "centre-val-de-loire": 2, "corse": 1, "guadeloupe": 1, "martinique": 1, "la-reunion": 1,
    "guyane": 0.3, "mayotte": 0.2,
}  # fmt: skip
ANY_REGION = 0.30
ANY_MOTIVE = 0.35


def _hour(h: float) -> time:
    return time(int(h) % 24, 30 if h % 1 else 0)


def _evenings(rng: random.Random) -> list[Slot]:
    start = rng.choice([17, 18, 18.5, 19, 20])
    end = start + rng.choice([2, 3, 4])
    return [(day, _hour(start), _hour(end)) for day in range(5)]


def _weekends(rng: random.Random) -> list[Slot]:
    start = rng.choice([9, 10, 11, 14])
    end = start + rng.choice([3, 4, 6, 8])
    return [(day, _hour(start), _hour(end)) for day in (5, 6)]


def _scattered(rng: random.Random) -> list[Slot]:
    slots = []
    for day in rng.sample(range(7), rng.randint(2, 5)):
        start = rng.randrange(7, 21)
        slots.append((day, _hour(start), _hour(start + rng.randint(1, 4))))
    return slots


def _lunch(rng: random.Random) -> list[Slot]:
    return [(day, time(12), time(14)) for day in range(5)]


def _nights(rng: random.Random) -> list[Slot]:
    end = rng.choice([1, 2])
    return [(day, time(22), time(end)) for day in rng.sample(range(7), rng.randint(2, 4))]


def _whole_days(rng: random.Random) -> list[Slot]:
    return [(day, time(0), time(0)) for day in rng.sample(range(7), rng.randint(1, 3))]


def _always(rng: random.Random) -> list[Slot]:
    return [(day, time(0), time(0)) for day in range(7)]


SLOT_PATTERNS = [
    (_evenings, 0.40),
    (_weekends, 0.20),
    (_scattered, 0.15),
    (_lunch, 0.10),
    (_nights, 0.08),
    (_whole_days, 0.05),
    (_always, 0.02),
]


class Population:
    """Rows for each table, generated ambassador by ambassador."""

    def __init__(self, count: int, *, now: datetime, seed: int = 2016) -> None:
        self.count = count
        self.now = now
        self.rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
        self.regions = {r.code: r.pk for r in Region.objects.all()}
        self.motives = [m.pk for m in CallMotive.objects.all()]
        self.ambassadors: list[Row] = []
        self.languages: list[Row] = []
        self.slots: list[Row] = []
        self.region_links: list[Row] = []
        self.motive_links: list[Row] = []

    def build(self) -> Population:
        for pk in range(1, self.count + 1):
            self._ambassador(pk)
        return self

    def _ambassador(self, pk: int) -> None:
        rng, now = self.rng, self.now
        state = rng.random()
        onboarded = state >= 0.04  # 4% still onboarding: no phone, no slots
        any_region = onboarded and rng.random() < ANY_REGION
        any_motive = onboarded and rng.random() < ANY_MOTIVE
        paused_until = None
        if 0.11 <= state < 0.14:
            paused_until = now + timedelta(days=rng.randint(1, 30))
        elif 0.14 <= state < 0.16:
            paused_until = now - timedelta(days=rng.randint(1, 30))  # a pause that has ended
        self.ambassadors.append(
            (
                pk,
                uuid.UUID(int=rng.getrandbits(128), version=4),
                f"Ambassador {pk}",
                f"+336{pk:08d}" if onboarded else None,
                now - timedelta(days=30) if onboarded else None,
                any_region,
                any_motive,
                not 0.06 <= state < 0.11,  # 5% switched calls off
                paused_until,
                not 0.04 <= state < 0.06,  # 2% suspended
                now - timedelta(days=30) if onboarded else None,
                None if rng.random() < 0.25 else now - timedelta(minutes=rng.randrange(86400)),
                now - timedelta(days=60),
            )
        )
        self._languages(pk)
        if not onboarded:
            return
        if not any_region:
            drawn = rng.choices(list(REGION_WEIGHTS), list(REGION_WEIGHTS.values()), k=3)
            codes = list(dict.fromkeys(drawn))  # distinct, in a reproducible order
            chosen = codes[: rng.randint(1, len(codes))]
            self.region_links += [(pk, self.regions[code]) for code in chosen]
        if not any_motive:
            self.motive_links += [(pk, m) for m in rng.sample(self.motives, rng.randint(1, 3))]
        self._slots(pk)

    def _languages(self, pk: int) -> None:
        rng = self.rng
        spoken = ["en"]
        if rng.random() < FRENCH_SPEAKERS:
            spoken.append("fr")
        spoken += [code for code, share in OTHER_LANGUAGES.items() if rng.random() < share]
        self.languages += [(pk, code) for code in spoken]

    def _slots(self, pk: int) -> None:
        patterns, weights = zip(*SLOT_PATTERNS, strict=True)
        pattern = self.rng.choices(patterns, weights)[0]
        seen: set[int] = set()
        for weekday, start, end in pattern(self.rng):
            if weekday in seen:  # one slot per day keeps the generated slots from overlapping
                continue
            seen.add(weekday)
            first, last = week_minutes(weekday, start, end)
            self.slots.append((uuid.UUID(int=self.rng.getrandbits(128), version=4), pk,
                               weekday, start, end, first, last))  # fmt: skip


AMBASSADOR_COLUMNS = [
    "id", "public_id", "display_name", "phone_number", "phone_verified_at", "any_region",
    "any_motive", "accepting_calls", "paused_until", "is_active", "onboarded_at",
    "last_offered_at", "created_at",
]  # fmt: skip
SLOT_COLUMNS = [
    "public_id", "ambassador", "weekday", "start", "end", "start_minute", "end_minute"
]  # fmt: skip


def _columns(model: type[Model], names: Iterable[str]) -> list[str]:
    columns = []
    for name in names:
        field = model._meta.get_field(name)
        assert isinstance(field, Field), f"{name} is not a column"
        columns.append(field.column)
    return columns


def _text(value: object) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def copy_rows(table: str, columns: list[str], rows: Iterable[Row]) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(_text(value) for value in row))
        buffer.write("\n")
    buffer.seek(0)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} ({quoted}) FROM STDIN", buffer)


def load(population: Population) -> dict[str, int]:
    """Write the population and move the id sequences past it; return the row counts."""
    regions_through = Ambassador.regions.through
    motives_through = Ambassador.motives.through
    tables: list[tuple[type[Model], list[str], Sequence[Row]]] = [
        (Ambassador, _columns(Ambassador, AMBASSADOR_COLUMNS), population.ambassadors),
        (AmbassadorLanguage, _columns(AmbassadorLanguage, ["ambassador", "language"]),
         population.languages),
        (AvailabilitySlot, _columns(AvailabilitySlot, SLOT_COLUMNS), population.slots),
        (regions_through, ["ambassador_id", "region_id"], population.region_links),
        (motives_through, ["ambassador_id", "callmotive_id"], population.motive_links),
    ]  # fmt: skip
    with connection.cursor() as cursor:
        # Row by row, the queue seats' triggers would rewrite an ambassador's seats for each of
        # their slots: load without triggers (nor foreign-key checks: the rows are ours), then
        # write every seat in one statement, the triggers' own SQL (migration 0007).
        cursor.execute("SET session_replication_role = replica")
        try:
            for model, columns, rows in tables:
                copy_rows(model._meta.db_table, columns, rows)
        finally:
            cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute(f"TRUNCATE {QueueSeat._meta.db_table}")
        cursor.execute(_SEATS.seats_of("postgresql", None))
        for sql in connection.ops.sequence_reset_sql(no_style(), [m for m, _c, _r in tables]):
            cursor.execute(sql)
        cursor.execute("ANALYZE")
    counts = {model._meta.db_table: len(rows) for model, _columns_, rows in tables}
    counts[QueueSeat._meta.db_table] = QueueSeat.objects.count()
    return counts
