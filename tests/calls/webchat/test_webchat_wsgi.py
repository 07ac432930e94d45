"""The unchanged poll answered before Django's handler (calls.webchat.wsgi, in concierge.wsgi):
the same 304 as through the middleware, header for header, and everything else left to Django."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator

import pytest
from django.core import signals
from django.db import close_old_connections
from django.test import RequestFactory

from calls.webchat import wsgi
from calls.webchat.wsgi import PollShortcut
from concierge.wsgi import django_application

from .conftest import KEY, Visitor

pytestmark = pytest.mark.django_db

PATH = f"/chat/api/{KEY}/messages/"


class Server:
    """The wrapper in front of Django's real WSGI handler, as gunicorn calls it; it counts the
    requests the wrapper handed over to Django."""

    def __init__(self) -> None:
        self.handed_over = 0
        self.app = PollShortcut(self._django)

    def _django(self, environ, start_response):
        self.handed_over += 1
        return django_application(environ, start_response)

    def get(self, visitor: Visitor, *, token: str | None = None, more: str = "", **headers: str):
        headers = {"Origin": visitor.origin, "If-None-Match": visitor.etag, **headers}
        query = {"t": visitor.token if token is None else token}
        environ = RequestFactory().get(PATH, query, headers=headers).environ
        environ["REMOTE_ADDR"] = visitor.ip
        if more:  # the rest of the query string
            environ["QUERY_STRING"] += "&" + more
        answer: dict[str, object] = {}

        def start_response(status: str, response_headers: list[tuple[str, str]]) -> None:
            answer["status"] = int(status.split()[0])
            answer["headers"] = dict(response_headers)

        # As Django's test client does, around each request (the client connects them again
        # after its own): the test's transaction keeps its connection.
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            body = b"".join(self.app(environ, start_response))
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)
        return answer["status"], answer["headers"], body


@pytest.fixture
def server() -> Iterator[Server]:
    yield Server()


@pytest.fixture
def panel(visitor) -> Visitor:
    """A visitor whose panel holds the current ETag."""
    visitor.start()
    assert visitor.poll().status_code == 200
    return visitor


def test_the_304_is_answered_before_django_with_the_same_headers(panel, server):
    through_django = panel.client.get(
        PATH,
        {"t": panel.token},
        headers={"Origin": panel.origin, "If-None-Match": panel.etag, "X-Request-ID": "poll-1"},
    )
    status, headers, body = server.get(panel, **{"X-Request-ID": "poll-1"})
    assert through_django.status_code == status == 304
    assert server.handed_over == 0 and body == b""
    assert headers == dict(through_django.items())
    assert headers["Access-Control-Allow-Origin"] == panel.origin
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["ETag"] == panel.etag


def test_each_304_gets_a_request_id_of_its_own(panel, server):
    first, second = (server.get(panel)[1]["X-Request-ID"] for _ in range(2))
    assert first and second and first != second


def test_a_foreign_site_gets_no_304(panel, server):
    panel.origin = "https://evil.example"
    status, headers, _ = server.get(panel)
    assert status == 403 and server.handed_over == 1
    assert "Access-Control-Allow-Origin" not in headers


@pytest.mark.parametrize("token", ["", "forged.token:abc", "x" * 500])
def test_a_bad_token_is_left_to_django_which_refuses_it(panel, server, token):
    status, _, body = server.get(panel, token=token)
    assert status == 401 and server.handed_over == 1
    assert b"error" in body


def test_a_query_string_django_refuses_is_left_to_django_without_a_warning(panel, server, caplog):
    status, _, _ = server.get(panel, more="&".join(["x=1"] * 2000))  # over Django's field cap
    assert status == 400 and server.handed_over == 1
    assert not [r for r in caplog.records if r.name == "calls.webchat.wsgi"]  # no log flood


@pytest.mark.parametrize(
    ("odd", "status"),
    [
        ({"token": "\xff\xfe"}, 401),  # bytes that are no UTF-8
        ({"more": "t=forged"}, 401),  # a second token: Django reads the last
        ({"more": "%" * 100}, 304),  # broken escapes beside a good token
        ({"If-None-Match": "*"}, 200),
        ({"Origin": "https://www.lyon-tourisme.example\xe9"}, 403),
        ({"Origin": "null"}, 403),  # a sandboxed frame, a file:// page
    ],
)
def test_odd_query_strings_and_headers_get_a_plain_answer(panel, server, caplog, odd, status):
    assert server.get(panel, **odd)[0] == status
    assert not [r for r in caplog.records if r.name == "calls.webchat.wsgi"]


def test_an_expired_token_is_left_to_django(panel, server, settings, time_machine):
    time_machine.move_to("2099-01-01")  # long after WEBCHAT_TOKEN_HOURS
    status, _, _ = server.get(panel)
    assert status == 401 and server.handed_over == 1


def test_a_new_reply_falls_through_to_the_thread(panel, server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert panel.write("Is the museum open on Monday?").status_code in (200, 201)
    status, headers, body = server.get(panel)
    assert status == 200 and server.handed_over == 1
    assert b"Is the museum open on Monday?" in body
    assert headers["ETag"] != panel.etag
    panel.etag = headers["ETag"]
    assert server.get(panel)[0] == 304 and server.handed_over == 1


def test_a_poll_with_another_etag_reads_the_thread(panel, server):
    panel.etag = '"not-the-stamp"'
    status, headers, _ = server.get(panel)
    assert status == 200 and server.handed_over == 1
    assert headers["ETag"] != panel.etag


def test_a_closed_chat_gets_no_304(panel, server, web_chat):
    web_chat.is_active = False
    web_chat.save()
    status, _, _ = server.get(panel)
    assert status != 304 and server.handed_over == 1


def test_with_the_cache_down_the_poll_is_left_to_django(panel, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    handed: list[str] = []

    def django(environ, start_response):
        handed.append(environ["PATH_INFO"])
        start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
        return [b"down"]

    environ = (
        RequestFactory()
        .get(
            PATH, {"t": panel.token}, headers={"Origin": panel.origin, "If-None-Match": panel.etag}
        )
        .environ
    )
    statuses: list[str] = []
    body = b"".join(PollShortcut(django)(environ, lambda status, h: statuses.append(status)))
    assert handed == [PATH] and statuses == ["503 Service Unavailable"] and body == b"down"


def _redis_listens() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.2).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_listens(), reason="no Redis on 127.0.0.1:6379")
def test_a_kept_redis_client_reads_the_stamp_django_wrote(visitor, server, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/12",
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",  # this test's keys only
            "TIMEOUT": 60,
        }
    }
    visitor.start()
    assert visitor.poll().status_code == 200
    assert server.get(visitor)[0] == 304
    kept = wsgi._kept[("redis://127.0.0.1:6379/12",)]
    assert server.get(visitor)[0] == 304 and server.handed_over == 0
    assert wsgi._kept[("redis://127.0.0.1:6379/12",)] is kept  # one client, not one per read
