"""Figures by community (issue 16, item 3): calls and texts that asked for one, and how many a
member answered, against a hand-computed day; and the public community pages, which count
members and their last 30 days' activity without ever naming anyone."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from ambassadors.models import CommunityMembership, MembershipStatus
from calls.figures.rollup import figures_count_call, figures_rebuild
from calls.models import Call, CallStatus, Conversation, Dimension, FigureDay, PhoneLine
from concierge.models import Community

from ..factories import make_ambassador, make_user
from .figures_world import DAY, call, text

pytestmark = pytest.mark.django_db
TODAY = datetime(2026, 6, 20, 10, tzinfo=UTC)
JUNE = "start=2026-06-01&end=2026-06-20"


def join(ambassador, code: str, status: str = MembershipStatus.APPROVED) -> None:
    community = Community.objects.get(code=code)
    CommunityMembership.objects.create(ambassador=ambassador, community=community, status=status)


def asking(row: Call | Conversation, code: str | None) -> None:
    row.community = Community.objects.get(code=code) if code else None
    row.save(update_fields=["community"])


@pytest.fixture
def day():
    """On 10 June: Hana hikes (an approved member), Kit is in no community.

    | what | community | answered by | wait |
    | call 1 | hikers | Hana | 20 s |
    | call 2 | hikers | Kit | 40 s |
    | call 3 | hikers | nobody (missed) | |
    | call 4 | families | Kit | 30 s |
    | call 5 | none | Hana | 10 s |
    | text 1 | hikers | Hana | 5 min |
    | text 2 | hikers | nobody | |
    """
    line = PhoneLine.objects.create(number="+33199000000", label="National")
    hana, kit = make_ambassador("hana@example.com"), make_ambassador("kit@example.com")
    join(hana, "hikers")
    nine = DAY.replace(hour=19)
    for minutes, code, who, wait in (
        (0, "hikers", hana, 20),
        (5, "hikers", kit, 40),
        (10, "hikers", None, None),
        (15, "families", kit, 30),
        (20, None, hana, 10),
    ):
        status = CallStatus.COMPLETED if who else CallStatus.NO_RESPONDER
        made = call(
            line,
            nine + timedelta(minutes=minutes),
            status=status,
            answered_after=wait,
            responder=who,
        )
        asking(made, code)
    replied = text(line, nine, replied_after=timedelta(minutes=5), responder=hana)
    unanswered = text(line, nine + timedelta(minutes=1), replied_after=None)
    asking(replied, "hikers")
    asking(unanswered, "hikers")
    return line


def rows(client, table: str) -> list[list[str]]:
    with time_machine.travel(TODAY):
        response = client.get(f"/calls/figures/{table}.csv?{JUNE}")
    assert response.status_code == 200, response.content
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_dashboard_counts_each_community_and_its_members_answers(client, day):
    figures_rebuild()
    client.force_login(make_user("staff@example.com", is_staff=True))
    table = rows(client, "communities")
    assert table[0] == [
        "Community", "Calls", "Answered", "Answered by a member", "Share answered by a member",
        "Time to a human, mean", "Texts", "Texts answered", "Texts answered by a member",
    ]  # fmt: skip
    assert table[1:] == [
        ["Hikers and walkers", "3", "2", "1", "0.5", "30.0", "2", "1", "1"],
        ["Families with children", "1", "1", "0", "0.0", "30.0", "0", "0", "0"],
    ]  # what asked for no community is not a row
    page = client.get(f"/calls/figures/?{JUNE}").content.decode()
    assert "By community" in page and "Hikers and walkers" in page


def test_a_call_counted_as_it_ends_lands_in_its_communitys_row(day):
    for pk in Call.objects.order_by("received_at").values_list("pk", flat=True):
        figures_count_call(call_id=pk)
    hikers = FigureDay.objects.get(
        dimension=Dimension.COMMUNITY, value="hikers", channel="call", line_key=day.pk
    )
    assert (hikers.received, hikers.answered, hikers.by_member) == (3, 2, 1)
    nothing = FigureDay.objects.get(
        dimension=Dimension.COMMUNITY, value="", channel="call", line_key=day.pk
    )
    assert (nothing.received, nothing.by_member) == (1, 0)  # Hana answered, but none was asked


def test_the_table_is_in_french_for_a_french_reader(client, day):
    figures_rebuild()
    client.force_login(make_user("staff@example.com", is_staff=True))
    with time_machine.travel(TODAY):
        page = client.get(f"/calls/figures/?{JUNE}", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Par communauté" in page and "Randonneurs" in page


# --- The public pages ---------------------------------------------------------------------------


def test_community_pages_count_members_and_30_days_of_answers_never_who(db):
    cache.clear()
    line = PhoneLine.objects.create(number="+33199000000", label="National")
    hana = make_ambassador("hana@example.com", name="Hana")
    pia = make_ambassador("pia@example.com", name="Pia")
    join(hana, "hikers")
    join(pia, "hikers", MembershipStatus.PENDING)  # not a member yet
    now = timezone.now()
    for days_ago, rehearsal in ((10, False), (40, False), (1, True)):
        call(
            line,
            now - timedelta(days=days_ago),
            answered_after=20,
            responder=hana,
            rehearsal=rehearsal,
        )
    text(line, now - timedelta(days=3), replied_after=timedelta(minutes=2), responder=hana)
    page = Client().get("/communities/hikers/").content.decode()
    assert "<strong>1</strong> local" in page
    assert "<strong>1</strong> call answered in the last 30 days" in page  # not 40 days ago
    assert "<strong>1</strong> text conversation in the last 30 days" in page
    listing = Client().get("/communities/").content.decode()
    for shown in (page, listing):
        assert "Hana" not in shown and "Pia" not in shown
        assert "@example.com" not in shown
        assert str(hana.phone_number) not in shown
