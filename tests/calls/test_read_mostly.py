"""Lines, motives, regions and the rest are kept in each process and checked against a version in
the shared cache: no query per webhook, and an edit made anywhere is seen everywhere within a
second (issue 15, items 2 and 5)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from urllib.parse import urlsplit

import environ
import pytest
from django.test import override_settings

from calls.cached import Line, active_line, faq_entries
from calls.models import FaqEntry, PhoneLine
from concierge import cached

from ..concierge.environment import ROOT, database_url
from ..conftest import IN_CI

NUMBER = "+33199000077"

ANOTHER_PROCESS = f"""
import sys, time
import django
django.setup()
from calls.cached import active_line
assert active_line("{NUMBER}") is not None, "the line should be active at first"
print("ready", flush=True)
deadline = time.monotonic() + 10
while active_line("{NUMBER}") is not None and time.monotonic() < deadline:
    time.sleep(0.01)
print("gone" if active_line("{NUMBER}") is None else "still there", flush=True)
"""


@pytest.fixture
def redis_cache():
    """The shared cache on Redis (the database TEST_REDIS_DB names, 15 by default)."""
    broker = os.environ.get("CELERY_BROKER_URL", "").strip() or "redis://127.0.0.1:6379/0"
    parts = urlsplit(broker)
    try:
        socket.create_connection((parts.hostname, parts.port or 6379), timeout=1).close()
    except OSError:
        if IN_CI:
            pytest.fail("CI must run this test with Redis")
        pytest.skip("needs Redis on CELERY_BROKER_URL's host")
    url = f"redis://{parts.netloc}/{os.environ.get('TEST_REDIS_DB', '15')}"
    with override_settings(CACHES={"default": environ.Env.cache_url_config(url)}):
        from django.core.cache import cache

        cache.clear()
        yield url
        cache.clear()


@pytest.mark.django_db(transaction=True)
def test_a_line_switched_off_in_one_process_is_refused_by_another_within_a_second(
    postgres, redis_cache
):
    line = PhoneLine.objects.create(number=NUMBER, label="Seasonal")
    other = subprocess.Popen(
        [sys.executable, "-c", ANOTHER_PROCESS],
        cwd=ROOT,
        env={
            **{key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ},
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": database_url(),
            "CACHE_URL": redis_cache,
            "READ_MOSTLY_CHECK_SECONDS": "0.5",  # as in production
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert other.stdout is not None
        assert other.stdout.readline().strip() == "ready", other.stderr and other.stderr.read()
        line.is_active = False
        line.save()  # committed at once (no transaction around this test), version bumped
        switched_off = time.monotonic()
        seen = other.stdout.readline().strip()
        elapsed = time.monotonic() - switched_off
    finally:
        other.wait(timeout=30)
    assert seen == "gone"
    assert elapsed < 1.0


@pytest.mark.django_db(transaction=True)  # the line committed, as in production
def test_it_reads_a_line_once_then_keeps_it(django_assert_num_queries):
    PhoneLine.objects.create(number=NUMBER, label="Seasonal")
    with override_settings(READ_MOSTLY_CHECK_SECONDS=60):
        with django_assert_num_queries(1):
            assert active_line(NUMBER) is not None
        with django_assert_num_queries(0):
            for _ in range(5):
                assert active_line(NUMBER) is not None


@pytest.mark.django_db(transaction=True)
def test_without_a_shared_cache_an_edit_elsewhere_is_seen_within_half_a_minute(time_machine):
    """Each process's own memory (no CACHE_URL): no version is shared, so each lasts 30 s."""
    time_machine.move_to("2026-06-09 18:00:00+00:00")
    PhoneLine.objects.create(number=NUMBER, label="Seasonal")
    assert found().line.label == "Seasonal"
    PhoneLine.objects.filter(number=NUMBER).update(label="Summer")  # as another process would
    time_machine.shift(20)
    assert found().line.label == "Seasonal"
    time_machine.shift(11)
    assert found().line.label == "Summer"


@pytest.mark.django_db
def test_an_edit_is_seen_at_once_by_the_process_that_made_it():
    line = PhoneLine.objects.create(number=NUMBER, label="Seasonal")
    with override_settings(READ_MOSTLY_CHECK_SECONDS=60):
        assert found().line.label == "Seasonal"
        line.label = "Summer"
        line.save()
        assert found().line.label == "Summer"
        line.delete()
        assert active_line(NUMBER) is None


@pytest.mark.django_db
def test_a_region_given_to_a_line_makes_it_regional_at_once():
    line = PhoneLine.objects.create(number=NUMBER, label="Seasonal")
    with override_settings(READ_MOSTLY_CHECK_SECONDS=60):
        assert found().is_national
        line.regions.set([cached.regions().active[0]])
        assert not found().is_national


@pytest.mark.django_db
def test_a_motive_switched_off_leaves_the_menus():
    with override_settings(READ_MOSTLY_CHECK_SECONDS=60):
        food = cached.motives().active_by_code("food-and-wine")
        assert food is not None
        food.is_active = False
        food.save()
        assert cached.motives().active_by_code("food-and-wine") is None
        assert food.pk in cached.motives().by_id  # a call that chose it still names it


@pytest.mark.django_db
def test_the_faq_is_read_from_the_database_when_the_shared_cache_is_down():
    FaqEntry.objects.create(topic="Trains", language="en", keywords="train", answer="SNCF.")
    down = {"default": environ.Env.cache_url_config(f"redis://127.0.0.1:{closed_port()}/0")}
    with override_settings(CACHES=down):
        assert [entry.topic for entry in faq_entries("en")] == ["Trains"]


def found() -> Line:
    line = active_line(NUMBER)
    assert line is not None
    return line


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.django_db(transaction=True)  # committed, as in production
def test_the_communities_a_caller_may_ask_for_are_read_once_then_kept(django_assert_num_queries):
    from ambassadors.cached import offered_communities
    from ambassadors.services.communities import community_join
    from concierge.models import Community

    from ..factories import make_ambassador

    # A member joins (committed): every process's copy is stale, this one's included.
    hikers = Community.objects.create(code="kept-hikers", name="Hikers", position=98)
    community_join(ambassador=make_ambassador("kept@example.com", name="Kim"), community=hikers)
    with override_settings(READ_MOSTLY_CHECK_SECONDS=60):
        with django_assert_num_queries(1):
            assert hikers in offered_communities()
        with django_assert_num_queries(0):  # the menu asks at every step
            for _ in range(5):
                offered_communities()


@pytest.mark.django_db
def test_a_community_is_offered_once_it_has_a_member_and_no_longer_when_they_leave():
    from ambassadors.cached import offered_communities
    from ambassadors.services.communities import community_join, community_leave
    from concierge.models import Community

    from ..factories import make_ambassador

    hikers = Community.objects.create(code="bench-hikers", name="Hikers", position=99)
    local = make_ambassador("hiker@example.com", name="Hana")
    with override_settings(READ_MOSTLY_CHECK_SECONDS=60):
        assert hikers not in offered_communities()
        community_join(ambassador=local, community=hikers)
        assert hikers in offered_communities()
        community_leave(ambassador=local, community=hikers)
        assert hikers not in offered_communities()
