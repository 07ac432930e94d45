"""The line's dashboard: who sees which calls, the previous period, CSV exports without a phone
number, a bounded number of queries."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from calls.figures.rollup import figures_rebuild
from calls.figures.tables import BUILDERS
from calls.models import PhoneLine
from concierge.models import Region

from ..factories import make_ambassador, make_user
from ..rotas.people import Team
from .figures_world import DAY, Figures, call

pytestmark = pytest.mark.django_db
TODAY = datetime(2026, 6, 20, 10, tzinfo=UTC)
JUNE = "start=2026-06-01&end=2026-06-20"


@pytest.fixture
def world():
    """The hand-computed day on the national line (Auvergne's network is Alps evenings), and a
    Breton line whose calls belong to another network."""
    team = Team()
    alps = Region.objects.get(code="auvergne-rhone-alpes")
    team.network.regions.add(alps)
    brittany = Region.objects.get(code="bretagne")
    team.outsider.network.regions.add(brittany)
    national = PhoneLine.objects.create(number="+33199000000", label="National")
    breton = PhoneLine.objects.create(number="+33299000000", label="Breizh line")
    breton.regions.add(brittany)
    camille = make_ambassador("camille@example.com")
    Figures(national, camille, team.advisor_a)
    for minutes in (0, 5, 10):
        call(breton, DAY + timedelta(hours=8, minutes=minutes), answered_after=15, menu=3,
             region=brittany, responder=camille)  # fmt: skip
    call(national, DAY - timedelta(days=20), answered_after=40, menu=8, responder=camille)  # May
    figures_rebuild()
    team.camille = camille  # type: ignore[attr-defined]
    return team


def rows(client, table: str, query: str = JUNE) -> list[list[str]]:
    with time_machine.travel(TODAY):
        response = client.get(f"/calls/figures/{table}.csv?{query}")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def summary(client, query: str = JUNE) -> dict[str, list[str]]:
    return {row[0]: row[1:] for row in rows(client, "summary", query)[1:]}


def test_it_shows_staff_every_line(client, world):
    client.force_login(make_user("staff@example.com", is_staff=True))

    assert summary(client)["Calls received"][0] == "10"  # 7 national + 3 Breton
    lines = {row[0]: row[1] for row in rows(client, "lines")[1:]}
    assert lines == {"National": "7", "Breizh line": "3"}


def test_it_shows_a_coordinator_only_their_networks_calls(client, world):
    client.force_login(world.coordinator.user)

    # Their network covers Auvergne: the one national call made from there, no Breton call.
    assert summary(client)["Calls received"][0] == "1"
    regions = [row[0] for row in rows(client, "regions")[1:]]
    assert regions == ["Auvergne-Rhône-Alpes"]


def test_it_shows_the_other_network_its_own_line(client, world):
    client.force_login(world.outsider.user)

    lines = {row[0]: row[1] for row in rows(client, "lines")[1:]}
    assert lines == {"Breizh line": "3"}


def test_it_hides_another_network_from_a_coordinator(client, world):
    client.force_login(world.coordinator.user)

    with time_machine.travel(TODAY):
        assert client.get(f"/calls/figures/?network={world.outsider.network_id}").status_code == 404
        assert (
            client.get(f"/calls/figures/lines.csv?network={world.outsider.network_id}").status_code
            == 404
        )
        assert client.get("/calls/figures/?network=abc").status_code == 404


def test_it_lets_staff_look_at_one_network(client, world):
    client.force_login(make_user("staff@example.com", is_staff=True))

    query = f"{JUNE}&network={world.outsider.network_id}"
    assert summary(client, query)["Calls received"][0] == "3"


def test_it_refuses_volunteers_and_advisors(client, world):
    for user in (world.camille.user, world.advisor_a.user):
        client.force_login(user)
        with time_machine.travel(TODAY):
            assert client.get("/calls/figures/").status_code == 403
            assert client.get("/calls/figures/summary.csv").status_code == 403
    client.logout()
    assert client.get("/calls/figures/").status_code == 302


def test_it_compares_with_the_period_just_before(client, world):
    client.force_login(make_user("staff@example.com", is_staff=True))

    # 1–20 June against 12–31 May: one call in May, answered after 40 s.
    received = summary(client)["Calls received"]
    assert received == ["10", "1", "9.0"]  # this period, the previous one, +900 %
    assert summary(client)["Time to a human, median"][1] == "37.5"  # inside [30, 45)


def test_it_exports_every_table_without_a_phone_number(client, world):
    client.force_login(make_user("staff@example.com", is_staff=True))
    phone = re.compile(r"\+?\d[\d ]{7,}")

    for table in ("summary", "days", "hours", "waits", "texts", "handlers", "countries",
                  "languages", "topics", "communities", "regions", "lines"):  # fmt: skip
        content = rows(client, table)
        assert content[0], table
        for row in content:
            for value in row:
                assert not phone.search(value), (table, value)
    assert len(BUILDERS) == 13


def test_it_says_what_is_wrong_with_the_dates(client, world):
    client.force_login(make_user("staff@example.com", is_staff=True))

    with time_machine.travel(TODAY):
        backwards = client.get("/calls/figures/?start=2026-06-20&end=2026-06-01")
        nonsense = client.get("/calls/figures/?start=yesterday&end=2026-06-01")
        csv_backwards = client.get("/calls/figures/days.csv?start=2026-06-20&end=2026-06-01")
        unknown = client.get(f"/calls/figures/nothing.csv?{JUNE}")
    assert backwards.status_code == 400
    assert "The last day comes before the first." in backwards.content.decode()
    assert nonsense.status_code == 400
    assert csv_backwards.status_code == 400
    assert unknown.status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "start=9999-12-31&end=9999-12-31",  # the day after is past the calendar's end
        "start=0001-01-01&end=0001-01-01",  # the period before is before its start
        "start=0001-01-01&end=0001-12-31",
    ],
)
def test_dates_at_the_calendars_edges_are_refused_with_a_reason(client, world, query):
    client.force_login(make_user("staff@example.com", is_staff=True))
    for url in ("/calls/figures/", "/calls/figures/communities.csv"):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 400
        assert "Invalid dates." in response.content.decode()


@pytest.mark.parametrize("network", ["¹", "²³", "x", "-1"])
def test_a_network_that_is_no_number_is_not_found(client, world, network):
    client.force_login(make_user("staff@example.com", is_staff=True))
    assert client.get("/calls/figures/", {"network": network}).status_code == 404
    assert client.get("/calls/figures/communities.csv", {"network": network}).status_code == 404


def test_it_renders_a_month_in_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.coordinator.user)
    with time_machine.travel(TODAY), django_assert_max_num_queries(12):
        response = client.get("/calls/figures/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page and "<title" in page and "<desc" in page
    assert "+33" not in page and "+49" not in page


def test_it_speaks_french(client, world):
    client.force_login(make_user("staff@example.com", is_staff=True))
    with time_machine.travel(TODAY):
        page = client.get("/calls/figures/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "La ligne en chiffres" in page


def rate(call_row, score: int, at: datetime) -> None:
    from calls.models import Rating

    Rating.objects.create(
        call=call_row,
        line=call_row.line,
        ambassador=call_row.responder,
        tourist_hash=f"hash-{call_row.pk}",
        score=score,
        answered_at=at,
    )


def test_what_visitors_thought_is_counted_per_score_and_scoped(client, world):
    from calls.models import Call

    breton = list(Call.objects.filter(line__label="Breizh line").order_by("pk"))
    national = Call.objects.filter(line__label="National").order_by("pk")
    in_june = datetime(2026, 6, 10, 12, tzinfo=UTC)
    rate(breton[0], 5, in_june)
    rate(breton[1], 2, in_june)
    rate(national[0], 4, in_june)
    rate(national[1], 1, datetime(2026, 5, 10, 12, tzinfo=UTC))  # before the period

    client.force_login(make_user("staff@example.com", is_staff=True))
    scores = {row[0]: row[1:] for row in rows(client, "satisfaction")[1:]}
    assert scores["5"][:2] == ["1", "0"]
    assert scores["4"][:2] == ["1", "0"] and scores["2"][:2] == ["1", "0"]
    assert scores["1"][:2] == ["0", "0"]
    assert scores["Average"][0] == "3.7"  # (5 + 4 + 2) / 3

    client.force_login(world.outsider.user)  # the Breton network's coordinator
    scores = {row[0]: row[1:] for row in rows(client, "satisfaction")[1:]}
    assert scores["Average"][0] == "3.5"  # only the Breton line's two answers
