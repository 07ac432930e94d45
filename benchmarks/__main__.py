"""``make bench``: the availability selector at 100,000 ambassadors, and the voice line's path
from `incoming` to the first <Dial> at 1,000, 10,000 and 100,000 ambassadors, on PostgreSQL.

Needs DATABASE_URL pointing at a PostgreSQL server, e.g.
``postgres://postgres@127.0.0.1:5432/concierge_bench``. Like the test runner, the benchmark works
in its own database (the configured name prefixed with ``test_``): it creates and migrates it,
loads the population, times the selector, prints the query plans, and drops it again (keep it
with ``--keepdb``, e.g. to try an index by hand with ``--sql``).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import django

if TYPE_CHECKING:
    from .selector import Result


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--ambassadors", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=50, help="timed runs per case")
    parser.add_argument("--calls", type=int, default=200, help="calls per size (voice line)")
    parser.add_argument("--texts", type=int, default=200, help="first texts per size (sms)")
    parser.add_argument(
        "--month-calls", type=int, default=20_000, help="calls ageing the queue (queue)"
    )
    parser.add_argument("--queue-runs", type=int, default=20, help="runs per hour (queue)")
    parser.add_argument(
        "--before-runs", type=int, default=5, help="runs per hour of the replaced walk (queue)"
    )
    parser.add_argument("--awards", type=int, default=80_000, help="completed calls (points)")
    parser.add_argument(
        "--only",
        choices=[
            "selector",
            "voice",
            "sms",
            "queue",
            "points",
            "rotas",
            "evening",
            "figures",
            "load",
            "webchat",
        ],
        help="run one benchmark instead of all",
    )
    parser.add_argument(
        "--sizes",
        default="1000,10000,100000",
        help="comma-separated population sizes for the voice line (default: %(default)s)",
    )
    parser.add_argument(
        "--population", type=int, default=1_800, help="ambassadors on the simulated evening"
    )
    parser.add_argument(
        "--hours",
        type=float,
        default=5.0,
        help="simulated hours (evening): 1 is the busiest hour, more an evening from 18:00",
    )
    parser.add_argument(
        "--evenings",
        type=int,
        default=1,
        help="consecutive evenings on one population, Monday first (evening; 7: a week)",
    )
    parser.add_argument("--seed", type=int, default=12, help="the simulated evening's seed")
    parser.add_argument(
        "--configurations",
        default="all",
        help="comma-separated configurations of the simulated evening (default: all)",
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (load)")
    parser.add_argument("--concurrency", type=int, default=8, help="clients at once (load)")
    parser.add_argument("--requests", type=int, default=500, help="requests per endpoint (load)")
    parser.add_argument(
        "--compare",
        type=Path,
        help="another checkout served beside this one, measured alternately (load; its "
        "benchmarks/ package replaced by this one's)",
    )
    parser.add_argument(
        "--burst", type=int, default=100, help="callers at once, paced like Twilio (load; 0: none)"
    )
    parser.add_argument(
        "--figures-calls", type=int, default=1_000_000, help="calls for the figures' dashboard"
    )
    parser.add_argument(
        "--figures-conversations", type=int, default=300_000, help="conversations (figures)"
    )
    parser.add_argument(
        "--panels",
        default="200,500,1000",
        help="comma-separated numbers of open panels (webchat; default: %(default)s)",
    )
    parser.add_argument(
        "--webchat-seconds", type=float, default=30.0, help="how long the panels poll (webchat)"
    )
    parser.add_argument("--keepdb", action="store_true", help="keep (and reuse) the database")
    parser.add_argument(
        "--sql",
        action="append",
        default=[],
        help="a statement to run before timing, e.g. CREATE INDEX … (repeatable)",
    )
    return parser.parse_args(argv)


def configure() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "concierge.settings")
    # Settings insist on a key when DEBUG is off; nothing is signed here. DEBUG stays off so
    # Django does not keep every query in memory.
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")  # webhooks are posted in-process, over http
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit(
            "The benchmark runs on PostgreSQL: set DATABASE_URL, e.g. "
            "postgres://postgres@127.0.0.1:5432/concierge_bench"
        )
    django.setup()


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.only in (None, "webchat"):
        # The panels' stamps live in the cache the web processes share (docs/webchat.md).
        os.environ.setdefault("CACHE_URL", "redis://127.0.0.1:6379/11")
    configure()
    from django.db import connection

    original_name = connection.settings_dict["NAME"]
    began = time.perf_counter()
    connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False, keepdb=args.keepdb
    )
    try:
        run(args)
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0, keepdb=args.keepdb)
    print(f"\nTotal {time.perf_counter() - began:.0f} s.")


def run(args: argparse.Namespace) -> None:
    describe_machine()
    if args.only in (None, "selector"):
        run_selector(args)
    if args.only in (None, "voice"):
        run_voice(args)
    if args.only in (None, "sms"):
        run_sms(args)
    if args.only in (None, "queue"):
        run_queue(args)
    if args.only in (None, "points"):
        run_points(args)
    if args.only in (None, "rotas"):
        from . import rotas

        rotas.print_result(rotas.measure())
    if args.only in (None, "evening"):
        run_evening(args)
    if args.only in (None, "figures"):
        run_figures(args)
    if args.only in (None, "load"):
        run_load(args)
    if args.only in (None, "webchat"):
        run_webchat(args)


def run_webchat(args: argparse.Namespace) -> None:
    from . import webchat

    results = [
        webchat.measure(panels=int(size), workers=args.workers, seconds=args.webchat_seconds)
        for size in args.panels.split(",")
    ]
    webchat.print_results(results)


def run_load(args: argparse.Namespace) -> None:
    from django.db import connection

    from . import load

    populate(args.ambassadors)
    connection.close()  # gunicorn's workers open their own; this one is not needed meanwhile
    os.environ["BENCH_AT"] = load.AT.isoformat()
    results = load.measure(
        workers=args.workers,
        concurrency=args.concurrency,
        requests=args.requests,
        burst=args.burst,
        compare=args.compare,
    )
    load.print_results(
        results, size=args.ambassadors, workers=args.workers, concurrency=args.concurrency
    )


def run_figures(args: argparse.Namespace) -> None:
    from django.db import connection

    from calls.models import Call, Conversation

    from . import figures

    with connection.cursor() as cursor:
        tables = ", ".join(m._meta.db_table for m in (Call, Conversation))
        cursor.execute(f"TRUNCATE {tables} CASCADE")
    runs = 9
    result = figures.measure(
        calls=args.figures_calls, conversations=args.figures_conversations, runs=runs
    )
    figures.print_result(result, runs)


def run_evening(args: argparse.Namespace) -> None:
    from . import evening

    names = (
        list(evening.CONFIGURATIONS)
        if args.configurations == "all"
        else args.configurations.split(",")
    )
    results = []
    for name in names:
        populate(args.population)  # afresh for each configuration: the same locals, unrung
        configuration = {**evening.CONFIGURATIONS, **evening.EXPLORATORY}[name]
        results.append(
            evening.simulate(
                configuration, seed=args.seed, hours=args.hours, evenings=args.evenings
            )
        )
    evening.print_results(
        results,
        ambassadors=args.population,
        hours=args.hours,
        seed=args.seed,
        evenings=args.evenings,
    )


def run_queue(args: argparse.Namespace) -> None:
    from . import queue

    populate(args.ambassadors, fresh=True)
    results = queue.measure(
        calls=args.month_calls, runs=args.queue_runs, before_runs=args.before_runs
    )
    queue.print_results(
        results, size=args.ambassadors, runs=args.queue_runs, before_runs=args.before_runs
    )
    populate(args.ambassadors, fresh=True)  # the next benchmark starts from an unaged queue


def run_points(args: argparse.Namespace) -> None:
    from . import points

    populate(min(args.ambassadors, 10_000))
    points.print_result(points.measure(args.awards))


def run_voice(args: argparse.Namespace) -> None:
    from . import voice

    results, early = [], []
    for size in (int(size) for size in args.sizes.split(",")):
        populate(size)
        results.append(voice.measure(size, calls=args.calls))
        early.append(voice.measure_early(size, calls=args.calls))
    voice.print_results(results)
    voice.print_early(early)


def run_sms(args: argparse.Namespace) -> None:
    from . import sms

    results = []
    for size in (int(size) for size in args.sizes.split(",")):
        populate(size)
        results.extend(sms.measure(size, texts=args.texts))
    sms.print_results(results)


def run_selector(args: argparse.Namespace) -> None:
    from django.db import connection

    from . import selector

    populate(args.ambassadors)
    if args.sql:
        with connection.cursor() as cursor:
            for statement in args.sql:
                print(f"Running: {statement}")
                cursor.execute(statement)
            cursor.execute("ANALYZE")
    print_timings([selector.measure(case, runs=args.runs) for case in selector.CASES], args.runs)
    print_indexes()
    for case in selector.EXPLAINED:
        print(f"\n## EXPLAIN (ANALYZE, BUFFERS), first 5: {case.label}\n")
        print(selector.plan(case))


def describe_machine() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('server_version'), current_setting('shared_buffers'), "
            "current_setting('work_mem'), current_setting('jit')"
        )
        server, buffers, work_mem, jit = cursor.fetchone()
    print(f"# Availability selector benchmark ({connection.settings_dict['NAME']})\n")
    print(
        f"Machine: {os.cpu_count()} CPUs, {platform.machine()}, Python {platform.python_version()}"
        f", PostgreSQL {server} (shared_buffers {buffers}, work_mem {work_mem}, jit {jit})."
    )


def populate(count: int, *, fresh: bool = False) -> None:
    from django.db import connection

    from ambassadors.models import Ambassador
    from calls.models import Call

    from . import data, selector

    # Calls placed by an earlier run moved people to the back of the queue: start afresh then,
    # so every run measures the same population in the same order.
    if not fresh and Ambassador.objects.count() == count and not Call.objects.exists():
        print(f"Reusing the {count:,} ambassadors already in the database.")
        return
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {Ambassador._meta.db_table}, {Call._meta.db_table} CASCADE")
    started = time.perf_counter()
    population = data.Population(count, now=selector.NOW).build()
    built = time.perf_counter()
    counts = data.load(population)
    print(
        f"Generated in {built - started:.1f} s, loaded with COPY and analysed in "
        f"{time.perf_counter() - built:.1f} s: "
        + ", ".join(f"{table} {rows:,}" for table, rows in counts.items())
    )


def print_indexes() -> None:
    from . import selector

    print("\nIndexes in the first-5 plans:\n")
    used: set[str] = set()
    for case in selector.CASES:
        names = selector.indexes_used(selector.plan(case))
        used |= names
        print(f"- {case.label}: {', '.join(sorted(names)) or 'NONE (sequential scans only)'}")
    unused = selector.selector_indexes() - used
    if unused:
        listed = ", ".join(sorted(unused))
        print(f"\nDeclared for the selector but used by none of these plans: {listed}")


def print_timings(results: list[Result], runs: int) -> None:
    print(f"\nMilliseconds per call, median / p95 over {runs} warm runs (ORM included).\n")
    print("| case | available | first 5: median | p95 | count(): median | p95 |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        print(
            f"| {r.case.label} | {r.found:,} | {r.first.median_ms:.1f} | {r.first.p95_ms:.1f} "
            f"| {r.count.median_ms:.1f} | {r.count.p95_ms:.1f} |"
        )


if __name__ == "__main__":
    main()
