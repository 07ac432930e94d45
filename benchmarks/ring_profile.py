"""Where ringing a group's time goes: ``call_ring_next`` at the load benchmark's instant (Tuesday
20:00), statement by statement, on the benchmark's database as it is (populated by an earlier
``--keepdb`` run: ``test_`` + the name in ``DATABASE_URL``). The calls it places are deleted
after, so a later run reuses the population. Run each checkout in turn, alternately:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/concierge_bench \\
        python -m benchmarks.ring_profile --calls 100
"""

from __future__ import annotations

import argparse
import statistics
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from typing import Any

WARM_UP = 10


def label(sql: str) -> str:
    text = sql.lstrip().upper()
    if text.startswith("WITH LIVE AS"):
        return "claims + status + attempts (one statement)"
    if text.startswith("SELECT") and "AMBASSADORS_QUEUESEAT" in text:
        return "candidates query"
    if text.startswith("SELECT") and "MEMBERSHIP" in text:
        return "advisors on duty"
    if text.startswith('UPDATE "AMBASSADORS_AMBASSADOR"') or text.startswith(
        "UPDATE AMBASSADORS_AMBASSADOR"
    ):
        return "claim (compare-and-set + seats trigger)"
    if 'INSERT INTO "CALLS_CALLATTEMPT"' in text:
        return "attempts INSERT"
    if text.startswith('UPDATE "CALLS_CALL"'):
        return "call's status UPDATE"
    return text[:40]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=100)
    args = parser.parse_args()

    from .__main__ import configure

    configure()
    import time_machine
    from django.db import connection

    from calls.models import Call, CallStatus, PhoneLine
    from calls.voice.services import call_ring_next

    from .load import AT, LINE

    connection.settings_dict["NAME"] = "test_" + connection.settings_dict["NAME"]
    line, _ = PhoneLine.objects.update_or_create(
        number=LINE,
        defaults={"label": "Bench", "ivr_languages": "en,fr,de,es,it", "rings_early": False},
    )
    spent: dict[str, list[float]] = defaultdict(list)
    profiling = False

    def timed(execute: Callable[..., Any], sql: str, *rest: Any) -> Any:
        began = time.perf_counter()
        try:
            return execute(sql, *rest)
        finally:
            spent[label(sql)].append((time.perf_counter() - began) * 1000)

    commit = connection._commit  # type: ignore[attr-defined]

    def timed_commit() -> None:
        began = time.perf_counter()
        try:
            commit()
        finally:
            if profiling:
                spent["COMMIT"].append((time.perf_counter() - began) * 1000)

    connection._commit = timed_commit  # type: ignore[attr-defined]
    placed: list[int] = []
    totals: list[float] = []
    with time_machine.travel(AT, tick=True):
        for n in range(args.calls + WARM_UP):
            call = Call.objects.create(
                sid="CA" + uuid.uuid4().hex,
                line=line,
                language="en",
                caller_number="+4915100000000",
                status=CallStatus.IVR,
            )
            placed.append(call.pk)
            if n < WARM_UP:
                call_ring_next(call=call, attempts=0, group=1, first_ring=None)
                continue
            profiling = True
            began = time.perf_counter()
            with connection.execute_wrapper(timed):
                rung = call_ring_next(call=call, attempts=0, group=1, first_ring=None)
            totals.append((time.perf_counter() - began) * 1000)
            profiling = False
            if not rung:
                raise SystemExit("Nobody was rung: is the database populated?")
    connection._commit = commit  # type: ignore[attr-defined]
    Call.objects.filter(pk__in=placed).delete()
    print_results(spent, totals, args.calls)


def _pct(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def print_results(spent: dict[str, list[float]], totals: list[float], calls: int) -> None:
    statements = sum(len(v) for k, v in spent.items() if k != "COMMIT") / calls
    print(
        f"call_ring_next, {calls} calls: p50 {_pct(totals, 0.5):.2f} ms, "
        f"p99 {_pct(totals, 0.99):.2f} ms, {statements:.1f} statements per call\n"
    )
    print("| step | per call | p50 ms | p99 ms | ms per call |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, values in sorted(spent.items(), key=lambda kv: -sum(kv[1])):
        print(
            f"| {name} | {len(values) / calls:.1f} | {_pct(values, 0.5):.2f} "
            f"| {_pct(values, 0.99):.2f} | {sum(values) / calls:.2f} |"
        )
    rest = statistics.mean(totals) - sum(sum(v) for v in spent.values()) / calls
    print(f"| Python and the rest | | | | {rest:.2f} |")


if __name__ == "__main__":
    main()
