from __future__ import annotations

import json
import socket

import pytest
from django.test import override_settings

from .subprocess_env import run_python


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


def test_it_answers_503_when_the_database_is_down():
    # A real refused connection, in a fresh process: the test database here cannot be unplugged.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    probe = (
        "import django, json; django.setup(); from django.test import Client; "
        "r = Client(HTTP_HOST='127.0.0.1').get('/health/'); "
        "print(json.dumps({'code': r.status_code, **json.loads(r.content)}))"
    )
    result = run_python(
        "-c",
        probe,
        DEBUG="1",
        DJANGO_SETTINGS_MODULE="concierge.settings",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{closed_port}/concierge",
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["code"] == 503
    assert answer["database"].startswith("error")
    assert answer["broker"] == "eager"
