"""The line's dashboard at scale (issue 14): a million calls and 300,000 text conversations
written straight into PostgreSQL with INSERT … SELECT over generate_series (seconds, not
minutes), the rollups rebuilt by ``figures_rebuild``, then the month's dashboard rendered
through the whole request stack, for staff (every line) and for a network's coordinator.

Four lines: a national one (70 % of calls; callers choose among 18 regions or none) and three
regional ones (one region each). Calls and texts are spread evenly over the 61 days before NOW,
so the month shown holds about half of them and the previous period (the comparison) the rest.
"""

from __future__ import annotations

import os
import statistics
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import time_machine
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from ambassadors.models import Ambassador, CommunityMembership, MembershipStatus
from calls.figures.rollup import figures_rebuild
from calls.models import Call, Conversation, FigureDay, FigureHour, PhoneLine
from concierge.models import (
    Community,
    Membership,
    OfficeNetwork,
    Region,
    Role,
    TouristOffice,
    User,
)

NOW = datetime(2026, 6, 30, 21, 0, tzinfo=UTC)
DAYS = 61
COUNTRIES = (
    "FR,GB,DE,US,ES,IT,NL,BE,CH,CN,JP,BR,CA,AU,KR,PT,PL,SE,AT,IE,IN,MX,AR,DK,NO,IL,RU,TR,GR,CZ"
)
LANGUAGES = "en,fr,de,es,it,pt,nl,zh,ja"
PLAIN_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


@dataclass(frozen=True)
class Render:
    who: str
    median_ms: float
    p95_ms: float
    queries: int
    cpu_ms: float  # the web process's own CPU time (median): what the machine's load cannot inflate
    sql_ms: float  # the queries' time as Django saw it (median of the sums)


@dataclass(frozen=True)
class FiguresResult:
    calls: int
    conversations: int
    generate_s: float
    rebuild_s: float
    hour_rows: int
    day_rows: int
    renders: list[Render]


def _people() -> tuple[int, int, Membership]:
    """A volunteer and an advisor to credit, and the coordinator of a network covering one
    regional line's region."""
    user = User.objects.create_user(email="bench-figures-volunteer@example.com")
    ambassador = Ambassador.objects.create(
        user=user, display_name="Camille", date_of_birth=NOW.date() - timedelta(days=12000)
    )
    network = OfficeNetwork.objects.create(name="Bench figures network")
    network.regions.set(Region.objects.filter(code="auvergne-rhone-alpes"))
    office = TouristOffice.objects.create(name="Annecy", network=network)
    advisor = Membership.objects.create(
        user=User.objects.create_user(email="bench-figures-advisor@example.com"),
        network=network,
        office=office,
        role=Role.ADVISOR,
    )
    coordinator = Membership.objects.create(
        user=User.objects.create_user(email="bench-figures-coordinator@example.com"),
        network=network,
        role=Role.COORDINATOR,
    )
    return ambassador.pk, advisor.pk, coordinator


def _lines() -> list[int]:
    national = PhoneLine.objects.create(number="+33189000000", label="National")
    lines = [national.pk]
    for n, code in enumerate(("auvergne-rhone-alpes", "bretagne", "corse"), start=1):
        line = PhoneLine.objects.create(number=f"+3318900000{n}", label=f"Line {code}")
        line.regions.set(Region.objects.filter(code=code))
        lines.append(line.pk)
    return lines


def _forget() -> None:
    """What an earlier run (--keepdb) left: its people, network and lines (calls are gone)."""
    User.objects.filter(email__startswith="bench-figures-").delete()
    TouristOffice.objects.filter(network__name="Bench figures network").delete()
    OfficeNetwork.objects.filter(name="Bench figures network").delete()
    PhoneLine.objects.filter(number__startswith="+3318900000").delete()


