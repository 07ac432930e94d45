"""The rota month page for a large network: 20 offices, 80 advisors, 60 shifts, every seat
filled, rendered through the whole request stack as the coordinator would see it."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from datetime import date
from datetime import time as clock

from django.db import connection, reset_queries
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from concierge import rotas
from concierge.models import (
    Assignment,
    Membership,
    OfficeNetwork,
    Role,
    RotaRule,
    Shift,
    TouristOffice,
    User,
)

FIRST = date(2026, 6, 1)


@dataclass(frozen=True)
class RotaResult:
    shifts: int
    median_ms: float
    p95_ms: float
    queries: int


def build() -> Membership:
    old = OfficeNetwork.objects.filter(name="Bench network")
    TouristOffice.objects.filter(network__in=old).delete()  # offices protect their network
    old.delete()
    User.objects.filter(email__startswith="bench-").delete()
    network = OfficeNetwork.objects.create(name="Bench network")
    offices = [
        TouristOffice.objects.create(name=f"Office {n:02d}", network=network) for n in range(20)
    ]
    users = User.objects.bulk_create(
        User(email=f"bench-advisor-{n}@example.com", first_name=f"Advisor {n}") for n in range(80)
    )
    advisors = Membership.objects.bulk_create(
        Membership(user=u, network=network, office=offices[n % 20], role=Role.ADVISOR)
        for n, u in enumerate(users)
    )
    boss, _created = User.objects.get_or_create(email="bench-coordinator@example.com")
    coordinator = Membership.objects.create(user=boss, network=network, role=Role.COORDINATOR)
    for name, start, end in (
        ("Afternoons", clock(14), clock(18)),
        ("Evenings", clock(18), clock(22)),
    ):
        RotaRule.objects.create(
            network=network,
            name=name,
            weekdays="MO,TU,WE,TH,FR,SA,SU",
            start_time=start,
            end_time=end,
            advisors_needed=2,
            starts_on=FIRST,
        )
    rotas.rota_expand(network=network, start=FIRST, end=date(2026, 6, 30))
    Assignment.objects.bulk_create(
        Assignment(shift=shift, membership=advisors[(n + k * 40) % 80])
        for n, shift in enumerate(Shift.objects.filter(network=network))
        for k in range(2)
    )
    return coordinator


# Rendered without collectstatic: plain static file names, as in development.
PLAIN_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


@override_settings(STORAGES=PLAIN_STATIC)
def measure(*, runs: int = 30) -> RotaResult:
    from django.conf import settings

    coordinator = build()
    client = Client(HTTP_HOST=settings.PUBLIC_BASE_URL.split("://", 1)[1])
    client.force_login(coordinator.user)
    url = f"/rotas/{coordinator.network_id}/{FIRST.year}/{FIRST.month}/"
    client.get(url)  # warm up
    timings = []
    for _ in range(runs):
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200
    ordered = sorted(timings)
    return RotaResult(
        shifts=Shift.objects.filter(network=coordinator.network).count(),
        median_ms=statistics.median(timings),
        p95_ms=ordered[int(0.95 * (len(ordered) - 1))],
        queries=len(queries),
    )


def print_result(result: RotaResult) -> None:
    print("\n# Rota month page: 20 offices, 80 advisors, every seat filled\n")
    print("| shifts | render median ms | p95 | SQL queries |")
    print("| ---: | ---: | ---: | ---: |")
    print(f"| {result.shifts} | {result.median_ms:.1f} | {result.p95_ms:.1f} | {result.queries} |")
