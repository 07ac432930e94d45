from __future__ import annotations

import socket
import threading

import pytest
from django.db import connections
from django.db.utils import ConnectionHandler
from django.test import Client, override_settings

from .environment import settings_under


@pytest.mark.django_db
def test_it_reports_a_healthy_database(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_it_answers_503_when_the_broker_is_down(client):
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
@override_settings(CELERY_BROKER_URL="")
def test_it_answers_503_when_the_database_is_down():
    # A real refused connection. The test database cannot be unplugged, so the request is served
    # in a thread of its own whose database connection (connections are per thread) is the one
    # settings make of a DATABASE_URL where nothing listens.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    databases = settings_under(
        DEBUG="1", DATABASE_URL=f"postgres://postgres@127.0.0.1:{closed_port}/concierge"
    )["DATABASES"]
    answers = []

    def request() -> None:
        down = connections["default"] = ConnectionHandler(databases)["default"]
        try:
            answers.append(Client(HTTP_HOST="127.0.0.1").get("/health/"))
        finally:
            down.close()

    thread = threading.Thread(target=request)
    thread.start()
    thread.join(timeout=60)
    (response,) = answers
    assert response.status_code == 503
    assert response.json()["database"] == "error: OperationalError"  # refused, not anything else
    assert response.json()["broker"] == "eager"
