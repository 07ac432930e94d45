from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import connections
from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(autouse=True)
def _destination_defaults(transactional_db):
    """Browser tests use a flushed database: put back the regions, motives and communities the
    data migrations create."""
    for name in ("0002_default_regions_and_motives", "0008_communities"):
        importlib.import_module(f"concierge.migrations.{name}").add_defaults(apps, None)


@pytest.fixture
def page():
    """A page of Debian's Chromium, in a browser of its own."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser.new_page(locale="en-GB")
        finally:
            # While Playwright's event loop runs, Django takes this thread for an async one and
            # gives the test's queries connections of their own, which nothing else closes: left
            # open, they keep PostgreSQL from dropping the test database at the end of the run
            # (it waits 5 s, then gives up with a warning).
            connections.close_all()
            browser.close()
