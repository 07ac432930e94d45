"""A queue that does not age: the candidates query at every hour of the week, on a fresh queue
and after a simulated month of calls, the queue seats' walk beside the walk it replaced.

The month is placed through the routing code (``calls.routing.claim_several`` over the voice
line's prepared candidates query, each claim the real compare-and-set), a ring group of two per
call, at instants drawn over four weeks with the tourists' hours weighted, so the people rung
move to the back of the queue as they do in production (and the seats the claims leave behind
are refreshed every simulated minute, as beat does). Then, at the 17th minute of each of the
168 hours of the following week, for a common wish and a rare one, it times:

- ``seats``: the candidates query as the voice line runs it now (``call_candidates``), and the
  claim of a ring group of two (candidates, claims; rolled back, so the queue stays as aged);
- ``before``: the same conditions walking ``ambassador_queue_idx`` (the queue order over every
  routable ambassador), the structure this replaced, recreated here for the comparison;

and reads the rows each walk visits from ``EXPLAIN (ANALYZE, BUFFERS)``.
"""

from __future__ import annotations

import functools
import json
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import CharField, Exists, OuterRef, Q

from ambassadors.models import Ambassador, AmbassadorLanguage, QueueSeat, queue_position
from ambassadors.selectors import prepared_availability, week_minute
from ambassadors.services import ambassadors_claim, queue_seats_refresh
from calls.models import Call
from calls.routing import Wish, claim_several, relaxed
from calls.voice.selectors import _candidates_query, call_candidates
from concierge.lib.prepared import Param, PreparedQuery
from concierge.models import CallMotive, Region

from .selector import NOW

OLD_INDEX = (
    "CREATE INDEX IF NOT EXISTS ambassador_queue_idx ON ambassadors_ambassador "
    "((COALESCE(last_offered_at, '2000-01-01T00:00:00+00:00'::timestamptz)), id) "
    "WHERE is_active AND accepting_calls AND onboarded_at IS NOT NULL "
    "AND phone_verified_at IS NOT NULL"
)
# "Rows walked": rows the plan's scans of these tables read (kept or filtered out), all loops.
QUEUE_TABLES = ("ambassadors_ambassador", "ambassadors_queueseat")
GROUP = 2  # the line's default ring group
MEASURED_MINUTE = 17  # within each hour: not on a slot boundary
# Tourists call in the day and the evening; a few at night.
HOUR_WEIGHTS = [1, 0.5, 0.3, 0.3, 0.3, 0.5, 1, 2, 4, 6, 7, 7, 7, 6, 6, 6, 6, 7, 8, 9, 9, 7, 4, 2]
LANGUAGES = {"en": 45, "de": 12, "es": 12, "it": 8, "nl": 5, "pt": 4, "ja": 3, "fr": 8, "ko": 1}


@dataclass(frozen=True)
class WishCase:
    label: str
    language: str
    motive: str | None
    region: str | None


CASES = [
    WishCase("common: en, food, Île-de-France", "en", "food-and-wine", "ile-de-france"),
    WishCase("rare: de, unusual places, Bretagne", "de", "unusual-places", "bretagne"),
]


@dataclass
class HourFigures:
    p99_ms: float
    walked: int
    buffers: int
    # Claims only: queue seats the claims of one ring group rewrote, and all the seats of those
    # claimed (what a claim rewrote before cheap claims).
    seats_written: int = 0
    seats_held: int = 0


@dataclass
class Sweep:
    """One structure, one wish, one state of the queue: a figure per hour of the week."""

    label: str
    hours: list[HourFigures]

    def worst(self, field: str) -> float:
        return max(getattr(h, field) for h in self.hours)

    def median(self, field: str) -> float:
        return statistics.median(getattr(h, field) for h in self.hours)


