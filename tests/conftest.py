"""Shared fixtures: named personas and the real parts (database, browser) a test needs."""

from __future__ import annotations

import os
import shutil

import pytest
from django.db import connection

from calls.telephony import fake_calls, locmem

from .factories import make_ambassador, make_user

IN_CI = os.environ.get("CI") == "true"


@pytest.fixture(autouse=True)
def _empty_cache():
    """What one test cached (e.g. whether a rota shift is running) never leaks into another."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    locmem.outbox.clear()
    locmem.deleted_recordings.clear()
    locmem.numbers.clear()
    locmem.senders.clear()
    fake_calls.placed.clear()
    fake_calls.ended.clear()
    yield
    locmem.outbox.clear()
    locmem.deleted_recordings.clear()
    locmem.numbers.clear()
    locmem.senders.clear()
    fake_calls.placed.clear()
    fake_calls.ended.clear()


# Under pytest-xdist (`make test` runs `pytest -n auto --dist loadgroup`) each worker has a
# database of its own (test_<name>_gw0, _gw1...), its own live server and Prism on free ports, and
# Celery queues named per test; only these tests are kept together on one worker:
XDIST_GROUPS = {
    # Chromium is the heaviest thing the suite runs: one browser at a time, so that a second one
    # does not starve the live server and Playwright's timeouts of CPU on a small machine.
    "browser": lambda item: "browser" in item.keywords,
    # Each worker that needs Prism starts its own (a Node.js process, ~1.5 s): start one.
    "prism": lambda item: bool(
        {"prism_url", "prism_examples_url", "prism_messaging_url"}
        & set(getattr(item, "fixturenames", ()))
    ),
    # The PostgreSQL race tests open dozens of connections at once (one per thread): two of them
    # on two workers together can pass the server's max_connections.
    "postgres": lambda item: "postgres" in getattr(item, "fixturenames", ()),
}


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(config, items):
    for item in items:
        for group, belongs in XDIST_GROUPS.items():
            if belongs(item):
                item.add_marker(pytest.mark.xdist_group(group))
    # Browser tests skip on a laptop without Chromium; in CI they run (and fail if it is gone).
    if IN_CI or shutil.which("chromium"):
        return
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason="Debian's chromium is not installed"))


@pytest.fixture
def postgres(db):
    if connection.vendor != "postgresql":
        if IN_CI:
            pytest.fail("CI must run this test on PostgreSQL (set DATABASE_URL).")
        pytest.skip("needs PostgreSQL: set DATABASE_URL")


@pytest.fixture
def alice(db):
    """An onboarded ambassador, available around the clock, speaking English and French."""
    from .factories import every_day

    return make_ambassador("alice@example.com", name="Alice", slots=every_day())


@pytest.fixture
def bob(db):
    """Another onboarded ambassador: the one whose data Alice must never reach."""
    from .factories import every_day

    return make_ambassador("bob@example.com", name="Bob", languages=("en", "de"), slots=every_day())


@pytest.fixture
def newcomer(db):
    """Signed up and e-mail verified, nothing else yet."""
    return make_user("newcomer@example.com")


@pytest.fixture
def staff(db):
    return make_user("staff@example.com", is_staff=True, is_superuser=True)