def generate(calls: int, conversations: int) -> None:
    _forget()
    volunteer, advisor, _coordinator = _people()
    hikers = Community.objects.get(code="hikers")
    CommunityMembership.objects.create(
        ambassador_id=volunteer, community=hikers, status=MembershipStatus.APPROVED
    )
    lines = _lines()
    regions = list(Region.objects.order_by("pk").values_list("pk", flat=True))
    regional = {
        lines[n]: Region.objects.get(code=code).pk
        for n, code in enumerate(("auvergne-rhone-alpes", "bretagne", "corse"), start=1)
    }
    motives = "ARRAY[" + ",".join(str(pk) for pk in _motives()) + "]"
    region_array = "ARRAY[" + ",".join(map(str, regions)) + "]"
    params: dict[str, Any] = {
        "n": calls,
        "now": NOW,
        "days": DAYS,
        "volunteer": volunteer,
        "advisor": advisor,
        "national": lines[0],
        "l1": lines[1],
        "l2": lines[2],
        "l3": lines[3],
        "r1": regional[lines[1]],
        "r2": regional[lines[2]],
        "r3": regional[lines[3]],
        "countries": COUNTRIES.split(","),
        "languages": LANGUAGES.split(","),
        "community": hikers.pk,  # one call or text in ten asks for it; the volunteer is in
    }
    with connection.cursor() as cursor:
        cursor.execute(  # ids of our own rows; values as parameters
            f"""
            INSERT INTO calls_call (sid, public_id, line_id, caller_number, caller_hash,
                caller_country, language, motive_id, region_id, status, received_at,
                answered_at, ended_at, duration, responder_id, advisor_id, is_rehearsal,
                rolled_up_at, community_id)
            SELECT 'CB' || lpad(g::text, 32, '0'), md5(g::text)::uuid, line, '', '',
                (%(countries)s::text[])[1 + floor(power(random(), 2.5) * 30)::int],
                (%(languages)s::text[])[1 + floor(power(random(), 2) * 9)::int],
                CASE WHEN random() < 0.3 THEN NULL
                     ELSE ({motives})[1 + floor(random() * array_length({motives}, 1))::int] END,
                CASE line WHEN %(l1)s THEN %(r1)s WHEN %(l2)s THEN %(r2)s WHEN %(l3)s THEN %(r3)s
                     ELSE CASE WHEN random() < 0.15 THEN NULL
                          ELSE ({region_array})[1 + floor(power(random(), 1.7)
                               * array_length({region_array}, 1))::int] END END,
                status, received,
                CASE WHEN status = 'completed'
                     THEN received + make_interval(secs => 4 + power(random(), 3) * 400) END,
                received + interval '6 minutes', 0,
                CASE WHEN status = 'completed' AND handler >= 0.2 THEN %(volunteer)s END,
                CASE WHEN status = 'completed' AND handler < 0.2 THEN %(advisor)s END,
                false, received, CASE WHEN random() < 0.1 THEN %(community)s END
            FROM (
                SELECT g,
                    CASE WHEN r1 < 0.7 THEN %(national)s WHEN r1 < 0.8 THEN %(l1)s
                         WHEN r1 < 0.9 THEN %(l2)s ELSE %(l3)s END AS line,
                    CASE WHEN r2 < 0.74 THEN 'completed' WHEN r2 < 0.84 THEN 'no_responder'
                         WHEN r2 < 0.97 THEN 'abandoned' ELSE 'refused' END AS status,
                    %(now)s - make_interval(secs => random() * %(days)s * 86400) AS received,
                    random() AS handler
                FROM (SELECT g, random() AS r1, random() AS r2
                      FROM generate_series(1, %(n)s) AS g) AS seeds
            ) AS drawn
            """,  # noqa: S608
            params,
        )
        # The first ring ends the menus: for every call that got past them.
        cursor.execute(
            """
            INSERT INTO calls_callattempt (call_id, ambassador_id, advisor_id, "order", "group",
                outcome, started_at, ended_at)
            SELECT id, CASE WHEN advisor_id IS NULL THEN %(volunteer)s END, advisor_id, 1, 1,
                CASE WHEN status = 'completed' THEN 'accepted' ELSE 'no_answer' END,
                received_at + make_interval(secs => 2 + random() * 40), NULL
            FROM calls_call WHERE status IN ('completed', 'no_responder')
            """,
            params,
        )
        cursor.execute(
            """
            INSERT INTO calls_callbackrequest (call_id, status, created_at)
            SELECT id, 'served', received_at FROM calls_call
            WHERE status = 'no_responder' AND id % 3 = 0
            """
        )
        params["n"] = conversations
        cursor.execute(  # ids of our own rows; values as parameters
            f"""
            INSERT INTO calls_conversation (public_id, line_id, tourist_number, tourist_country,
                language, motive_id, responder_id, advisor_id, code, status, close_reason,
                opened_at, assigned_at, first_reply_at, first_response_time, faq_sent_at,
                last_activity_at, closed_at, is_rehearsal, tourist_told_masking,
                local_told_masking, rolled_up_at, community_id)
            SELECT md5('t' || g::text)::uuid, line, '+4477' || lpad(g::text, 9, '0'),
                (%(countries)s::text[])[1 + floor(power(random(), 2.5) * 30)::int],
                (%(languages)s::text[])[1 + floor(power(random(), 2) * 9)::int],
                CASE WHEN random() < 0.5 THEN NULL
                     ELSE ({motives})[1 + floor(random() * array_length({motives}, 1))::int] END,
                CASE WHEN reply IS NOT NULL AND handler >= 0.25 THEN %(volunteer)s END,
                CASE WHEN reply IS NOT NULL AND handler < 0.25 THEN %(advisor)s END,
                '', 'closed', 'idle', opened, opened + reply, opened + reply, reply,
                CASE WHEN handler > 0.6 THEN opened END, opened, opened + interval '3 hours',
                false, false, false, opened, CASE WHEN random() < 0.1 THEN %(community)s END
            FROM (
                SELECT g,
                    CASE WHEN random() < 0.7 THEN %(national)s WHEN random() < 0.33 THEN %(l1)s
                         WHEN random() < 0.5 THEN %(l2)s ELSE %(l3)s END AS line,
                    %(now)s - make_interval(secs => random() * %(days)s * 86400) AS opened,
                    CASE WHEN random() < 0.85
                         THEN make_interval(secs => 20 + power(random(), 2) * 3 * 3600) END
                         AS reply,
                    random() AS handler
                FROM generate_series(1, %(n)s) AS g
            ) AS drawn
            """,  # noqa: S608
            params,
        )
        cursor.execute("ANALYZE")


