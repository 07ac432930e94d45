"""The load benchmark (``make bench --only load``) runs end to end against gunicorn on a tiny
population, and every row it prints was answered as it should be: a row with errors reports the
time of failures, not of the path it names. Not a timing test."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import connection

from benchmarks import data, load
from benchmarks.selector import NOW


@pytest.fixture
def committed_population(transactional_db, monkeypatch):
    """Gunicorn's workers read the database from other connections: the rows are committed."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL")
    # A transactional test before this one on the worker emptied every table, the regions and
    # topics the migrations wrote among them: written again (update_or_create, idempotent).
    defaults = importlib.import_module("concierge.migrations.0002_default_regions_and_motives")
    defaults.add_defaults(apps, None)
    data.load(data.Population(200, now=NOW).build())
    monkeypatch.setenv("BENCH_AT", load.AT.isoformat())
    # As ``python -m benchmarks`` sets it for the web processes it starts: plain http. They
    # inherit the test settings' key and public address, so the signatures agree.
    monkeypatch.setenv("SECURE_SSL_REDIRECT", "0")


def test_every_row_of_a_small_load_run_is_answered_without_errors(committed_population):
    results = load.measure(workers=2, concurrency=2, requests=6, burst=4)

    rows = results["this code"]
    names = [row.name for row in rows]
    assert "voice connect (rings a local)" in names
    assert any(name.startswith("connect in a burst") for name in names)
    for row in rows:
        assert row.errors == 0, f"{row.name}: {row.errors} errors"
        assert row.count > 0, f"{row.name}: nothing measured"
