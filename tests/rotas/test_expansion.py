"""Rota rules expand into shifts at the right instants, across DST changes; editing a rule
changes only future shifts; the line knows who is on duty."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from concierge import rotas
from concierge.models import (
    Assignment,
    Membership,
    OfficeNetwork,
    Region,
    Role,
    RotaRule,
    Shift,
    TouristOffice,
)

from ..factories import make_user

PARIS = ZoneInfo("Europe/Paris")
pytestmark = pytest.mark.django_db


@pytest.fixture
def network(db):
    network = OfficeNetwork.objects.create(name="Côte d'Azur evenings")
    network.regions.set(Region.objects.filter(code="provence-alpes-cote-d-azur"))
    return network


@pytest.fixture
def nice(network):
    return TouristOffice.objects.create(name="Nice", network=network)


def rule(network, days: str, start: time, end: time, **extra) -> RotaRule:
    return RotaRule.objects.create(
        network=network,
        name=days,
        weekdays=days,
        start_time=start,
        end_time=end,
        starts_on=extra.pop("starts_on", date(2026, 1, 1)),
        **extra,
    )


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_weekday_evenings_stay_at_eighteen_hundred_across_the_spring_change(network):
    rule(network, "MO,TU,WE,TH,FR", time(18), time(22), advisors_needed=2)
    # Clocks go forward on Sunday 29 March 2026: the week before is CET (+1), after is CEST (+2).
    assert rotas.rota_expand(network=network, start=date(2026, 3, 23), end=date(2026, 4, 5)) == 10
    starts = [s.starts_at for s in Shift.objects.all()]
    assert starts[0] == utc(2026, 3, 23, 17)
    assert starts[5] == utc(2026, 3, 30, 16)
    assert all(s.starts_at.astimezone(PARIS).hour == 18 for s in Shift.objects.all())
    assert all(s.ends_at - s.starts_at == timedelta(hours=4) for s in Shift.objects.all())
    assert {s.advisors_needed for s in Shift.objects.all()} == {2}


def test_a_night_shift_across_a_change_lasts_what_the_clock_says(network):
    rule(network, "SA", time(20), time(4))  # ends the next day
    rotas.rota_expand(network=network, start=date(2026, 3, 28), end=date(2026, 3, 28))
    rotas.rota_expand(network=network, start=date(2026, 10, 24), end=date(2026, 10, 24))
    spring, autumn = Shift.objects.all()
    assert spring.ends_at - spring.starts_at == timedelta(hours=7)  # an hour skipped
    assert autumn.ends_at - autumn.starts_at == timedelta(hours=9)  # an hour repeated
    assert spring.ends_at.astimezone(PARIS).time() == time(4)


def test_expanding_twice_creates_nothing_new_and_keeps_assignments(network, nice):
    rule(network, "SA,SU", time(10), time(22))
    advisor = Membership.objects.create(
        user=make_user("ana@example.com"), network=network, office=nice, role=Role.ADVISOR
    )
    assert rotas.rota_expand(network=network, start=date(2026, 5, 1), end=date(2026, 5, 31)) == 10
    Assignment.objects.create(shift=Shift.objects.all()[0], membership=advisor)
    assert rotas.rota_expand(network=network, start=date(2026, 5, 1), end=date(2026, 5, 31)) == 0
    assert Assignment.objects.count() == 1


def test_rules_respect_their_dates(network):
    rule(network, "MO", time(18), time(22), starts_on=date(2026, 6, 8), ends_on=date(2026, 6, 22))
    rotas.rota_expand(network=network, start=date(2026, 6, 1), end=date(2026, 6, 30))
    assert [s.starts_at.astimezone(PARIS).day for s in Shift.objects.all()] == [8, 15, 22]


def test_editing_a_rule_changes_only_future_shifts(network, nice):
    weekdays = rule(network, "MO,TU,WE,TH,FR", time(18), time(22))
    rotas.rota_expand(network=network, start=date(2026, 6, 1), end=date(2026, 6, 12))
    advisor = Membership.objects.create(
        user=make_user("ana@example.com"), network=network, office=nice, role=Role.ADVISOR
    )
    thursday = Shift.objects.get(starts_at=utc(2026, 6, 11, 16))
    Assignment.objects.create(shift=thursday, membership=advisor)
    now = datetime(2026, 6, 5, 12, tzinfo=PARIS)  # Friday noon: Friday's shift is still ahead

    rotas.rota_rule_change(rule=weekdays, now=now, weekdays="MO,TU,WE,TH", end_time=time(21))
    local = [
        (s.starts_at.astimezone(PARIS), s.ends_at.astimezone(PARIS)) for s in Shift.objects.all()
    ]
    past = [end.hour for start, end in local if start < now]
    future = [(start.strftime("%a %d"), end.hour) for start, end in local if start > now]
    assert past == [22, 22, 22, 22]  # Monday to Thursday as they were
    assert future == [("Mon 08", 21), ("Tue 09", 21), ("Wed 10", 21), ("Thu 11", 21)]
    assert Assignment.objects.get().shift_id == thursday.pk  # same time: kept
    with pytest.raises(rotas.RotaError, match="Unknown day"):
        rotas.rota_rule_change(rule=weekdays, now=now, weekdays="MO,XX")
    assert RotaRule.objects.get().weekdays == "MO,TU,WE,TH"


def test_the_line_knows_who_is_on_duty(network, nice):
    rule(network, "FR", time(18), time(22))
    rotas.rota_expand(network=network, start=date(2026, 6, 5), end=date(2026, 6, 5))
    shift = Shift.objects.get()
    verified = Membership.objects.create(
        user=make_user("ana@example.com"),
        network=network,
        office=nice,
        role=Role.ADVISOR,
        phone_number="+33612340101",
        phone_verified_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    unverified = Membership.objects.create(
        user=make_user("ben@example.com"), network=network, office=nice, role=Role.ADVISOR
    )
    for member in (verified, unverified):
        Assignment.objects.create(shift=shift, membership=member)
    during = datetime(2026, 6, 5, 19, 30, tzinfo=PARIS)
    provence = Region.objects.get(code="provence-alpes-cote-d-azur")
    brittany = Region.objects.get(code="bretagne")
    assert list(rotas.advisors_on_duty(at=during, region=provence)) == [verified]
    assert list(rotas.advisors_on_duty(at=during, region=None)) == [verified]
    assert list(rotas.advisors_on_duty(at=during, region=brittany)) == []
    assert list(rotas.advisors_on_duty(at=during + timedelta(hours=3), region=provence)) == []