def _motives() -> list[int]:
    from concierge.models import CallMotive

    return list(CallMotive.objects.values_list("pk", flat=True))


def _time(client: Client, url: str, runs: int) -> tuple[list[float], int, float, float]:
    client.get(url)  # warm up
    timings, cpu, sql, queries = [], [], [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            began, began_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            timings.append((time.perf_counter() - began) * 1000)
            cpu.append((time.process_time() - began_cpu) * 1000)
        assert response.status_code == 200, response.status_code
        queries = len(captured)
        sql.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
    return timings, queries, statistics.median(cpu), statistics.median(sql)


@override_settings(STORAGES=PLAIN_STATIC)
def measure(
    *, calls: int = 1_000_000, conversations: int = 300_000, runs: int = 9
) -> FiguresResult:
    began = time.perf_counter()
    generate(calls, conversations)
    generated = time.perf_counter()
    figures_rebuild()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    rebuilt = time.perf_counter()
    staff = User.objects.create_user(email="bench-figures-staff@example.com", is_staff=True)
    coordinator = Membership.objects.get(user__email="bench-figures-coordinator@example.com")
    client = Client(HTTP_HOST=settings.PUBLIC_BASE_URL.split("://", 1)[1])
    month = "?start=2026-06-01&end=2026-06-30"
    renders = []
    with time_machine.travel(NOW, tick=True):
        for who, user, url in (
            ("staff, every line", staff, f"/calls/figures/{month}"),
            ("coordinator, one network", coordinator.user, f"/calls/figures/{month}"),
            ("staff, CSV of countries", staff, f"/calls/figures/countries.csv{month}"),
        ):
            client.force_login(user)
            timings, queries, cpu, sql = _time(client, url, runs)
            ordered = sorted(timings)
            p95 = ordered[int(0.95 * (len(ordered) - 1))]
            renders.append(Render(who, statistics.median(timings), p95, queries, cpu, sql))
    return FiguresResult(
        calls=Call.objects.count(),
        conversations=Conversation.objects.count(),
        generate_s=generated - began,
        rebuild_s=rebuilt - generated,
        hour_rows=FigureHour.objects.count(),
        day_rows=FigureDay.objects.count(),
        renders=renders,
    )


def print_result(result: FiguresResult, runs: int) -> None:
    print("\n# The line's dashboard at scale\n")
    print(
        f"{result.calls:,} calls and {result.conversations:,} conversations generated in "
        f"{result.generate_s:.1f} s; rollups rebuilt in {result.rebuild_s:.1f} s "
        f"({result.hour_rows:,} hourly rows, {result.day_rows:,} daily rows).\n"
    )
    print(
        f"The month of June 2026, median and p95 over {runs} warm renders (whole request stack).\n"
    )
    print("| page | median ms | p95 ms | SQL queries | SQL ms | web process CPU ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for r in result.renders:
        print(
            f"| {r.who} | {r.median_ms:.1f} | {r.p95_ms:.1f} | {r.queries} | {r.sql_ms:.1f} "
            f"| {r.cpu_ms:.1f} |"
        )
    print(f"\nLoad average while measuring: {os.getloadavg()[0]:.1f} (on {os.cpu_count()} CPUs).")
