"""Login limits are counted in the cache CACHE_URL names: with Redis, a lock set through one web
process holds in every other (issue 11, hole 3)."""

from __future__ import annotations

import hashlib
import os
import socket
import uuid
from urllib.parse import urlsplit

import environ
import pytest
import redis
from django.test import override_settings

from ..concierge.environment import database_url, run_python, settings_under
from ..conftest import IN_CI
from ..factories import make_user

pytestmark = pytest.mark.django_db

BROKER = os.environ.get("CELERY_BROKER_URL", "").strip() or "redis://127.0.0.1:6379/0"

ANOTHER_PROCESS = """
import os
import django
django.setup()
from django.test import RequestFactory
from concierge.lib.logins import LoginLocked, login_with_password
request = RequestFactory().post("/api/v1/auth/token/", REMOTE_ADDR="192.0.2.200")
try:
    login_with_password(request, email=os.environ["EMAIL"], password="anything")
except LoginLocked as locked:
    print("locked", locked.wait)
"""


@pytest.fixture
def redis_cache_url():
    parts = urlsplit(BROKER)
    try:
        socket.create_connection((parts.hostname, parts.port or 6379), timeout=1).close()
    except OSError:
        if IN_CI:
            pytest.fail("CI must run this test with Redis")
        pytest.skip("needs Redis on CELERY_BROKER_URL's host")
    return f"redis://{parts.netloc}/15"


@pytest.fixture
def dana(redis_cache_url):
    """An account of this run only: no other run sharing the Redis server touches its lock."""
    email = f"dana-{uuid.uuid4().hex[:12]}@example.com"
    make_user(email)
    yield email
    # allauth names the lock after a hash of "<host>:<e-mail>"; the addresses' counters expire
    # within a minute.
    digest = hashlib.sha256(f"testserver:{email}".encode()).hexdigest()
    server = redis.Redis.from_url(redis_cache_url)
    for key in server.scan_iter(f"*{digest}"):
        server.delete(key)


def test_cache_url_chooses_the_cache():
    default = settings_under(DEBUG="1")["CACHES"]["default"]["BACKEND"]
    assert default == "django.core.cache.backends.locmem.LocMemCache"
    shared = settings_under(DEBUG="1", CACHE_URL="redis://127.0.0.1:6379/1")
    assert shared["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"


def test_a_lock_set_in_this_process_holds_in_another(api, dana, redis_cache_url):
    with override_settings(CACHES={"default": environ.Env.cache_url_config(redis_cache_url)}):
        for n in range(5):
            response = api.post(
                "/api/v1/auth/token/",
                {"email": dana, "password": "wrong"},
                REMOTE_ADDR=f"192.0.2.{n + 1}",
            )
            assert response.status_code == 400
    result = run_python(
        "-c",
        ANOTHER_PROCESS,
        DJANGO_SETTINGS_MODULE="tests.settings",
        CACHE_URL=redis_cache_url,
        EMAIL=dana,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("locked ")
    assert 0 < int(result.stdout.split()[1]) <= 300


THROTTLED_ELSEWHERE = """
import os
import django
django.setup()
RUN = os.environ["RUN"]
from rest_framework.test import APIClient
client = APIClient()
codes = [
    client.post(
        "/api/v1/auth/token/", {"email": f"there{n}-{RUN}@example.com", "password": "x"},
        REMOTE_ADDR="198.51.100.77",
    ).status_code
    for n in range(int(os.environ["TRIES"]))
]
print(" ".join(map(str, codes)))
"""


def test_an_address_limit_counts_the_attempts_of_every_process(api, postgres, redis_cache_url):
    """Ten failed logins a minute per address, wherever they land: six here and five in another
    web process make eleven, and the eleventh is refused."""
    server = redis.Redis.from_url(redis_cache_url)
    run = uuid.uuid4().hex[:8]  # addresses of this run: each e-mail address has a limit too
    forget = lambda: [server.delete(key) for key in server.scan_iter("*198.51.100.77*")]  # noqa: E731
    forget()
    with override_settings(CACHES={"default": environ.Env.cache_url_config(redis_cache_url)}):
        for n in range(6):
            response = api.post(
                "/api/v1/auth/token/",
                {"email": f"here{n}-{run}@example.com", "password": "x"},
                REMOTE_ADDR="198.51.100.77",
            )
            assert response.status_code == 400
    result = run_python(
        "-c",
        THROTTLED_ELSEWHERE,
        DJANGO_SETTINGS_MODULE="tests.settings",
        CACHE_URL=redis_cache_url,
        TRIES="5",
        RUN=run,
        DATABASE_URL=database_url(),  # the other process reads the same (empty) users table
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["400"] * 4 + ["429"]
    forget()