def _p99(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


@functools.cache
def _before_query(*, limit: int) -> PreparedQuery:
    """The candidates' conditions without the seats, in the old queue order: the walk of every
    routable ambassador along ``ambassador_queue_idx``."""
    conditions = prepared_availability(by_motive=True, by_region=True, by_community=False)
    seat = conditions.pop(0)
    assert isinstance(seat, Q) and "queue_seats__hour" in str(seat), seat
    speaks = AmbassadorLanguage.objects.filter(
        ambassador=OuterRef("pk"), language=Param("language", CharField())
    )
    queryset = Ambassador.objects.filter(*conditions, Exists(speaks)).order_by(
        queue_position(), "pk"
    )
    return PreparedQuery(
        queryset.only("pk", "display_name", "phone_number", "last_offered_at")[:limit]
    )


def _values(at: datetime, case: WishCase) -> dict[str, Any]:
    minute = week_minute(at)
    return {
        "at": at,
        "minute": minute,
        "hour": minute // 60,
        "language": case.language,
        "motive": CallMotive.objects.get(code=case.motive).pk if case.motive else None,
        "region": Region.objects.get(code=case.region).pk if case.region else None,
    }


def _explain(sql: str, params: list[Any]) -> tuple[int, int]:
    """Rows the queue tables' scans read and the shared buffers the query touched."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, params)
        raw = cursor.fetchone()[0]
    root = (json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]
    walked = 0
    stack = [root]
    while stack:
        node = stack.pop()
        if node.get("Relation Name") in QUEUE_TABLES:
            rows = node["Actual Rows"] + node.get("Rows Removed by Filter", 0)
            walked += round(rows * node["Actual Loops"])
        stack.extend(node.get("Plans", []))
    return walked, root.get("Shared Hit Blocks", 0) + root.get("Shared Read Blocks", 0)


def _timed(run: Callable[[], object], runs: int) -> list[float]:
    run()  # warm
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        run()
        samples.append((time.perf_counter() - began) * 1000)
    return samples


def _week_hours() -> list[datetime]:
    monday = NOW  # 2026-06-08 is a Monday, midnight in Paris
    return [monday + timedelta(hours=h, minutes=MEASURED_MINUTE) for h in range(168)]


def sweep_seats(case: WishCase, *, runs: int, claims: bool) -> Sweep:
    """The voice line's own query at each hour (or, ``claims``, candidates and the claim of a
    ring group, rolled back)."""
    call = Call(pk=0, language=case.language)  # tried for nothing: no attempt has call 0
    motive = CallMotive.objects.get(code=case.motive) if case.motive else None
    region = Region.objects.get(code=case.region) if case.region else None
    hours = []
    for at in _week_hours():

        def head(wish: Wish, limit: int, at: datetime = at) -> list[Ambassador]:
            return call_candidates(
                call=call,
                at=at,
                language=wish.language,
                motive=wish.motive,
                region=wish.region,
                limit=limit,
            )

        def ring(at: datetime = at) -> tuple[int, int]:
            with transaction.atomic():
                taken = claim_several(
                    relaxed(Wish(case.language, motive, region)),
                    count=GROUP,
                    head=head,
                    take_several=_claimer(at),
                )
                written = _seats_written(taken)
                transaction.set_rollback(True)
            return written, QueueSeat.objects.filter(ambassador__in=taken).count()

        def find(at: datetime = at) -> None:
            head(Wish(case.language, motive, region), GROUP + 2)

        samples = _timed(ring if claims else find, runs)
        query = _candidates_query(by_motive=True, by_region=True, limit=GROUP + 2)
        values = _values(at, case)
        params = query.bind(
            **values,
            community=None,
            ringing_since=at - timedelta(minutes=2),
            talking_since=at - timedelta(hours=4),
            call=0,
        )
        walked, buffers = _explain(query.sql, params)
        written, held = ring() if claims else (0, 0)
        hours.append(HourFigures(_p99(samples), walked, buffers, written, held))
    return Sweep(f"{'claim' if claims else 'candidates'}, seats: {case.label}", hours)


def _seats_written(taken: list[Ambassador]) -> int:
    """Queue seats of ``taken`` this transaction wrote (the claims' triggers): the rows whose
    newest version it made."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM ambassadors_queueseat WHERE ambassador_id = ANY(%s)"
            " AND xmin::text = (txid_current() %% 4294967296)::text",
            [[a.pk for a in taken]],
        )
        return int(cursor.fetchone()[0])


def _fetch(query: PreparedQuery, values: dict[str, Any]) -> list[Ambassador]:
    return list(query.fetch(**values))


def _claimer(at: datetime) -> Callable[[list[Ambassador]], list[Ambassador]]:
    """The voice line's claims: as many people at a time as the group still needs, in one
    compare-and-set statement."""

    def take_several(people: list[Ambassador]) -> list[Ambassador]:
        return ambassadors_claim(ambassadors=people, at=at)

    return take_several


def sweep_before(case: WishCase, *, runs: int) -> Sweep:
    query = _before_query(limit=GROUP + 2)
    hours = []
    for at in _week_hours():
        values = _values(at, case)
        samples = _timed(functools.partial(_fetch, query, values), runs)
        walked, buffers = _explain(query.sql, query.bind(**values))
        hours.append(HourFigures(_p99(samples), walked, buffers))
    return Sweep(f"candidates, before: {case.label}", hours)


