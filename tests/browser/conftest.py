from __future__ import annotations

import importlib

import pytest
from django.apps import apps


@pytest.fixture(autouse=True)
def _destination_defaults(transactional_db):
    """Browser tests use a flushed database: put back the regions and motives the data
    migration creates."""
    migration = importlib.import_module("concierge.migrations.0002_default_regions_and_motives")
    migration.add_defaults(apps, None)
