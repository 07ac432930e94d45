"""Reads of the rotas that other apps rely on: whether any shift is running (asked on every
call and text, cached per half-minute) and what ``concierge.rotas`` offers them."""

from __future__ import annotations

from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone

import concierge.rotas
from concierge import rotas
from concierge.models import Assignment, Shift
from concierge.rotas.selectors import SHIFT_CHECK_SECONDS


def test_it_says_a_shift_is_running_only_while_someone_is_on_it(team):
    during = team.shift.starts_at + timedelta(hours=1)
    assert not rotas.any_shift_running(during)  # a shift nobody is assigned to
    cache.clear()
    Assignment.objects.create(shift=team.shift, membership=team.advisor_a)
    assert rotas.any_shift_running(during)
    assert rotas.any_shift_running(team.shift.starts_at)
    assert not rotas.any_shift_running(team.shift.ends_at + timedelta(minutes=1))
    assert not rotas.any_shift_running(team.shift.starts_at - timedelta(minutes=1))


def test_it_says_no_shift_is_running_when_there_is_none(db):
    assert not Shift.objects.exists()
    assert not rotas.any_shift_running(timezone.now())


def test_it_asks_the_database_once_per_half_minute(team, django_assert_num_queries):
    Assignment.objects.create(shift=team.shift, membership=team.advisor_a)
    window = team.shift.starts_at + timedelta(hours=1)
    with django_assert_num_queries(1):
        assert rotas.any_shift_running(window)
        assert rotas.any_shift_running(window + timedelta(seconds=SHIFT_CHECK_SECONDS - 1))


def test_the_package_offers_what_calls_import():
    for name in ("advisors_on_duty", "on_duty_conditions", "any_shift_running"):
        assert name in concierge.rotas.__all__
        assert callable(getattr(concierge.rotas, name))