def age(calls: int, *, seed: int = 31) -> dict[str, float]:
    """Place ``calls`` calls over the four weeks before the measured week, in time order, each
    ringing a group of two through the routing code: who is rung moves to the back."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible month
    motives = list(CallMotive.objects.all())
    regions = list(Region.objects.all())
    weights = [HOUR_WEIGHTS[h % 24] for h in range(24 * 28)]
    start = NOW - timedelta(days=28)
    instants = sorted(
        start + timedelta(hours=h, seconds=rng.randrange(3600))
        for h in rng.choices(range(24 * 28), weights, k=calls)
    )
    began = time.perf_counter()
    rung = 0
    refreshed, refresh_seconds = start, 0.0
    for n, at in enumerate(instants):
        language = rng.choices(list(LANGUAGES), list(LANGUAGES.values()))[0]
        wish = Wish(
            language,
            rng.choice(motives) if rng.random() < 0.6 else None,
            rng.choice(regions) if rng.random() < 0.7 else None,
        )
        call = Call(pk=-1 - n, language=language)

        def head(wish: Wish, limit: int, at: datetime = at, call: Call = call) -> list[Ambassador]:
            return call_candidates(
                call=call,
                at=at,
                language=wish.language,
                motive=wish.motive,
                region=wish.region,
                limit=limit,
            )

        with transaction.atomic():
            taken = claim_several(
                relaxed(wish),
                count=GROUP,
                head=head,
                take_several=_claimer(at),
            )
        rung += len(taken)
        # Beat, every minute of the simulated month: the seats the claims left behind.
        if n + 1 == len(instants) or instants[n + 1] - refreshed >= timedelta(minutes=1):
            refreshing = time.perf_counter()
            queue_seats_refresh()
            refresh_seconds += time.perf_counter() - refreshing
            refreshed = at
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    seconds = time.perf_counter() - began
    return {
        "calls": calls,
        "rung": rung,
        "seconds": seconds,
        "per_call_ms": (seconds - refresh_seconds) * 1000 / calls,
        "refresh_seconds": refresh_seconds,
    }


def measure(*, calls: int, runs: int, before_runs: int) -> dict[str, Any]:
    """Fresh queue, then aged: every hour, both wishes, both structures."""
    with connection.cursor() as cursor:
        cursor.execute(OLD_INDEX)
        cursor.execute("ANALYZE ambassadors_ambassador")
    results: dict[str, Any] = {"fresh": [], "aged": []}
    for state in ("fresh", "aged"):
        if state == "aged":
            results["ageing"] = age(calls)
        for case in CASES:
            if before_runs:
                results[state].append(sweep_before(case, runs=before_runs))
            results[state].append(sweep_seats(case, runs=runs, claims=False))
            results[state].append(sweep_seats(case, runs=runs, claims=True))
    return results


def _worst_hour(sweep: Sweep) -> int:
    return max(range(168), key=lambda h: sweep.hours[h].p99_ms)


def print_results(results: dict[str, Any], *, size: int, runs: int, before_runs: int) -> None:
    ageing = results["ageing"]
    print(f"\n# A queue that does not age: {size:,} ambassadors, 168 hours of the week\n")
    print(
        f"Ageing: {ageing['calls']:,} calls over four weeks through the routing code, "
        f"{ageing['rung']:,} rings, {ageing['seconds']:.0f} s ({ageing['per_call_ms']:.1f} ms "
        f"per call, claims included), and {ageing['refresh_seconds']:.0f} s refreshing the "
        f"seats the claims left behind, as beat would every minute. Per hour: p99 of {runs} "
        f"runs (seats) or {before_runs} (before).\n"
    )
    print(
        "| queue | query | p99 ms: worst hour | median hour | rows walked: worst | median "
        "| buffers: worst | median |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for state in ("fresh", "aged"):
        for sweep in results[state]:
            print(
                f"| {state} | {sweep.label} | {sweep.worst('p99_ms'):.1f} "
                f"| {sweep.median('p99_ms'):.1f} | {sweep.worst('walked'):,.0f} "
                f"| {sweep.median('walked'):,.0f} | {sweep.worst('buffers'):,.0f} "
                f"| {sweep.median('buffers'):,.0f} |"
            )
    print(
        "\nQueue seats rewritten by the claims of one ring group (rolled back), per hour: what"
        " the claims wrote, and all the seats of those claimed (what a claim rewrote before).\n"
    )
    print("| queue | claim | written: worst | median | held: worst | median |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for state in ("fresh", "aged"):
        for sweep in results[state]:
            if sweep.label.startswith("claim"):
                print(
                    f"| {state} | {sweep.label} | {sweep.worst('seats_written'):,.0f} "
                    f"| {sweep.median('seats_written'):,.0f} | {sweep.worst('seats_held'):,.0f} "
                    f"| {sweep.median('seats_held'):,.0f} |"
                )
    worst = {s.label: _worst_hour(s) for s in results["aged"]}
    print(
        "\nWorst hour (aged), as hours since Monday 00:00: "
        + ", ".join(f"{k}: {v}" for k, v in worst.items())
    )
