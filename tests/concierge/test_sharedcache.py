"""The shared cache tolerated when down: what degrades is said, and a bug still raises."""

from __future__ import annotations

import environ
import pytest
from django.core.cache import cache
from django.test import override_settings

from concierge.lib.sharedcache import DOWN, tolerant

from ..calls.conftest import free_port


@pytest.fixture
def unreachable():
    down = {"default": environ.Env.cache_url_config(f"redis://127.0.0.1:{free_port()}/0")}
    with override_settings(CACHES=down):
        yield


def test_an_unreachable_cache_answers_down_and_says_what_degrades(unreachable, caplog):
    got = tolerant(lambda: cache.get("k"), down=DOWN, degrades="the test reads the database")
    assert got is DOWN
    assert "shared cache is unreachable: the test reads the database" in caplog.text


def test_a_reachable_cache_answers(caplog):
    cache.set("sharedcache-test", 7)
    assert tolerant(lambda: cache.get("sharedcache-test"), down=DOWN, degrades="-") == 7
    assert "unreachable" not in caplog.text


def test_a_bug_is_not_taken_for_an_outage(unreachable):
    def broken() -> None:
        raise TypeError("a caller's bug")

    with pytest.raises(TypeError):
        tolerant(broken, down=None, degrades="-")
